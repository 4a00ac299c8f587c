"""More than one load-generator process for `policypad bench load --generators N`.

At 500 authors one generator process lags: its event loop, reading 500 sockets that each
get every revision, answers 100 to 200 ms late at the p95, and that lag counts as the
server's latency. With N generators the light authors are dealt round-robin to N
processes (this one and N-1 workers); each worker runs its authors and a tracker per pad
(the text they type into), and hands back what it measured. Times are
`time.perf_counter()`, which on Linux is the system-wide monotonic clock, so a commit
sent by one process and its revision's arrival at another compare::

    parent ── spec ──> worker: connect its authors ── "ready" ──> parent
    parent ── start, end ──> worker: type, drain ── measurements ──> parent (merged)
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import random
import sys
import time
from typing import Any

WORKER_CODE = "from policypad.bench_generators import worker_main; worker_main()"


class Worker:
    """A generator process, seen from the parent."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, spec: dict[str, Any]) -> Worker:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", WORKER_CODE,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            limit=1 << 30,  # the measurements come as one line of tens of megabytes
        )  # fmt: skip
        worker = cls(process)
        await worker._send(spec)
        return worker

    async def ready(self) -> None:
        """Wait until its authors are connected."""
        answer = await self._receive()
        if answer.get("ready") is not True:
            raise RuntimeError(f"a load-generator worker failed: {answer}")

    async def go(self, start: float, end: float) -> None:
        await self._send({"start": start, "end": end})

    async def result(self) -> dict[str, Any]:
        answer = await self._receive()
        await self.process.wait()
        return answer

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()

    async def _send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message).encode() + b"\n")
        await self.process.stdin.drain()

    async def _receive(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = await self.process.stdout.readline()
        if not line:
            raise RuntimeError("a load-generator worker exited early")
        answer: dict[str, Any] = json.loads(line)
        return answer


def merge(timings: Any, result: dict[str, Any]) -> list[tuple[str, int, float]]:
    """Add a worker's measurements to the parent's `timings`; return its authors'
    arrivals (pad, rev, when)."""
    timings.commits += result["commits"]
    timings.ack.extend(result["ack"])
    timings.errors.extend(result["errors"])
    for pad_id, rev, sent in result["rev_sent"]:
        timings.rev_sent[(pad_id, rev)] = sent
    return [(pad_id, rev, when) for pad_id, rev, when in result["arrivals"]]


def worker_main() -> None:
    """A worker process: read the spec from stdin, run, print the measurements."""
    from policypad.bench_common import client_loop_factory

    spec = json.loads(sys.stdin.readline())
    with asyncio.Runner(loop_factory=client_loop_factory()) as runner:
        runner.run(_work(spec))


async def _work(spec: dict[str, Any]) -> None:
    from policypad.bench_clients import BenchClient, LightAuthor, Timings, Tracker
    from policypad.bench_load import gather_in_batches

    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    timings = Timings()
    compression = spec["compression"]
    trackers = {
        pad_id: BenchClient(ws_url, pad_id, None, name="tracker", token=spec["token"],
                            compression=compression)
        for pad_id, ws_url in spec["trackers"].items()
    }  # fmt: skip
    authors = [
        LightAuthor(author["ws_url"], author["pad_id"], Tracker(trackers[author["pad_id"]]),
                    timings, random.Random(author["seed"]), token=spec["token"],
                    compression=compression, jump=spec["jump"])
        for author in spec["authors"]
    ]  # fmt: skip
    await gather_in_batches([tracker.connect for tracker in trackers.values()], 25)
    await gather_in_batches([author.connect for author in authors], 25)
    _say({"ready": True})
    go = json.loads(await reader.readline())
    start, end = go["start"], go["end"]
    timings.window = (start, end)
    cpu_0 = time.process_time()
    gc.collect()
    gc.freeze()
    gc.disable()  # as in the parent: its own pauses must not count as the server's
    try:
        await asyncio.gather(*(
            author.type_until(start, end, spec["cps"], spec["commit_interval"])
            for author in authors
        ))  # fmt: skip
    finally:
        gc.enable()
        gc.unfreeze()
    cpu = time.process_time() - cpu_0
    deadline = time.perf_counter() + spec["drain"]
    for author in authors:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(author.acked.wait(), max(0.01, deadline - time.perf_counter()))
    received = sum(author.received for author in authors)
    await gather_in_batches(
        [tracker.close for tracker in trackers.values()] + [a.close for a in authors], 100
    )
    _say({
        "commits": timings.commits, "ack": timings.ack, "errors": timings.errors,
        "rev_sent": [[pad_id, rev, sent] for (pad_id, rev), sent in timings.rev_sent.items()],
        "arrivals": [arrival for author in authors for arrival in author.arrivals],
        "received": received, "cpu_seconds": cpu,
    })  # fmt: skip


def _say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()
