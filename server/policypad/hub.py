"""The hub: one per open pad, it orders commits and fans revisions out to sessions.

Commits on a pad are serialized by the hub's lock: each is rebased onto the prepared
head, becomes head+1 in memory and is queued for a durable write (group commit). A
publisher task waits for each write in revision order and only then sends the ack to
the author and the revision to everyone else, so nothing unstored is ever
acknowledged or broadcast; joins, presence and REST reads see the *published* head::

    commit ─> lock: rebase, head+1, queue write ─> publisher: await write ─> ack / revision
                                                        │ a write failed
                                                        v
                  lock: let queued writes settle, reload the stored head, refuse the
                  unstored commits (storage_failed: their clients send them again)

The store refuses a revision that does not follow the stored head, so once a write
has failed no later revision of the pad is stored before the hub has started again
from what is stored: revision numbers never have a gap.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from policypad import metrics
from policypad.changeset import (
    AText,
    AttributePool,
    ChangesetError,
    apply_to_atext,
    character_range_follow,
    is_identity,
)
from policypad.changeset.changeset import unpack
from policypad.changeset.op import attrib_numbers
from policypad.document import Schema
from policypad.errors import ProtocolError, RevisionGapError, StorageError
from policypad.fanout import NoFanout
from policypad.pad import PadState, Revision
from policypad.peers import Peers
from policypad.protocol import Commit, Presence
from policypad.session import GOING_AWAY, Frame, Session
from policypad.settings import Settings
from policypad.storage import RevisionStore

logger = logging.getLogger(__name__)
RECENT_REVISIONS = 10_000
"""Revisions a hub keeps in memory for rebasing and catch-up (a few MB of keystrokes). On
a busy pad a commit is hundreds of revisions behind its base when it arrives; reading
those from the database for each commit once made 500 authors' pad collapse."""
RECENT_COMMITS = 10_000
"""(client, seq) pairs a hub remembers before asking the database."""
TICK_SESSIONS = 50
"""Sessions on a pad above which revisions go out once per tick (see `_send_revisions`)."""
TICK_SECONDS = 0.02
KNOWN_CLIENTS = 100_000
"""Clients whose highest committed seq a hub remembers (see `PadHub._committed`)."""
CATCH_UP_PAGE = 500
"""Revisions a reconnecting client is sent at a time (it reads one page, then the next)."""
PAD_DELETED_CLOSE = 4404
"""Close code for the sessions of a pad that was deleted (they should not reconnect)."""


def now_ms() -> int:
    return int(time.time() * 1000)


def pool_fragment(changeset: str, pool: AttributePool) -> dict[str, Any]:
    """The part of the pool a changeset cites, in the pool's JSON form."""
    numbers = sorted({num for op in unpack(changeset).ops for num in attrib_numbers(op.attribs)})
    return {
        "numToAttrib": {str(num): list(pool.get_attrib(num)) for num in numbers},
        "nextNum": pool.next_num,
    }


def _settle(future: asyncio.Future[int], error: BaseException) -> None:
    """Fail a revision's `published` future: a REST caller awaiting it gets the error;
    for a client's commit nobody awaits it, and that is no reason to log anything."""
    if not future.done():
        future.set_exception(error)
        future.exception()  # marks it retrieved


def _same(mine: Revision, stored: Revision) -> bool:
    """Whether a stored revision is the one this process wrote as `mine`."""
    if mine.rev != stored.rev:
        return False
    if mine.client_id is not None:
        return (stored.client_id, stored.seq) == (mine.client_id, mine.seq)
    return stored.changeset == mine.changeset and stored.author == mine.author


def error_message(code: str, message: str, seq: int | None = None) -> dict[str, Any]:
    """The `error` message for a client."""
    error: dict[str, Any] = {"type": "error", "code": code, "message": message}
    if seq is not None:
        error["seq"] = seq
    return error


# -- what waits for the publisher, in order ------------------------------------------


@dataclass(frozen=True)
class _ClientCommit:
    """What a client sent, kept until its revision is stored: if another process stored a
    revision first, the commit is prepared again on the new head (rebase and retry)."""

    session: Session
    message: Commit
    pool: AttributePool


@dataclass(frozen=True)
class _ServerWrite:
    """A server-side change (REST), kept like a client's commit to be prepared again."""

    changeset_for: Callable[[AText, AttributePool], str]
    author: str


@dataclass(eq=False)
class _StoredRevision:
    """A revision queued for storage; `published` resolves to its number once it is
    stored and sent, or to an error if it was not stored."""

    revision: Revision
    atext: AText
    write: asyncio.Future[Any]
    origin: _ClientCommit | _ServerWrite
    published: asyncio.Future[int] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )

    @property
    def stored(self) -> bool:
        return self.write.done() and not self.write.cancelled() and self.write.exception() is None


@dataclass(eq=False)
class _Chat:
    message: dict[str, Any]
    write: asyncio.Future[Any]
    sender: Session


@dataclass(eq=False)
class _Reack:
    """A resent commit that was already committed as `rev`: acknowledged again once
    `rev` is published. If it was only queued (`pending`), the ack waits for that
    revision's outcome: it may be stored under another number (another process stored
    first), or not at all."""

    session: Session
    seq: int
    rev: int
    pending: _StoredRevision | None = None


_Item = _StoredRevision | _Chat | _Reack


class PadHub:
    """Serializes one pad's commits and publishes them. Create with `Hubs.get`."""

    def __init__(
        self,
        store: RevisionStore,
        state: PadState,
        settings: Settings,
        schema: Schema,
        chat: list[dict[str, Any]] | None = None,
        fanout: NoFanout | None = None,
    ) -> None:
        self.store = store
        self.fanout = fanout if fanout is not None else NoFanout()
        self.peers = Peers()
        """Users of this pad connected to other processes."""
        self.state = state
        """The prepared head: stored and queued revisions (commits rebase onto it)."""
        self.settings = settings
        self.schema = schema
        self.lock = asyncio.Lock()
        self.sessions: dict[str, Session] = {}
        self._described: dict[str, str] = {}
        """Each session's user-list entry, serialized (key -> JSON)."""
        self.published_rev = state.head_rev
        """The newest revision that is stored and was sent to the sessions."""
        self.published_atext = state.atext
        self.history: OrderedDict[int, Revision] = OrderedDict()
        self.commits: OrderedDict[tuple[str, int], int] = OrderedDict()
        # client key -> the highest seq it has committed on this pad (stored or queued),
        # or -1: a commit with a higher seq is new, so the hot path never asks the database
        self.max_seq: OrderedDict[str, int] = OrderedDict()
        self.recent_chat: deque[dict[str, Any]] = deque(chat or [], maxlen=settings.chat_history)
        self.chat_count = self.recent_chat[-1]["number"] if self.recent_chat else 0
        self.failed = False
        self._joined_json: tuple[int, int, str] | None = None
        self._queue: asyncio.Queue[_Item] = asyncio.Queue()
        self._held: _Item | None = None
        self._last_queued: _StoredRevision | None = None
        self._unsent: list[Revision] = []
        """Published revisions waiting for the next tick."""
        self._tick: asyncio.TimerHandle | None = None
        self._queued: dict[tuple[str, int], _StoredRevision] = {}
        """Client commits queued and not yet published, by (key, seq)."""
        self._closed = False
        self._idle_since: float | None = None
        self._publisher = asyncio.create_task(self._run_publisher(), name=f"publish-{state.pad_id}")
        metrics.PADS_OPEN.inc()

    @property
    def pad_id(self) -> str:
        return self.state.pad_id

    @property
    def deleted(self) -> bool:
        return self.state.deleted

    @property
    def idle_since(self) -> float | None:
        """When (loop time) this hub last had a session or work; None while it has."""
        if self.sessions or not self._queue.empty() or self._held is not None or self.lock.locked():
            self._idle_since = None
            return None
        if self._idle_since is None:
            self._idle_since = asyncio.get_running_loop().time()
        return self._idle_since

    async def close(self) -> None:
        """Publish what is queued, then stop; the sessions are told to reconnect."""
        if self._closed:
            return
        self._closed = True
        await self._queue.join()
        self._publisher.cancel()
        if self._tick is not None:
            self._tick.cancel()
        self._flush()
        for session in list(self.sessions.values()):
            session.close(GOING_AWAY, "server shutting down; reconnect")
        metrics.PADS_OPEN.dec()

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

    async def _max_seq_stored(self, key: str) -> int:
        stored = await self.store.max_seq(self.pad_id, key)
        return -1 if stored is None else stored

    def _know_client(self, key: str, stored_max: int) -> None:
        """Start tracking a client's highest seq, given the highest one in the database.

        Call with the lock held; `stored_max` may predate commits this hub has queued
        since, which are in `commits` (their client is tracked from its first commit on).
        """
        if key in self.max_seq:
            return
        self.max_seq[key] = stored_max
        while len(self.max_seq) > KNOWN_CLIENTS:
            self.max_seq.popitem(last=False)

    async def _committed(self, key: str, seq: int) -> int | None:
        """The revision a (client key, seq) became, if it was committed (lock held).

        Only a seq at or below the client's highest committed one needs the database:
        a client's first commit asks for that highest seq once (before taking the
        lock), so a stream of new commits costs no query.
        """
        known = self.commits.get((key, seq))
        if known is not None:
            return known
        if key not in self.max_seq:
            self._know_client(key, await self._max_seq_stored(key))
        if seq > self.max_seq[key]:
            return None
        return await self.store.find_commit(self.pad_id, key, seq)

    def revision_message(self, revision: Revision) -> dict[str, Any]:
        return {
            "type": "revision",
            "rev": revision.rev,
            "changeset": revision.changeset,
            "pool": pool_fragment(revision.changeset, self.state.pool),
            "author": revision.author,
            "time": revision.time_ms,
        }

    def _length_at_published(self) -> int:
        return self.published_atext.length

    # -- sessions -----------------------------------------------------------

    async def join(self, session: Session, rev: int | None) -> None:
        """Register `session`; send it `joined` and, on a reconnect, what it missed.

        Needs no database unless the client is further behind than the revisions kept
        in memory; then they are read and sent a page at a time, each page once the
        client has read the one before.
        """
        async with self.lock:
            self._check_open()
            head = self.published_rev
            if rev is not None and rev > head:
                raise ProtocolError("future_rev", f"rev {rev} is ahead of the pad's head {head}")
            previous = self.sessions.get(session.key)
            if previous is not None:
                previous.send(error_message("replaced", "connected again elsewhere"))
                previous.close(GOING_AWAY, "replaced")
                self._forget(previous)
            # its highest seq is read again: it may have committed through another process
            self.max_seq.pop(session.key, None)
            # everyone else, serialized once each
            users = ",".join([*self._described.values(), *self.peers.entries()])
            self.sessions[session.key] = session
            session.known_rev = head
            joined: dict[str, Any] = {
                "type": "joined",
                "rev": head,
                "users": [],
                "chat": list(self.recent_chat),
                "you": session.describe() | {"canEdit": session.can_edit},
            }
            text = json.dumps(joined).replace('"users": []', f'"users": [{users}]', 1)
            if rev is None:
                session.send(self._with_document(text))
            else:
                session.send(text)
                if rev < head:
                    session.catching_up = True
            described = self._described[session.key] = json.dumps(session.describe())
            announcement = f'{{"type": "user-joined", "user": {described}}}'
            for other in self.sessions.values():
                if other is not session:
                    other.send(announcement)
            self.fanout.publish(self.pad_id, {"type": "user-joined", "user": session.describe()})
        if rev is not None and rev < head:
            try:
                await self._catch_up(session, rev, head)
            finally:
                session.caught_up()

    def _with_document(self, joined: str) -> str:
        """A serialized `joined` with the published text and the pool added, their JSON
        made once per head revision (2,000 clients joining one pad cost one)."""
        pool = self.state.pool
        cached = self._joined_json
        if cached is None or cached[:2] != (self.published_rev, pool.next_num):
            document = json.dumps(
                {"atext": self.published_atext.to_jsonable(), "pool": pool.to_jsonable()}
            )
            cached = self._joined_json = (self.published_rev, pool.next_num, document)
        return joined[:-1] + ", " + cached[2][1:]

    async def _catch_up(self, session: Session, rev: int, head: int) -> None:
        """Send revisions rev+1..head: the client's own as acks, the others' in full."""
        after = rev
        while after < head and not session.closed:
            upto = min(after + CATCH_UP_PAGE, head)
            page: list[dict[str, Any] | str] = []
            for revision in await self._revisions(after, upto):
                if revision.client_id == session.key and revision.seq is not None:
                    page.append({"type": "ack", "seq": revision.seq, "rev": revision.rev})
                else:
                    page.append(self.revision_message(revision))
            session.send_catch_up(page)
            after = upto
            await session.room()

    async def leave(self, session: Session) -> None:
        """Forget `session` and tell the others."""
        if self.sessions.get(session.key) is session:
            self._forget(session)
            left = {"type": "user-left", "clientId": session.public_id}
            announcement = json.dumps(left)
            for other in self.sessions.values():
                other.send(announcement)
            self.fanout.publish(self.pad_id, left)

    def _forget(self, session: Session) -> None:
        del self.sessions[session.key]
        self._described.pop(session.key, None)

    def _check_open(self) -> None:
        if self.failed:
            raise ProtocolError("internal", "the pad is reloading after a storage failure")
        if self.state.deleted:
            raise ProtocolError("pad_deleted", f"pad {self.pad_id!r} was deleted")

    # -- commits ------------------------------------------------------------

    async def commit(self, session: Session, message: Commit) -> None:
        """Commit a client's changeset made at `baseRev`; replies come via the publisher."""
        if not session.can_edit:
            raise ProtocolError("read_only", "this token may only read")
        try:
            client_pool = AttributePool.from_jsonable(
                message.pool.to_jsonable() if message.pool is not None else {"numToAttrib": {}}
            )
        except ChangesetError as error:
            raise ProtocolError("bad_pool", str(error)) from None
        stored_max = None
        if session.key not in self.max_seq:
            stored_max = await self._max_seq_stored(session.key)  # outside the lock
        async with self.lock:
            self._check_open()
            if stored_max is not None:
                self._know_client(session.key, stored_max)
            known = await self._committed(session.key, message.seq)
            if known is not None:
                pending = self._queued.get((session.key, message.seq))
                self._queue.put_nowait(_Reack(session, message.seq, known, pending))
                return
            await self._prepare(_ClientCommit(session, message, client_pool))

    async def _prepare(
        self, origin: _ClientCommit | _ServerWrite, published: asyncio.Future[int] | None = None
    ) -> _StoredRevision | None:
        """Rebase a commit onto the prepared head and queue its revision (lock held);
        None for a server write that changes nothing. Raises ProtocolError."""
        if isinstance(origin, _ServerWrite):
            changeset = origin.changeset_for(self.state.atext, self.state.pool)
            if is_identity(changeset):
                return None
            atext = apply_to_atext(changeset, self.state.atext, self.state.pool)
            return self._queue_revision(changeset, atext, origin.author, None, None, origin,
                                        published)  # fmt: skip
        message, session = origin.message, origin.session
        head = self.state.head_rev
        if message.base_rev > head:
            raise ProtocolError(
                "future_rev", f"baseRev {message.base_rev} is ahead of the pad's head {head}"
            )
        later: dict[int, str] = {}
        if message.base_rev < head:
            later = {r.rev: r.changeset for r in await self._revisions(message.base_rev, head)}
        metrics.REBASE_DEPTH.observe(head - message.base_rev)
        rebased, atext = self.state.prepare(
            message.base_rev, message.changeset, origin.pool, session.author, later, self.schema
        )
        return self._queue_revision(
            rebased, atext, session.author, session.key, message.seq, origin, published
        )

    async def replace(
        self, changeset_for: Callable[[AText, AttributePool], str], author: str
    ) -> int:
        """Commit a server-side change (REST): `changeset_for(atext, pool)` gives it, at
        the prepared head. Returns the new revision once it is stored and sent (or the
        head, if the change is empty). Raises StorageError if it could not be stored."""
        async with self.lock:
            self._check_open()
            queued = await self._prepare(_ServerWrite(changeset_for, author))
            if queued is None:
                pending = self._last_queued
                if pending is None or pending.published.done():
                    return self.published_rev
                published = pending.published
            else:
                published = queued.published
        return await published

    def _queue_revision(
        self,
        changeset: str,
        atext: AText,
        author: str,
        key: str | None,
        seq: int | None,
        origin: _ClientCommit | _ServerWrite,
        published: asyncio.Future[int] | None = None,
    ) -> _StoredRevision:
        rev = self.state.advance(changeset, atext, keep=RECENT_REVISIONS)
        revision = Revision(rev, changeset, author, now_ms(), key, seq)
        snapshot = atext if rev % self.settings.snapshot_interval == 0 else None
        write = self.store.append(self.pad_id, revision, self.state.pool, snapshot)
        self._remember(revision)
        item = _StoredRevision(revision, atext, write, origin)
        if published is not None:
            item.published = published  # a commit prepared again: its waiter waits on
        self._last_queued = item
        self._queue.put_nowait(item)
        return item

    # -- presence and chat --------------------------------------------------

    async def presence(self, session: Session, message: Presence) -> None:
        """Move a selection made at `rev` to the published head and show it to the
        others. A session sends at most `presence_per_second` updates a second; what
        comes faster waits, and only the newest of those goes out."""
        self._check_open()
        loop = asyncio.get_running_loop()
        now = loop.time()
        times = session.presence_times
        while times and times[0] <= now - 1:
            times.popleft()
        if len(times) >= self.settings.presence_per_second:
            first = session.pending_presence is None
            session.pending_presence = message
            if first:
                loop.call_later(times[0] + 1 - now, self._flush_presence, session)
            metrics.PRESENCE_HELD.inc()
            return
        times.append(now)
        await self._show_presence(session, message)

    def _flush_presence(self, session: Session) -> None:
        message, session.pending_presence = session.pending_presence, None
        if message is not None and not session.closed:
            session.presence_times.append(asyncio.get_running_loop().time())
            task = asyncio.create_task(self._show_presence(session, message))
            task.add_done_callback(lambda done: done.exception())  # errors are expected

    async def _show_presence(self, session: Session, message: Presence) -> None:
        start, end = sorted((message.selection.start, message.selection.end))
        async with self.lock:
            head = self.published_rev
            if message.rev > head:
                raise ProtocolError("future_rev", f"presence rev {message.rev} is ahead of {head}")
            if head - message.rev > RECENT_REVISIONS:
                raise ProtocolError("bad_message", "presence rev is too old; send a newer one")
            try:
                for revision in await self._revisions(message.rev, head):
                    start, end = character_range_follow(revision.changeset, start, end)
                if not end <= self._length_at_published():
                    raise ChangesetError("selection outside the text")
            except ChangesetError as error:
                raise ProtocolError("bad_message", f"bad selection: {error}") from None
            session.selection = {"start": start, "end": end}
            if session.key in self._described:
                self._described[session.key] = json.dumps(session.describe())
            shown = {
                "type": "presence",
                "clientId": session.public_id,
                "rev": head,
                "selection": session.selection,
            }
            outgoing = json.dumps(shown)
            for other in self.sessions.values():
                if other is not session:
                    other.send(outgoing)
            self.fanout.publish(self.pad_id, {"type": "presence", "message": shown})

    async def chat(self, session: Session, text: str) -> None:
        """Store a chat message, then show it to everyone."""
        if not session.can_edit:
            raise ProtocolError("read_only", "this token may only read (chat is stored)")
        if not text.strip():
            raise ProtocolError("bad_message", "chat text must not be empty")
        if len(text) > self.settings.chat_max_chars:
            raise ProtocolError(
                "too_large", f"chat messages hold at most {self.settings.chat_max_chars} characters"
            )
        async with self.lock:
            self._check_open()
            self.chat_count += 1
            message = {
                "number": self.chat_count, "author": session.author, "name": session.name,
                "text": text, "time": now_ms(), "rev": self.published_rev,
            }  # fmt: skip
            write = self.store.add_chat(self.pad_id, message)
            self._queue.put_nowait(_Chat(message, write, session))

    # -- deletion -----------------------------------------------------------

    async def mark_deleted(self) -> None:
        """Delete the pad (its history is kept): every session is told and closed, and
        nothing more is accepted."""
        async with self.lock:
            await self.store.mark_deleted(self.pad_id)
            self.state.deleted = True
            for session in list(self.sessions.values()):
                session.send(error_message("pad_deleted", f"pad {self.pad_id!r} was deleted"))
                session.close(PAD_DELETED_CLOSE, "pad deleted")
            self.sessions.clear()
            self._described.clear()

    # -- publishing ---------------------------------------------------------

    async def _run_publisher(self) -> None:
        while True:
            item = self._held if self._held is not None else await self._queue.get()
            self._held = None
            done = [item]
            try:
                if isinstance(item, _StoredRevision):
                    try:
                        await asyncio.wait([item.write])
                        item.write.result()
                    except Exception as error:
                        await self._recover(item, error, done)
                        continue
                    # the revisions stored with it (one transaction) go out with it
                    while not self._queue.empty():
                        following = self._queue.get_nowait()
                        if not (isinstance(following, _StoredRevision) and following.stored):
                            self._held = following
                            break
                        done.append(following)
                    self._publish_revisions(done)  # type: ignore[arg-type]
                elif isinstance(item, _Chat):
                    await asyncio.wait([item.write])
                    self._publish_chat(item)
                else:
                    self._publish_reack(item)
            except Exception:
                logger.exception("publishing on pad %s failed", self.pad_id)
                self._fail()
            finally:
                for _ in done:
                    self._queue.task_done()

    def _publish_revisions(self, items: list[_StoredRevision]) -> None:
        """Publish revisions this process stored, and tell the other processes."""
        if not items:
            return
        revisions = [item.revision for item in items]
        self._send_revisions(revisions, items[-1].atext)
        now = time.time() * 1000
        for item in items:
            self._unqueue(item)
            metrics.COMMITS_STORED.inc()
            metrics.COMMIT_LATENCY.observe((now - item.revision.time_ms) / 1000)
            if not item.published.done():
                item.published.set_result(item.revision.rev)
        self.fanout.publish(self.pad_id, {
            "type": "revisions",
            "revisions": [self._carried(revision) for revision in revisions],
        })  # fmt: skip

    def _unqueue(self, item: _StoredRevision) -> None:
        key = (item.revision.client_id, item.revision.seq)
        if self._queued.get(key) is item:  # type: ignore[arg-type]
            del self._queued[key]  # type: ignore[arg-type]

    def _carried(self, revision: Revision) -> dict[str, Any]:
        """A stored revision as another process needs it (pool fragment included)."""
        return {
            "rev": revision.rev, "changeset": revision.changeset,
            "pool": pool_fragment(revision.changeset, self.state.pool),
            "author": revision.author, "time": revision.time_ms,
            "key": revision.client_id, "seq": revision.seq,
        }  # fmt: skip

    def _send_revisions(self, revisions: list[Revision], atext: AText) -> None:
        """Send stored revisions: an ack to each one's author, the revision to the others;
        `atext` is the text after the last of them.

        On a pad with more than `TICK_SESSIONS` sessions they wait for the next tick
        (`TICK_SECONDS`): then everything published since the last tick goes to each
        session as one frame, and the sessions that wrote none of it (most of them) get
        the very same frame, serialized once.
        """
        self.published_rev = revisions[-1].rev
        self.published_atext = atext
        self._unsent.extend(revisions)
        if len(self.sessions) <= TICK_SESSIONS:
            self._flush()
        elif self._tick is None:
            self._tick = asyncio.get_running_loop().call_later(TICK_SECONDS, self._flush)

    def _flush(self) -> None:
        """Send what waited for the tick (see `_send_revisions`)."""
        self._tick = None
        revisions, self._unsent = self._unsent, []
        if not revisions:
            return
        serialized = {r.rev: json.dumps(self.revision_message(r)) for r in revisions}
        authors = {r.client_id for r in revisions if r.client_id is not None}
        last = revisions[-1].rev
        shared: Frame | None = None
        for session in list(self.sessions.values()):
            if (
                session.batch
                and session.key not in authors
                and (session.known_rev < revisions[0].rev)
            ):
                if shared is None:
                    shared = Frame(f"[{','.join(serialized.values())}]", len(serialized))
                session.known_rev = last
                session.send_frame(shared)
                continue
            outgoing: list[dict[str, Any] | str] = []
            for revision in revisions:
                if session.known_rev >= revision.rev:
                    continue
                session.known_rev = revision.rev
                if revision.client_id is not None and session.key == revision.client_id:
                    outgoing.append({"type": "ack", "seq": revision.seq, "rev": revision.rev})
                else:
                    outgoing.append(serialized[revision.rev])
            if len(outgoing) == 1:
                session.send(outgoing[0])
            elif outgoing:
                session.send_all(outgoing)

    def _publish_chat(self, item: _Chat) -> None:
        if item.write.exception() is not None:
            logger.error("pad %s: storing a chat message failed: %s", self.pad_id,
                         item.write.exception())  # fmt: skip
            item.sender.send(error_message("storage_failed", "the chat message was not stored"))
            return
        item.message["number"] = item.write.result()
        self._show_chat(item.message)
        self.fanout.publish(self.pad_id, {"type": "chat", "message": item.message})

    def _show_chat(self, message: dict[str, Any]) -> None:
        self.recent_chat.append(message)
        self.chat_count = max(self.chat_count, message["number"])
        outgoing = json.dumps({"type": "chat", "message": message})
        for session in list(self.sessions.values()):
            session.send(outgoing)

    def _publish_reack(self, item: _Reack) -> None:
        pending = item.pending
        if pending is not None:
            if not pending.published.done():
                self._queue.put_nowait(item)  # prepared again: its revision comes later
                return
            if pending.published.exception() is None:
                rev = pending.published.result()
                item.session.send({"type": "ack", "seq": item.seq, "rev": rev})
                return
            item.session.send(error_message(
                "storage_failed", "the change was not stored; send it again", item.seq
            ))  # fmt: skip
            return
        if item.rev <= self.published_rev:
            item.session.send({"type": "ack", "seq": item.seq, "rev": item.rev})
        else:
            item.session.send(error_message(
                "storage_failed", "the change was not stored; send it again", item.seq
            ))  # fmt: skip

    async def _recover(
        self, failed: _StoredRevision, error: BaseException, items: list[_Item]
    ) -> None:
        """A revision's write failed: start again from what is stored.

        With the lock held (no commit is prepared meanwhile), every item queued after
        the failed one is taken and its write let settle; the stored head is reloaded
        and whatever is stored past what was published goes out (this process's
        revisions that landed anyway, and other processes'). If another process stored
        first (its revisions are there), the commits not stored are prepared again on
        the new head; otherwise (the database refused the write) they are refused to
        their authors with `storage_failed` (the client sends it again, same seq).
        `items` (which holds `failed`) gets every item taken off the queue.
        """
        async with self.lock:
            if self._held is not None:
                items.append(self._held)
                self._held = None
            while not self._queue.empty():
                items.append(self._queue.get_nowait())
            writes = [item.write for item in items if not isinstance(item, _Reack)]
            await asyncio.wait(writes)
            for write in writes:
                if not write.cancelled():
                    write.exception()  # seen here: no "never retrieved" at collection
            mine = [item for item in items if isinstance(item, _StoredRevision)]
            for item in mine:
                self._unqueue(item)
            self.store.mend(self.pad_id)  # every write prepared on the lost one has settled
            try:
                stored = await self._reload()
            except Exception:
                logger.exception("pad %s: reloading after a failed write failed", self.pad_id)
                self._refuse(items, StorageError("the pad could not be reloaded"))
                self._fail()
                return
            landed = {
                item.revision.rev: item for item in mine
                if any(_same(item.revision, revision) for revision in stored)
            }  # fmt: skip
            for item in landed.values():
                if not item.published.done():
                    item.published.set_result(item.revision.rev)
            others = [r for r in stored if r.rev not in landed]
            unstored = [item for item in mine if item.revision.rev not in landed]
            rest = [item for item in items if not isinstance(item, _StoredRevision)]
            if others and isinstance(error, RevisionGapError):
                logger.info(
                    "pad %s: another process stored %d revisions first; preparing %d again",
                    self.pad_id, len(others), len(unstored),
                )  # fmt: skip
                for item in unstored:
                    await self._prepare_again(item)
                self._refuse(rest, error)
                return
            metrics.STORAGE_FAILURES.inc()
            logger.error(
                "pad %s: storing revision %d failed (%s: %s); continuing from revision %d",
                self.pad_id, failed.revision.rev, type(error).__name__, error, self.published_rev,
            )  # fmt: skip
            self._refuse([*unstored, *rest], error)

    async def _prepare_again(self, item: _StoredRevision) -> None:
        """Prepare an unstored commit on the new head (lock held); refuse it if it no
        longer fits (its client resyncs)."""
        try:
            queued = await self._prepare(item.origin, item.published)
        except ProtocolError as refused:
            origin = item.origin
            if isinstance(origin, _ClientCommit):
                origin.session.send(
                    error_message(refused.code, refused.message, origin.message.seq)
                )
            _settle(item.published, StorageError(refused.message))
            return
        if queued is None and not item.published.done():
            item.published.set_result(self.published_rev)  # nothing left to change

    async def _reload(self) -> list[Revision]:
        """Catch up with the stored head (lock held): read what was stored past what was
        published, apply and publish it, and forget what was only prepared. Returns
        those revisions. (A full load only if they do not apply.)"""
        head, pool, stored = await self.store.since(self.pad_id, self.published_rev)
        for rev in [rev for rev in self.history if rev > self.published_rev]:
            del self.history[rev]
        for key in [key for key, rev in self.commits.items() if rev > self.published_rev]:
            del self.commits[key]
        self.max_seq.clear()
        atext = self.published_atext
        try:
            for revision in stored:
                atext = apply_to_atext(revision.changeset, atext, pool)
            if len(stored) != head - self.published_rev:
                raise ChangesetError("revisions missing")
        except ChangesetError:
            state = await self.store.load(self.pad_id)
            if state is None:
                raise StorageError(f"pad {self.pad_id} is gone from the database") from None
            atext, pool = state.atext, state.pool
            head, stored = state.head_rev, [r for r in stored if r.rev <= state.head_rev]
        recent = {rev: changeset for rev, changeset in self.state.recent.items()
                  if rev <= self.published_rev}  # fmt: skip
        recent.update({revision.rev: revision.changeset for revision in stored})
        self.state = PadState(self.pad_id, atext, pool, head, recent, self.state.deleted)
        for revision in stored:
            self._remember(revision)
        if stored:
            self._send_revisions(stored, atext)
        self.published_rev, self.published_atext = head, atext
        return stored

    # -- news from other processes ------------------------------------------

    async def catch_up(self) -> None:
        """Publish what other processes stored that this hub has not seen (its poll found
        the stored head ahead, or Redis was away). Nothing happens while this hub has
        writes pending: their outcome sets it right."""
        async with self.lock:
            if self._pending():
                return
            await self._reload()

    async def remote(self, message: dict[str, Any]) -> None:
        """Take news another process published about this pad."""
        kind = message.get("type")
        if kind == "revisions":
            async with self.lock:
                if not self._pending():
                    await self._take_revisions(message["revisions"])
        elif kind == "chat":
            self._show_chat(message["message"])
        elif kind == "presence":
            outgoing = json.dumps(message["message"])
            for session in list(self.sessions.values()):
                session.send(outgoing)
        elif kind in ("user-joined", "user-left", "users"):
            self.peers.hear(message, self.sessions.values())
        elif kind == "who":  # a process just opened this pad: it wants our users
            self.announce_users()

    def announce_users(self) -> None:
        """Tell the other processes which users this pad has here (all of them)."""
        if self.sessions:
            users = [session.describe() for session in self.sessions.values()]
            self.fanout.publish(self.pad_id, {"type": "users", "users": users})

    def _pending(self) -> bool:
        return (
            self.state.head_rev != self.published_rev
            or not self._queue.empty()
            or (self._held is not None)
        )

    async def _take_revisions(self, carried: list[dict[str, Any]]) -> None:
        """Apply and send revisions another process stored (lock held, nothing pending);
        a gap, or a pool that does not agree, is read from the database instead."""
        fresh = [item for item in carried if item["rev"] > self.published_rev]
        if not fresh:
            return
        if fresh[0]["rev"] != self.published_rev + 1 or not self._pool_agrees(fresh):
            await self._reload()
            return
        revisions = []
        for item in fresh:
            self.state.pool.mirror(item["pool"])
            try:
                atext = apply_to_atext(item["changeset"], self.state.atext, self.state.pool)
            except ChangesetError:
                await self._reload()
                return
            self.state.advance(item["changeset"], atext, keep=RECENT_REVISIONS)
            revision = Revision(
                item["rev"], item["changeset"], item["author"], item["time"], item["key"],
                item["seq"],
            )  # fmt: skip
            self._remember(revision)
            revisions.append(revision)
        self._send_revisions(revisions, self.state.atext)

    def _pool_agrees(self, carried: list[dict[str, Any]]) -> bool:
        pool = self.state.pool
        for item in carried:
            for num, pair in item["pool"]["numToAttrib"].items():
                if pool.has_attrib(int(num)) and pool.get_attrib(int(num)) != (pair[0], pair[1]):
                    return False
                holder = pool.put_attrib((pair[0], pair[1]), lookup_only=True)
                if holder not in (-1, int(num)):
                    return False
        return True

    def _refuse(self, items: list[_Item], error: BaseException) -> None:
        """Tell the authors of unstored revisions to send them again; publish the rest."""
        for item in items:
            if isinstance(item, _StoredRevision):
                revision = item.revision
                session = self.sessions.get(revision.client_id or "")
                if session is not None:
                    session.send(error_message(
                        "storage_failed", "the change was not stored; send it again",
                        revision.seq,
                    ))  # fmt: skip
                _settle(item.published, StorageError(str(error)))
            elif isinstance(item, _Chat):
                self._publish_chat(item)
            else:
                self._publish_reack(item)

    def _fail(self) -> None:
        """The hub cannot go on (its state is unknown): drop every session; the next
        join loads the pad again."""
        self.failed = True
        for session in list(self.sessions.values()):
            session.send(error_message("internal", "storage failed; reconnect"))
            session.close(1011, "storage failed")
        self.sessions.clear()
        self._described.clear()
