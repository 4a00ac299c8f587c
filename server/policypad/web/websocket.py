"""The WebSocket endpoint `/ws/{padId}`: a short loop that reads, checks, dispatches.

Every frame is decoded and checked by `policypad.protocol` before anything happens; a
bad one gets an `error` with a stable code and the connection stays open. A client is
closed (1008) when it has sent more bad frames than its error allowance, which only
time refills, and when its token expires; a socket that never joins is closed after
`join_timeout_seconds`. See the README's protocol section.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import Frame as WireFrame
from websockets.frames import Opcode
from websockets.protocol import State

from policypad import metrics
from policypad.auth import Identity, identify
from policypad.errors import ImageRefused, ProtocolError
from policypad.hub import PadHub, error_message
from policypad.hubs import Hubs
from policypad.pad.create import is_pad_id
from policypad.protocol import Chat, Commit, Join, Ping, Presence, decode_client_message
from policypad.session import (
    POLICY_VIOLATION,
    Close,
    Session,
    client_key,
    color_of,
    one_frame,
)
from policypad.settings import Settings
from policypad.web.origins import origin_allowed

logger = logging.getLogger("policypad.connection")
INTERNAL_ERROR = 1011
MAX_BATCH = 500
"""Most messages in one frame to a batching client."""


class RateLimiter:
    """A token bucket: `rate` per second, bursts up to `burst`."""

    def __init__(self, rate: float, burst: float) -> None:
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


class _Connection:
    """One WebSocket's state: its session once joined, its limits, what it did."""

    def __init__(self, websocket: WebSocket, settings: Settings) -> None:
        self.websocket = websocket
        self.settings = settings
        self.pad_id: str = websocket.path_params["pad_id"]
        self.session: Session | None = None
        self.writer: asyncio.Task[None] | None = None
        self.expiry: asyncio.TimerHandle | None = None
        self.commits = RateLimiter(settings.commits_per_second, settings.commit_burst)
        # never below the commit limit: commits are refused by their own limit, with
        # their seq (the client resends them), not by this one
        frames = max(settings.messages_per_second, 2 * settings.commits_per_second)
        self.frames = RateLimiter(frames, 2 * frames)
        self.error_allowance = RateLimiter(settings.errors_per_second, settings.abusive_errors)
        self.started = time.monotonic()
        self.frames_in = 0
        self.errors = 0
        self.close_reason = "client left"


async def pad_socket(websocket: WebSocket) -> None:
    """Serve one client connection on one pad."""
    settings: Settings = websocket.app.state.settings
    if not origin_allowed(websocket.headers.get("origin"), websocket.headers.get("host"), settings):
        metrics.CLOSED.labels("origin").inc()
        logger.warning(
            "refused a WebSocket from origin %r", websocket.headers.get("origin"),
            extra={"pad": websocket.path_params["pad_id"], "code": "origin"},
        )  # fmt: skip
        await websocket.close(POLICY_VIOLATION)  # before accepting: the handshake gets 403
        return
    await websocket.accept()
    connection = _Connection(websocket, settings)
    metrics.CONNECTIONS.inc()
    try:
        await _serve(connection)
    except WebSocketDisconnect:
        pass
    except Exception:
        logger.exception("connection failed", extra={"pad": connection.pad_id})
        connection.close_reason = "internal error"
        metrics.CLOSED.labels("internal").inc()
        reply = error_message("internal", "the server failed; try again later")
        with contextlib.suppress(Exception):
            if connection.session is not None:
                connection.session.send(reply)
                connection.session.close(INTERNAL_ERROR, "internal error")
            elif await _send(websocket, json.dumps(reply)):
                await _close(websocket, Close(INTERNAL_ERROR))
    finally:
        metrics.CONNECTIONS.dec()
        await _finish(connection)


async def _serve(connection: _Connection) -> None:
    websocket, settings = connection.websocket, connection.settings
    hubs: Hubs = websocket.app.state.hubs
    while True:
        if connection.session is None:
            try:
                frame = await asyncio.wait_for(websocket.receive(), settings.join_timeout_seconds)
            except TimeoutError:
                connection.close_reason = "no join in time"
                metrics.CLOSED.labels("join_timeout").inc()
                if await _send(
                    websocket, json.dumps(error_message("not_joined", "join timed out"))
                ):
                    await _close(websocket, Close(POLICY_VIOLATION))
                return
        else:
            frame = await websocket.receive()
        if frame["type"] == "websocket.disconnect":
            return
        connection.frames_in += 1
        seq = None
        try:
            raw = frame.get("text")
            if raw is None:
                raw = frame.get("bytes") or b""
            if len(raw) > settings.max_message_bytes or (
                isinstance(raw, str)
                and len(raw.encode("utf-8", "surrogatepass")) > settings.max_message_bytes
            ):
                raise ProtocolError(
                    "too_large", f"messages are limited to {settings.max_message_bytes} bytes"
                )
            if not connection.frames.allow():
                raise ProtocolError("rate_limited", "too many messages; slow down")
            try:
                message = decode_client_message(raw)
            except ProtocolError:
                metrics.FRAMES_REJECTED.inc()
                raise
            if isinstance(message, Commit):
                seq = message.seq
            await _dispatch(connection, hubs, message)
        except ProtocolError as error:
            if not await _refuse(connection, error, seq if seq is not None else error.seq):
                return


async def _dispatch(connection: _Connection, hubs: Hubs, message: Any) -> None:
    session = connection.session
    if isinstance(message, Join):
        if session is not None:
            raise ProtocolError("bad_message", "already joined")
        await _join(connection, hubs, message)
        return
    if session is None:
        raise ProtocolError("not_joined", "send join first")
    _check_token(connection)
    if isinstance(message, Ping):
        session.send({"type": "pong"})
        return
    hub = await _hub(hubs, connection.pad_id)
    if isinstance(message, Commit):
        if not connection.commits.allow():
            raise ProtocolError("rate_limited", "too many commits; resend later")
        await hub.commit(session, message)
    elif isinstance(message, Presence):
        await hub.presence(session, message)
    elif isinstance(message, Chat):
        if not connection.commits.allow():
            raise ProtocolError("rate_limited", "too many messages; slow down")
        await hub.chat(session, message.text)


async def _refuse(connection: _Connection, error: ProtocolError, seq: int | None) -> bool:
    """Send the error; return False if the connection is closed for it."""
    connection.errors += 1
    metrics.ERRORS.labels(error.code).inc()
    reply = error_message(error.code, error.message, seq)
    closing = error.code in ("unauthorized", "token_expired", "pad_deleted")
    # pacing (rate_limited) and the server's own trouble (storage_failed) are no fault of
    # the client's: they do not count against its allowance of bad messages
    blameless = error.code in ("rate_limited", "storage_failed")
    if not blameless and not connection.error_allowance.allow():
        closing = True
        reply = error_message("too_many_errors", "too many bad messages; closing")
    if connection.session is not None:
        connection.session.send(reply)
        if closing:
            connection.close_reason = error.code
            metrics.CLOSED.labels(error.code).inc()
            connection.session.close(POLICY_VIOLATION, error.code)
            return False
        return True
    if not await _send(connection.websocket, json.dumps(reply)):
        return False  # the connection is gone (the server closed it on a bad frame)
    if closing:
        connection.close_reason = error.code
        metrics.CLOSED.labels(error.code).inc()
        await _close(connection.websocket, Close(POLICY_VIOLATION))
        return False
    return True


def _check_token(connection: _Connection) -> None:
    session = connection.session
    if session is not None and session.expires_at is not None and time.time() >= session.expires_at:
        raise ProtocolError("token_expired", "the token has expired; join again with a new one")


async def _hub(hubs: Hubs, pad_id: str) -> PadHub:
    hub = await hubs.get(pad_id)
    if hub is None:
        raise ProtocolError("pad_not_found", f"no pad {pad_id!r}")
    return hub


async def _join(connection: _Connection, hubs: Hubs, message: Join) -> None:
    settings = connection.settings
    client_id = message.client_id or uuid.uuid4().hex
    identity = identify(message.token, settings.secret, connection.pad_id, client_id)
    if message.create and await hubs.get(connection.pad_id) is None:
        await _create(connection, hubs, identity, message.seed)
    hub = await _hub(hubs, connection.pad_id)
    name = identity.name if identity.authenticated else _printable(message.name)
    color = _printable(message.color)
    session = Session(
        key=client_key(identity.user_id if identity.authenticated else "", client_id),
        author=f"a.{identity.user_id}",
        name=(_printable(name) or "Anonymous")[:100],
        color=(color or color_of(identity.user_id))[:20],
        can_edit=identity.can_edit,
        batch=message.batch,
        max_queued_bytes=settings.max_queued_bytes,
        expires_at=identity.expires_at,
    )
    if settings.broadcast_interval_ms <= 0:
        session.write_now = _writer_at_once(connection.websocket)
    connection.session = session
    connection.writer = asyncio.create_task(
        _write(connection.websocket, session, settings.broadcast_interval_ms / 1000)
    )
    session.on_cut_off = lambda: _cut_off(connection)
    try:
        await hub.join(session, message.rev)
    except BaseException:
        # refused: the error goes out on the socket itself (the writer sent nothing yet)
        connection.session = None
        session.closed = True
        connection.writer.cancel()
        await asyncio.gather(connection.writer, return_exceptions=True)
        connection.writer = None
        raise
    metrics.SESSIONS.inc()
    if session.expires_at is not None:
        connection.expiry = asyncio.get_running_loop().call_later(
            max(0.0, session.expires_at - time.time()), _expire, connection
        )


async def _create(
    connection: _Connection, hubs: Hubs, identity: Identity, seed: str | None
) -> None:
    """Create the pad a join asked for, from the joining editor's HTML (sanitized like any
    HTML). Two joins creating one pad at once: the first one's content is kept."""
    if not identity.can_create:
        raise ProtocolError(
            "pad_not_found", f"no pad {connection.pad_id!r} (and no right to create it)"
        )
    if not is_pad_id(connection.pad_id):
        raise ProtocolError("bad_message", "a pad id is 1-100 letters, digits, '_', '-', '.'")
    app = connection.websocket.app
    try:
        # the seed's data: images (an editor's pasted pictures) are kept with the pad
        document = await app.state.images.document_from_html(
            connection.pad_id, seed or "", app.state.schema
        )
    except ImageRefused as refused:
        raise ProtocolError(refused.code, f"seed: {refused.message}") from None
    except ValueError as error:  # nested too deep
        raise ProtocolError("bad_message", f"seed: {error}") from None
    if await hubs.create(connection.pad_id, document, f"a.{identity.user_id}"):
        logger.info("pad created by a join", extra={"pad": connection.pad_id})


def _cut_off(connection: _Connection) -> None:
    """The client fell too far behind (it is not reading): drop the connection now."""
    connection.close_reason = "not reading"
    metrics.CLOSED.labels("slow_client").inc()
    if connection.writer is not None:
        connection.writer.cancel()
    _abort(connection.websocket)


def _expire(connection: _Connection) -> None:
    """The token ran out while connected: the session ends (the client may join again
    with a new token and its unsaved edits)."""
    session = connection.session
    if session is not None and not session.closed:
        session.send(error_message("token_expired", "the token has expired; join again"))
        session.close(POLICY_VIOLATION, "token expired")
        connection.close_reason = "token expired"
        metrics.CLOSED.labels("token_expired").inc()


async def _finish(connection: _Connection) -> None:
    session = connection.session
    if connection.expiry is not None:
        connection.expiry.cancel()
    if session is not None:
        metrics.SESSIONS.dec()
        hub = connection.websocket.app.state.hubs.loaded(connection.pad_id)
        if hub is not None:
            await hub.leave(session)
        session.close(1000)
    if connection.writer is not None:
        await asyncio.gather(connection.writer, return_exceptions=True)
    logger.info(
        "connection closed",
        extra={
            "pad": connection.pad_id,
            "client": session.public_id if session else None,
            "author": session.author if session else None,
            "seconds": round(time.monotonic() - connection.started, 3),
            "frames": connection.frames_in,
            "errors": connection.errors,
            "reason": connection.close_reason,
        },
    )


def _printable(value: Any) -> str | None:
    """A display string without control characters (they are stored and shown to others)."""
    if not isinstance(value, str):
        return None
    cleaned = "".join(char for char in value if char.isprintable()).strip()
    return cleaned or None


async def _write(websocket: WebSocket, session: Session, interval_seconds: float) -> None:
    """Send the session's outbox in order; a Close item closes the connection.

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
        session.writing = False
        queued_at, item = await session.outbox.get()
        session.writing = True
        session.taken(item)
        if isinstance(item, Close):
            await _close(websocket, item)
            return
        if session.batch:
            wait = next_frame - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)  # let what else is due gather into one frame
        closing: Close | None = None
        if session.batch:
            items = [item]
            while len(items) < MAX_BATCH and not session.outbox.empty():
                _, more = session.outbox.get_nowait()
                session.taken(more)
                if isinstance(more, Close):
                    closing = more
                    break
                items.append(more)
            if not await _send(websocket, one_frame(items)):
                return
        else:
            for text in [item] if isinstance(item, str) else item:
                if not await _send(websocket, text):
                    return
        metrics.BROADCAST_LATENCY.observe(time.monotonic() - queued_at)
        if closing is not None:
            await _close(websocket, closing)
            return
        next_frame = loop.time() + interval_seconds


async def _send(websocket: WebSocket, text: str) -> bool:
    """Write one frame; False if the connection is gone."""
    try:
        await websocket.send_text(text)
    except (RuntimeError, WebSocketDisconnect, OSError):
        return False
    return True


def _writer_at_once(websocket: WebSocket) -> Callable[[str], bool] | None:
    """A function that writes a frame straight to the connection if it can take it
    without waiting (else returns False), or None if the server is not uvicorn's
    sans-I/O WebSocket protocol (then every frame goes through the writer task).

    It does what that protocol's ASGI `send` does for a text frame, minus the wait for
    a writable socket: `Session` uses it for an idle client (nothing queued), which is
    most clients of a busy pad, most of the time. Such a frame waited for nothing, so
    `policypad_broadcast_latency_seconds` does not count it.
    """
    protocol = getattr(websocket.scope.get(RAW_SEND), "__self__", None)
    if not isinstance(protocol, WebSocketsSansIOProtocol):
        return None
    connection = protocol.conn

    def write(text: str) -> bool:
        if (
            protocol.close_sent
            or protocol.disconnected
            or not protocol.writable.is_set()
            or protocol.transport.is_closing()
            or connection.state is not State.OPEN
            or connection.expect_continuation_frame
        ):
            return False
        if connection.extensions:  # compressed: each connection's own bytes
            connection.send_text(text.encode())
            protocol.transport.write(b"".join(connection.data_to_send()))
        else:
            protocol.transport.write(_text_frame(text))
        return True

    return write


@lru_cache(maxsize=4)
def _text_frame(text: str) -> bytes:
    """A server's text frame with no extension: unmasked, so the same bytes on every
    connection. A tick's frame, shared by every idle client of a pad, is built once."""
    return WireFrame(Opcode.TEXT, text.encode()).serialize(mask=False)


def _abort(websocket: WebSocket) -> None:
    """Drop the TCP connection at once, unsent data and all.

    For a client that stopped reading: its socket buffer is full, so a close frame would
    wait behind it forever (and so would the writer). ASGI offers no abort; the server's
    protocol object behind its own `send` callable has the transport (see
    `RawSendMiddleware`).
    """
    protocol = getattr(websocket.scope.get(RAW_SEND), "__self__", None)
    transport = getattr(protocol, "transport", None)
    if transport is not None:
        transport.abort()


RAW_SEND = "policypad.raw_send"


class RawSendMiddleware:
    """Keeps the server's own `send` callable of a WebSocket in its scope (the outermost
    middleware, before others wrap it), so that `_abort` can reach its connection."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            scope[RAW_SEND] = send
        await self.app(scope, receive, send)


async def _close(websocket: WebSocket, close: Close) -> None:
    with contextlib.suppress(RuntimeError, WebSocketDisconnect, OSError):
        await websocket.close(close.code, close.reason)
