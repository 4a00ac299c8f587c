"""Which browser pages may use the server: the `Origin` a browser sends, checked.

A browser sends `Origin` with every WebSocket handshake and every cross-site request;
a page on a site the operator did not list must not open a session with its visitor's
token or create pads. Clients that are not browsers send no `Origin`: they cannot act
with someone else's credentials, so they pass (tokens still apply).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from policypad.settings import LOOPBACK_HOSTS, Settings

_LOOPBACK = {*LOOPBACK_HOSTS, "[::1]"}


def normalized_origin(origin: str) -> str | None:
    """``scheme://host[:port]`` in lower case, or None if `origin` is not one."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port is not None else "")


def origin_allowed(origin: str | None, host_header: str | None, settings: Settings) -> bool:
    """Whether a request carrying `Origin: origin` to `Host: host_header` may proceed."""
    if origin is None:
        return True
    normalized = normalized_origin(origin)
    if normalized is None:
        return False  # "null" (sandboxed frames, file: pages) or garbage
    if host_header and normalized.split("://", 1)[1] == host_header.strip().lower():
        return True  # the server's own pages
    allowed = {normalized_origin(item) or item for item in settings.allowed_origins}
    if normalized in allowed or "*" in allowed:
        return True
    if settings.is_open:
        host = urlsplit(normalized).hostname or ""
        return host in _LOOPBACK or f"[{host}]" in _LOOPBACK
    return False


LOOPBACK_ORIGIN = r"https?://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]{1,5})?"
"""The pages of an open server's own machine (local development), as a regex."""


def cors_options(settings: Settings) -> dict[str, object]:
    """Starlette CORSMiddleware options for the allowed origins: their pages may load the
    client's modules and bundles and call the API (with its key; no cookies)."""
    return {
        "allow_origins": [normalized_origin(item) or item for item in settings.allowed_origins],
        "allow_origin_regex": LOOPBACK_ORIGIN if settings.is_open else None,
        "allow_methods": ["GET", "POST", "PUT", "DELETE"],
        "allow_headers": ["Authorization", "Content-Type"],
        "allow_credentials": False,
        "max_age": 600,
    }


def describe_allowed(settings: Settings) -> str:
    """One line for the log at start: which origins may use the server."""
    listed = ", ".join(settings.allowed_origins) or "none listed"
    extra = " and loopback pages (open mode)" if settings.is_open else ""
    return f"browser origins allowed: the server's own, {listed}{extra}"
