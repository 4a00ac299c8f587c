"""RevisionStore: pads, revisions, snapshots and chat in the database.

Every revision is stored with its changeset, author, time and the client's
(clientId, seq); a snapshot of the text every `snapshot_interval` revisions makes
"the document at revision N" a snapshot plus at most that many changesets.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import and_, create_engine, event, func, insert, make_url, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from policypad.changeset import AText, AttributePool, apply_to_atext, make_atext
from policypad.pad import PadState, Revision
from policypad.storage.group_commit import GroupCommitter
from policypad.storage.tables import chat, pads, revisions, snapshots

SNAPSHOT_INTERVAL = 100
"""A snapshot of the text every this many revisions."""
POOL_JSON_PADS = 1000
"""Pads whose pool's JSON the store keeps between revisions."""
MIGRATIONS = Path(__file__).with_name("migrations")


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

    def __init__(self, url: str, snapshot_interval: int = SNAPSHOT_INTERVAL) -> None:
        self.url = url
        self.snapshot_interval = snapshot_interval
        engine_options: dict[str, Any] = {}
        if url.startswith("sqlite"):
            engine_options["connect_args"] = {"timeout": 30}
        else:
            engine_options["pool_size"] = 10
        self.engine = create_async_engine(url, **engine_options)
        if url.startswith("sqlite"):
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.writer_engine = _sqlite_writer_engine(url)
        self.committer = GroupCommitter(self.engine, self.writer_engine)
        # pad id -> (pool, its next_num and size then, its JSON): see `_pool_json`
        self._pool_json_cache: dict[str, tuple[AttributePool, int, int, str]] = {}

    async def open(self) -> None:
        """Apply pending migrations and start the group committer."""
        async with self.engine.begin() as connection:
            await connection.run_sync(_migrate)
        self.committer.start()

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

    async def pad(self, pad_id: str) -> StoredPad | None:
        """Return the pad's row, or None."""
        async with self.engine.connect() as connection:
            row = (await connection.execute(select(pads).where(pads.c.id == pad_id))).first()
        if row is None:
            return None
        return StoredPad(row.id, row.head_rev, row.created_ms, row.updated_ms, bool(row.deleted))

    async def mark_deleted(self, pad_id: str) -> None:
        """Mark a pad deleted; its history stays."""

        def write(connection: Connection) -> None:
            connection.execute(update(pads).where(pads.c.id == pad_id).values(deleted=True))

        await self.committer.submit(write)

    async def load(self, pad_id: str) -> PadState | None:
        """Return the pad's head state (rebuilt from its latest snapshot), or None."""
        async with self.engine.connect() as connection:
            row = (await connection.execute(select(pads).where(pads.c.id == pad_id))).first()
            if row is None:
                return None
            pool = AttributePool.from_jsonable(json.loads(row.pool))
            atext, recent = await self._rebuild(connection, pad_id, row.head_rev, pool)
        return PadState(pad_id, atext, pool, row.head_rev, recent)

    async def _rebuild(
        self, connection: AsyncConnection, pad_id: str, rev: int, pool: AttributePool
    ) -> tuple[AText, dict[int, str]]:
        snapshot = (
            await connection.execute(
                select(snapshots)
                .where(and_(snapshots.c.pad_id == pad_id, snapshots.c.rev <= rev))
                .order_by(snapshots.c.rev.desc())
                .limit(1)
            )
        ).first()
        atext = make_atext(snapshot.text, snapshot.attribs)
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
        recent = {}
        for number, changeset in rows:
            atext = apply_to_atext(changeset, atext, pool)
            recent[number] = changeset
        return atext, recent

    async def atext_at(self, pad_id: str, rev: int) -> tuple[AText, AttributePool]:
        """Return the pad's text at revision `rev` and its pool (rev must exist)."""
        async with self.engine.connect() as connection:
            pool_json = await connection.scalar(select(pads.c.pool).where(pads.c.id == pad_id))
            pool = AttributePool.from_jsonable(json.loads(pool_json))
            atext, _ = await self._rebuild(connection, pad_id, rev, pool)
        return atext, pool

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
        write = _AppendRevision(row, self._pool_json(pad_id, pool), snapshot_row)
        return self.committer.submit(write)

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

    # -- chat ---------------------------------------------------------------

    def add_chat(self, pad_id: str, message: dict[str, Any]) -> asyncio.Future[Any]:
        """Queue a chat message (with its number); resolves when durable."""

        def write(connection: Connection) -> None:
            connection.execute(
                insert(chat).values(
                    pad_id=pad_id, number=message["number"], author=message["author"],
                    name=message["name"], text=message["text"], time_ms=message["time"],
                    rev=message["rev"],
                )
            )  # fmt: skip

        return self.committer.submit(write)

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

    def __init__(self, row: dict[str, Any], pool_json: str, snapshot: dict[str, Any] | None):
        self.row = row
        self.pool_json = pool_json
        self.snapshot = snapshot

    def __call__(self, connection: Connection) -> None:
        self.run_many(connection, [self])

    @staticmethod
    def run_many(connection: Connection, writes: list[Any]) -> list[None]:
        connection.execute(insert(revisions), [write.row for write in writes])
        # each pad's row once, from its newest revision (writes come in revision order)
        newest = {write.row["pad_id"]: write for write in writes}
        for pad_id, write in newest.items():
            connection.execute(
                update(pads)
                .where(pads.c.id == pad_id)
                .values(
                    head_rev=write.row["rev"], updated_ms=write.row["time_ms"],
                    pool=write.pool_json,
                )
            )  # fmt: skip
        snapshot_rows = [write.snapshot for write in writes if write.snapshot is not None]
        if snapshot_rows:
            connection.execute(insert(snapshots), snapshot_rows)
        return [None] * len(writes)


def _revision(row: Any) -> Revision:
    return Revision(row.rev, row.changeset, row.author, row.time_ms, row.client_id, row.seq)


def _chat(row: Any) -> dict[str, Any]:
    return {
        "number": row.number, "author": row.author, "name": row.name, "text": row.text,
        "time": row.time_ms, "rev": row.rev,
    }  # fmt: skip


def _sqlite_writer_engine(url: str) -> Engine | None:
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
    engine = create_engine(parsed.set(drivername="sqlite"), connect_args={"timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    # WAL lets readers proceed during a write; FULL makes each commit durable on return.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _migrate(connection: Connection) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
