"""The open pads of this process: their hubs, loaded on demand and unloaded when idle,
and what connects them to other processes (Redis news, polls of the stored heads)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from policypad import metrics
from policypad.document import Document, Schema
from policypad.fanout import LEASE_RENEW_SECONDS, NoFanout
from policypad.hub import PadHub, now_ms
from policypad.pad.create import initial_changeset
from policypad.settings import Settings
from policypad.storage import RevisionStore

logger = logging.getLogger(__name__)
USERS_EVERY_SECONDS = 10.0
"""How often each process announces the users of its open pads to the others."""


class Hubs:
    """The open pads' hubs, loaded on demand."""

    def __init__(
        self,
        store: RevisionStore,
        settings: Settings,
        schema: Schema,
        fanout: NoFanout | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.schema = schema
        self.fanout = fanout if fanout is not None else NoFanout()
        self._hubs: dict[str, PadHub] = {}
        self._loading: dict[str, asyncio.Future[PadHub | None]] = {}
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Start the background work: unloading idle pads and, with other processes,
        listening to their news, polling the stored heads, announcing users."""
        self._tasks.append(asyncio.create_task(self._sweep(), name="unload-idle-pads"))
        if type(self.fanout) is NoFanout:
            return
        self.fanout.on_reconnect = self._catch_up_soon  # type: ignore[attr-defined]
        await self.fanout.start(self._heard)
        self._tasks.append(asyncio.create_task(self._poll(), name="poll-heads"))
        self._tasks.append(asyncio.create_task(self._announce(), name="announce-users"))
        self._tasks.append(asyncio.create_task(self._lease(), name="pad-leases"))

    async def get(self, pad_id: str) -> PadHub | None:
        """Return the pad's hub (loading the pad), or None if there is no such pad."""
        hub = self._hubs.get(pad_id)
        if hub is not None and not hub.failed:
            return hub
        loading = self._loading.get(pad_id)
        if loading is not None:
            return await asyncio.shield(loading)
        loading = self._loading[pad_id] = asyncio.get_running_loop().create_future()
        try:
            hub = await self._load(pad_id)
        except BaseException as error:
            loading.set_exception(error)
            loading.exception()  # retrieved: the waiters, if any, raise it themselves
            raise
        else:
            loading.set_result(hub)
            return hub
        finally:
            del self._loading[pad_id]

    async def _load(self, pad_id: str) -> PadHub | None:
        self.fanout.subscribe(pad_id)  # before loading: nothing stored after is missed
        state = await self.store.load(pad_id)
        if state is None:
            if pad_id not in self._hubs:
                self.fanout.unsubscribe(pad_id)
            return None
        chat = await self.store.recent_chat(pad_id, self.settings.chat_history)
        old = self._hubs.get(pad_id)
        if old is not None:
            metrics.PADS_OPEN.dec()
        hub = PadHub(self.store, state, self.settings, self.schema, chat, self.fanout)
        self._hubs[pad_id] = hub
        await self._find_owners([hub])
        self.fanout.publish(pad_id, {"type": "who"})  # the other processes' users, please
        return hub

    async def create(self, pad_id: str, document: Document, author: str) -> bool:
        """Store a new pad at revision 0 holding `document`; False if the id is taken
        (whatever the pad holds then stays as it is)."""
        return await self.store.create_pad(
            pad_id, document.atext, document.pool, initial_changeset(document.atext), author,
            now_ms(),
        )  # fmt: skip

    def loaded(self, pad_id: str) -> PadHub | None:
        hub = self._hubs.get(pad_id)
        return hub if hub is not None and not hub.failed else None

    def __len__(self) -> int:
        return len(self._hubs)

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for hub in self._hubs.values():
            await hub.close()
        with contextlib.suppress(Exception):  # else the leases lapse by themselves
            await self.fanout.release(list(self._hubs))
        await self.fanout.stop()

    # -- background work ----------------------------------------------------------------

    async def _sweep(self) -> None:
        """Unload pads nobody has used for `idle_pad_seconds` (their memory is not kept
        for pads that are read once, or were opened by a client that left)."""
        interval = max(1.0, self.settings.idle_pad_seconds / 2)
        while True:
            await asyncio.sleep(interval)
            now = asyncio.get_running_loop().time()
            for pad_id, hub in list(self._hubs.items()):
                if hub.idle_since is not None and now - hub.idle_since >= interval * 2:
                    if pad_id in self._loading:
                        continue
                    del self._hubs[pad_id]
                    self.fanout.unsubscribe(pad_id)
                    await hub.close()
                    with contextlib.suppress(Exception):
                        await self.fanout.release([pad_id])

    async def _heard(self, pad_id: str, message: dict[str, Any]) -> None:
        # Queued, not awaited: one pad waiting for its lock (or the database) must not
        # hold up every other pad's news behind it.
        hub = self._hubs.get(pad_id)
        if hub is not None and not hub.failed:
            hub.hear(message)

    async def _lease(self) -> None:
        """Hold the leases of the open pads nobody else owns, and learn the owners of the
        others (see `policypad.fanout`)."""
        while True:
            await asyncio.sleep(LEASE_RENEW_SECONDS)
            await self._find_owners([hub for hub in self._hubs.values() if not hub.failed])

    async def _find_owners(self, hubs: list[PadHub]) -> None:
        try:
            owners = await self.fanout.owners([hub.pad_id for hub in hubs])
        except Exception as error:  # Redis away: every process stores its own commits
            logger.warning("looking up the pads' owners failed: %s", error)
            owners = {}
        for hub in hubs:
            hub.owner = owners.get(hub.pad_id)

    async def _poll(self) -> None:
        """Catch up the pads whose stored head is ahead of what their hub published
        (another process's news was lost, or Redis is away)."""
        while True:
            await asyncio.sleep(self.settings.poll_seconds)
            try:
                await self.catch_up_all()
            except Exception as error:  # the database away: the next poll tries again
                logger.warning("polling the stored heads failed: %s", error)

    async def catch_up_all(self) -> None:
        """Catch up every open pad that is behind its stored head."""
        hubs = {pad_id: hub for pad_id, hub in self._hubs.items() if not hub.failed}
        heads = await self.store.heads(list(hubs))
        for pad_id, head in heads.items():
            hub = hubs[pad_id]
            if head > hub.published_rev:
                await hub.catch_up()

    def _catch_up_soon(self) -> None:
        task = asyncio.create_task(self.catch_up_all())
        task.add_done_callback(lambda done: done.cancelled() or done.exception())

    async def _announce(self) -> None:
        """Tell the other processes which users each open pad has here, and forget the
        users of processes that went quiet."""
        while True:
            await asyncio.sleep(USERS_EVERY_SECONDS)
            for hub in list(self._hubs.values()):
                hub.peers.expire(hub.sessions.values())
                hub.announce_users()
