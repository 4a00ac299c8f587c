"""A PolicyPad client in Python over a real WebSocket, for tests and the load tool.

It follows the ot.js client: one commit in flight, later local edits composed into
a buffer, remote revisions transformed against both. Local edits carry no
attributes (the server stamps the author), so the local pool is a copy of the
pad's, grown from the fragments that come with each revision.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from typing import Any

import websockets

from policypad.changeset import (
    AttributePool,
    apply_to_text,
    compose,
    follow,
    make_splice,
)


class PadClient:
    """Connect with `connect()`; edit with `splice()`; wait with `settled()`."""

    def __init__(
        self, url: str, pad_id: str, name: str = "tester", token: str | None = None
    ) -> None:
        self.url = f"{url}/ws/{pad_id}"
        self.client_id = uuid.uuid4().hex
        self.name = name
        self.token = token
        self.socket: Any = None
        self.rev = -1
        self.text = ""
        self.pool = AttributePool()
        self.inflight: str | None = None
        self.inflight_seq: int | None = None
        self.buffer: str | None = None
        self.seq = 0
        self.received: list[dict[str, Any]] = []
        self.errors: list[dict[str, Any]] = []
        self._reader: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()

    async def connect(self, rev: int | None = None) -> dict[str, Any]:
        """Open the socket and join (from scratch, or from `rev` on a reconnect)."""
        self.socket = await websockets.connect(self.url, max_size=None)
        join: dict[str, Any] = {"type": "join", "clientId": self.client_id, "name": self.name}
        if self.token is not None:
            join["token"] = self.token
        if rev is not None:
            join["rev"] = rev
        await self.socket.send(json.dumps(join))
        joined = json.loads(await self.socket.recv())
        if joined.get("type") != "joined":
            raise RuntimeError(f"join refused: {joined}")
        if rev is None:
            self.text = joined["atext"]["text"]
            self.pool = AttributePool.from_jsonable(joined["pool"])
            self.rev = joined["rev"]
        self.joined = joined
        self._reader = asyncio.create_task(self._read())
        return joined

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    async def send(self, message: dict[str, Any]) -> None:
        await self.socket.send(json.dumps(message))

    # -- local edits ----------------------------------------------------------

    async def splice(self, start: int, ndel: int, insert: str) -> None:
        """Edit the local text and send (or buffer) the change."""
        change = make_splice(self.text, start, ndel, insert)
        self.text = apply_to_text(change, self.text)
        if self.inflight is None:
            await self._send_commit(change)
        elif self.buffer is None:
            self.buffer = change
        else:
            self.buffer = compose(self.buffer, change, self.pool)

    async def _send_commit(self, change: str) -> None:
        self.seq += 1
        self.inflight, self.inflight_seq = change, self.seq
        await self.send(
            {"type": "commit", "baseRev": self.rev, "changeset": change,
             "pool": {"numToAttrib": {}, "nextNum": 0}, "seq": self.seq}
        )  # fmt: skip

    async def reconnect(self) -> None:
        """Join again from the last known revision; resend the in-flight change if the
        catch-up did not acknowledge it (same seq, so it is never applied twice)."""
        joined = await self.connect(rev=self.rev)
        await self.wait_until(lambda: self.rev >= joined["rev"])
        if self.inflight is not None:
            await self.send(
                {"type": "commit", "baseRev": self.rev, "changeset": self.inflight,
                 "pool": {"numToAttrib": {}, "nextNum": 0}, "seq": self.inflight_seq}
            )  # fmt: skip

    # -- messages from the server --------------------------------------------

    async def _read(self) -> None:
        try:
            async for raw in self.socket:
                message = json.loads(raw)
                self.received.append(message)
                await self._handle(message)
                self._changed.set()
        except websockets.ConnectionClosed:
            pass

    async def _handle(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "revision":
            for number, pair in message["pool"]["numToAttrib"].items():
                self.pool._num_to_attrib[int(number)] = tuple(pair)  # mirror the pad's numbering
                self.pool._attrib_to_num[tuple(pair)] = int(number)
                self.pool.next_num = max(self.pool.next_num, int(number) + 1)
            remote = message["changeset"]
            if self.inflight is not None:
                new_inflight = follow(remote, self.inflight, False, self.pool)
                remote = follow(self.inflight, remote, True, self.pool)
                self.inflight = new_inflight
            if self.buffer is not None:
                new_buffer = follow(remote, self.buffer, False, self.pool)
                remote = follow(self.buffer, remote, True, self.pool)
                self.buffer = new_buffer
            self.text = apply_to_text(remote, self.text)
            self.rev = message["rev"]
        elif kind == "ack":
            if message["seq"] == self.inflight_seq and self.inflight is not None:
                self.rev = message["rev"]
                self.inflight = None
                if self.buffer is not None:
                    change, self.buffer = self.buffer, None
                    await self._send_commit(change)
        elif kind == "error":
            self.errors.append(message)

    async def wait_for(self, predicate: Any, timeout_seconds: float = 10) -> dict[str, Any]:
        """Wait until a received message satisfies `predicate`; return it."""
        deadline = asyncio.get_running_loop().time() + timeout_seconds
        seen = 0
        while True:
            for message in self.received[seen:]:
                if predicate(message):
                    return message
            seen = len(self.received)
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise TimeoutError(f"no matching message; got {self.received[-5:]}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    async def wait_until(self, condition: Any, timeout_seconds: float = 10) -> None:
        """Wait until `condition()` holds (checked after every message)."""
        deadline = asyncio.get_running_loop().time() + timeout_seconds
        while not condition():
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise TimeoutError("condition not reached")
            self._changed.clear()
            if condition():
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    @property
    def idle(self) -> bool:
        return self.inflight is None and self.buffer is None
