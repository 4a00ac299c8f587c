"""The hub: the asyncio shell of one open pad around its core (`policypad.pad.core`).

The core decides (rebase, de-duplicate, what each member is sent); the hub does the I/O:
it serializes a pad's commits with its lock, queues each revision for a durable write
(group commit), and a publisher task waits for each write in revision order and only
then sends the ack to the author and the revision to everyone else, so nothing unstored
is ever acknowledged or broadcast; joins, presence and REST reads see the *published*
head::

    commit ─> lock: core.prepare_commit, queue write ─> publisher: await write ─> send
                                                        │ a write failed
                                                        v
                  lock: let queued writes settle, catch up from the store, and prepare
                  the unstored commits again if another process stored first (else
                  refuse them: storage_failed, their clients send them again)

The store refuses a revision that does not follow the stored head (and every revision
prepared on a refused one), so revision numbers never have a gap.

With several processes, a pad whose lease another process holds (its owner, see
`policypad.fanout`) has its clients' commits forwarded there; the owner stores them,
and their authors are acknowledged here when the stored revision arrives, as any
revision from another process does::

    commit ─> forward to the owner ─(Redis)─> owner: lock, prepare, store, publish
    client <── ack (its own revision) <─(Redis)─ "revisions"
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec

from policypad import metrics
from policypad.changeset import AText, AttributePool, ChangesetError, apply_to_atext
from policypad.document import Schema
from policypad.errors import ProtocolError, RevisionGapError, StorageError
from policypad.fanout import NoFanout
from policypad.images.access import image_token
from policypad.pad import PadState, Revision
from policypad.pad.core import ASK, Member, Outgoing, PadCore
from policypad.peers import Peers
from policypad.protocol import Commit, Presence
from policypad.session import GOING_AWAY, Session
from policypad.settings import Settings
from policypad.storage import RevisionStore

logger = logging.getLogger(__name__)
CATCH_UP_PAGE = 500
"""Revisions a reconnecting client is sent at a time (it reads one page, then the next)."""
PAD_DELETED_CLOSE = 4404
"""Close code for the sessions of a pad that was deleted (they should not reconnect)."""
TICK_SESSIONS = 50
"""Sessions on a pad above which revisions go out once per tick (see `_send_revisions`)."""
TICK_SECONDS_PER_SESSION = 0.00015
"""A tick lasts this long for each session on the pad, between `TICK_SECONDS` and
`MAX_TICK_SECONDS` (see `tick_seconds`)."""
TICK_SECONDS = 0.02
MAX_TICK_SECONDS = 0.05
FORWARD_TIMEOUT_SECONDS = 5.0
"""A commit forwarded to the pad's owner that has neither come back stored nor been
refused by then is refused to its author with `storage_failed` (it sends it again; the
owner may have died, and the next owner de-duplicates by seq)."""


def tick_seconds(sessions: int) -> float:
    """How long revisions wait for a tick on a pad with `sessions` sessions.

    A tick costs a frame for each session, so a pad's fan-out costs at most about
    1 / TICK_SECONDS_PER_SESSION frames a second however many join (up to the cap):
    100 sessions tick every 20 ms, 200 every 30 ms, 500 every 50 ms. Clients commit at
    most every 500 ms, so a few ms more of tick is small beside what a keystroke already
    waits: at 200 authors, 30 ms instead of 20 took the server's CPU per stored commit
    from a median of 0.50 ms to 0.42, for about 7 ms more latency at the p50 and the
    p95 (see the README's benchmarks).
    """
    return min(MAX_TICK_SECONDS, max(TICK_SECONDS, sessions * TICK_SECONDS_PER_SESSION))


def now_ms() -> int:
    return int(time.time() * 1000)


def error_message(code: str, message: str, seq: int | None = None) -> dict[str, Any]:
    """The `error` message for a client."""
    error: dict[str, Any] = {"type": "error", "code": code, "message": message}
    if seq is not None:
        error["seq"] = seq
    return error


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


# -- what waits for the publisher, in order ------------------------------------------


@dataclass(eq=False)
class ForwardedAuthor(Member):
    """The author of a commit another process forwarded to this one (the pad's owner):
    what the hub tells it goes back to that process, which has its socket. Only errors
    are told: its ack comes with the stored revision, in order with the others."""

    fanout: NoFanout | None = None
    pad_id: str = ""
    process: str = ""

    def send(self, message: dict[str, Any] | str) -> None:
        if isinstance(message, str):
            message = json.loads(message)
        if message.get("type") == "error" and self.fanout is not None:
            self.fanout.publish(self.pad_id, {
                "type": "reply", "to": self.process, "key": self.key, "message": message,
            })  # fmt: skip


Author = Session | ForwardedAuthor


@dataclass(frozen=True)
class _ClientCommit:
    """What a client sent, kept until its revision is stored: if another process stored a
    revision first, the commit is prepared again on the new head (rebase and retry)."""

    session: Author
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

    session: Author
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
        self.core = PadCore(state, schema)
        self.fanout = fanout if fanout is not None else NoFanout()
        self.peers = Peers()
        """Users of this pad connected to other processes."""
        self.settings = settings
        self.lock = asyncio.Lock()
        self.recent_chat: deque[dict[str, Any]] = deque(chat or [], maxlen=settings.chat_history)
        self.failed = False
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
        self.owner: str | None = None
        """The process holding this pad's lease (None: store commits here)."""
        self._inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        """Other processes' news, taken in order by `_run_inbox`."""
        self._publisher = asyncio.create_task(self._run_publisher(), name=f"publish-{state.pad_id}")
        self._listener = asyncio.create_task(self._run_inbox(), name=f"news-{state.pad_id}")
        metrics.PADS_OPEN.inc()

    @property
    def pad_id(self) -> str:
        return self.core.pad_id

    @property
    def state(self) -> PadState:
        """The prepared head (stored and queued revisions)."""
        return self.core.state

    @property
    def published_rev(self) -> int:
        """The newest revision that is stored and was sent to the sessions."""
        return self.core.published_rev

    @property
    def published_atext(self) -> AText:
        assert self.core.published_atext is not None
        return self.core.published_atext

    @property
    def sessions(self) -> dict[str, Session]:
        return self.core.members  # type: ignore[return-value]

    @property
    def deleted(self) -> bool:
        return self.core.state.deleted

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
        self._listener.cancel()
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
        found = self.core.recent(after, upto)
        if found is not None:
            return found
        stored = {
            revision.rev: revision
            for revision in await self.store.revisions(self.pad_id, after + 1, upto - after)
        }
        for rev in range(after + 1, upto + 1):
            if rev in self.core.history:
                stored[rev] = self.core.history[rev]
        return [stored[rev] for rev in range(after + 1, upto + 1)]

    async def _committed(self, key: str, seq: int) -> int | None:
        """The revision a (client key, seq) became, if it was committed (lock held).
        Only a seq at or below the client's highest committed one needs the database."""
        status = self.core.commit_status(key, seq)
        if status is not ASK:
            return status  # type: ignore[return-value]
        if not self.core.knows_client(key):
            stored = await self.store.max_seq(self.pad_id, key)
            self.core.know_client(key, -1 if stored is None else stored)
            status = self.core.commit_status(key, seq)
            if status is not ASK:
                return status  # type: ignore[return-value]
        return await self.store.find_commit(self.pad_id, key, seq)

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
                self.core.leave(previous.key)
            secret = self.settings.secret
            joined = self.core.join(
                session, self.peers.entries(), list(self.recent_chat), with_document=rev is None,
                image_token=image_token(secret, self.pad_id, time.time()) if secret else None,
                max_message_bytes=self.settings.max_message_bytes,
            )  # fmt: skip
            session.send(joined)
            if rev is not None and rev < head:
                session.catching_up = True
            announcement = self.core.joined_announcement(session)
            for other in self.sessions.values():
                if other is not session:
                    other.send(announcement)
            self.fanout.publish(self.pad_id, {"type": "user-joined", "user": session.describe()})
        if rev is not None and rev < head:
            try:
                await self._catch_up(session, rev, head)
            finally:
                session.caught_up()

    async def _catch_up(self, session: Session, rev: int, head: int) -> None:
        """Send revisions rev+1..head: the client's own as acks, the others' in full."""
        after = rev
        while after < head and not session.closed:
            upto = min(after + CATCH_UP_PAGE, head)
            page = self.core.catch_up_page(session, await self._revisions(after, upto))
            session.send_catch_up(page)  # type: ignore[arg-type]
            after = upto
            await session.room()

    async def leave(self, session: Session) -> None:
        """Forget `session` and tell the others."""
        if self.sessions.get(session.key) is session:
            self.core.leave(session.key)
            left = {"type": "user-left", "clientId": session.public_id}
            announcement = json.dumps(left)
            for other in self.sessions.values():
                other.send(announcement)
            self.fanout.publish(self.pad_id, left)

    def _check_open(self) -> None:
        if self.failed:
            raise ProtocolError("internal", "the pad is reloading after a storage failure")
        if self.core.state.deleted:
            raise ProtocolError("pad_deleted", f"pad {self.pad_id!r} was deleted")

    # -- commits ------------------------------------------------------------

    async def commit(self, session: Author, message: Commit, forwarded: bool = False) -> None:
        """Commit a client's changeset made at `baseRev`; replies come via the publisher.
        Unless `forwarded` here already, it goes to the pad's owner if another process
        is."""
        if not session.can_edit:
            raise ProtocolError("read_only", "this token may only read")
        try:
            client_pool = AttributePool.from_jsonable(
                message.pool.to_jsonable() if message.pool is not None else {"numToAttrib": {}}
            )
        except ChangesetError as error:
            raise ProtocolError("bad_pool", str(error)) from None
        if not self.core.knows_client(session.key):
            stored = await self.store.max_seq(self.pad_id, session.key)  # outside the lock
            self.core.know_client(session.key, -1 if stored is None else stored)
        async with self.lock:
            self._check_open()
            known = await self._committed(session.key, message.seq)
            if known is not None:
                pending = self._queued.get((session.key, message.seq))
                self._queue.put_nowait(_Reack(session, message.seq, known, pending))
                return
            owner = self.owner
            elsewhere = owner is not None and owner != self.fanout.process_id
            if elsewhere and not forwarded and self.fanout.connected:
                self._forward(session, message, owner)  # type: ignore[arg-type]
                return
            await self._prepare(_ClientCommit(session, message, client_pool))

    def _forward(self, session: Author, message: Commit, owner: str) -> None:
        """Send a commit to the pad's owner; refuse it to its author if it neither comes
        back stored nor refused in time."""
        self.fanout.publish(self.pad_id, {
            "type": "forward", "to": owner, "key": session.key, "author": session.author,
            "commit": msgspec.to_builtins(message),
        })  # fmt: skip
        metrics.COMMITS_FORWARDED.inc()
        asyncio.get_running_loop().call_later(
            FORWARD_TIMEOUT_SECONDS, self._forward_lapsed, session, message.seq
        )

    def _forward_lapsed(self, session: Author, seq: int) -> None:
        if self.core.commit_status(session.key, seq) not in (None, ASK):
            return  # stored, and its author acknowledged with the revision
        if self.sessions.get(session.key) is session:
            # The owner stays whoever holds the lease: storing here instead would make
            # two processes write the pad. A dead owner's lease lapses (LEASE_MS), and the
            # commit sent again goes to the next one.
            session.send(error_message(
                "storage_failed", "the change was not stored in time; send it again", seq
            ))  # fmt: skip

    async def _commit_forwarded(self, message: dict[str, Any]) -> None:
        """Store a commit another process forwarded to this one (the owner)."""
        author = ForwardedAuthor(
            key=str(message["key"]), author=str(message["author"]), name="", color="",
            can_edit=True, fanout=self.fanout, pad_id=self.pad_id,
            process=str(message.get("process", "")),
        )  # fmt: skip
        seq = None
        try:
            commit = msgspec.convert(message["commit"], Commit)
            seq = commit.seq
            if commit.base_rev > self.core.state.head_rev:
                await self.catch_up()  # the forwarder saw revisions this process missed
            await self.commit(author, commit, forwarded=True)
        except msgspec.ValidationError as error:
            author.send(error_message("bad_message", f"forwarded commit: {error}", seq))
        except ProtocolError as refused:
            code, text = refused.code, refused.message
            if code == "future_rev":
                # the forwarder saw revisions this process has not taken yet (writes of
                # its own pending, or the news still on its way): no fault of the client
                code, text = "storage_failed", "the change was not stored yet; send it again"
            author.send(error_message(code, text, seq))

    async def _prepare(
        self, origin: _ClientCommit | _ServerWrite, published: asyncio.Future[int] | None = None
    ) -> _StoredRevision | None:
        """Prepare a commit on the head and queue its revision for storage (lock held);
        None for a server write that changes nothing. Raises ProtocolError."""
        if isinstance(origin, _ServerWrite):
            prepared = self.core.prepare_change(origin.changeset_for, origin.author, now_ms())
            if prepared is None:
                return None
        else:
            message, head = origin.message, self.core.state.head_rev
            later: list[Revision] = []
            if message.base_rev < head:
                later = await self._revisions(message.base_rev, head)
            metrics.REBASE_DEPTH.observe(max(0, head - message.base_rev))
            prepared = self.core.prepare_commit(
                origin.session, message, origin.pool, later, now_ms()
            )
        revision, atext = prepared
        snapshot = atext if revision.rev % self.settings.snapshot_interval == 0 else None
        write = self.store.append(self.pad_id, revision, self.core.state.pool, snapshot)
        item = self._last_queued = _StoredRevision(revision, atext, write, origin)
        if published is not None:
            item.published = published  # a commit prepared again: its waiter waits on
        if revision.client_id is not None and revision.seq is not None:
            self._queued[(revision.client_id, revision.seq)] = item
        self._queue.put_nowait(item)
        return item

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
        async with self.lock:
            head = self.published_rev
            later = self.core.recent(message.rev, head) if message.rev <= head else []
            shown = self.core.presence(
                session, message.rev, message.selection.start, message.selection.end, later
            )
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
            message = {
                "number": 0, "author": session.author, "name": session.name,
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
            self.core.state.deleted = True
            for session in list(self.sessions.values()):
                session.send(error_message("pad_deleted", f"pad {self.pad_id!r} was deleted"))
                session.close(PAD_DELETED_CLOSE, "pad deleted")
                self.core.leave(session.key)

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
        if self.fanout.shared:
            self.fanout.publish(self.pad_id, {
                "type": "revisions",
                "revisions": [self.core.carried(revision) for revision in revisions],
            })  # fmt: skip

    def _unqueue(self, item: _StoredRevision) -> None:
        key = (item.revision.client_id, item.revision.seq)
        if self._queued.get(key) is item:  # type: ignore[arg-type]
            del self._queued[key]  # type: ignore[arg-type]

    def _send_revisions(self, revisions: list[Revision], atext: AText) -> None:
        """Publish stored revisions (`atext` is the text after the last of them): an ack
        to each one's author, the revision to the others.

        On a pad with more than `TICK_SESSIONS` sessions they wait for the next tick
        (`tick_seconds`): then everything published since the last tick goes to each
        session as one frame, and the sessions that wrote none of it (most of them) get
        the very same frame, serialized once.
        """
        self.core.published(revisions, atext)
        self._unsent.extend(revisions)
        if len(self.sessions) <= TICK_SESSIONS:
            self._flush()
        elif self._tick is None:
            self._tick = asyncio.get_running_loop().call_later(
                tick_seconds(len(self.sessions)), self._flush
            )

    def _flush(self) -> None:
        """Send what waited for the tick (see `_send_revisions`)."""
        self._tick = None
        revisions, self._unsent = self._unsent, []
        if revisions:
            self._deliver(self.core.deliveries(revisions))

    def _deliver(self, deliveries: list[tuple[str, Outgoing]]) -> None:
        for key, outgoing in deliveries:
            session = self.sessions.get(key)
            if session is not None:
                session.deliver(outgoing)

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
        self.core.reset(head, pool, stored, atext)
        if stored:
            self._send_revisions(stored, atext)
        self.core.published_rev, self.core.published_atext = head, atext
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

    def hear(self, message: dict[str, Any]) -> None:
        """Queue news another process published about this pad (taken in order)."""
        self._idle_since = None  # forwarded commits keep the owner's hub open
        self._inbox.put_nowait(message)

    async def _run_inbox(self) -> None:
        while True:
            message = await self._inbox.get()
            try:
                await self.remote(message)
            except Exception:
                logger.exception("pad %s: handling news from another process failed",
                                 self.pad_id)  # fmt: skip

    async def remote(self, message: dict[str, Any]) -> None:
        """Take news another process published about this pad."""
        kind = message.get("type")
        if kind in ("forward", "reply") and message.get("to") != self.fanout.process_id:
            return
        if kind == "forward":
            await self._commit_forwarded(message)
        elif kind == "reply":
            session = self.sessions.get(str(message.get("key")))
            if session is not None and isinstance(message.get("message"), dict):
                session.send(message["message"])
        elif kind == "revisions":
            async with self.lock:
                if not self._pending():
                    taken = self.core.take(message["revisions"])
                    if taken is None:
                        await self._reload()
                    elif taken:
                        self._send_revisions(taken, self.core.state.atext)
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
        return self.core.pending or not self._queue.empty() or self._held is not None

    def _refuse(self, items: list[_Item], error: BaseException) -> None:
        """Tell the authors of unstored revisions to send them again; publish the rest."""
        for item in items:
            if isinstance(item, _StoredRevision):
                revision = item.revision
                session: Author | None = self.sessions.get(revision.client_id or "")
                origin = item.origin
                if isinstance(origin, _ClientCommit) and isinstance(
                    origin.session, ForwardedAuthor
                ):
                    session = origin.session
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
            self.core.leave(session.key)
