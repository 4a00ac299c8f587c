"""Benchmarks against a running server: `policypad bench load` and `policypad bench trace`.

Both talk to a server on this machine only (the URL must be a loopback address) and stop
by themselves; they print figures, then one JSON line with the same figures.

load
    K simulated authors on one pad over real WebSockets, each typing 5 characters per
    second for S seconds and committing at most every 500 ms (edits typed meanwhile are
    buffered into the next commit, as Etherpad's client does; one commit in flight per
    author). Each author types at its cursor, which starts at a random place and jumps
    to another random place before a keystroke with probability --jump (0.1 by default;
    1 puts every keystroke at an independent random place, so one commit touches
    several places of the document). Latency is measured from a commit being sent to its
    revision arriving at a few observer clients. To keep the load generator cheap, most
    authors are *light*: they read every message the server sends them but only parse
    their own acks, and build each commit on the latest text known to a silent tracker
    client. The observers run the full OT client (`BenchClient`): one commit in flight,
    later edits composed into a buffer, both transformed through incoming revisions.
    Server CPU and RSS come from /proc (the process listening on the port, or
    --server-pid). The generator turns its own garbage collector off while the authors
    type, so that its pauses are not counted as the server's latency.

trace
    One client pushes a recorded editing trace through the server in commits of ~100
    edits, each acknowledged before the next (a fast typist), then the document is
    rebuilt at random revisions with GET /api/pads/{id}/content?rev=N&format=atext.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import gzip
import ipaddress
import json
import os
import random
import re
import statistics
import string
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websockets

from policypad.bench_generators import Worker, merge
from policypad.changeset import (
    AttributePool,
    Builder,
    compose,
    make_splice,
)
from policypad.client_state import ClientState

EMPTY_POOL = {"numToAttrib": {}, "nextNum": 0}
TYPING_CHARACTERS = string.ascii_lowercase * 3 + "     ,." + "\n"
"""What simulated authors type: mostly letters and spaces, a newline now and then."""


# -- small helpers ---------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """The `fraction` quantile (nearest rank) of `values`; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary_ms(seconds: list[float]) -> dict[str, Any]:
    """p50/p95/p99/max in milliseconds of durations given in seconds."""
    return {
        "samples": len(seconds),
        "p50": round(percentile(seconds, 0.50) * 1000, 2),
        "p95": round(percentile(seconds, 0.95) * 1000, 2),
        "p99": round(percentile(seconds, 0.99) * 1000, 2),
        "max": round(max(seconds) * 1000, 2) if seconds else float("nan"),
    }


def check_loopback(url: str) -> urllib.parse.SplitResult:
    """Parse `url`; refuse anything but http(s) on a loopback address."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"--url must be http://127.0.0.1:PORT, not {url!r}")
    host = parts.hostname
    if host != "localhost":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise ValueError(f"benchmarks only talk to this machine (127.0.0.1), not {host!r}")
    return parts


def messages(raw: str | bytes) -> list[dict[str, Any]]:
    """The messages in one frame: one object, or an array of them (a batching client)."""
    data = json.loads(raw)
    return data if isinstance(data, list) else [data]


# An ack as the server writes it (json.dumps of {"type", "seq", "rev"}).
_ACK_RE = re.compile(r'\{"type": "ack", "seq": (-?\d+), "rev": (\d+)\}')
_REVISION_RE = re.compile(r'\{"type": "revision", "rev": (\d+)')
SAMPLE_EVERY = 4
RESEND_CODES = ("rate_limited", "storage_failed")
"""Errors after which a client sends its commit again, as the browser client does."""
RESEND_SECONDS = 0.15
"""Every author notes the arrival of every SAMPLE_EVERY-th revision (latency at every
author, at a quarter of the bookkeeping)."""


class Rest:
    """A few blocking REST calls (standard library only, so the package needs no extra)."""

    def __init__(self, url: str, api_key: str | None = None) -> None:
        self.base = url.rstrip("/")
        self.api_key = api_key

    def call(self, method: str, path: str, body: Any = None, timeout: float = 60) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.api_key:
            request.add_header("Authorization", f"Bearer {self.api_key}")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            raise RuntimeError(
                f"{method} {path}: HTTP {error.code} {error.read()[:300]!r}"
            ) from None
        return json.loads(raw) if raw else None

    def create_pad(self, pad_id: str | None, text: str) -> str:
        body: dict[str, Any] = {"text": text}
        if pad_id:
            body["id"] = pad_id
        return str(self.call("POST", "/api/pads", body)["id"])


# -- the server process, seen through /proc ----------------------------------------


def listening_pid(port: int) -> int | None:
    """The pid of the process listening on TCP `port` (this machine, via /proc), or None."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as handle:
            next(handle, None)
            for line in handle:
                fields = line.split()
                local, state, inode = fields[1], fields[3], fields[9]
                if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                    inodes.add(f"socket:[{inode}]")
    if not inodes:
        return None
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{entry}/fd"):
                with contextlib.suppress(OSError):
                    if os.readlink(f"/proc/{entry}/fd/{fd}") in inodes:
                        return int(entry)
    return None


class ProcessStats:
    """CPU seconds and RSS of one process, from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.ticks = os.sysconf("SC_CLK_TCK")

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.pid}/stat") as handle:
            after_name = handle.read().rsplit(")", 1)[1].split()
        return (int(after_name[11]) + int(after_name[12])) / self.ticks  # utime + stime

    def memory_kb(self, key: str = "VmRSS") -> int:
        with open(f"/proc/{self.pid}/status") as handle:
            for line in handle:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
        return 0


def machine_busy_seconds() -> float:
    """CPU seconds spent busy by the whole machine (all cores) since boot, from /proc/stat."""
    with open("/proc/stat") as handle:
        values = [int(v) for v in handle.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


# -- a full client: the OT state machine of Etherpad's collab client ----------------


@dataclass
class Timings:
    """What the clients measure, all in one process (time.perf_counter seconds)."""

    rev_sent: dict[tuple[str, int], float] = field(default_factory=dict)
    """Revision number -> when the commit that became it was sent."""
    ack: list[float] = field(default_factory=list)
    """Commit sent -> ack received, at the author."""
    arrivals: list[tuple[str, int, float]] = field(default_factory=list)
    """(revision, when it arrived) at each observer."""
    commits: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    window: tuple[float, float] = (0.0, float("inf"))

    def sent(self, when: float) -> bool:
        return self.window[0] <= when <= self.window[1]


class BenchClient:
    """A PolicyPad client on a real WebSocket, with Etherpad's commit discipline.

    Local edits (`splice`) change `text` at once and are composed into a buffer; the
    buffer is committed when no commit is in flight and `commit_interval` seconds have
    passed since the last one. Incoming revisions are transformed through the commit in
    flight and the buffer (as in ot.js), so `text` is always the server's text plus the
    local changes. With `commit_interval=0` every edit is committed as soon as possible.
    """

    def __init__(
        self,
        ws_url: str,
        pad_id: str,
        timings: Timings | None = None,
        *,
        name: str = "bench",
        token: str | None = None,
        commit_interval: float = 0.5,
        observer: bool = False,
        compression: str | None = "deflate",
    ) -> None:
        self.url = f"{ws_url}/ws/{pad_id}"
        self.pad_id = pad_id
        self.client_id = uuid.uuid4().hex
        self.name = name
        self.token = token
        self.timings = timings or Timings()
        self.commit_interval = commit_interval
        self.observer = observer
        self.compression = compression
        self.socket: Any = None
        self.state = ClientState("", -1)
        self.inflight_sent = 0.0
        self.last_commit = -1e9
        self.rate_limited = 0
        self._reader: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()
        self._timer: asyncio.TimerHandle | None = None

    async def connect(self) -> dict[str, Any]:
        self.socket = await websockets.connect(
            self.url, max_size=None, compression=self.compression, open_timeout=60
        )
        join: dict[str, Any] = {
            "type": "join", "clientId": self.client_id, "name": self.name, "batch": True,
        }  # fmt: skip
        if self.token:
            join["token"] = self.token
        await self.socket.send(json.dumps(join))
        joined, *after = messages(await self.socket.recv())
        if joined.get("type") != "joined":
            raise RuntimeError(f"join refused: {joined}")
        pool = AttributePool.from_jsonable(joined["pool"])
        self.state = ClientState(joined["atext"]["text"], joined["rev"], pool)
        for message in after:
            self._handle(message)
        self._reader = asyncio.create_task(self._read())
        return joined

    async def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self.socket is not None:
            await self.socket.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    @property
    def idle(self) -> bool:
        return self.state.idle

    @property
    def text(self) -> str:
        return self.state.text

    @property
    def rev(self) -> int:
        return self.state.rev

    # local edits

    def splice(self, start: int, ndel: int, insert: str) -> None:
        """Edit the local text now; the change goes out with the next commit."""
        self.state.edit(make_splice(self.text, start, ndel, insert))
        self._maybe_commit()

    def _maybe_commit(self) -> None:
        if self.state.buffer is None or self.state.inflight is not None or self.socket is None:
            return
        wait = self.last_commit + self.commit_interval - time.perf_counter()
        if wait > 0:
            if self._timer is None:
                self._timer = asyncio.get_running_loop().call_later(wait, self._timer_fired)
            return
        message = self.state.take_commit()
        self.last_commit = self.inflight_sent = time.perf_counter()
        asyncio.get_running_loop().create_task(self._send(message))

    def _timer_fired(self) -> None:
        self._timer = None
        self._maybe_commit()

    async def _send(self, message: dict[str, Any]) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            await self.socket.send(json.dumps(message))

    # messages from the server

    async def _read(self) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for raw in self.socket:
                for message in messages(raw):
                    self._handle(message)
                self._changed.set()

    def _handle(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "revision":
            if self.observer:
                self.timings.arrivals.append((self.pad_id, message["rev"], time.perf_counter()))
            self.state.remote(message)
        elif kind == "ack":
            if self.state.ack(message):
                now = time.perf_counter()
                if self.timings.sent(self.inflight_sent):
                    self.timings.rev_sent[(self.pad_id, self.rev)] = self.inflight_sent
                    self.timings.ack.append(now - self.inflight_sent)
                    self.timings.commits += 1
                self._maybe_commit()
        elif kind == "error":
            self.timings.errors.append(message)
            if (
                message.get("code") in RESEND_CODES
                and message.get("seq") == self.state.inflight_seq
            ):
                self.rate_limited += message.get("code") == "rate_limited"
                asyncio.get_running_loop().call_later(RESEND_SECONDS, self._resend)

    def _resend(self) -> None:
        """Send the commit in flight again (same seq), based on the latest revision."""
        message = self.state.commit_message()
        if message is None or self.socket is None:
            return
        asyncio.get_running_loop().create_task(self._send(message))

    async def wait_until(self, condition: Callable[[], bool], timeout_seconds: float) -> bool:
        """Wait until `condition()` holds (checked after every message); False on timeout."""
        deadline = time.perf_counter() + timeout_seconds
        while not condition():
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return False
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.5))
        return True


# -- a light author: reads everything, parses only its acks --------------------------


class Tracker:
    """The latest (rev, text) seen by a silent observer; light authors build on it."""

    def __init__(self, client: BenchClient) -> None:
        self.client = client

    @property
    def head(self) -> tuple[int, str]:
        return self.client.rev, self.client.text


class LightAuthor:
    """An author that types into the latest text the tracker knows.

    It keeps one commit in flight and commits at most every `commit_interval`; the
    characters typed meanwhile (at `cps` per second) go into the next commit, each at a
    random place of the text the commit is based on.
    """

    def __init__(
        self,
        ws_url: str,
        pad_id: str,
        tracker: Tracker,
        timings: Timings,
        rng: random.Random,
        *,
        token: str | None = None,
        compression: str | None = "deflate",
        jump: float = 0.1,
    ) -> None:
        self.url = f"{ws_url}/ws/{pad_id}"
        self.pad_id = pad_id
        self.client_id = uuid.uuid4().hex
        self.jump = jump
        self.cursor: int | None = None
        self.tracker = tracker
        self.timings = timings
        self.rng = rng
        self.token = token
        self.compression = compression
        self.socket: Any = None
        self.seq = 0
        self.inflight_seq = 0
        self.inflight_sent = 0.0
        self.inflight_message: str | None = None
        self.acked = asyncio.Event()
        self.acked.set()
        self.received = 0
        self.arrivals: list[tuple[str, int, float]] = []
        """(revision, when it arrived) for every SAMPLE_EVERY-th revision."""
        self._reader: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        self.socket = await websockets.connect(
            self.url, max_size=None, compression=self.compression, open_timeout=60
        )
        join: dict[str, Any] = {
            "type": "join", "clientId": self.client_id, "name": "light", "batch": True,
        }  # fmt: skip
        if self.token:
            join["token"] = self.token
        await self.socket.send(json.dumps(join))
        joined = messages(await self.socket.recv())[0]
        if joined.get("type") != "joined":
            raise RuntimeError(f"join refused: {joined}")
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    async def _read(self) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for raw in self.socket:
                # a light author parses only what it needs: its acks and errors
                now = time.perf_counter()
                self._arrived(raw, now)
                if raw.startswith("["):
                    if '"error"' not in raw:
                        # its acks are read off the frame, not decoding the revisions
                        self.received += raw.count('{"type"')
                        for seq, rev in _ACK_RE.findall(raw):
                            self._acked({"seq": int(seq), "rev": int(rev)})
                        continue
                    batch = messages(raw)
                else:
                    head = raw[:16]
                    if '"ack"' not in head and '"error"' not in head:
                        self.received += 1
                        continue
                    batch = [json.loads(raw)]
                for message in batch:
                    self.received += 1
                    if message["type"] == "ack":
                        self._acked(message)
                    elif message["type"] == "error":
                        self.timings.errors.append(message)
                        self._refused(message)

    def _arrived(self, raw: str, now: float) -> None:
        """Note when sampled revisions reached this author (read off the frame too)."""
        if '"revision"' not in raw:
            return
        for rev in _REVISION_RE.findall(raw):
            if int(rev) % SAMPLE_EVERY == 0:
                self.arrivals.append((self.pad_id, int(rev), now))

    def _refused(self, message: dict[str, Any]) -> None:
        """Send the commit in flight again, as the browser client does, when the server
        asks for it (`storage_failed`, `rate_limited`): not its author's fault."""
        if (
            message.get("code") in RESEND_CODES
            and message.get("seq") == self.inflight_seq
            and not self.acked.is_set()
        ):
            asyncio.get_running_loop().call_later(RESEND_SECONDS, self._resend)

    def _resend(self) -> None:
        if self.inflight_message is not None and not self.acked.is_set():
            task = asyncio.get_running_loop().create_task(self.socket.send(self.inflight_message))
            task.add_done_callback(lambda done: done.cancelled() or done.exception())

    def _acked(self, message: dict[str, Any]) -> None:
        if message["seq"] == self.inflight_seq and not self.acked.is_set():
            if self.timings.sent(self.inflight_sent):
                now = time.perf_counter()
                self.timings.rev_sent[(self.pad_id, message["rev"])] = self.inflight_sent
                self.timings.ack.append(now - self.inflight_sent)
                self.timings.commits += 1
            self.acked.set()

    async def commit(self, characters: str) -> None:
        """Type `characters` into the tracker's latest text at the cursor (which jumps to
        a random place before a character with probability `jump`); send one commit."""
        rev, text = self.tracker.head
        last = len(text) - 1  # never after the final newline
        typed: dict[int, list[str]] = {}
        for character in characters:
            if self.cursor is None or self.rng.random() < self.jump:
                self.cursor = self.rng.randint(0, last)
            self.cursor = min(self.cursor, last)
            typed.setdefault(self.cursor, []).append(character)
        builder = Builder(_utf16_length(text))
        previous = 0
        for place in sorted(typed):
            builder.keep_text(text[previous:place])
            builder.insert("".join(typed[place]))
            previous = place
        # in the next base text, what was typed at the cursor precedes it
        self.cursor = (self.cursor or 0) + len(typed.get(self.cursor or 0, ()))
        self.seq += 1
        self.inflight_seq = self.seq
        self.acked.clear()
        self.inflight_sent = time.perf_counter()
        message = {"type": "commit", "baseRev": rev, "changeset": builder.to_string(),
                   "pool": EMPTY_POOL, "seq": self.seq}  # fmt: skip
        self.inflight_message = json.dumps(message)
        await self.socket.send(self.inflight_message)

    async def type_until(self, start: float, end: float, cps: float, interval: float) -> None:
        """Type `cps` characters a second from `start` to `end`, committing at most every
        `interval` seconds and never with a commit in flight."""
        typed = 0
        slot = start + self.rng.random() * interval
        with contextlib.suppress(websockets.ConnectionClosed):
            while True:
                now = time.perf_counter()
                if slot > now:
                    await asyncio.sleep(slot - now)
                if time.perf_counter() >= end:
                    return
                try:  # one commit in flight: wait for its ack, but never past `end`
                    await asyncio.wait_for(self.acked.wait(), max(0.0, end - time.perf_counter()))
                except TimeoutError:
                    return
                now = time.perf_counter()
                if now >= end:
                    return
                count = int((now - start) * cps) - typed
                if count > 0:
                    characters = "".join(self.rng.choice(TYPING_CHARACTERS) for _ in range(count))
                    await self.commit(characters)
                    typed += count
                    slot = now + interval
                else:
                    slot = now + 1 / cps


def _utf16_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


async def _type_full(
    client: BenchClient, rng: random.Random, start: float, end: float, cps: float, jump: float
) -> None:
    """An observer that types too: one character every 1/cps seconds at its cursor, which
    jumps to a random place with probability `jump` before each character."""
    when = start + rng.random() / cps
    cursor: int | None = None
    while True:
        delay = when - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if time.perf_counter() >= end:
            return
        last = len(client.text) - 1
        if cursor is None or rng.random() < jump:
            cursor = rng.randint(0, last)
        cursor = min(cursor, last)
        client.splice(cursor, 0, rng.choice(TYPING_CHARACTERS))
        cursor += 1
        when += 1 / cps


# -- bench load -------------------------------------------------------------------------


async def _gather_in_batches(factories: list[Callable[[], Any]], batch: int) -> None:
    for first in range(0, len(factories), batch):
        await asyncio.gather(*(factory() for factory in factories[first : first + batch]))


async def run_load(args: argparse.Namespace) -> dict[str, Any]:
    urls = list(args.url)
    ws_urls = []
    servers: list[ProcessStats] = []
    for url in urls:
        parts = check_loopback(url)
        ws_urls.append(f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}")
        pid = (
            args.server_pid
            if len(urls) == 1 and args.server_pid
            else (listening_pid(parts.port) if parts.port else None)
        )
        if pid:
            servers.append(ProcessStats(pid))
    if len(servers) != len(urls):
        print("a server process was not found (pass --server-pid): no CPU/RSS figures")
        servers = []
    rest = Rest(urls[0], args.api_key)
    rng = random.Random(args.seed)
    compression = None if args.no_compression else "deflate"
    pads = max(1, args.pads)
    if args.pad is not None and pads == 1:
        pad_ids = [args.pad]
    else:
        pad_ids = [f"bench-{uuid.uuid4().hex[:8]}" for _ in range(pads)]
        for pad_id in pad_ids:
            rest.create_pad(pad_id, "Benchmark pad.\n" + "A line of text to type into.\n" * 20)
    print(f"{len(pad_ids)} pad(s) on {', '.join(urls)}: {args.authors} authors, {args.seconds:g} s")
    rss_before = sum(server.memory_kb() for server in servers)

    timings = Timings()
    observers = min(args.observers, args.authors)
    # one tracker a pad (the text light authors build on), on the pad's first process
    trackers = [
        BenchClient(ws_urls[n % len(urls)], pad_id, timings, name="tracker", token=args.token,
                    observer=True, compression=compression)
        for n, pad_id in enumerate(pad_ids)
    ]  # fmt: skip
    await _gather_in_batches([tracker.connect for tracker in trackers], 25)

    def process_of(n: int) -> str:
        """Author n's process: any (a load balancer spreading connections), or its pad's
        (one routing by the pad in the URL, so each pad is served by one process)."""
        return ws_urls[(n % len(pad_ids) if args.route == "pad" else n) % len(urls)]

    full = [
        # observers watch the first pad: with --route pad, on its process
        BenchClient(process_of(0 if args.route == "pad" else n), pad_ids[0], timings,
                    name=f"observer{n}", token=args.token, commit_interval=args.commit_interval,
                    observer=True, compression=compression)
        for n in range(observers)
    ]  # fmt: skip
    seeds = {n: rng.random() for n in range(observers, args.authors)}
    # light authors dealt round-robin to the generator processes (this one is the first)
    generators = max(1, args.generators)
    dealt: list[list[int]] = [[] for _ in range(generators)]
    for position, n in enumerate(seeds):
        dealt[position % generators].append(n)
    light = [
        LightAuthor(process_of(n), pad_ids[n % len(pad_ids)],
                    Tracker(trackers[n % len(pad_ids)]), timings, random.Random(seeds[n]),
                    token=args.token, compression=compression, jump=args.jump)
        for n in dealt[0]
    ]  # fmt: skip
    connect_started = time.perf_counter()
    workers = []
    for share in dealt[1:]:
        spec = {
            "token": args.token, "compression": compression, "jump": args.jump,
            "cps": args.cps, "commit_interval": args.commit_interval, "drain": args.drain,
            "trackers": {pad_id: ws_urls[n % len(urls)] for n, pad_id in enumerate(pad_ids)},
            "authors": [{"ws_url": process_of(n), "pad_id": pad_ids[n % len(pad_ids)],
                         "seed": seeds[n]} for n in share],
        }  # fmt: skip
        workers.append(await Worker.start(spec))
    # (should this process fail, a worker reads the end of its stdin and stops)
    await _gather_in_batches([c.connect for c in full] + [a.connect for a in light], 25)
    await asyncio.gather(*(worker.ready() for worker in workers))
    connect_seconds = time.perf_counter() - connect_started
    await asyncio.sleep(1.0)  # let the user-joined storm settle
    rss_connected = sum(server.memory_kb() for server in servers)
    clients = args.authors + len(trackers) * generators
    print(f"connected {clients} clients in {connect_seconds:.1f} s"
          + (f" from {generators} processes" if generators > 1 else ""))  # fmt: skip

    lags: list[float] = []
    rss_peak = rss_connected
    stop_sampling = asyncio.Event()

    async def sample() -> None:
        nonlocal rss_peak
        while not stop_sampling.is_set():
            expected = time.perf_counter() + 0.05
            await asyncio.sleep(0.05)
            lags.append(max(0.0, time.perf_counter() - expected))
            if servers and len(lags) % 10 == 0:
                rss_peak = max(rss_peak, sum(server.memory_kb() for server in servers))

    start = time.perf_counter() + 0.2
    end = start + args.seconds
    timings.window = (start, end)
    for worker in workers:
        await worker.go(start, end)
    sampler = asyncio.create_task(sample())
    # The generator's own collector, not the server, would otherwise show in the figures:
    # with a few hundred clients it paused this event loop for 100 ms at a time, and the
    # messages that arrived meanwhile all seemed late. A few seconds' garbage is cheap.
    gc.collect()
    gc.freeze()
    gc.disable()
    cpu_servers_0 = [server.cpu_seconds() for server in servers]
    cpu_self_0 = time.process_time()
    busy_0 = machine_busy_seconds()
    wall_0 = time.perf_counter()
    typing = [
        asyncio.create_task(
            _type_full(c, random.Random(rng.random()), start, end, args.cps, args.jump)
        )
        for c in full
    ] + [
        asyncio.create_task(a.type_until(start, end, args.cps, args.commit_interval)) for a in light
    ]
    try:
        await asyncio.gather(*typing)
    finally:
        gc.enable()
        gc.unfreeze()
    wall = time.perf_counter() - wall_0
    cpu_servers = [
        server.cpu_seconds() - before for server, before in zip(servers, cpu_servers_0, strict=True)
    ]
    cpu_self = time.process_time() - cpu_self_0
    busy = machine_busy_seconds() - busy_0
    stop_sampling.set()
    await sampler

    # drain: every commit acknowledged, every observer at the head, then compare texts
    drain_deadline = time.perf_counter() + args.drain
    for author in light:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                author.acked.wait(), max(0.01, drain_deadline - time.perf_counter())
            )
    for client in full:
        await client.wait_until(lambda c=client: c.idle, drain_deadline - time.perf_counter())
    converged = True
    heads = 0
    for pad_id, tracker in zip(pad_ids, trackers, strict=True):
        head = rest.call("GET", f"/api/pads/{pad_id}")["rev"]
        heads += head
        watchers = [tracker, *(full if pad_id == pad_ids[0] else [])]
        for client in watchers:
            await client.wait_until(
                lambda c=client, h=head: c.rev >= h, drain_deadline - time.perf_counter()
            )
        server_text = rest.call("GET", f"/api/pads/{pad_id}/content?format=text")["text"]
        for client in watchers:
            converged = converged and client.rev == head and client.text == server_text
    received = sum(a.received for a in light)
    await _gather_in_batches([c.close for c in [*trackers, *full]] + [a.close for a in light], 100)
    arrivals = [arrival for author in light for arrival in author.arrivals]
    for worker in workers:
        measured = await worker.result()
        arrivals.extend(merge(timings, measured))
        received += measured["received"]
        cpu_self += measured["cpu_seconds"]

    latencies = _latencies(timings.arrivals, timings.rev_sent)
    at_every_author = _latencies(arrivals, timings.rev_sent)
    offered = args.authors * args.seconds / max(args.commit_interval, 1 / args.cps)
    result: dict[str, Any] = {
        "bench": "load",
        "urls": urls,
        "pads": len(pad_ids),
        "route": args.route,
        "pad": pad_ids[0],
        "authors": args.authors,
        "observers": observers + 1,
        "seconds": round(wall, 2),
        "compression": compression or "none",
        "jump": args.jump,
        "commits": timings.commits,
        "commits_per_second": round(timings.commits / args.seconds, 1),
        "offered_commits_per_second": round(offered / args.seconds, 1),
        "stored_percent_of_offered": round(100 * timings.commits / max(offered, 1), 1),
        "latency_ms": summary_ms(latencies),
        "latency_at_every_author_ms": summary_ms(at_every_author),
        "ack_ms": summary_ms(timings.ack),
        "head_rev": heads,
        "converged": converged,
        "errors": len(timings.errors),
        "error_codes": sorted({e.get("code", "?") for e in timings.errors}),
        "messages_to_light_authors_per_second": round(received / max(wall, 1e-9)),
        "connect_seconds": round(connect_seconds, 2),
        "client": {
            "processes": generators,
            "cpu_percent": round(100 * cpu_self / wall, 1),
            "loop_lag_ms_p95": round(percentile(lags, 0.95) * 1000, 1),
        },
        "machine": {
            "cores": os.cpu_count(),
            "busy_cpu_percent": round(100 * busy / wall, 1),
            # what neither the servers nor this generator used: other load skews the figures
            "others_cpu_percent": round(100 * (busy - cpu_self - sum(cpu_servers)) / wall, 1),
        },
    }
    if servers:
        result["server"] = {
            "pids": [server.pid for server in servers],
            "cpu_percent": round(100 * sum(cpu_servers) / wall, 1),
            "cpu_percent_each": [round(100 * cpu / wall, 1) for cpu in cpu_servers],
            "cpu_ms_per_stored_commit": round(1000 * sum(cpu_servers) / max(timings.commits, 1), 3),
            "rss_mb_before": round(rss_before / 1024, 1),
            "rss_mb_connected": round(rss_connected / 1024, 1),
            "rss_mb_peak": round(rss_peak / 1024, 1),
            "rss_kb_per_client": round((rss_connected - rss_before) / clients, 1),
        }
    return result


def _latencies(
    arrivals: list[tuple[str, int, float]], sent: dict[tuple[str, int], float]
) -> list[float]:
    return [arrived - sent[(pad, rev)] for pad, rev, arrived in arrivals if (pad, rev) in sent]


def print_load(result: dict[str, Any]) -> None:
    latency, every, ack = (
        result["latency_ms"],
        result["latency_at_every_author_ms"],
        result["ack_ms"],
    )
    lines = [
        f"commits: {result['commits']} in {result['seconds']} s = "
        f"{result['commits_per_second']} commits/s of {result['offered_commits_per_second']} "
        f"offered ({result['stored_percent_of_offered']}%); {result['pads']} pad(s), "
        f"{len(result['urls'])} process(es)",
        f"commit sent -> revision at observers: p50 {latency['p50']} ms, "
        f"p95 {latency['p95']} ms, p99 {latency['p99']} ms, max {latency['max']} ms "
        f"({latency['samples']} samples)",
        f"commit sent -> revision at every author: p50 {every['p50']} ms, "
        f"p95 {every['p95']} ms, p99 {every['p99']} ms, max {every['max']} ms "
        f"({every['samples']} samples)",
        f"commit sent -> ack at author: p50 {ack['p50']} ms, p95 {ack['p95']} ms, "
        f"p99 {ack['p99']} ms ({ack['samples']} samples)",
    ]
    if "server" in result:
        s = result["server"]
        lines.append(
            f"server pid(s) {s['pids']}: CPU {s['cpu_percent']}% {s['cpu_percent_each']}, "
            f"{s['cpu_ms_per_stored_commit']} ms per stored commit; RSS {s['rss_mb_before']} MB "
            f"before, {s['rss_mb_connected']} MB connected ({s['rss_kb_per_client']} KB per "
            f"client), peak {s['rss_mb_peak']} MB"
        )
    c = result["client"]
    m = result["machine"]
    lines.append(
        f"load generator ({c['processes']} process(es)): CPU {c['cpu_percent']}%, event-loop "
        f"lag p95 {c['loop_lag_ms_p95']} ms (the first); "
        f"machine ({m['cores']} cores) busy {m['busy_cpu_percent']}%, of which other "
        f"processes {m['others_cpu_percent']}%"
    )
    lines.append(
        f"converged: {result['converged']}; errors: {result['errors']} {result['error_codes']}"
    )
    print("\n".join(lines))


# -- bench trace ------------------------------------------------------------------------

DEFAULT_TRACE = "../shared/data/traces/automerge-paper.json.gz"


def find_trace(name: str) -> Path:
    """The trace file: as given, or (for the default) beside this checkout."""
    path = Path(name)
    if path.is_file() or name != DEFAULT_TRACE:
        return path
    beside = Path(__file__).resolve().parents[3] / "shared/data/traces/automerge-paper.json.gz"
    return beside if beside.is_file() else path


def load_trace(path: Path, limit: int | None) -> tuple[str, list[tuple[int, int, str]], str]:
    """(start text, edits as (position, delete count, insert), end text) of a trace."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        trace = json.load(handle)
    edits = [
        (int(patch[0]), int(patch[1]), str(patch[2]))
        for txn in trace["txns"]
        for patch in txn["patches"]
    ]
    if limit is not None:
        edits = edits[:limit]
    return trace["startContent"], edits, trace["endContent"]


def _utf16_offset(text: str, code_points: int) -> int:
    return code_points if text.isascii() else _utf16_length(text[:code_points])


def _compose_all(changesets: list[str], pool: AttributePool) -> str:
    """Compose in a balanced tree (cheaper than left to right for long runs)."""
    while len(changesets) > 1:
        changesets = [
            compose(changesets[i], changesets[i + 1], pool) if i + 1 < len(changesets)
            else changesets[i]
            for i in range(0, len(changesets), 2)
        ]  # fmt: skip
    return changesets[0]


async def run_trace(args: argparse.Namespace) -> dict[str, Any]:
    parts = check_loopback(args.url)
    ws_url = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}"
    rest = Rest(args.url, args.api_key)
    path = find_trace(args.trace)
    start_text, edits, end_text = load_trace(path, args.limit)
    print(f"trace {path.name}: {len(edits)} edits, commits of {args.batch}")
    pad_id = rest.create_pad(None, start_text)
    client = BenchClient(ws_url, pad_id, name="trace", token=args.token, commit_interval=0)
    await client.connect()
    # the commits a fast typist's client would send: batches of edits, composed
    pool = AttributePool()
    text = client.text  # the trace's text plus the pad's final newline
    t0 = time.perf_counter()
    batches = []
    for first in range(0, len(edits), args.batch):
        changesets = []
        for position, ndel, insert in edits[first : first + args.batch]:
            start = _utf16_offset(text, position)
            removed = _utf16_length(text[position : position + ndel])
            changesets.append(make_splice(text, start, removed, insert))
            text = text[:position] + insert + text[position + ndel :]
        batches.append(_compose_all(changesets, pool))
    prepare = time.perf_counter() - t0
    # push them, each acknowledged before the next
    round_trips: list[float] = []
    started = time.perf_counter()
    for batch in batches:
        t1 = time.perf_counter()
        client.state.edit(batch)
        client._maybe_commit()
        if not await client.wait_until(lambda: client.idle, args.timeout):
            raise RuntimeError(f"no ack within {args.timeout} s (errors: {client.timings.errors})")
        round_trips.append(time.perf_counter() - t1)
    total = time.perf_counter() - started
    commits = len(round_trips)
    await client.close()
    head = rest.call("GET", f"/api/pads/{pad_id}")["rev"]
    server_text = rest.call("GET", f"/api/pads/{pad_id}/content?format=text")["text"]
    matches = server_text == text and (args.limit is not None or text == end_text + "\n")

    rng = random.Random(args.seed)
    revisions = sorted(rng.sample(range(head), min(args.samples, head))) if head else []
    rebuild: list[float] = []
    for rev in revisions:
        t0 = time.perf_counter()
        body = rest.call("GET", f"/api/pads/{pad_id}/content?rev={rev}&format=atext")
        rebuild.append(time.perf_counter() - t0)
        assert body["rev"] == rev
    result = {
        "bench": "trace",
        "trace": path.name,
        "pad": pad_id,
        "edits": len(edits),
        "commits": commits,
        "head_rev": head,
        "final_chars": len(text),
        "total_seconds": round(total, 2),
        "revisions_per_second": round(commits / total, 1),
        "edits_per_second": round(len(edits) / total),
        "client_prepare_seconds": round(prepare, 2),
        "round_trip_ms": summary_ms(round_trips),
        "text_matches": matches,
        "rate_limited": client.rate_limited,
        "rebuild_ms": {
            "samples": len(rebuild),
            "revisions": revisions,
            "median": round(statistics.median(rebuild) * 1000, 1) if rebuild else None,
            "max": round(max(rebuild) * 1000, 1) if rebuild else None,
        },
    }
    return result


def print_trace(result: dict[str, Any]) -> None:
    r, b = result["round_trip_ms"], result["rebuild_ms"]
    lines = [
        f"pushed {result['edits']} edits as {result['commits']} revisions in "
        f"{result['total_seconds']} s: {result['revisions_per_second']} revisions/s "
        f"({result['edits_per_second']} edits/s); per commit round trip p50 {r['p50']} ms, "
        f"p95 {r['p95']} ms, max {r['max']} ms",
        f"  (composing the commits beforehand, in the client: "
        f"{result['client_prepare_seconds']} s)",
        f"  final text {result['final_chars']} chars; server text matches: "
        f"{result['text_matches']}; commits refused by the rate limit and resent: "
        f"{result['rate_limited']}",
        f"rebuild at {b['samples']} random revisions (GET content?rev=N&format=atext): "
        f"median {b['median']} ms, max {b['max']} ms",
    ]
    print("\n".join(lines))


# -- history: what a timeslider asks of a long pad ------------------------------------------


def _timed(call: Callable[[], Any], samples: int) -> tuple[list[float], Any]:
    seconds: list[float] = []
    result = None
    for _ in range(samples):
        started = time.perf_counter()
        result = call()
        seconds.append(time.perf_counter() - started)
    return seconds, result


def run_history(args: argparse.Namespace) -> dict[str, Any]:
    """Time the history API on a long pad (made by `bench trace`, e.g. --batch 2 for the
    automerge-paper trace: about 130,000 revisions of a 105 KB document)."""
    rest = Rest(args.url, args.api_key)
    pad = args.pad
    head = rest.call("GET", f"/api/pads/{pad}")["rev"]
    rng = random.Random(args.seed)
    timeline_s, timeline = _timed(lambda: rest.call("GET", f"/api/pads/{pad}/timeline"), 5)
    timeline_bytes = len(json.dumps(timeline))
    content_s: list[float] = []
    for _ in range(args.samples):
        rev = rng.randrange(head + 1)
        started = time.perf_counter()
        rest.call("GET", f"/api/pads/{pad}/content?rev={rev}&format=atext")
        content_s.append(time.perf_counter() - started)
    page_s: list[float] = []
    for _ in range(min(args.samples, 20)):
        since = rng.randrange(head + 1)
        started = time.perf_counter()
        rest.call("GET", f"/api/pads/{pad}/revisions?since={since}&limit=1000")
        page_s.append(time.perf_counter() - started)
    diff_s: list[float] = []
    for _ in range(args.samples):
        first, second = sorted(rng.sample(range(head + 1), 2))
        started = time.perf_counter()
        rest.call("GET", f"/api/pads/{pad}/diff?from={first}&to={second}", timeout=120)
        diff_s.append(time.perf_counter() - started)
    existing = rest.call("GET", f"/api/pads/{pad}/versions")["versions"]
    for number in range(len(existing), 20):
        rest.call("POST", f"/api/pads/{pad}/versions",
                  {"rev": rng.randrange(head + 1), "label": f"bench version {number}"})  # fmt: skip
    versions_s, listed = _timed(lambda: rest.call("GET", f"/api/pads/{pad}/versions"), 50)
    moment = listed["versions"][-1]["time"]
    at_s, _ = _timed(lambda: rest.call("GET", f"/api/pads/{pad}/versions/at?time={moment}"), 50)
    return {
        "bench": "history",
        "pad": pad,
        "head_rev": head,
        "timeline_ms": summary_ms(timeline_s),
        "timeline_bytes": timeline_bytes,
        "content_at_rev_ms": summary_ms(content_s),
        "revisions_page_ms": summary_ms(page_s),
        "diff_ms": summary_ms(diff_s),
        "versions_ms": summary_ms(versions_s),
        "version_at_ms": summary_ms(at_s),
    }


def print_history(result: dict[str, Any]) -> None:
    def line(name: str, key: str) -> str:
        figures = result[key]
        return (
            f"  {name}: p50 {figures['p50']} ms, p95 {figures['p95']} ms, max {figures['max']} ms"
        )

    print("\n".join([
        f"history of pad {result['pad']} ({result['head_rev']} revisions):",
        line("timeline (every revision's time and author)", "timeline_ms")
        + f", {result['timeline_bytes'] / 1e6:.1f} MB",
        line("content at a random revision (atext)", "content_at_rev_ms"),
        line("a page of 1,000 revisions", "revisions_page_ms"),
        line("diff between two random revisions", "diff_ms"),
        line("named versions (20)", "versions_ms"),
        line("the version in effect at a time", "version_at_ms"),
    ]))  # fmt: skip


# -- the command line -------------------------------------------------------------------


def add_parser(commands: Any) -> None:
    """Add `bench load` and `bench trace` to the `policypad` command's subparsers."""
    bench = commands.add_parser("bench", help="benchmark a running server (127.0.0.1 only)")
    kinds = bench.add_subparsers(dest="bench", required=True)

    def common(parser: argparse.ArgumentParser, several: bool = False) -> None:
        if several:
            parser.add_argument(
                "--url", required=True, action="append",
                help="a server, http://127.0.0.1:PORT (again for each process: authors spread)",
            )  # fmt: skip
        else:
            parser.add_argument("--url", required=True, help="the server, http://127.0.0.1:PORT")
        parser.add_argument("--api-key", default=None, help="REST API key, if the server has one")
        parser.add_argument("--token", default=None, help="JWT for every client (pad '*')")
        parser.add_argument("--seed", type=int, default=1, help="random seed")

    load = kinds.add_parser("load", help="K authors typing into one pad")
    common(load, several=True)
    load.add_argument("--authors", type=int, default=50, help="simulated authors (K)")
    load.add_argument("--pads", type=int, default=1, help="pads the authors spread over")
    load.add_argument(
        "--route",
        choices=("author", "pad"),
        default="author",
        help="with several --url: authors spread over the processes whatever their pad "
        "(author), or all authors of a pad on one process (pad)",
    )
    load.add_argument("--seconds", type=float, default=20, help="how long they type")
    load.add_argument("--pad", default=None, help="an existing pad (default: a new one)")
    load.add_argument("--server-pid", type=int, default=None, help="default: the port's owner")
    load.add_argument("--observers", type=int, default=3, help="typing observers (full clients)")
    load.add_argument(
        "--generators", type=int, default=1,
        help="load-generator processes the light authors are dealt to (one event loop "
        "reading hundreds of sockets lags, and its lag counts as latency)",
    )  # fmt: skip
    load.add_argument("--cps", type=float, default=5, help="characters per second per author")
    load.add_argument("--commit-interval", type=float, default=0.5, help="seconds between commits")
    load.add_argument("--drain", type=float, default=30, help="seconds to wait for the last acks")
    load.add_argument("--no-compression", action="store_true", help="no permessage-deflate")
    load.add_argument(
        "--jump",
        type=float,
        default=0.1,
        help="chance that an author's cursor jumps to a random place before a keystroke "
        "(1: every keystroke at an independent random place)",
    )

    trace = kinds.add_parser("trace", help="push an editing trace, then rebuild old revisions")
    common(trace)
    trace.add_argument("--trace", default=DEFAULT_TRACE, help="trace file (.json.gz)")
    trace.add_argument("--limit", type=int, default=None, help="first N edits only")
    trace.add_argument("--batch", type=int, default=100, help="edits per commit")
    trace.add_argument("--samples", type=int, default=20, help="revisions to rebuild")
    trace.add_argument("--timeout", type=float, default=60, help="seconds to wait for one ack")

    from policypad import bench_import

    bench_import.add_parser(kinds, common)
    from policypad import bench_formats

    bench_formats.add_parser(kinds, common)
    history = kinds.add_parser("history", help="time the history API on a long pad")
    common(history)
    history.add_argument("--pad", required=True, help="a pad with a long history (bench trace)")
    history.add_argument("--samples", type=int, default=50, help="random revisions and pairs")


def _client_loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop for the simulated clients, where it is installed.

    The clients share the machine's cores with the server they measure (two on the dev
    machine): on uvloop they take less of them (at 200 authors 32% against 38% of the
    machine), and their own event-loop lag, which would count as server latency, falls
    from about 10 ms to 4 ms at the p95.
    """
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def main(args: argparse.Namespace) -> int:
    """Run `policypad bench load|trace`; returns the exit status."""
    try:
        for url in args.url if isinstance(args.url, list) else [args.url]:
            check_loopback(url)
    except ValueError as error:
        print(f"policypad bench: {error}", file=sys.stderr)
        return 2
    if args.bench == "load":
        if args.authors < 1 or args.seconds <= 0:
            print("policypad bench load: --authors >= 1 and --seconds > 0", file=sys.stderr)
            return 2
        budget = args.seconds + args.drain + 60 + args.authors * 0.2
        try:
            with asyncio.Runner(loop_factory=_client_loop_factory()) as runner:
                result = runner.run(asyncio.wait_for(run_load(args), budget))
        except TimeoutError:
            print(f"policypad bench load: gave up after {budget:.0f} s", file=sys.stderr)
            return 1
        print_load(result)
    elif args.bench == "etherpad":
        from policypad import bench_import

        result = bench_import.run(args)
        bench_import.print_result(result)
    elif args.bench == "formats":
        from policypad import bench_formats

        result = bench_formats.run(args)
        bench_formats.print_result(result)
    elif args.bench == "history":
        result = run_history(args)
        print_history(result)
    else:
        result = asyncio.run(run_trace(args))
        print_trace(result)
    print(json.dumps(result))
    return 0 if result.get("converged", True) and result.get("text_matches", True) else 1
