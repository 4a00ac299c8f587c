"""Server settings: defaults, then a config file, then environment variables, then flags."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

DEFAULT_DB = "sqlite+aiosqlite:///policypad.sqlite3"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_ENV = {
    "db": "POLICYPAD_DB",
    "secret": "POLICYPAD_SECRET",
    "api_key": "POLICYPAD_API_KEY",
    "host": "POLICYPAD_HOST",
    "port": "POLICYPAD_PORT",
    "commits_per_second": "POLICYPAD_COMMITS_PER_SECOND",
    "max_message_bytes": "POLICYPAD_MAX_MESSAGE_BYTES",
    "websocket_compression": "POLICYPAD_WEBSOCKET_COMPRESSION",
    "broadcast_interval_ms": "POLICYPAD_BROADCAST_INTERVAL_MS",
    "event_loop": "POLICYPAD_EVENT_LOOP",
    "allowed_origins": "POLICYPAD_ALLOWED_ORIGINS",
    "allowed_hosts": "POLICYPAD_ALLOWED_HOSTS",
    "join_timeout_seconds": "POLICYPAD_JOIN_TIMEOUT_SECONDS",
    "header_timeout_seconds": "POLICYPAD_HEADER_TIMEOUT_SECONDS",
    "max_queued_bytes": "POLICYPAD_MAX_QUEUED_BYTES",
    "max_request_bytes": "POLICYPAD_MAX_REQUEST_BYTES",
    "max_import_bytes": "POLICYPAD_MAX_IMPORT_BYTES",
    "max_image_bytes": "POLICYPAD_MAX_IMAGE_BYTES",
    "image_store": "POLICYPAD_IMAGE_STORE",
    "presence_per_second": "POLICYPAD_PRESENCE_PER_SECOND",
    "messages_per_second": "POLICYPAD_MESSAGES_PER_SECOND",
    "sqlite_busy_timeout_seconds": "POLICYPAD_SQLITE_BUSY_TIMEOUT_SECONDS",
    "log_format": "POLICYPAD_LOG_FORMAT",
    "static_root": "POLICYPAD_STATIC_ROOT",
    "redis": "POLICYPAD_REDIS",
    "poll_seconds": "POLICYPAD_POLL_SECONDS",
    "allowed_classes": "POLICYPAD_ALLOWED_CLASSES",
    "allowed_attributes": "POLICYPAD_ALLOWED_ATTRIBUTES",
}
MIN_SECRET_BYTES = 32
"""Shortest POLICYPAD_SECRET and POLICYPAD_API_KEY accepted (HS256 wants 256 bits)."""


@dataclass(frozen=True)
class Settings:
    """Everything `policypad serve` can be told. Units are in the names."""

    host: str = "127.0.0.1"
    port: int = 9001
    db: str = DEFAULT_DB
    secret: str | None = None
    api_key: str | None = None
    insecure: bool = False
    max_message_bytes: int = 1_048_576
    commits_per_second: float = 20.0
    commit_burst: int = 40
    abusive_errors: int = 200
    """Rejected messages a connection may send at once before it is closed (1008); the
    allowance grows back by `errors_per_second`, whatever else the client sends."""
    errors_per_second: float = 1.0
    messages_per_second: float = 100.0
    """Frames of any kind a connection may send a second (bursts of twice as many)."""
    presence_per_second: int = 10
    """Presence updates a session shows a second; faster ones wait (the newest wins)."""
    join_timeout_seconds: float = 10.0
    """A WebSocket that has not sent `join` by then is closed."""
    header_timeout_seconds: float = 10.0
    """A connection whose HTTP request headers are not complete by then is closed."""
    max_queued_bytes: int = 8 * 1024 * 1024
    """What may wait for a client that is not reading before it is cut off (1013)."""
    max_request_bytes: int = 4 * 1024 * 1024
    """Largest REST request body (413 beyond)."""
    max_import_bytes: int = 64 * 1024 * 1024
    """Largest file a pad is imported from (an Etherpad export with its whole history)."""
    max_image_bytes: int = 10 * 1024 * 1024
    """Largest image kept (an upload, or one ``data:`` image of an import): 413 beyond."""
    image_store: str | None = None
    """``package.module:function``: an async function that keeps images instead of the
    server (see policypad/images/hook.py); None: images are kept in the pads' database."""
    max_connections: int = 10_000
    redis: str | None = None
    """redis://host:port/db: several processes share the pads (with PostgreSQL); each
    process's news reaches the others through it. None: one process."""
    poll_seconds: float = 1.0
    """With Redis: how often a process compares its open pads with the stored heads (it
    catches up if another process's news was lost)."""
    idle_pad_seconds: float = 120.0
    """A pad with no session and no work for about this long is unloaded from memory."""
    sqlite_busy_timeout_seconds: float = 30.0
    """How long a SQLite write waits for a lock held by another process before failing."""
    allowed_origins: tuple[str, ...] = ()
    """Browser origins (``https://app.example.com``) whose pages may open sessions and
    call the API; also the page's own origin. Open mode adds loopback origins."""
    allowed_hosts: tuple[str, ...] = ()
    """Host names the server answers to. Default: any with a secret; in open mode only
    loopback names and `host` (no DNS rebinding onto an open server)."""
    log_format: str = "text"
    """``text`` (logfmt-style key=value lines) or ``json`` (one JSON object a line)."""
    allowed_classes: tuple[str, ...] = ()
    """Class names the document model keeps (on text and blocks); others are dropped."""
    allowed_attributes: tuple[str, ...] = ()
    """Further HTML attributes the document model keeps (``title``, ``lang``...)."""
    allow_data_images: bool = False
    snapshot_interval: int = 100
    chat_history: int = 50
    chat_max_chars: int = 10_000
    static_root: str | None = None
    websocket_compression: bool = False
    """permessage-deflate on WebSocket frames. Off by default: frames are small revisions,
    and compressing each one for each client costs the server a third of its CPU under
    load and about 150 KB of memory per connection for little saved bandwidth."""
    broadcast_interval_ms: float = 0.0
    """Least time between two frames to a client that joined with `batch`. A message for
    a client that got no frame for this long goes out at once; what arrives sooner waits
    and goes out with the others in one frame, so however busy the pad, each such client
    costs the server at most one frame per interval. Off (0) by default: revisions already
    reach clients in bursts, one per group commit (about 30 a second with 200 authors on
    one pad), and 10 ms saved no server CPU at 50 or 200 authors but added 3 to 7 ms to
    the latency at 50 and more than 10 ms at the p95 at 200."""

    event_loop: str = "auto"
    """``uvloop``, ``asyncio``, or ``auto``: uvloop where it is installed (it is a
    dependency but for Windows), else asyncio's own loop. With 200 authors on one pad
    uvloop costs about a third less CPU per commit (see the README's benchmarks)."""

    @property
    def is_open(self) -> bool:
        """Whether clients connect without tokens (local development)."""
        return not self.secret

    def check(self) -> None:
        """Raise ValueError for a combination the server must refuse."""
        if self.is_open and self.host not in LOOPBACK_HOSTS and not self.insecure:
            raise ValueError(
                f"refusing to serve without POLICYPAD_SECRET on {self.host}: set a secret "
                "or pass --insecure"
            )
        if self.secret and not self.api_key:
            raise ValueError("POLICYPAD_SECRET is set but POLICYPAD_API_KEY is not")
        for name, value in (("POLICYPAD_SECRET", self.secret), ("POLICYPAD_API_KEY", self.api_key)):
            if value and len(value.encode()) < MIN_SECRET_BYTES:
                raise ValueError(
                    f"{name} must be at least {MIN_SECRET_BYTES} bytes long "
                    "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
                )
        if self.redis and self.db.startswith("sqlite"):
            raise ValueError(
                "several processes (--redis) need PostgreSQL (--db postgresql+asyncpg://...)"
            )
        if self.max_image_bytes < 1:
            raise ValueError("max_image_bytes must be at least 1")
        if self.image_store:
            from policypad.images.hook import load_hook

            load_hook(self.image_store)  # a name that does not load stops the server here
        if self.event_loop not in ("auto", "asyncio", "uvloop"):
            raise ValueError(f"event_loop must be auto, asyncio or uvloop, not {self.event_loop!r}")
        if self.log_format not in ("text", "json"):
            raise ValueError(f"log_format must be text or json, not {self.log_format!r}")

    @property
    def hosts(self) -> tuple[str, ...]:
        """The Host names to answer to (see `allowed_hosts`); ("*",) for any."""
        if self.allowed_hosts:
            return self.allowed_hosts
        if self.is_open:
            return tuple(sorted({*LOOPBACK_HOSTS, "[::1]", self.host}))
        return ("*",)


def load_settings(
    config_file: str | None = None,
    environ: dict[str, str] | None = None,
    **flags: Any,
) -> Settings:
    """Return settings from defaults, a TOML file, POLICYPAD_* variables and flags, in order."""
    values: dict[str, Any] = {}
    if config_file:
        values.update(tomllib.loads(Path(config_file).read_text(encoding="utf-8")))
    environ = os.environ if environ is None else environ
    for name, variable in _ENV.items():
        if variable in environ:
            values[name] = environ[variable]
    values.update({name: value for name, value in flags.items() if value is not None})
    known = {field.name: field.type for field in fields(Settings)}
    unknown = set(values) - set(known)
    if unknown:
        raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
    settings = Settings()
    typed: dict[str, Any] = {}
    for name, value in values.items():
        default = getattr(settings, name)
        if isinstance(default, tuple):
            items = value.split(",") if isinstance(value, str) else list(value)
            typed[name] = tuple(str(item).strip() for item in items if str(item).strip())
        elif isinstance(default, bool):
            typed[name] = (
                value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
            )
        elif isinstance(default, int):
            typed[name] = int(value)
        elif isinstance(default, float):
            typed[name] = float(value)
        else:
            typed[name] = value
    return replace(settings, **typed)
