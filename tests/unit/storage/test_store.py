"""RevisionStore and its group commit on a real SQLite file: revisions that queue up
together are stored in one transaction, in order; a bad write fails alone."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text

from policypad.changeset import AttributePool, apply_to_atext, identity, make_atext, make_splice
from policypad.errors import RevisionGapError
from policypad.pad import Revision
from policypad.storage.store import RevisionStore

pytestmark = pytest.mark.asyncio


async def _store(tmp_path: Path) -> RevisionStore:
    store = RevisionStore(f"sqlite+aiosqlite:///{tmp_path / 'pads.sqlite3'}", snapshot_interval=4)
    await store.open()
    start = make_atext("\n")
    assert await store.create_pad("p", start, AttributePool(), identity(1), "a.test", 1)
    return store


def _typed(
    store: RevisionStore, pad_id: str, rev: int, before: str, typed: str, seq: int
) -> asyncio.Future[None]:
    """Queue revision `rev` of `pad_id`, typing `typed` at the start of `before`."""
    revision = Revision(rev, make_splice(before, 0, 0, typed), "a.a", rev + 1, "ca", seq)
    return store.append(pad_id, revision, AttributePool(), None)


async def test_a_burst_of_revisions_is_one_transaction_in_order(tmp_path: Path) -> None:
    store = await _store(tmp_path)
    pool = AttributePool()
    atext = make_atext("\n")
    futures = []
    transactions = store.committer.transactions
    for rev in range(1, 11):  # submitted without waiting: they queue up together
        changeset = make_splice(atext.text, 0, 0, str(rev % 10), [("author", "a.x")], pool)
        atext = apply_to_atext(changeset, atext, pool)
        snapshot = atext if rev % 4 == 0 else None
        revision = Revision(rev, changeset, "a.x", 1000 + rev, "client", rev)
        futures.append(store.append("p", revision, pool, snapshot))
    await asyncio.gather(*futures)
    assert store.committer.transactions - transactions == 1
    stored = await store.revisions("p", 1, 100)
    assert [r.rev for r in stored] == list(range(1, 11))
    assert [r.seq for r in stored] == list(range(1, 11))
    pad = await store.pad("p")
    assert pad is not None and pad.head_rev == 10 and pad.updated_ms == 1010
    loaded = await store.load("p")
    assert loaded is not None and loaded.atext == atext
    async with store.engine.connect() as connection:
        snapshot_revs = (await connection.execute(text("SELECT rev FROM snapshots"))).scalars()
        assert sorted(snapshot_revs) == [0, 4, 8]
    for rev in (3, 6, 9):  # rebuilt from the nearest snapshot before it
        rebuilt, _ = await store.atext_at("p", rev)
        assert rebuilt.text == "".join(str(n % 10) for n in range(rev, 0, -1)) + "\n"
    await store.close()


async def test_a_failing_write_fails_alone(tmp_path: Path) -> None:
    store = await _store(tmp_path)
    pool = AttributePool()
    good = Revision(1, "Z:1>1*0+1$a", "a.x", 2, "c", 1)
    duplicate = Revision(0, identity(1), "a.x", 2, "c", 2)  # revision 0 exists already
    futures = [
        store.append("p", good, pool, None),
        store.append("p", duplicate, pool, None),
    ]
    pool.put_attrib(("author", "a.x"))
    results = await asyncio.gather(*futures, return_exceptions=True)
    assert results[0] is None and isinstance(results[1], Exception)
    assert [r.rev for r in await store.revisions("p", 0, 10)] == [0, 1]
    await store.close()


async def test_the_stored_pool_follows_the_pool_as_it_grows(tmp_path: Path) -> None:
    store = await _store(tmp_path)
    pool = AttributePool()
    atext = make_atext("\n")
    for rev, author in enumerate(["a.x", "a.x", "a.y", "a.y", "a.z"], start=1):
        changeset = make_splice(atext.text, 0, 0, "t", [("author", author)], pool)
        atext = apply_to_atext(changeset, atext, pool)
        await store.append("p", Revision(rev, changeset, author, rev, "c", rev), pool, None)
        loaded = await store.load("p")  # the pool is read back from the pad's row
        assert loaded is not None and loaded.pool == pool and loaded.atext == atext
    # the JSON is cached per pad, and made again only when the pool gained attributes
    cached_pool, next_num, size, _ = store._pool_json_cache["p"]
    assert cached_pool is pool and (next_num, size) == (pool.next_num, len(pool)) == (3, 3)
    await store.close()


async def test_a_sqlite_file_is_written_from_the_committers_own_thread(tmp_path: Path) -> None:
    """One trip from the event loop per transaction: the writes run on a plain engine in
    a thread of the committer's; what they store is what the async engine reads."""
    store = await _store(tmp_path)
    assert store.writer_engine is not None
    threads: list[str] = []
    original = store.committer._transaction

    def spy(writes):  # type: ignore[no-untyped-def]
        import threading

        threads.append(threading.current_thread().name)
        return original(writes)

    store.committer._transaction = spy  # type: ignore[method-assign]
    await store.mark_deleted("p")
    assert threads and threads[0].startswith("policypad-writer")
    pad = await store.pad("p")
    assert pad is not None and pad.deleted
    await store.close()


@pytest.mark.parametrize(
    "url",
    ["sqlite+aiosqlite://", "sqlite+aiosqlite:///:memory:", "postgresql+asyncpg://u@h/db"],
)
async def test_in_memory_sqlite_and_other_databases_are_written_through_the_async_engine(
    url: str,
) -> None:
    from policypad.storage.store import _sqlite_writer_engine

    assert _sqlite_writer_engine(url) is None


async def test_after_a_refused_revision_the_ones_prepared_on_it_are_refused_too(
    tmp_path: Path,
) -> None:
    """Two writers (two processes) on one database: B stores revision 1 first; A's 1 is
    refused, and so is A's 2, which would otherwise fit B's head and land on text it was
    not made for. After `mend`, A's new revisions are taken again."""
    first = await _store(tmp_path)
    second = RevisionStore(first.url)
    await second.open()
    pool = AttributePool()
    await second.append("p", Revision(1, make_splice("\n", 0, 0, "b"), "a.b", 1, "cb", 1),
                        pool, None)  # fmt: skip
    mine = [
        first.append("p", Revision(1, make_splice("\n", 0, 0, "a"), "a.a", 2, "ca", 1), pool,
                     None),
        first.append("p", Revision(2, make_splice("a\n", 0, 0, "a"), "a.a", 3, "ca", 2), pool,
                     None),
    ]  # fmt: skip
    results = await asyncio.gather(*mine, return_exceptions=True)
    assert all(isinstance(result, RevisionGapError) for result in results), results
    assert [(r.rev, r.author) for r in await first.revisions("p", 0, 10)] == [
        (0, "a.test"), (1, "a.b"),
    ]  # fmt: skip
    first.mend("p")
    await first.append("p", Revision(2, make_splice("b\n", 0, 0, "a"), "a.a", 4, "ca", 1),
                       pool, None)  # fmt: skip
    loaded = await first.load("p")
    assert loaded is not None and loaded.atext.text == "ab\n"
    for store in (first, second):
        await store.close()


async def test_a_refused_revision_leaves_the_other_pads_in_its_transaction(
    tmp_path: Path,
) -> None:
    """A's batch holds pad p's revision 1, which B stored first, between revisions of
    pad q: p's is refused alone, and q's go in the same one transaction (with several
    processes on the same pads almost every batch holds a refusal)."""
    first = await _store(tmp_path)
    assert await first.create_pad("q", make_atext("\n"), AttributePool(), identity(1), "a.t", 1)
    second = RevisionStore(first.url)
    await second.open()
    pool = AttributePool()
    await second.append("p", Revision(1, make_splice("\n", 0, 0, "b"), "a.b", 1, "cb", 1),
                        pool, None)  # fmt: skip
    transactions = first.committer.transactions
    mine = [
        _typed(first, "q", 1, "\n", "x", seq=1),
        _typed(first, "p", 1, "\n", "a", seq=2),
        _typed(first, "q", 2, "x\n", "y", seq=3),
        _typed(first, "p", 2, "a\n", "a", seq=4),
    ]
    results = await asyncio.gather(*mine, return_exceptions=True)
    assert first.committer.transactions - transactions == 1
    assert results[0] is None and results[2] is None, results
    assert isinstance(results[1], RevisionGapError) and isinstance(results[3], RevisionGapError)
    loaded_q = await first.load("q")
    assert loaded_q is not None and loaded_q.atext.text == "yx\n" and loaded_q.head_rev == 2
    assert [(r.rev, r.author) for r in await first.revisions("p", 0, 10)] == [
        (0, "a.test"), (1, "a.b"),
    ]  # fmt: skip
    for store in (first, second):
        await store.close()


async def test_revisions_after_a_gap_in_one_batch_are_refused_and_the_ones_before_kept(
    tmp_path: Path,
) -> None:
    store = await _store(tmp_path)
    mine = [
        _typed(store, "p", 1, "\n", "a", seq=1),
        _typed(store, "p", 3, "a\n", "b", seq=2),
        _typed(store, "p", 4, "ba\n", "c", seq=3),
    ]
    results = await asyncio.gather(*mine, return_exceptions=True)
    assert results[0] is None
    assert all(isinstance(result, RevisionGapError) for result in results[1:]), results
    loaded = await store.load("p")
    assert loaded is not None and loaded.head_rev == 1 and loaded.atext.text == "a\n"
    await store.close()
