"""RevisionStore: pads, revisions, snapshots and chat in the database.

Every revision is stored with its changeset, author, time and the client's
(clientId, seq); a snapshot of the text every `snapshot_interval` revisions makes
"the document at revision N" a snapshot plus at most that many changesets.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    and_,
    create_engine,
    delete,
    event,
    func,
    insert,
    literal,
    make_url,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from policypad.changeset import AText, AttributePool, ChangesetError, apply_to_atext, make_atext
from policypad.errors import RevisionGapError, RevisionNotFound, StorageError
from policypad.pad import PadState, Revision
from policypad.storage.group_commit import GroupCommitter, Refused
from policypad.storage.tables import (
    authors,
    chat,
    orphaned_revisions,
    pads,
    revisions,
    snapshots,
    versions,
)

SNAPSHOT_INTERVAL = 100
"""A snapshot of the text every this many revisions."""
POOL_JSON_PADS = 1000
"""Pads whose pool's JSON the store keeps between revisions."""
MIGRATIONS = Path(__file__).with_name("migrations")
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredPad:
    """A pad's row: head revision, times in milliseconds, deleted flag."""

    pad_id: str
    head_rev: int
    created_ms: int
    updated_ms: int
    deleted: bool


class RevisionStore:
    """Async access to stored pads. `open` it, then use; `close` at the end."""

    def __init__(
        self,
        url: str,
        snapshot_interval: int = SNAPSHOT_INTERVAL,
        busy_timeout_seconds: float = 30.0,
    ) -> None:
        self.url = url
        self.snapshot_interval = snapshot_interval
        engine_options: dict[str, Any] = {}
        if url.startswith("sqlite"):
            engine_options["connect_args"] = {"timeout": busy_timeout_seconds}
        else:
            engine_options["pool_size"] = 10
        self.engine = create_async_engine(url, **engine_options)
        if url.startswith("sqlite"):
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.writer_engine = _sqlite_writer_engine(url, busy_timeout_seconds)
        self.committer = GroupCommitter(self.engine, self.writer_engine)
        self._broken: set[str] = set()
        """Pads whose revision write was refused: their later ones are refused too (they
        were prepared on it) until `mend` (the hub has started again from the store)."""
        # pad id -> (pool, its next_num and size then, its JSON): see `_pool_json`
        self._pool_json_cache: dict[str, tuple[AttributePool, int, int, str]] = {}

    async def open(self) -> None:
        """Apply pending migrations and start the group committer."""
        _warn_if_locked(self.url)
        async with self.engine.begin() as connection:
            await connection.run_sync(_migrate)
        # alembic says "Context impl SQLiteImpl" at every look at the schema (/readyz)
        logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)
        self.committer.start()

    async def readiness_problem(self) -> str | None:
        """None if the database answers and its schema is the newest; else what is wrong."""
        try:
            async with self.engine.connect() as connection:
                current = await connection.run_sync(_current_migration)
        except Exception as error:  # any driver's failure means "not ready"
            return f"database unreachable: {type(error).__name__}"
        head = _head_migration()
        if current != head:
            return f"schema at migration {current}, expected {head}"
        return None

    async def close(self) -> None:
        """Finish queued writes and release the database."""
        await self.committer.stop()
        await self.engine.dispose()
        if self.writer_engine is not None:
            self.writer_engine.dispose()

    # -- pads ---------------------------------------------------------------

    async def create_pad(
        self,
        pad_id: str,
        atext: AText,
        pool: AttributePool,
        changeset: str,
        author: str,
        now_ms: int,
    ) -> bool:
        """Store a new pad at revision 0; False if the id is taken."""

        def write(connection: Connection) -> bool:
            exists = connection.scalar(select(pads.c.id).where(pads.c.id == pad_id))
            if exists is not None:
                return False
            connection.execute(
                insert(pads).values(
                    id=pad_id, created_ms=now_ms, updated_ms=now_ms, head_rev=0,
                    deleted=False, pool=json.dumps(pool.to_jsonable()),
                )
            )  # fmt: skip
            connection.execute(
                insert(revisions).values(
                    pad_id=pad_id, rev=0, changeset=changeset, author=author, time_ms=now_ms
                )
            )
            connection.execute(
                insert(snapshots).values(
                    pad_id=pad_id, rev=0, text=atext.text, attribs=atext.attribs
                )
            )
            return True

        return bool(await self.committer.submit(write))

    async def import_pad(
        self,
        pad_id: str,
        history: list[tuple[Revision, AText | None]],
        pool: AttributePool,
        chat_messages: list[dict[str, Any]],
        names: dict[str, tuple[str, str]],
    ) -> bool:
        """Store a whole pad with its history at once (an import): `history` holds every
        revision from 0, with the text after it where a snapshot is kept (every
        `snapshot_interval`, and the head), `names` author id -> (name, color). False
        (and nothing stored) if the id is taken."""

        def write(connection: Connection) -> bool:
            if connection.scalar(select(pads.c.id).where(pads.c.id == pad_id)) is not None:
                return False
            head, _ = history[-1]
            connection.execute(
                insert(pads).values(
                    id=pad_id, created_ms=history[0][0].time_ms, updated_ms=head.time_ms,
                    head_rev=head.rev, deleted=False, pool=json.dumps(pool.to_jsonable()),
                )
            )  # fmt: skip
            rows = [
                {"pad_id": pad_id, "rev": r.rev, "changeset": r.changeset, "author": r.author,
                 "time_ms": r.time_ms, "client_id": None, "seq": None}
                for r, _ in history
            ]  # fmt: skip
            for start in range(0, len(rows), 1000):
                connection.execute(insert(revisions), rows[start : start + 1000])
            connection.execute(insert(snapshots), [
                {"pad_id": pad_id, "rev": r.rev, "text": atext.text, "attribs": atext.attribs}
                for r, atext in history if atext is not None
            ])  # fmt: skip
            if chat_messages:
                connection.execute(insert(chat), [
                    {"pad_id": pad_id, **message} for message in chat_messages
                ])  # fmt: skip
            known = set(connection.scalars(select(authors.c.id).where(authors.c.id.in_(names))))
            fresh = [
                {"id": author, "name": name[:200], "color": color}
                for author, (name, color) in names.items() if author not in known
            ]  # fmt: skip
            if fresh:
                connection.execute(insert(authors), fresh)
            return True

        return bool(await self.committer.submit(write))

    async def author_names(self, ids: list[str]) -> dict[str, tuple[str, str]]:
        """(name, color) of the authors among `ids` that have one stored."""
        if not ids:
            return {}
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                select(authors.c.id, authors.c.name, authors.c.color).where(authors.c.id.in_(ids))
            )
            return {author: (name, color) for author, name, color in rows}

    async def pad(self, pad_id: str) -> StoredPad | None:
        """Return the pad's row, or None."""
        async with self.engine.connect() as connection:
            row = (await connection.execute(select(pads).where(pads.c.id == pad_id))).first()
        if row is None:
            return None
        return StoredPad(row.id, row.head_rev, row.created_ms, row.updated_ms, bool(row.deleted))

    async def list_pads(
        self, prefix: str = "", after: str = "", limit: int = 100
    ) -> list[StoredPad]:
        """Pads whose id starts with `prefix`, ordered by id, after the id `after`."""
        query = select(pads).where(pads.c.id > after).order_by(pads.c.id).limit(limit)
        if prefix:
            escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(pads.c.id.like(escaped + "%", escape="\\"))
        async with self.engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [
            StoredPad(row.id, row.head_rev, row.created_ms, row.updated_ms, bool(row.deleted))
            for row in rows
        ]

    async def mark_deleted(self, pad_id: str) -> None:
        """Mark a pad deleted; its history stays."""

        def write(connection: Connection) -> None:
            connection.execute(update(pads).where(pads.c.id == pad_id).values(deleted=True))

        await self.committer.submit(write)

    @contextlib.asynccontextmanager
    async def _snapshot(self) -> AsyncIterator[AsyncConnection]:
        """A read-only view of one moment: with several processes writing (PostgreSQL),
        a pad's row and its revisions must be read as of the same commit."""
        async with self.engine.connect() as connection:
            if self.engine.dialect.name == "postgresql":
                connection = await connection.execution_options(isolation_level="REPEATABLE READ")
            async with connection.begin():
                yield connection

    async def load(self, pad_id: str) -> PadState | None:
        """Return the pad's head state (rebuilt from its latest snapshot), or None.

        A pad whose history is damaged (a revision missing or not applying, left by an
        older version or by hand) loads up to its last consistent revision: the later
        ones are moved to `orphaned_revisions`, with an error in the log, so that the
        pad loads and takes new revisions again.
        """
        async with self._snapshot() as connection:
            row = (await connection.execute(select(pads).where(pads.c.id == pad_id))).first()
            if row is None:
                return None
            pool = AttributePool.from_jsonable(json.loads(row.pool))
            last = await connection.scalar(
                select(func.max(revisions.c.rev)).where(revisions.c.pad_id == pad_id)
            )
            last = row.head_rev if last is None else max(last, row.head_rev)
            rebuilt = await self._rebuild(connection, pad_id, last, pool)
        damaged = rebuilt.rev != row.head_rev or rebuilt.rev != last
        if damaged and not await self._set_aside_after(
            pad_id, rebuilt.rev, row.head_rev, last, rebuilt.problem
        ):
            return await self.load(pad_id)  # it changed meanwhile: look again
        return PadState(pad_id, rebuilt.atext, pool, rebuilt.rev, rebuilt.recent, bool(row.deleted))

    async def since(self, pad_id: str, rev: int) -> tuple[int, AttributePool, list[Revision]]:
        """The pad's stored head, its pool, and the revisions after `rev` (read as of one
        moment): what a process that published up to `rev` needs to catch up."""
        async with self._snapshot() as connection:
            row = (
                await connection.execute(
                    select(pads.c.head_rev, pads.c.pool).where(pads.c.id == pad_id)
                )
            ).first()
            if row is None:
                raise StorageError(f"pad {pad_id} is gone from the database")
            rows = await connection.execute(
                select(revisions)
                .where(
                    and_(
                        revisions.c.pad_id == pad_id,
                        revisions.c.rev > rev,
                        revisions.c.rev <= row.head_rev,
                    )
                )
                .order_by(revisions.c.rev)
            )
            found = [_revision(revision) for revision in rows]
        return row.head_rev, AttributePool.from_jsonable(json.loads(row.pool)), found

    async def _set_aside_after(
        self, pad_id: str, rev: int, seen_head: int, seen_last: int, problem: str | None
    ) -> bool:
        """Make `rev` the pad's head: move the revisions after it to orphaned_revisions.
        Only if the pad is still as it was seen (head `seen_head`, newest revision
        `seen_last`); False (and nothing moved) if another writer changed it meanwhile."""

        def write(connection: Connection) -> int:
            last = connection.scalar(
                select(func.max(revisions.c.rev)).where(revisions.c.pad_id == pad_id)
            )
            moved_head = connection.execute(
                update(pads)
                .where(and_(pads.c.id == pad_id, pads.c.head_rev == seen_head))
                .values(head_rev=rev)
            ).rowcount
            if moved_head != 1 or max(last or 0, seen_head) != seen_last:
                raise _Changed
            later = and_(revisions.c.pad_id == pad_id, revisions.c.rev > rev)
            columns = [
                revisions.c.pad_id, revisions.c.rev, revisions.c.changeset,
                revisions.c.author, revisions.c.time_ms, revisions.c.client_id, revisions.c.seq,
            ]  # fmt: skip
            found = int(time.time() * 1000)
            moved = connection.execute(
                insert(orphaned_revisions).from_select(
                    [*(column.name for column in columns), "found_ms"],
                    select(*columns, literal(found)).where(later),
                )
            ).rowcount
            connection.execute(delete(revisions).where(later))
            connection.execute(
                delete(snapshots).where(and_(snapshots.c.pad_id == pad_id, snapshots.c.rev > rev))
            )
            return int(moved)

        try:
            moved = await self.committer.submit(_Repair(write))
        except _Changed:
            return False
        logger.error(
            "pad %s: history damaged after revision %d (%s); loaded up to it and moved %d "
            "later revisions to orphaned_revisions",
            pad_id, rev, problem or "the pad's head was ahead of its revisions", moved,
        )  # fmt: skip
        return True

    async def _rebuild(
        self, connection: AsyncConnection, pad_id: str, rev: int, pool: AttributePool
    ) -> _Rebuilt:
        """The text at `rev`, or at the last revision before it that the history reaches
        without a gap or a changeset that does not apply (then with `problem` set)."""
        snapshot_rows = (
            await connection.execute(
                select(snapshots.c.rev, snapshots.c.text, snapshots.c.attribs)
                .where(and_(snapshots.c.pad_id == pad_id, snapshots.c.rev <= rev))
                .order_by(snapshots.c.rev.desc())
            )
        ).all()
        for snapshot in snapshot_rows:  # newest first; an unreadable one is skipped
            try:
                atext = make_atext(snapshot.text, snapshot.attribs)
            except ChangesetError:
                continue
            break
        else:
            raise StorageError(f"pad {pad_id} has no readable snapshot at or before {rev}")
        rows = await connection.execute(
            select(revisions.c.rev, revisions.c.changeset)
            .where(
                and_(
                    revisions.c.pad_id == pad_id,
                    revisions.c.rev > snapshot.rev,
                    revisions.c.rev <= rev,
                )
            )
            .order_by(revisions.c.rev)
        )
        recent: dict[int, str] = {}
        reached = snapshot.rev
        problem = None
        for number, changeset in rows:
            if number != reached + 1:
                problem = f"revision {reached + 1} is missing"
                break
            try:
                atext = apply_to_atext(changeset, atext, pool)
            except ChangesetError as error:
                problem = f"revision {number} does not apply: {error}"
                break
            recent[number] = changeset
            reached = number
        if problem is None and reached != rev:
            problem = f"revision {reached + 1} is missing"
        return _Rebuilt(atext, reached, recent, problem)

    async def atext_at(self, pad_id: str, rev: int) -> tuple[AText, AttributePool]:
        """Return the pad's text at revision `rev` and its pool (rev must exist)."""
        async with self.engine.connect() as connection:
            pool_json = await connection.scalar(select(pads.c.pool).where(pads.c.id == pad_id))
            pool = AttributePool.from_jsonable(json.loads(pool_json))
            rebuilt = await self._rebuild(connection, pad_id, rev, pool)
        if rebuilt.problem is not None:
            # damaged history: loading the pad sets it right, then the question is asked again
            state = await self.load(pad_id)
            if state is None or rev > state.head_rev:
                raise RevisionNotFound(f"revision {rev} of pad {pad_id} was lost")
            return await self.atext_at(pad_id, rev)
        return rebuilt.atext, pool

    # -- revisions ----------------------------------------------------------

    def append(
        self,
        pad_id: str,
        revision: Revision,
        pool: AttributePool,
        snapshot: AText | None,
    ) -> asyncio.Future[Any]:
        """Queue a new head revision (with the pool as it now is); resolves when durable."""
        row = {
            "pad_id": pad_id, "rev": revision.rev, "changeset": revision.changeset,
            "author": revision.author, "time_ms": revision.time_ms,
            "client_id": revision.client_id, "seq": revision.seq,
        }  # fmt: skip
        snapshot_row = None
        if snapshot is not None:
            snapshot_row = {
                "pad_id": pad_id, "rev": revision.rev,
                "text": snapshot.text, "attribs": snapshot.attribs,
            }  # fmt: skip
        write = _AppendRevision(row, self._pool_json(pad_id, pool), snapshot_row, self._broken)
        return self.committer.submit(write)

    def mend(self, pad_id: str) -> None:
        """The pad's hub starts again from what is stored: take its revisions again."""
        self._broken.discard(pad_id)

    def _pool_json(self, pad_id: str, pool: AttributePool) -> str:
        """The pool's JSON, serialized again only when it has changed.

        A pad's pool only gains attributes (numbers are never reused), so an unchanged
        `next_num` and size mean unchanged contents. With 200 authors, serializing it for
        every revision cost about 5% of the server's time on a busy pad.
        """
        cached = self._pool_json_cache.get(pad_id)
        if cached is not None and cached[0] is pool and cached[1:3] == (pool.next_num, len(pool)):
            return cached[3]
        text = json.dumps(pool.to_jsonable())
        self._pool_json_cache[pad_id] = (pool, pool.next_num, len(pool), text)
        if len(self._pool_json_cache) > POOL_JSON_PADS:
            del self._pool_json_cache[next(iter(self._pool_json_cache))]
        return text

    async def revisions(self, pad_id: str, since: int = 0, limit: int = 100) -> list[Revision]:
        """Return revisions numbered `since` and up, at most `limit`, oldest first."""
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                select(revisions)
                .where(and_(revisions.c.pad_id == pad_id, revisions.c.rev >= since))
                .order_by(revisions.c.rev)
                .limit(limit)
            )
            return [_revision(row) for row in rows]

    async def timeline(self, pad_id: str) -> tuple[list[int], list[str]]:
        """Every revision's time and author, in revision order (no changesets): what a
        timeslider needs to draw the whole history at once."""
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                select(revisions.c.time_ms, revisions.c.author)
                .where(revisions.c.pad_id == pad_id)
                .order_by(revisions.c.rev)
            )
            times: list[int] = []
            authors: list[str] = []
            for time_ms, author in rows:
                times.append(time_ms)
                authors.append(author)
        return times, authors

    async def changesets(self, pad_id: str, after: int, upto: int) -> dict[int, str]:
        """Return the changesets of revisions after+1..upto."""
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                select(revisions.c.rev, revisions.c.changeset).where(
                    and_(
                        revisions.c.pad_id == pad_id,
                        revisions.c.rev > after,
                        revisions.c.rev <= upto,
                    )
                )
            )
            return {number: changeset for number, changeset in rows}

    async def find_commit(self, pad_id: str, client_id: str, seq: int) -> int | None:
        """Return the revision a client's (clientId, seq) became, if it was committed."""
        async with self.engine.connect() as connection:
            return await connection.scalar(
                select(revisions.c.rev).where(
                    and_(
                        revisions.c.pad_id == pad_id,
                        revisions.c.client_id == client_id,
                        revisions.c.seq == seq,
                    )
                )
            )

    async def max_seq(self, pad_id: str, client_id: str) -> int | None:
        """Return the highest seq committed by a client on a pad, or None if it has none."""
        async with self.engine.connect() as connection:
            return await connection.scalar(
                select(func.max(revisions.c.seq)).where(
                    and_(revisions.c.pad_id == pad_id, revisions.c.client_id == client_id)
                )
            )

    async def authors(self, pad_id: str) -> list[str]:
        """Return the distinct authors of a pad's revisions."""
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                select(revisions.c.author)
                .where(revisions.c.pad_id == pad_id)
                .group_by(revisions.c.author)
                .order_by(func.min(revisions.c.rev))
            )
            return [author for (author,) in rows]

    # -- named versions -----------------------------------------------------

    async def add_version(
        self, pad_id: str, rev: int, label: str, note: str, author: str, time_ms: int
    ) -> NamedVersion | None:
        """Name revision `rev`; None if the pad already has a version with this label."""

        def write(connection: Connection) -> int | None:
            taken = connection.scalar(
                select(versions.c.id).where(
                    and_(versions.c.pad_id == pad_id, versions.c.label == label)
                )
            )
            if taken is not None:
                return None
            return connection.execute(
                insert(versions).values(
                    pad_id=pad_id, rev=rev, label=label, note=note, author=author,
                    time_ms=time_ms,
                )
            ).inserted_primary_key[0]  # fmt: skip

        number = await self.committer.submit(write)
        if number is None:
            return None
        return NamedVersion(int(number), rev, label, note, author, time_ms)

    async def versions(self, pad_id: str, at_ms: int | None = None) -> list[NamedVersion]:
        """The pad's named versions, oldest first; with `at_ms`, only the newest named at
        or before that time (the version in effect then), if any."""
        query = select(versions).where(versions.c.pad_id == pad_id)
        if at_ms is not None:
            query = (
                query.where(versions.c.time_ms <= at_ms)
                .order_by(versions.c.time_ms.desc(), versions.c.id.desc())
                .limit(1)
            )
        else:
            query = query.order_by(versions.c.time_ms, versions.c.id)
        async with self.engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [
            NamedVersion(row.id, row.rev, row.label, row.note, row.author, row.time_ms)
            for row in rows
        ]

    async def delete_version(self, pad_id: str, number: int) -> bool:
        """Remove a named version (the revision stays); False if there is none."""

        def write(connection: Connection) -> bool:
            removed = connection.execute(
                delete(versions).where(and_(versions.c.pad_id == pad_id, versions.c.id == number))
            )
            return bool(removed.rowcount)

        return bool(await self.committer.submit(write))

    # -- chat ---------------------------------------------------------------

    def add_chat(self, pad_id: str, message: dict[str, Any]) -> asyncio.Future[Any]:
        """Queue a chat message; resolves to the number it was stored under (the next
        one of the pad, counted in the transaction: several processes may add at once)."""

        def write(connection: Connection) -> int:
            highest = connection.scalar(
                select(func.max(chat.c.number)).where(chat.c.pad_id == pad_id)
            )
            number = (highest or 0) + 1
            connection.execute(
                insert(chat).values(
                    pad_id=pad_id, number=number, author=message["author"],
                    name=message["name"], text=message["text"], time_ms=message["time"],
                    rev=message["rev"],
                )
            )  # fmt: skip
            return number

        return self.committer.submit(write)

    async def heads(self, pad_ids: list[str]) -> dict[str, int]:
        """The stored head revision of each of these pads (those that exist)."""
        if not pad_ids:
            return {}
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                select(pads.c.id, pads.c.head_rev).where(pads.c.id.in_(pad_ids))
            )
            return {pad_id: head for pad_id, head in rows}

    async def chat(self, pad_id: str, since: int = 0, limit: int = 100) -> list[dict[str, Any]]:
        """Return chat messages numbered `since` and up, oldest first."""
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                select(chat)
                .where(and_(chat.c.pad_id == pad_id, chat.c.number >= since))
                .order_by(chat.c.number)
                .limit(limit)
            )
            return [_chat(row) for row in rows]

    async def recent_chat(self, pad_id: str, count: int) -> list[dict[str, Any]]:
        """Return the last `count` chat messages, oldest first."""
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                select(chat)
                .where(chat.c.pad_id == pad_id)
                .order_by(chat.c.number.desc())
                .limit(count)
            )
            return [_chat(row) for row in reversed(list(rows))]


class _AppendRevision:
    """The write of one new revision; the group committer runs those that queue up
    together as one multi-row insert (see GroupCommitter's `run_many`)."""

    def __init__(
        self,
        row: dict[str, Any],
        pool_json: str,
        snapshot: dict[str, Any] | None,
        broken: set[str],
    ) -> None:
        self.row = row
        self.pool_json = pool_json
        self.snapshot = snapshot
        self.broken = broken

    def __call__(self, connection: Connection) -> Refused | None:
        return self.run_many(connection, [self])[0]

    @staticmethod
    def run_many(connection: Connection, writes: list[Any]) -> list[Refused | None]:
        """Store revisions in one multi-row insert, each pad's row updated once.

        A pad's head only moves from the revision before the first one written here,
        so revision numbers stay gap-free by construction: once a revision's write
        has been refused, it and every later one of its pad are refused
        (RevisionGapError) until the hub has started again from what is stored. A
        refusal changes nothing, so the other pads' revisions go on in the same
        transaction.
        """
        by_pad: dict[str, list[_AppendRevision]] = {}
        for write in writes:  # in revision order
            by_pad.setdefault(write.row["pad_id"], []).append(write)
        refused: dict[int, Refused] = {}
        for pad_id, group in by_pad.items():
            first = group[0].row
            fitting = group
            if pad_id in group[0].broken:
                # a revision of this pad before these was refused: these were prepared on
                # it, and must not land on whatever another process stored in its place
                error = f"pad {pad_id}: revision {first['rev']} follows a refused one"
                fitting = []
            else:
                count = 1
                while count < len(group) and group[count].row["rev"] == first["rev"] + count:
                    count += 1
                fitting = group[:count]
                newest = fitting[-1].row
                moved = connection.execute(
                    update(pads)
                    .where(and_(pads.c.id == pad_id, pads.c.head_rev == first["rev"] - 1))
                    .values(
                        head_rev=newest["rev"], updated_ms=newest["time_ms"],
                        pool=fitting[-1].pool_json,
                    )
                ).rowcount  # fmt: skip
                if moved != 1:
                    error = f"pad {pad_id}: revision {first['rev']} does not follow the stored head"
                    fitting = []
                else:
                    error = f"pad {pad_id}: revision {newest['rev'] + 1} was expected next"
            if len(fitting) < len(group):
                group[0].broken.add(pad_id)
                for write in group[len(fitting) :]:
                    refused[id(write)] = Refused(RevisionGapError(error))
        kept = [write for write in writes if id(write) not in refused]
        if kept:
            connection.execute(insert(revisions), [write.row for write in kept])
        snapshot_rows = [write.snapshot for write in kept if write.snapshot is not None]
        if snapshot_rows:
            connection.execute(insert(snapshots), snapshot_rows)
        return [refused.get(id(write)) for write in writes]


class _Changed(Exception):
    """A repair found the pad changed since it was read: nothing is moved."""


class _Repair:
    """A repair's write: alone in its transaction (its refusal must not fail others)."""

    def __init__(self, write: Callable[[Connection], int]) -> None:
        self.write = write

    def __call__(self, connection: Connection) -> int:
        return self.write(connection)

    @staticmethod
    def run_many(connection: Connection, writes: list[Any]) -> list[int]:
        return [write(connection) for write in writes]


@dataclass(frozen=True)
class NamedVersion:
    """A label on a revision, with who named it, when, and why."""

    number: int
    rev: int
    label: str
    note: str
    author: str
    time_ms: int

    def to_jsonable(self) -> dict[str, Any]:
        return {
            "id": self.number, "rev": self.rev, "label": self.label, "note": self.note,
            "author": self.author, "time": self.time_ms,
        }  # fmt: skip


@dataclass(frozen=True)
class _Rebuilt:
    atext: AText
    rev: int
    recent: dict[int, str]
    problem: str | None


def _revision(row: Any) -> Revision:
    return Revision(row.rev, row.changeset, row.author, row.time_ms, row.client_id, row.seq)


def _chat(row: Any) -> dict[str, Any]:
    return {
        "number": row.number, "author": row.author, "name": row.name, "text": row.text,
        "time": row.time_ms, "rev": row.rev,
    }  # fmt: skip


def _sqlite_writer_engine(url: str, busy_timeout_seconds: float = 30.0) -> Engine | None:
    """A plain (threaded) engine on the same SQLite file, for the group committer.

    Through aiosqlite every statement of a transaction is a round trip between its
    thread and the event loop, and on a busy pad each trip waits for the loop: eight
    of them made a transaction of a few milliseconds take 45 ms at the p95 with 200
    authors. On this engine the committer runs the whole transaction in one trip.
    None for other databases, and for an in-memory SQLite (another connection would
    see another database).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.query.get("mode") == "memory":
        return None
    engine = create_engine(
        parsed.set(drivername="sqlite"), connect_args={"timeout": busy_timeout_seconds}
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    # WAL lets readers proceed during a write; FULL makes each commit durable on return.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


async def probe_database(url: str, timeout_seconds: float = 5.0) -> None:
    """Connect to `url` and check the server could write there; raise what fails.

    SQLite: the file opens for writing (its folder is created by the server's first
    write, so it must exist). Others: the server answers within `timeout_seconds`.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and parsed.query.get("mode") != "memory":
            probe = sqlite3.connect(database, timeout=0.5)
            try:
                probe.execute("CREATE TABLE IF NOT EXISTS policypad_probe (x INTEGER)")
                probe.execute("DROP TABLE policypad_probe")
            except sqlite3.OperationalError as error:
                if "locked" not in str(error):  # a lock is only warned about (see open)
                    raise
            finally:
                probe.close()
        return
    engine = create_async_engine(url, connect_args={"timeout": timeout_seconds})
    try:
        async with engine.connect() as connection:
            await connection.execute(select(literal(1)))
    finally:
        await engine.dispose()


def _warn_if_locked(url: str) -> None:
    """Warn at start when another process holds a SQLite file's write lock: every write
    would wait for it (and fail after the busy timeout)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    if not Path(parsed.database).exists():
        return
    probe = sqlite3.connect(parsed.database, timeout=0.2)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.rollback()
    except sqlite3.OperationalError as error:
        logger.warning(
            "the SQLite file %s is locked by another process (%s): writes will wait for it",
            parsed.database, error,
        )  # fmt: skip
    finally:
        probe.close()


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _current_migration(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _head_migration() -> str | None:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def _migrate(connection: Connection) -> None:
    config = _alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
