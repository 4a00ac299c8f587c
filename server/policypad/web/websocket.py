"""The WebSocket endpoint `/ws/{padId}`: a short loop that reads, dispatches and writes.

Every message is a JSON text frame with a `type`; see the README's protocol section.
A bad message gets an `error` with a stable code and the connection stays open;
a client that sends nothing but bad messages, or more than the rate limit allows
for long, is closed (1008).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from policypad.auth import identify
from policypad.errors import ProtocolError
from policypad.hub import Hubs, Session

logger = logging.getLogger(__name__)
POLICY_VIOLATION = 1008
_COLORS = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324"]


class RateLimiter:
    """A token bucket: `rate` per second, bursts up to `burst`."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.stamp = time.monotonic()

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


async def pad_socket(websocket: WebSocket) -> None:
    """Serve one client connection on one pad."""
    hubs: Hubs = websocket.app.state.hubs
    settings = websocket.app.state.settings
    pad_id = websocket.path_params["pad_id"]
    await websocket.accept()
    session: Session | None = None
    writer: asyncio.Task[None] | None = None
    limiter = RateLimiter(settings.commits_per_second, settings.commit_burst)
    errors_in_a_row = 0
    try:
        while True:
            frame = await websocket.receive()
            if frame["type"] == "websocket.disconnect":
                break
            raw = frame.get("text")
            if raw is None and frame.get("bytes") is not None:
                raw = frame["bytes"].decode("utf-8", "replace")
            seq = None
            try:
                if raw is None or len(raw.encode("utf-8")) > settings.max_message_bytes:
                    raise ProtocolError(
                        "too_large", f"messages are limited to {settings.max_message_bytes} bytes"
                    )
                try:
                    message = json.loads(raw)
                except json.JSONDecodeError as error:
                    raise ProtocolError("bad_json", f"not JSON: {error.msg}") from None
                if not isinstance(message, dict):
                    raise ProtocolError("bad_message", "a message is a JSON object")
                seq = message.get("seq") if isinstance(message.get("seq"), int) else None
                kind = message.get("type")
                if kind == "join":
                    if session is not None:
                        raise ProtocolError("bad_message", "already joined")
                    session = await _join(websocket, hubs, settings, pad_id, message)
                    writer = asyncio.create_task(
                        _write(websocket, session, settings.broadcast_interval_ms / 1000)
                    )
                elif session is None:
                    raise ProtocolError("not_joined", "send join first")
                elif kind == "commit":
                    if not limiter.allow():
                        raise ProtocolError("rate_limited", "too many commits; resend later")
                    hub = await _hub(hubs, pad_id)
                    await hub.commit(
                        session, message.get("baseRev"), message.get("changeset"),
                        message.get("pool"), message.get("seq"),
                    )  # fmt: skip
                elif kind == "presence":
                    hub = await _hub(hubs, pad_id)
                    await hub.presence(session, message.get("rev"), message.get("selection"))
                elif kind == "chat":
                    if not limiter.allow():
                        raise ProtocolError("rate_limited", "too many messages; slow down")
                    hub = await _hub(hubs, pad_id)
                    await hub.chat(session, message.get("text"))
                elif kind == "ping":
                    session.send({"type": "pong"})
                else:
                    raise ProtocolError("unknown_type", f"unknown message type {kind!r}")
                errors_in_a_row = 0
            except ProtocolError as error:
                errors_in_a_row += 1
                reply: dict[str, Any] = {
                    "type": "error",
                    "code": error.code,
                    "message": error.message,
                }
                if seq is not None:
                    reply["seq"] = seq
                if session is not None:
                    session.send(reply)
                else:
                    await websocket.send_json(reply)
                if error.code == "unauthorized" or errors_in_a_row >= settings.abusive_errors:
                    await websocket.close(POLICY_VIOLATION)
                    break
    except WebSocketDisconnect:
        pass
    finally:
        if session is not None:
            hub = hubs.loaded(pad_id)
            if hub is not None:
                await hub.leave(session)
            session.outbox.put_nowait(None)
        if writer is not None:
            await asyncio.gather(writer, return_exceptions=True)


async def _hub(hubs: Hubs, pad_id: str):  # type: ignore[no-untyped-def]
    hub = await hubs.get(pad_id)
    if hub is None:
        raise ProtocolError("pad_not_found", f"no pad {pad_id!r}")
    return hub


async def _join(
    websocket: WebSocket, hubs: Hubs, settings: Any, pad_id: str, message: dict[str, Any]
) -> Session:
    client_id = message.get("clientId")
    if not isinstance(client_id, str) or not 0 < len(client_id) <= 100:
        client_id = uuid.uuid4().hex
    identity = identify(message.get("token"), settings.secret, pad_id, client_id)
    stored = await websocket.app.state.store.pad(pad_id)
    if stored is None:
        raise ProtocolError("pad_not_found", f"no pad {pad_id!r}")
    if stored.deleted:
        raise ProtocolError("pad_deleted", f"pad {pad_id!r} was deleted")
    hub = await _hub(hubs, pad_id)
    name = _printable(message.get("name"))
    color = _printable(message.get("color"))
    session = Session(
        client_id=client_id,
        author=f"a.{identity.user_id}",
        name=(_printable(identity.name) or name or "Anonymous")[:100],
        color=(color or _COLORS[hash(identity.user_id) % len(_COLORS)])[:20],
        can_edit=identity.can_edit,
        batch=message.get("batch") is True,
    )
    chat = await websocket.app.state.store.recent_chat(pad_id, settings.chat_history)
    await hub.join(session, message.get("rev"), chat)
    return session


MAX_BATCH = 500
"""Most messages in one frame to a batching client."""


def _printable(value: Any) -> str | None:
    """A display string without control characters (they are stored and shown to others)."""
    if not isinstance(value, str):
        return None
    cleaned = "".join(char for char in value if char.isprintable())
    return cleaned or None


def _serialized(message: Any) -> list[str]:
    """An outbox item as serialized messages (a list is a burst of them)."""
    if isinstance(message, list):
        return [item if isinstance(item, str) else json.dumps(item) for item in message]
    return [message if isinstance(message, str) else json.dumps(message)]


async def _write(websocket: WebSocket, session: Session, interval_seconds: float) -> None:
    """Send the session's outbox in order; None closes the connection.

    A client that joined with `batch` gets every message waiting in its outbox in one
    frame (a JSON array): under load a frame per message costs the server more than the
    messages themselves. It gets at most one frame per `interval_seconds`: a message
    for a client that got nothing for that long goes out at once, and what arrives
    within the interval after a frame waits for the next one::

        messages   m1      m2 m3 m4         m5                        m6
        frames     [m1]         [m2,m3,m4]  [m5]                      [m6]
                   |<-interval->|<-interval->|            quiet: at once
    """
    loop = asyncio.get_running_loop()
    next_frame = 0.0  # loop time before which this batching client gets no frame
    while True:
        message = await session.outbox.get()
        if message is None:
            with contextlib.suppress(RuntimeError):
                await websocket.close()
            return
        if session.batch:
            wait = next_frame - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)  # let what else is due gather into one frame
        closing = False
        if session.batch:
            frames = _serialized(message)
            while len(frames) < MAX_BATCH and not session.outbox.empty():
                more = session.outbox.get_nowait()
                if more is None:
                    closing = True
                    break
                frames.extend(_serialized(more))
            frame = f"[{','.join(frames)}]" if len(frames) > 1 else frames[0]
        else:
            frame = message if isinstance(message, str) else json.dumps(message)
        try:
            await websocket.send_text(frame)
        except (RuntimeError, WebSocketDisconnect):
            return
        if closing:
            with contextlib.suppress(RuntimeError):
                await websocket.close()
            return
        next_frame = loop.time() + interval_seconds
