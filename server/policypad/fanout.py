"""Fan-out between server processes: what one process stores, the others hear about.

PostgreSQL is the truth: a revision exists once stored there, and per-pad order comes
from the store's conditional head update (a write that does not follow the stored head
is refused, and its process rebases and retries). Redis only carries news, a pub/sub
channel per pad (every process listens to all of them with one pattern, and keeps what
concerns the pads it has open): stored revisions, presence, chat, who joined and left.
A message lost (Redis restarted, a process slow to start) costs latency, never a
revision: every process also polls the stored heads of its open pads, and catches up
from PostgreSQL when one is ahead of what it has::

    process A ── store rev N (PostgreSQL) ── publish "revisions" ──> Redis ──> process B
                                                                      (B misses it?
                                                                       its poll finds
                                                                       head N > N-1)

Each open pad also has an owner: the process holding its lease in Redis (renewed every
`LEASE_RENEW_SECONDS`, lost `LEASE_MS` after its holder stops renewing). The other
processes forward their clients' commits to the owner instead of storing them
themselves, so one process writes a busy pad and the store's order check rarely has to
refuse anything. The lease is only for speed: two processes that both think they own a
pad (a lease lost in a Redis restart) both write, and the order check keeps them right.

`NoFanout` is the embedded default: one process, nothing to tell anyone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec

logger = logging.getLogger(__name__)
CHANNEL_PREFIX = "policypad:pad:"
OWNER_PREFIX = "policypad:owner:"
LEASE_MS = 3000
"""How long a pad's lease lasts unless renewed: after a process dies, its pads have a
new owner within this (plus one renewal round)."""
LEASE_RENEW_SECONDS = 1.0
"""How often each process renews the leases of its open pads (and looks up the owners
of the others)."""
# Take the lease if it is free or ours (and extend it); answer who holds it.
_CLAIM = """
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return ARGV[1]
end
return holder
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
PUBLISH_BATCH = 500
"""Most messages published in one pipeline."""
RECONNECT_SECONDS = (0.1, 0.2, 0.5, 1.0, 2.0)
"""Waits between attempts to reach Redis again (the last one repeats)."""

Listener = Callable[[str, dict[str, Any]], Awaitable[None]]
"""Called with (pad id, message) for each message another process published."""


class NoFanout:
    """One process: nobody to tell. (The interface every fan-out has.)"""

    process_id = "single"
    connected = True
    shared = False
    """Whether other processes hear what is published (if not, a busy pad skips
    building what it would publish)."""

    async def start(self, listener: Listener) -> None:
        """Begin delivering other processes' messages to `listener`."""

    async def stop(self) -> None:
        """Stop; pending publishes are dropped (other processes poll PostgreSQL)."""

    def subscribe(self, pad_id: str) -> None:
        """Hear about this pad from now on."""

    def unsubscribe(self, pad_id: str) -> None:
        """Stop hearing about this pad."""

    def publish(self, pad_id: str, message: dict[str, Any]) -> None:
        """Tell the other processes (best effort: never blocks, never raises)."""

    async def owners(self, pad_ids: list[str]) -> dict[str, str]:
        """Claim or renew the lease of each pad; return each one's owner (process id).
        With one process there are none: every commit is stored where it arrives."""
        return {}

    async def release(self, pad_ids: list[str]) -> None:
        """Give up the leases this process holds on these pads."""


class RedisFanout(NoFanout):
    """Redis pub/sub, one channel per pad; reconnects on its own after any failure."""

    shared = True

    def __init__(self, url: str) -> None:
        import redis.asyncio as redis

        self.url = url
        self.process_id = uuid.uuid4().hex[:12]
        self.connected = False
        self._redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        # the listening connection waits for news as long as there is none: no read
        # timeout; a dead server is noticed by its health checks (a PING every 5 s)
        self._listening = redis.Redis.from_url(
            url, socket_connect_timeout=2, health_check_interval=5
        )
        self._pads: set[str] = set()
        self._outbox: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue(maxsize=10_000)
        self._tasks: list[asyncio.Task[None]] = []
        self._pubsub: Any = None
        self._listener: Listener | None = None
        self._encoder = msgspec.json.Encoder()
        self._decoder = msgspec.json.Decoder()
        self.on_reconnect: Callable[[], None] | None = None
        """Called after Redis came back: messages may have been missed meanwhile."""

    async def start(self, listener: Listener) -> None:
        self._listener = listener
        self._tasks = [
            asyncio.create_task(self._listen(), name="fanout-listen"),
            asyncio.create_task(self._send(), name="fanout-send"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        with contextlib.suppress(Exception):
            await self._redis.aclose()
            await self._listening.aclose()

    def subscribe(self, pad_id: str) -> None:
        self._pads.add(pad_id)

    def unsubscribe(self, pad_id: str) -> None:
        self._pads.discard(pad_id)

    def publish(self, pad_id: str, message: dict[str, Any]) -> None:
        payload = self._encoder.encode({**message, "process": self.process_id})
        with contextlib.suppress(asyncio.QueueFull):  # Redis away for long: drop news
            self._outbox.put_nowait((CHANNEL_PREFIX + pad_id, payload))

    async def owners(self, pad_ids: list[str]) -> dict[str, str]:
        if not pad_ids:
            return {}
        async with self._redis.pipeline(transaction=False) as pipe:
            for pad_id in pad_ids:
                pipe.eval(_CLAIM, 1, OWNER_PREFIX + pad_id, self.process_id, LEASE_MS)
            holders = await pipe.execute()
        return {
            pad_id: holder.decode() if isinstance(holder, bytes) else str(holder)
            for pad_id, holder in zip(pad_ids, holders, strict=True)
        }

    async def release(self, pad_ids: list[str]) -> None:
        if not pad_ids:
            return
        async with self._redis.pipeline(transaction=False) as pipe:
            for pad_id in pad_ids:
                pipe.eval(_RELEASE, 1, OWNER_PREFIX + pad_id, self.process_id)
            await pipe.execute()

    # -- the two tasks ------------------------------------------------------------------

    async def _send(self) -> None:
        attempt = 0
        while True:
            # what queued up meanwhile goes in one pipeline: one write and one read for
            # them all, where a publish each cost a round trip to Redis (the busiest
            # process forwards and publishes thousands of messages a second)
            batch = [await self._outbox.get()]
            while len(batch) < PUBLISH_BATCH and not self._outbox.empty():
                batch.append(self._outbox.get_nowait())
            try:
                async with self._redis.pipeline(transaction=False) as pipe:
                    for channel, payload in batch:
                        pipe.publish(channel, payload)
                    await pipe.execute()
                attempt = 0
            except Exception as error:  # Redis down: the news is lost, PostgreSQL is not
                wait = RECONNECT_SECONDS[min(attempt, len(RECONNECT_SECONDS) - 1)]
                attempt += 1
                logger.warning("publishing to Redis failed (%s); retrying in %.1f s", error, wait)
                await asyncio.sleep(wait)

    async def _listen(self) -> None:
        attempt = 0
        while True:
            try:
                self._pubsub = self._listening.pubsub(ignore_subscribe_messages=True)
                await self._pubsub.psubscribe(CHANNEL_PREFIX + "*")
                if attempt:
                    logger.warning("Redis reachable again; catching up from the database")
                    if self.on_reconnect is not None:
                        self.on_reconnect()
                self.connected = True
                attempt = 0
                async for item in self._pubsub.listen():
                    await self._deliver(item)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self.connected = False
                wait = RECONNECT_SECONDS[min(attempt, len(RECONNECT_SECONDS) - 1)]
                if attempt == 0:
                    logger.warning("lost Redis (%s); retrying", error)
                attempt += 1
                with contextlib.suppress(Exception):
                    await self._pubsub.aclose()
                await asyncio.sleep(wait)

    async def _deliver(self, item: dict[str, Any]) -> None:
        if item.get("type") != "pmessage" or self._listener is None:
            return
        channel = (
            item["channel"].decode() if isinstance(item["channel"], bytes) else item["channel"]
        )
        pad_id = channel.removeprefix(CHANNEL_PREFIX)
        if pad_id not in self._pads:
            return
        try:
            message = self._decoder.decode(item["data"])
        except msgspec.DecodeError:
            logger.warning("ignored an undecodable message on %s", channel)
            return
        if not isinstance(message, dict) or message.get("process") == self.process_id:
            return
        try:
            await self._listener(pad_id, message)
        except Exception:
            logger.exception(
                "handling a message from another process failed", extra={"pad": pad_id}
            )
