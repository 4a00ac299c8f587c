"""What every `policypad bench` shares: figures, the loopback check, the REST calls,
the server process seen through /proc, and the clients' event loop."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

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


def client_loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
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
