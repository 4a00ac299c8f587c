"""Group commit: writes that arrive together share one transaction.

Every revision is committed before it is acknowledged, so each commit waits for a
durable write; batching the writes that queue up while a transaction is in flight
keeps that durability from costing throughput::

    submit(w1) ─┐
    submit(w2) ─┼─> one transaction [w1, w2, w3] ─> futures of w1, w2, w3 resolved
    submit(w3) ─┘

A write is a plain function of a (synchronous) SQLAlchemy connection, so that a whole
transaction runs in one call: on a SQLite file in the committer's own thread (one trip
from the event loop and back per transaction, see `RevisionStore`), elsewhere through
the async engine's `run_sync`. A write may also offer `run_many(connection, writes)`:
neighbours in a batch offering the same one run as one call (one multi-row insert for a
burst of revisions), and may answer `Refused(error)` for one write of them: that write's
future fails, and the transaction goes on with the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncEngine

from policypad import metrics
from policypad.errors import RevisionGapError

logger = logging.getLogger(__name__)

Write = Callable[[Connection], Any]
MAX_BATCH = 500
"""Most writes in one transaction."""


@dataclass(frozen=True)
class Refused:
    """A write's result when that write alone is refused and has changed nothing (a
    revision another process numbered first): its future fails with `error`, while the
    batch's other writes commit. Without this, one pad's refusal failed its whole batch,
    and with several processes writing the same pads every batch held one: every write
    then went again in a transaction of its own (measured: 18% of commits stored with
    1,000 authors spread over three processes)."""

    error: Exception


class GroupCommitter:
    """Runs submitted writes in batched transactions. Start, then submit.

    With `writer_engine` (a synchronous engine on the same database) transactions run on
    it in a thread of the committer's own; otherwise on `engine`.
    """

    def __init__(self, engine: AsyncEngine, writer_engine: Engine | None = None) -> None:
        self._engine = engine
        self._writer_engine = writer_engine
        self._writer = (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="policypad-writer")
            if writer_engine is not None
            else None
        )
        self._queue: asyncio.Queue[tuple[Write, asyncio.Future[Any]]] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self.transactions = 0
        self.writes = 0

    def start(self) -> None:
        """Start the writer task (call from a running event loop)."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="group-commit")

    async def stop(self) -> None:
        """Finish the queued writes, then stop."""
        if self._task is not None:
            await self._queue.join()
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._writer is not None:
            self._writer.shutdown(wait=True)

    def submit(self, write: Write) -> asyncio.Future[Any]:
        """Queue `write`; the future resolves (to its result) once it is committed."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((write, future))
        return future

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < MAX_BATCH and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                await self._commit(batch)
            except Exception as error:
                # One bad write must not fail the others: retry each in its own transaction.
                if isinstance(error, RevisionGapError):  # another process wrote first
                    logger.info("group commit refused (%s); retrying one by one", error)
                else:
                    logger.exception(
                        "group commit of %d writes failed; retrying one by one", len(batch)
                    )
                for item in batch:
                    try:
                        await self._commit([item])
                    except Exception as error:
                        if not item[1].done():
                            item[1].set_exception(error)
            finally:
                for _ in batch:
                    self._queue.task_done()

    async def _commit(self, batch: list[tuple[Write, asyncio.Future[Any]]]) -> None:
        writes = [write for write, _ in batch]
        started = time.monotonic()
        if self._writer is not None:
            loop = asyncio.get_running_loop()
            results = await loop.run_in_executor(self._writer, self._transaction, writes)
        else:
            async with self._engine.begin() as connection:
                results = await connection.run_sync(_run_writes, writes)
        metrics.STORAGE_LATENCY.observe(time.monotonic() - started)
        self.transactions += 1
        self.writes += len(batch)
        for (_, future), result in zip(batch, results, strict=True):
            if future.done():
                continue
            if isinstance(result, Refused):
                future.set_exception(result.error)
            else:
                future.set_result(result)

    def _transaction(self, writes: list[Write]) -> list[Any]:
        """Run `writes` in one transaction on the writer engine (in the writer thread)."""
        assert self._writer_engine is not None
        with self._writer_engine.begin() as connection:
            return _run_writes(connection, writes)


def _run_writes(connection: Connection, writes: list[Write]) -> list[Any]:
    """Run `writes` in order on `connection`; return their results."""
    results: list[Any] = []
    index = 0
    while index < len(writes):
        many = getattr(writes[index], "run_many", None)
        end = index + 1
        if many is None:
            results.append(writes[index](connection))
        else:
            while end < len(writes) and getattr(writes[end], "run_many", None) == many:
                end += 1
            results.extend(many(connection, writes[index:end]))
        index = end
    return results
