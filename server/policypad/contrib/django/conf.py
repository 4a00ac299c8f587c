"""What the integration reads from Django's settings: one dict, ``POLICYPAD``::

    POLICYPAD = {
        "SERVER": "https://pads.example.com",  # where browsers reach `policypad serve`
        "API_URL": "http://10.0.0.5:9001",     # where this back end reaches it (default: SERVER)
        "SECRET": os.environ["POLICYPAD_SECRET"],    # the server's, to sign tokens
        "API_KEY": os.environ["POLICYPAD_API_KEY"],  # the server's, for its REST API
        "PERMISSION": "policypad.contrib.django.permissions.model_permissions",
        "PAD_ID": "{app_label}.{model_name}.{pk}.{field}",
        "TOKEN_TTL_SECONDS": 8 * 3600,
        "TIMEOUT_SECONDS": 10,
    }

SERVER, SECRET and API_KEY are required (the secret and the key at least 32 bytes, as the
server wants them); the others have the defaults shown. PERMISSION is a callable, or its
dotted path, ``permission(request, instance, field_name) -> "edit" | "read" | None``.
PAD_ID names a row's pad; `policypad_import` uses the same template unless told another.
Settings are read on every use, so tests may override them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

Permission = Callable[[Any, Any, str], "str | None"]
"""permission(request, instance, field_name) -> "edit", "read" or None (no access)."""

DEFAULT_PERMISSION = "policypad.contrib.django.permissions.model_permissions"
DEFAULT_PAD_ID = "{app_label}.{model_name}.{pk}.{field}"
DEFAULT_TOKEN_TTL_SECONDS = 8 * 3600
"""A working day: the browser client cannot renew a token yet, and a session whose token
expires stops syncing until the page is loaded again."""
DEFAULT_TIMEOUT_SECONDS = 10.0
REQUIRED = ("SERVER", "SECRET", "API_KEY")


@dataclass(frozen=True)
class Config:
    """``settings.POLICYPAD``, with its defaults filled in."""

    server: str
    api_url: str
    secret: str
    api_key: str
    permission: Permission
    pad_id: str
    token_ttl_seconds: float
    timeout_seconds: float


def config() -> Config:
    """Return the current settings. Raises ImproperlyConfigured if one is missing."""
    raw: dict[str, Any] = getattr(settings, "POLICYPAD", None) or {}
    missing = [key for key in REQUIRED if not raw.get(key)]
    if missing:
        raise ImproperlyConfigured(f"settings.POLICYPAD needs {', '.join(missing)}")
    permission = raw.get("PERMISSION", DEFAULT_PERMISSION)
    if isinstance(permission, str):
        permission = import_string(permission)
    server = str(raw["SERVER"]).rstrip("/")
    return Config(
        server=server,
        api_url=str(raw.get("API_URL") or server).rstrip("/"),
        secret=str(raw["SECRET"]),
        api_key=str(raw["API_KEY"]),
        permission=permission,
        pad_id=str(raw.get("PAD_ID", DEFAULT_PAD_ID)),
        token_ttl_seconds=float(raw.get("TOKEN_TTL_SECONDS", DEFAULT_TOKEN_TTL_SECONDS)),
        timeout_seconds=float(raw.get("TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)),
    )
