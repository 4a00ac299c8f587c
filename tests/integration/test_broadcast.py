"""Frames to batching clients: at most one per broadcast interval, none held back when
the client is quiet, every message in order (POLICYPAD_BROADCAST_INTERVAL_MS)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import websockets

from tests.support.padclient import PadClient
from tests.support.server import ServerProcess

pytestmark = pytest.mark.asyncio
INTERVAL_SECONDS = 0.4
"""Long, so that what the interval holds back is told apart from scheduling noise."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(
        tmp_path_factory.mktemp("server"),
        env={
            "POLICYPAD_COMMITS_PER_SECOND": "1000",
            "POLICYPAD_BROADCAST_INTERVAL_MS": str(INTERVAL_SECONDS * 1000),
        },
    ).start()
    yield process
    process.stop()


class BatchingObserver:
    """A raw client that joins with `batch` and records each frame with its arrival time."""

    def __init__(self, url: str, pad: str, client_id: str = "observer") -> None:
        self.url = f"{url}/ws/{pad}"
        self.client_id = client_id
        self.frames: list[tuple[float, list[dict[str, Any]]]] = []
        self.closed = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        self.socket = await websockets.connect(self.url)
        await self.socket.send(
            json.dumps({"type": "join", "clientId": self.client_id, "batch": True})
        )
        self._reader = asyncio.create_task(self._read())
        await self.wait_for(lambda m: m["type"] == "joined")

    async def _read(self) -> None:
        try:
            async for raw in self.socket:
                data = json.loads(raw)
                self.frames.append((time.monotonic(), data if isinstance(data, list) else [data]))
        except websockets.ConnectionClosed:
            pass
        self.closed.set()

    @property
    def messages(self) -> list[dict[str, Any]]:
        return [message for _, frame in self.frames for message in frame]

    async def wait_for(self, predicate: Any, timeout_seconds: float = 10) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline:
            for message in self.messages:
                if predicate(message):
                    return message
            await asyncio.sleep(0.005)
        raise TimeoutError(f"no matching message in {self.messages[-5:]}")

    async def close(self) -> None:
        await self.socket.close()
        if self._reader is not None:
            await self._reader


async def test_a_burst_reaches_a_batching_client_in_fewer_frames_in_order(
    server: ServerProcess, pad: str
) -> None:
    observer = BatchingObserver(server.ws, pad)
    await observer.connect()
    authors = [PadClient(server.ws, pad, f"author{n}") for n in range(6)]
    for author in authors:
        await author.connect()
    await asyncio.sleep(2 * INTERVAL_SECONDS)  # the user-joined messages are out
    before = len(observer.frames)
    await asyncio.gather(*(author.splice(0, 0, str(n)) for n, author in enumerate(authors)))
    for author in authors:
        await author.wait_until(lambda a=author: a.idle and a.rev == 6)
    await observer.wait_for(lambda m: m["type"] == "revision" and m["rev"] == 6)
    frames = observer.frames[before:]
    revisions = [m for _, frame in frames for m in frame if m["type"] == "revision"]
    assert [m["rev"] for m in revisions] == [1, 2, 3, 4, 5, 6]
    # the first revision went out at once, the rest waited for one more frame
    assert len(frames) < len(revisions)
    times = [when for when, _ in frames]
    assert all(b - a >= INTERVAL_SECONDS * 0.9 for a, b in itertools.pairwise(times))
    # the authors did not ask for batches: one message per frame (PadClient reads no
    # arrays), every revision in order
    for author in authors:
        revs = [m["rev"] for m in author.received if m["type"] in ("revision", "ack")]
        assert revs == sorted(revs) and len(revs) == 6
    assert {author.text for author in authors} == {authors[0].text}
    for author in authors:
        await author.close()
    await observer.close()


async def test_a_revision_on_a_quiet_pad_is_not_held_back(server: ServerProcess, pad: str) -> None:
    observer = BatchingObserver(server.ws, pad)
    await observer.connect()
    alice = PadClient(server.ws, pad, "Alice")
    await alice.connect()
    await asyncio.sleep(2 * INTERVAL_SECONDS)
    sent = time.monotonic()
    await alice.splice(0, 0, "x")
    await observer.wait_for(lambda m: m["type"] == "revision" and m["rev"] == 1)
    arrived = next(when for when, frame in observer.frames if frame[-1].get("rev") == 1)
    assert arrived - sent < INTERVAL_SECONDS / 2
    await alice.close()
    await observer.close()


async def test_messages_before_a_close_still_arrive_in_order(
    server: ServerProcess, pad: str
) -> None:
    first = BatchingObserver(server.ws, pad, client_id="same")
    await first.connect()
    await asyncio.sleep(2 * INTERVAL_SECONDS)
    alice = PadClient(server.ws, pad, "Alice")
    await alice.connect()  # user-joined goes out at once, so the next frame must wait
    await first.wait_for(lambda m: m["type"] == "user-joined")
    await alice.splice(0, 0, "x")
    await alice.wait_until(lambda: alice.idle)
    second = BatchingObserver(server.ws, pad, client_id="same")
    await second.connect()  # replaces the first connection: error, then close
    await asyncio.wait_for(first.closed.wait(), 10)
    kinds = [m["type"] for m in first.messages]
    assert kinds[-2:] == ["revision", "error"] and first.messages[-1]["code"] == "replaced"
    await alice.close()
    await second.close()
    await first.close()


@pytest.fixture(scope="module")
def unpaced_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """The default: no broadcast interval, every frame goes out at once."""
    process = ServerProcess(
        tmp_path_factory.mktemp("unpaced"), env={"POLICYPAD_COMMITS_PER_SECOND": "1000"}
    ).start()
    yield process
    process.stop()


async def test_revisions_stored_together_go_out_in_order_with_each_authors_ack(
    unpaced_server: ServerProcess,
) -> None:
    """Commits that arrive together are stored in one transaction and published as one
    burst: every client still gets every revision once, in order, with its own as an ack."""
    pad = "burst"
    response = httpx.post(f"{unpaced_server.http}/api/pads", json={"id": pad, "text": "x"})
    assert response.status_code == 201
    observer = BatchingObserver(unpaced_server.ws, pad)
    await observer.connect()
    authors = [PadClient(unpaced_server.ws, pad, f"author{n}") for n in range(12)]
    for author in authors:
        await author.connect()
    for round_number in range(3):
        await asyncio.gather(
            *(author.splice(0, 0, f"{round_number}{n}") for n, author in enumerate(authors))
        )
        head = 12 * (round_number + 1)
        for author in authors:
            await author.wait_until(lambda a=author, h=head: a.idle and a.rev == h)
    await observer.wait_for(lambda m: m["type"] == "revision" and m["rev"] == 36)
    assert [m["rev"] for m in observer.messages if m["type"] == "revision"] == list(range(1, 37))
    for author in authors:
        kinds = [(m["type"], m["rev"]) for m in author.received if m["type"] in ("revision", "ack")]
        assert [rev for _, rev in kinds] == list(range(1, 37))
        assert sum(kind == "ack" for kind, _ in kinds) == 3
    assert len({author.text for author in authors}) == 1
    for author in authors:
        await author.close()
    await observer.close()


async def test_a_busy_pad_sends_one_frame_a_tick_the_same_to_every_reader(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Past 50 sessions revisions go out once per tick: the readers (who wrote none of
    them) get byte-identical frames; the authors get their acks in place of their own
    revisions; everyone gets every revision once, in order."""
    server = ServerProcess(
        tmp_path_factory.mktemp("busy"), env={"POLICYPAD_COMMITS_PER_SECOND": "1000"}
    ).start()
    try:
        pad = "busy"
        httpx.post(f"{server.http}/api/pads", json={"id": pad, "text": "start"})
        raw: dict[str, list[str]] = {}

        async def reader(number: int) -> Any:
            socket = await websockets.connect(f"{server.ws}/ws/{pad}")
            await socket.send(json.dumps({"type": "join", "clientId": f"r{number}", "batch": True}))
            frames = raw.setdefault(f"r{number}", [])

            async def read() -> None:
                with contextlib.suppress(websockets.ConnectionClosed):
                    async for frame in socket:
                        frames.append(frame)

            return socket, asyncio.create_task(read())

        readers = [await reader(number) for number in range(55)]
        authors = [PadClient(server.ws, pad, f"a{n}") for n in range(4)]
        for author in authors:
            await author.connect()
        for round_ in range(5):
            await asyncio.gather(*(a.splice(0, 0, f"{n}{round_}") for n, a in enumerate(authors)))
            for author in authors:
                await author.wait_until(lambda a=author: a.idle)
        head = httpx.get(f"{server.http}/api/pads/{pad}").json()["rev"]
        assert head == 20
        await asyncio.sleep(0.3)
        revision_frames = []
        for name, frames in raw.items():
            revisions = [
                message["rev"]
                for frame in frames
                for message in (json.loads(frame) if frame.startswith("[") else [json.loads(frame)])
                if message["type"] == "revision"
            ]
            assert revisions == list(range(1, 21)), name
            revision_frames.append([frame for frame in frames if '"revision"' in frame])
        # every reader got the revisions in the same frames, byte for byte
        assert all(frames == revision_frames[0] for frames in revision_frames)
        assert len(revision_frames[0]) <= 20
        for author in authors:
            kinds = [
                (m["type"], m["rev"]) for m in author.received if m["type"] in ("revision", "ack")
            ]
            assert [rev for _, rev in kinds] == list(range(1, 21))
            assert sum(kind == "ack" for kind, _ in kinds) == 5
        assert {author.text for author in authors} == {authors[0].text}
        # idle readers got their frames written at once, not through their writer task
        # (which times each frame in the broadcast latency histogram)
        queued = sum(
            float(line.split()[-1])
            for line in httpx.get(f"{server.http}/metrics").text.splitlines()
            if line.startswith("policypad_broadcast_latency_seconds_count")
        )
        assert queued < sum(len(frames) for frames in raw.values()) / 2
        for author in authors:
            await author.close()
        for socket, task in readers:
            await socket.close()
            await task
    finally:
        server.stop()
