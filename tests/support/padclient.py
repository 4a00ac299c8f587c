"""A PolicyPad client in Python over a real WebSocket, for tests and the load tool.

The protocol state (one commit in flight, later edits buffered, remote revisions
transformed against both) is policypad.client_state.ClientState; this adds the socket.
Local edits carry no attributes (the server stamps the author), so the local pool is a
copy of the pad's, grown from the fragments that come with each revision.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from typing import Any

import websockets

from policypad.changeset import AttributePool, make_splice
from policypad.client_state import ClientState


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
        self.state = ClientState("", -1)
        self.received: list[dict[str, Any]] = []
        self.errors: list[dict[str, Any]] = []
        self._reader: asyncio.Task[None] | None = None
        self.join_extra: dict[str, Any] = {}
        """More fields for `join` (create, seed...)."""
        self._changed = asyncio.Event()

    async def connect(self, rev: int | None = None) -> dict[str, Any]:
        """Open the socket and join (from scratch, or from `rev` on a reconnect)."""
        self.socket = await websockets.connect(self.url, max_size=None)
        join: dict[str, Any] = {"type": "join", "clientId": self.client_id, "name": self.name}
        if self.token is not None:
            join["token"] = self.token
        if rev is not None:
            join["rev"] = rev
        await self.socket.send(json.dumps({**join, **self.join_extra}))
        joined = json.loads(await self.socket.recv())
        if joined.get("type") != "joined":
            await self.socket.close()
            raise RuntimeError(f"join refused: {joined}")
        if rev is None:
            pool = AttributePool.from_jsonable(joined["pool"])
            self.state = ClientState(joined["atext"]["text"], joined["rev"], pool)
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
        self.state.edit(make_splice(self.text, start, ndel, insert))
        await self._send_commit()

    async def _send_commit(self) -> None:
        commit = self.state.take_commit()
        if commit is not None:
            await self.send(commit)

    async def reconnect(self) -> None:
        """Join again from the last known revision; resend the in-flight change if the
        catch-up did not acknowledge it (same seq, so it is never applied twice)."""
        joined = await self.connect(rev=self.rev)
        await self.wait_until(lambda: self.rev >= joined["rev"])
        commit = self.state.commit_message()
        if commit is not None:
            await self.send(commit)

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
            self.state.remote(message)
        elif kind == "ack":
            if self.state.ack(message):
                await self._send_commit()
        elif kind == "error":
            self.errors.append(message)
            resend = message.get("code") in ("storage_failed", "rate_limited")
            if resend and message.get("seq") == self.state.inflight_seq:
                # refused, not lost: the same commit (same seq) goes again
                commit = self.state.commit_message()
                if commit is not None:
                    await asyncio.sleep(0.05)
                    await self.send(commit)

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
    def public_id(self) -> str:
        """The id other clients see for this one."""
        return str(self.joined["you"]["clientId"])

    @property
    def author(self) -> str:
        return str(self.joined["you"]["author"])

    @property
    def idle(self) -> bool:
        return self.state.idle

    @property
    def text(self) -> str:
        return self.state.text

    @property
    def rev(self) -> int:
        return self.state.rev
