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
}


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
    """Rejected messages in a row after which a connection is closed."""
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
        if isinstance(default, bool):
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
