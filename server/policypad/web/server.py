"""Running the app under uvicorn, with the limits a public server needs.

- A connection must finish its request headers within `header_timeout_seconds` of
  its first byte (or of connecting): slow or half-sent headers otherwise hold a file
  descriptor forever, and a thousand of them lock everyone out.
- The process may open as many files as its hard limit allows, and uvicorn answers
  503 past `max_connections` instead of failing in `accept`.
- WebSockets run on uvicorn's sans-I/O `websockets` implementation (the legacy one is
  deprecated), with frames limited near `max_message_bytes`.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from policypad.settings import Settings

logger = logging.getLogger("policypad")
RESERVED_FILES = 64
"""File descriptors kept free of connections (database, logs, static files)."""


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing connections whose headers come too slowly."""

    header_timeout_seconds = 10.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._header_deadline: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self._arm()  # a request has begun: its headers are due (timed from its start)
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        self._disarm()  # idle between requests: uvicorn's keep-alive timeout applies
        super().on_response_complete()

    def _arm(self) -> None:
        if self._header_deadline is None:
            self._header_deadline = self.loop.call_later(
                self.header_timeout_seconds, self._headers_too_slow
            )

    def _disarm(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_too_slow(self) -> None:
        self._header_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.abort()


def raise_file_limit() -> int:
    """Raise this process's open-file limit to its hard limit; return the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = max(soft, 1_048_576)
    if soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    return soft


def run(app: Any, settings: Settings) -> None:
    """Serve `app` in the foreground until SIGINT or SIGTERM."""
    files = raise_file_limit()
    connections = max(16, min(settings.max_connections, files - RESERVED_FILES))
    GuardedH11Protocol.header_timeout_seconds = settings.header_timeout_seconds
    logger.info(
        "listening on http://%s:%d (at most %d connections)",
        settings.host, settings.port, connections,
    )  # fmt: skip
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        http=GuardedH11Protocol,
        ws="websockets-sansio",
        loop=settings.event_loop,
        ws_per_message_deflate=settings.websocket_compression,
        # a frame over max_message_bytes still arrives and gets a `too_large` error; one
        # over twice that closes the connection (1009) before it is buffered whole
        ws_max_size=2 * settings.max_message_bytes + 65_536,
        limit_concurrency=connections,
        timeout_graceful_shutdown=10,
        log_config=None,
    )
