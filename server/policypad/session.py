"""One client connection on a pad: who it is, and the bounded queue of what it is sent.

A session's identity has three parts, so that nothing another client can see lets it
act as this one::

    clientId (secret, chosen by the client, never sent to anyone else)
       └─ key = H(user, clientId)      de-duplication of (key, seq), replacing a session
            └─ public_id = H(key)      what other clients see as `clientId`

Messages wait in `outbox` as serialized JSON text; a client that stops reading fills
it, and past `max_queued_bytes` the session is cut off (close code 1013, "try again
later": the client reconnects and catches up from its revision) instead of growing.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from policypad.pad.core import Frame, Member, Outgoing

TRY_AGAIN_LATER = 1013
"""Close code for a client that fell too far behind (it may reconnect at once)."""
POLICY_VIOLATION = 1008
GOING_AWAY = 1001

Message = dict[str, Any]


def client_key(user_id: str, client_id: str) -> str:
    """The private identity of a client: its user (token subject, or "" when the server
    is open) joined with the id it chose. Never shown to other clients."""
    return hashlib.sha256(f"{user_id}\0{client_id}".encode()).hexdigest()[:32]


def public_id(key: str) -> str:
    """The id other clients see for a session: a one-way function of its key."""
    return hashlib.sha256(f"public\0{key}".encode()).hexdigest()[:16]


COLORS = ("#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324")
"""Authors' colors, for those that bring none."""


def color_of(author: str) -> str:
    """An author's color: the same in every process and after every restart."""
    digest = hashlib.sha256(author.encode()).digest()
    return COLORS[digest[0] % len(COLORS)]


def open_user_id(client_id: str) -> str:
    """A user id for a client of an open server (no tokens): derived from its secret
    clientId, so the author id everyone sees does not reveal it."""
    return "anon-" + hashlib.sha256(f"open\0{client_id}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Close:
    """Outbox item: close the connection with `code` once what precedes it is sent."""

    code: int
    reason: str = ""


OutboxItem = str | list[str] | Frame | Close


@dataclass(eq=False)
class Session(Member):
    """One client connection on a pad: the member the pad's core knows, and the bounded
    queue of what it is sent (see `send`, `deliver`)."""

    max_queued_bytes: int = 8 * 1024 * 1024
    expires_at: float | None = None
    """The token's expiry (seconds since the epoch), or None."""
    outbox: asyncio.Queue[tuple[float, OutboxItem]] = field(default_factory=asyncio.Queue)
    """(when queued, by time.monotonic(); the item)."""
    queued_bytes: int = 0
    closed: bool = False
    """No more messages are queued: the session is closing (or was cut off)."""
    presence_times: deque[float] = field(default_factory=deque)
    """When this session's recent presence updates went out (for throttling)."""
    pending_presence: Any = None
    """A presence update held back by the throttle; the newest replaces it."""
    on_cut_off: Callable[[], None] | None = None
    """Called when the session is cut off (the connection drops the socket at once)."""
    catching_up: bool = False
    """A reconnect's missed revisions are being sent a page at a time; whatever else
    is sent meanwhile waits in `deferred`, to keep the order."""
    deferred: list[str | list[str] | Frame] = field(default_factory=list)
    write_now: Callable[[str], bool] | None = None
    """Writes one frame to the connection at once, or returns False if it cannot without
    waiting (set by the shell; None: everything goes through `outbox` and its writer)."""
    writing: bool = False
    """The writer holds items it took off `outbox` and has not written yet."""
    _room: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        if not self.public_id:
            self.public_id = public_id(self.key)

    def send(self, message: Message | str) -> None:
        """Queue a message: a dict, or one already serialized (a revision sent to many)."""
        self._queue(message if isinstance(message, str) else json.dumps(message))

    def send_all(self, messages: list[Message | str]) -> None:
        """Queue messages in order; a batching client takes them as one item."""
        texts = [m if isinstance(m, str) else json.dumps(m) for m in messages]
        if self.batch:
            self._queue(texts)
        else:
            for text in texts:
                self._queue(text)

    def deliver(self, outgoing: Outgoing) -> None:
        """Queue what the pad's core decided this session is sent."""
        if isinstance(outgoing, Frame):
            self.send_frame(outgoing)
        elif isinstance(outgoing, str):
            self.send(outgoing)
        else:
            self.send_all(list(outgoing))

    def send_frame(self, frame: Frame) -> None:
        """Queue a shared frame (only for a batching session)."""
        self._queue(frame)

    def send_catch_up(self, messages: list[Message | str]) -> None:
        """Queue a page of a reconnect's missed revisions (ahead of what waits)."""
        texts = [m if isinstance(m, str) else json.dumps(m) for m in messages]
        if self.batch:
            self._queue(texts, now=True)
        else:
            for text in texts:
                self._queue(text, now=True)

    def caught_up(self) -> None:
        """The catch-up is sent: what waited meanwhile goes out now."""
        self.catching_up = False
        deferred, self.deferred = self.deferred, []
        now = time.monotonic()
        for item in deferred:  # counted in queued_bytes when deferred
            self.outbox.put_nowait((now, item))

    async def room(self) -> None:
        """Wait until the client has read most of what is queued (or the session ends)."""
        while not self.closed and self.queued_bytes > self.max_queued_bytes // 4:
            self._room.clear()
            await self._room.wait()

    def close(self, code: int, reason: str = "") -> None:
        """Close once what is queued is sent; nothing is queued after this."""
        if not self.closed:
            self.closed = True
            self.outbox.put_nowait((time.monotonic(), Close(code, reason)))

    def cut_off(self, code: int, reason: str) -> None:
        """Close now, dropping whatever waits (the client is not reading it)."""
        self.closed = True
        while not self.outbox.empty():
            self.outbox.get_nowait()
        self.deferred.clear()
        self.queued_bytes = 0
        self.outbox.put_nowait((time.monotonic(), Close(code, reason)))
        self._room.set()
        if self.on_cut_off is not None:
            self.on_cut_off()

    def taken(self, item: OutboxItem) -> None:
        """The writer took `item` off the outbox (call once per item taken)."""
        self.queued_bytes -= _size(item)
        if self.queued_bytes <= self.max_queued_bytes // 4:
            self._room.set()

    def _queue(self, item: str | list[str] | Frame, now: bool = False) -> None:
        if self.closed:
            return
        size = _size(item)
        # one message of any size may wait (a large pad's `joined`); a queue of them may not
        if self.queued_bytes and self.queued_bytes + size > self.max_queued_bytes:
            self.cut_off(TRY_AGAIN_LATER, "too far behind; reconnect")
            return
        if self.catching_up and not now:
            self.queued_bytes += size
            self.deferred.append(item)
            return
        # Nothing waits and the writer is idle: the item goes out now, as the writer would
        # send it. Most frames of a busy pad go to such clients, and waking a writer task
        # for each cost more than the write (200 authors on a pad: a sixth less CPU).
        # (A list is queued only for a batching client: one frame.)
        if (
            self.write_now is not None
            and not self.writing
            and self.outbox.empty()
            and self.write_now(one_frame([item]))
        ):
            return
        self.queued_bytes += size
        self.outbox.put_nowait((time.monotonic(), item))


def one_frame(items: list[str | list[str] | Frame]) -> str:
    """The text of one frame holding every item (a message, a list of them, or a frame
    serialized for many sessions, sent as it is when it comes alone)."""
    if len(items) == 1:
        only = items[0]
        if isinstance(only, Frame):
            return only.text
        if isinstance(only, str):
            return only
        if len(only) == 1:
            return only[0]
    parts: list[str] = []
    for item in items:
        if isinstance(item, Frame):
            parts.append(item.text[1:-1])
        elif isinstance(item, str):
            parts.append(item)
        else:
            parts.extend(item)
    return f"[{','.join(parts)}]"


def _size(item: OutboxItem) -> int:
    if isinstance(item, str):
        return len(item)
    if isinstance(item, list):
        return sum(len(text) for text in item)
    if isinstance(item, Frame):
        return len(item.text)
    return 0
