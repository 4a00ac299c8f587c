"""The simulated clients of `policypad bench load`: the full OT client (`BenchClient`)
and the light author that parses only its acks (`LightAuthor`)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import re
import string
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import websockets

from policypad.bench_common import (
    messages,
)
from policypad.changeset import (
    AttributePool,
    Builder,
    make_splice,
)
from policypad.client_state import ClientState

EMPTY_POOL = {"numToAttrib": {}, "nextNum": 0}
TYPING_CHARACTERS = string.ascii_lowercase * 3 + "     ,." + "\n"
"""What simulated authors type: mostly letters and spaces, a newline now and then."""

_ACK_RE = re.compile(r'\{"type": "ack", "seq": (-?\d+), "rev": (\d+)\}')
_REVISION_RE = re.compile(r'\{"type": "revision", "rev": (\d+)')
SAMPLE_EVERY = 4
RESEND_CODES = ("rate_limited", "storage_failed")
"""Errors after which a client sends its commit again, as the browser client does."""
RESEND_SECONDS = 0.15
"""Every author notes the arrival of every SAMPLE_EVERY-th revision (latency at every
author, at a quarter of the bookkeeping)."""


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
        builder = Builder(utf16_length(text))
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


def utf16_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


async def type_full(
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
