"""The hub: one per open pad, it orders commits and fans revisions out to sessions.

Commits on a pad are serialized by the hub's lock: each is rebased onto the head,
becomes head+1 in memory and is queued for a durable write (group commit). A
publisher task then waits for each write in revision order and only then sends
the ack to the author and the revision to everyone else, so nothing unstored is
ever acknowledged or broadcast::

    commit ─> lock: rebase, head+1, queue write ─> publisher: await write ─> ack / revision
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from policypad.changeset import (
    AText,
    AttributePool,
    ChangesetError,
    apply_to_atext,
    character_range_follow,
)
from policypad.changeset.changeset import unpack
from policypad.changeset.op import attrib_numbers
from policypad.errors import ProtocolError
from policypad.pad import PadState, Revision
from policypad.settings import Settings
from policypad.storage import RevisionStore

logger = logging.getLogger(__name__)
RECENT_REVISIONS = 1000
"""Revisions a hub keeps in memory for rebasing and catch-up."""
RECENT_COMMITS = 10_000
"""(clientId, seq) pairs a hub remembers before asking the database."""
KNOWN_CLIENTS = 100_000
"""Clients whose highest committed seq a hub remembers (see `PadHub._committed`)."""


Outgoing = dict[str, Any] | str | list[dict[str, Any] | str] | None


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass(eq=False)
class Session:
    """One client connection on a pad. Messages for it go to `outbox`."""

    client_id: str
    author: str
    name: str
    color: str
    can_edit: bool
    batch: bool = False
    """The client reads a frame holding a JSON array of messages (it said so in `join`)."""
    outbox: asyncio.Queue[Outgoing] = field(default_factory=asyncio.Queue)
    """Messages in order: a dict, a serialized message, a list of those (a burst for a
    batching client), or None (close the connection)."""
    known_rev: int = -1
    selection: dict[str, int] | None = None

    def send(self, message: dict[str, Any] | str) -> None:
        """Queue a message: a dict, or one already serialized (a revision sent to many)."""
        self.outbox.put_nowait(message)

    def send_all(self, messages: list[dict[str, Any] | str]) -> None:
        """Queue messages in order; a batching client takes them as one item."""
        if self.batch:
            self.outbox.put_nowait(messages)
        else:
            for message in messages:
                self.outbox.put_nowait(message)

    def describe(self) -> dict[str, Any]:
        """The user-list entry for this session."""
        user = {
            "clientId": self.client_id,
            "author": self.author,
            "name": self.name,
            "color": self.color,
        }
        if self.selection is not None:
            user["selection"] = self.selection
        return user


def pool_fragment(changeset: str, pool: AttributePool) -> dict[str, Any]:
    """The part of the pool a changeset cites, in the pool's JSON form."""
    numbers = sorted({num for op in unpack(changeset).ops for num in attrib_numbers(op.attribs)})
    return {
        "numToAttrib": {str(num): list(pool.get_attrib(num)) for num in numbers},
        "nextNum": pool.next_num,
    }


class PadHub:
    """Serializes one pad's commits and publishes them. Create with `Hubs.get`."""

    def __init__(self, store: RevisionStore, state: PadState, settings: Settings) -> None:
        self.store = store
        self.state = state
        self.settings = settings
        self.lock = asyncio.Lock()
        self.sessions: dict[str, Session] = {}
        self.history: OrderedDict[int, Revision] = OrderedDict()
        self.commits: OrderedDict[tuple[str, int], int] = OrderedDict()
        # clientId -> the highest seq it has committed on this pad (stored or queued), or
        # -1: a commit with a higher seq is new, so the hot path never asks the database
        self.max_seq: OrderedDict[str, int] = OrderedDict()
        self.chat_count = 0
        self.failed = False
        self._publish: asyncio.Queue[tuple[Any, ...]] = asyncio.Queue()
        self._publisher = asyncio.create_task(self._run_publisher(), name=f"publish-{state.pad_id}")

    @property
    def pad_id(self) -> str:
        return self.state.pad_id

    async def close(self) -> None:
        await self._publish.join()
        self._publisher.cancel()

    # -- revisions ----------------------------------------------------------

    async def _revisions(self, after: int, upto: int) -> list[Revision]:
        """Revisions after+1..upto, from memory where possible."""
        wanted = range(after + 1, upto + 1)
        if all(rev in self.history for rev in wanted):
            return [self.history[rev] for rev in wanted]
        stored = {
            revision.rev: revision
            for revision in await self.store.revisions(self.pad_id, after + 1, upto - after)
        }
        stored.update({rev: self.history[rev] for rev in wanted if rev in self.history})
        return [stored[rev] for rev in wanted]

    def _remember(self, revision: Revision) -> None:
        self.history[revision.rev] = revision
        while len(self.history) > RECENT_REVISIONS:
            self.history.popitem(last=False)
        if revision.client_id is not None and revision.seq is not None:
            self.commits[(revision.client_id, revision.seq)] = revision.rev
            while len(self.commits) > RECENT_COMMITS:
                self.commits.popitem(last=False)
            if revision.client_id in self.max_seq:
                highest = self.max_seq[revision.client_id]
                self.max_seq[revision.client_id] = max(highest, revision.seq)
                self.max_seq.move_to_end(revision.client_id)

    async def _max_seq_stored(self, client_id: str) -> int:
        stored = await self.store.max_seq(self.pad_id, client_id)
        return -1 if stored is None else stored

    def _know_client(self, client_id: str, stored_max: int) -> None:
        """Start tracking a client's highest seq, given the highest one in the database.

        Call with the lock held; `stored_max` may predate commits this hub has queued
        since, which are in `commits` (their client is tracked from its first commit on).
        """
        if client_id in self.max_seq:
            return
        self.max_seq[client_id] = stored_max
        while len(self.max_seq) > KNOWN_CLIENTS:
            self.max_seq.popitem(last=False)

    async def _committed(self, client_id: str, seq: int) -> int | None:
        """The revision a (clientId, seq) became, if it was committed (lock held).

        Only a seq at or below the client's highest committed one needs the database:
        a client's first commit on this hub asks for that highest seq once (join asks
        ahead of time), so a stream of new commits costs no query.
        """
        known = self.commits.get((client_id, seq))
        if known is not None:
            return known
        if client_id not in self.max_seq:
            self._know_client(client_id, await self._max_seq_stored(client_id))
        if seq > self.max_seq[client_id]:
            return None
        return await self.store.find_commit(self.pad_id, client_id, seq)

    def revision_message(self, revision: Revision) -> dict[str, Any]:
        return {
            "type": "revision",
            "rev": revision.rev,
            "changeset": revision.changeset,
            "pool": pool_fragment(revision.changeset, self.state.pool),
            "author": revision.author,
            "time": revision.time_ms,
        }

    # -- sessions -----------------------------------------------------------

    async def join(self, session: Session, rev: int | None, chat: list[dict[str, Any]]) -> None:
        """Register `session`; send it `joined` and, on a reconnect, what it missed."""
        stored_max = None
        if session.can_edit and session.client_id not in self.max_seq:
            stored_max = await self._max_seq_stored(session.client_id)  # outside the lock
        async with self.lock:
            if stored_max is not None:
                self._know_client(session.client_id, stored_max)
            head = self.state.head_rev
            if rev is not None and (not isinstance(rev, int) or isinstance(rev, bool) or rev < 0):
                raise ProtocolError("bad_message", "rev must be a non-negative integer")
            if rev is not None and rev > head:
                raise ProtocolError("future_rev", f"rev {rev} is ahead of the pad's head {head}")
            missed = await self._revisions(rev, head) if rev is not None else []
            previous = self.sessions.get(session.client_id)
            if previous is not None:
                previous.send(
                    {"type": "error", "code": "replaced", "message": "connected again elsewhere"}
                )
                previous.outbox.put_nowait(None)
            self.sessions[session.client_id] = session
            session.known_rev = head
            joined: dict[str, Any] = {
                "type": "joined",
                "rev": head,
                "users": [
                    other.describe() for other in self.sessions.values() if other is not session
                ],
                "chat": chat,
                "you": session.describe() | {"canEdit": session.can_edit},
            }
            if rev is None:
                joined["atext"] = self.state.atext.to_jsonable()
                joined["pool"] = self.state.pool.to_jsonable()
            session.send(joined)
            for revision in missed:
                if revision.client_id == session.client_id and revision.seq is not None:
                    session.send({"type": "ack", "seq": revision.seq, "rev": revision.rev})
                else:
                    session.send(self.revision_message(revision))
            for other in self.sessions.values():
                if other is not session:
                    other.send({"type": "user-joined", "user": session.describe()})

    async def leave(self, session: Session) -> None:
        """Forget `session` and tell the others."""
        if self.sessions.get(session.client_id) is session:
            del self.sessions[session.client_id]
            for other in self.sessions.values():
                other.send({"type": "user-left", "clientId": session.client_id})

    # -- commits ------------------------------------------------------------

    async def commit(
        self, session: Session, base_rev: Any, changeset: Any, pool_json: Any, seq: Any
    ) -> None:
        """Commit a client's changeset made at `base_rev`; replies come via the publisher."""
        if not session.can_edit:
            raise ProtocolError("read_only", "this token may only read")
        if not isinstance(seq, int) or isinstance(seq, bool):
            raise ProtocolError("bad_message", "seq must be an integer")
        try:
            client_pool = AttributePool.from_jsonable(
                pool_json if pool_json is not None else {"numToAttrib": {}}
            )
        except ChangesetError as error:
            raise ProtocolError("bad_pool", str(error)) from None
        async with self.lock:
            self._check_alive()
            known = await self._committed(session.client_id, seq)
            if known is not None:
                self._publish.put_nowait(("reack", session, seq, known))
                return
            if (
                isinstance(base_rev, int)
                and not isinstance(base_rev, bool)
                and 0 <= base_rev < self.state.head_rev
            ):
                later = {
                    r.rev: r.changeset for r in await self._revisions(base_rev, self.state.head_rev)
                }
            else:
                later = {}
            rebased, atext = self.state.prepare(
                base_rev, changeset, client_pool, session.author, later
            )
            self._queue_revision(rebased, atext, session.author, session.client_id, seq)

    async def replace(self, changeset_for: Any, author: str) -> int:
        """Commit a server-side change (REST): `changeset_for(atext, pool)` gives it."""
        async with self.lock:
            self._check_alive()
            changeset = changeset_for(self.state.atext, self.state.pool)
            atext = apply_to_atext(changeset, self.state.atext, self.state.pool)
            future = self._queue_revision(changeset, atext, author, None, None)
            rev = self.state.head_rev
        await future
        return rev

    def _queue_revision(
        self, changeset: str, atext: AText, author: str, client_id: str | None, seq: int | None
    ) -> asyncio.Future[Any]:
        rev = self.state.advance(changeset, atext, keep=RECENT_REVISIONS)
        revision = Revision(rev, changeset, author, now_ms(), client_id, seq)
        snapshot = atext if rev % self.settings.snapshot_interval == 0 else None
        future = self.store.append(self.pad_id, revision, self.state.pool, snapshot)
        self._remember(revision)
        self._publish.put_nowait(("revision", future, revision))
        return future

    def _check_alive(self) -> None:
        if self.failed:
            raise ProtocolError("internal", "the pad is reloading after a storage failure")

    # -- presence and chat --------------------------------------------------

    async def presence(self, session: Session, rev: Any, selection: Any) -> None:
        """Move a selection made at `rev` to the head and show it to the others."""
        if not (isinstance(selection, dict) and isinstance(rev, int) and not isinstance(rev, bool)):
            raise ProtocolError("bad_message", "presence needs rev and selection {start, end}")
        start, end = selection.get("start"), selection.get("end")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
            raise ProtocolError("bad_message", "selection start and end must be integers")
        async with self.lock:
            head = self.state.head_rev
            if not 0 <= rev <= head:
                raise ProtocolError(
                    "future_rev" if rev > head else "bad_message", "bad presence rev"
                )
            try:
                for revision in await self._revisions(rev, head):
                    start, end = character_range_follow(
                        revision.changeset, min(start, end), max(start, end)
                    )
                if not 0 <= min(start, end) <= max(start, end) <= self.state.atext.length:
                    raise ChangesetError("selection outside the text")
            except ChangesetError as error:
                raise ProtocolError("bad_message", f"bad selection: {error}") from None
            session.selection = {"start": min(start, end), "end": max(start, end)}
            message = {
                "type": "presence",
                "clientId": session.client_id,
                "rev": head,
                "selection": session.selection,
            }
            for other in self.sessions.values():
                if other is not session:
                    other.send(message)

    async def chat(self, session: Session, text: Any) -> None:
        """Store a chat message, then show it to everyone."""
        if not isinstance(text, str) or not text.strip():
            raise ProtocolError("bad_message", "chat text must be a non-empty string")
        if "\x00" in text:
            raise ProtocolError("bad_message", "chat text holds U+0000")
        if len(text) > self.settings.chat_max_chars:
            raise ProtocolError(
                "too_large", f"chat messages hold at most {self.settings.chat_max_chars} characters"
            )
        async with self.lock:
            self.chat_count += 1
            message = {
                "number": self.chat_count, "author": session.author, "name": session.name,
                "text": text, "time": now_ms(), "rev": self.state.head_rev,
            }  # fmt: skip
            future = self.store.add_chat(self.pad_id, message)
            self._publish.put_nowait(("chat", future, message))

    # -- publishing ---------------------------------------------------------

    async def _run_publisher(self) -> None:
        held: tuple[Any, ...] | None = None  # taken from the queue, published next
        while True:
            item = held if held is not None else await self._publish.get()
            held = None
            items = [item]
            try:
                if item[0] == "revision":
                    await item[1]
                    # the revisions stored with it (one transaction) go out with it
                    while not self._publish.empty():
                        following = self._publish.get_nowait()
                        if not _stored(following):
                            held = following
                            break
                        items.append(following)
                    self._publish_revisions([revision for _, _, revision in items])
                else:
                    await self._publish_one(item)
            except Exception:
                logger.exception("publishing on pad %s failed", self.pad_id)
                self._fail()
            finally:
                for _ in items:
                    self._publish.task_done()

    def _publish_revisions(self, revisions: list[Revision]) -> None:
        """Send stored revisions: an ack to each one's author, the revision to the others.

        Each revision is serialized once for everyone, and each session gets the burst
        as one item of its outbox (200 sessions and a burst of 13 revisions: 200 queue
        operations, not 2,600).
        """
        serialized: dict[int, str] = {}
        for session in list(self.sessions.values()):
            outgoing: list[dict[str, Any] | str] = []
            for revision in revisions:
                if session.known_rev >= revision.rev:
                    continue
                session.known_rev = revision.rev
                if revision.client_id is not None and session.client_id == revision.client_id:
                    outgoing.append({"type": "ack", "seq": revision.seq, "rev": revision.rev})
                else:
                    message = serialized.get(revision.rev)
                    if message is None:
                        message = json.dumps(self.revision_message(revision))
                        serialized[revision.rev] = message
                    outgoing.append(message)
            if len(outgoing) == 1:
                session.send(outgoing[0])
            elif outgoing:
                session.send_all(outgoing)

    async def _publish_one(self, item: tuple[Any, ...]) -> None:
        kind = item[0]
        if kind == "reack":
            _, session, seq, rev = item
            session.send({"type": "ack", "seq": seq, "rev": rev})
        elif kind == "chat":
            _, future, message = item
            await future
            for session in list(self.sessions.values()):
                session.send({"type": "chat", "message": message})

    def _fail(self) -> None:
        """A write failed: the memory is ahead of the database. Drop every session."""
        self.failed = True
        for session in list(self.sessions.values()):
            session.send(
                {"type": "error", "code": "internal", "message": "storage failed; reconnect"}
            )
            session.outbox.put_nowait(None)
        self.sessions.clear()


def _stored(item: tuple[Any, ...]) -> bool:
    """Whether a publisher item is a revision already stored (without error)."""
    return item[0] == "revision" and item[1].done() and item[1].exception() is None


class Hubs:
    """The open pads' hubs, loaded on demand."""

    def __init__(self, store: RevisionStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._hubs: dict[str, PadHub] = {}
        self._loading = asyncio.Lock()

    async def get(self, pad_id: str) -> PadHub | None:
        """Return the pad's hub (loading the pad), or None if there is no such pad."""
        hub = self._hubs.get(pad_id)
        if hub is not None and not hub.failed:
            return hub
        async with self._loading:
            hub = self._hubs.get(pad_id)
            if hub is not None and not hub.failed:
                return hub
            state = await self.store.load(pad_id)
            if state is None:
                return None
            hub = PadHub(self.store, state, self.settings)
            messages = await self.store.recent_chat(pad_id, 1)
            hub.chat_count = messages[-1]["number"] if messages else 0
            self._hubs[pad_id] = hub
            return hub

    def loaded(self, pad_id: str) -> PadHub | None:
        return self._hubs.get(pad_id)

    async def close(self) -> None:
        for hub in self._hubs.values():
            await hub.close()
