"""`manage.py check`: whether ``settings.POLICYPAD`` can work, before a page needs it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

from policypad.contrib.django.conf import DEFAULT_PAD_ID, DEFAULT_PERMISSION, REQUIRED
from policypad.contrib.django.pads import PLACEHOLDERS
from policypad.settings import MIN_SECRET_BYTES


def check_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Errors for a missing or unusable ``POLICYPAD`` setting (policypad.E001-E005)."""
    raw = getattr(settings, "POLICYPAD", None)
    if not isinstance(raw, dict):
        return [checks.Error("settings.POLICYPAD is missing", id="policypad.E001",
                             hint=f"a dict with at least {', '.join(REQUIRED)}")]  # fmt: skip
    errors = [
        checks.Error(f"settings.POLICYPAD has no {key}", id="policypad.E002")
        for key in REQUIRED
        if not raw.get(key)
    ]
    for key in ("SECRET", "API_KEY"):
        if raw.get(key) and len(str(raw[key]).encode()) < MIN_SECRET_BYTES:
            errors.append(checks.Error(
                f"settings.POLICYPAD[{key!r}] is shorter than {MIN_SECRET_BYTES} bytes",
                hint="the server refuses shorter ones", id="policypad.E003",
            ))  # fmt: skip
    permission = raw.get("PERMISSION", DEFAULT_PERMISSION)
    if isinstance(permission, str):
        try:
            import_string(permission)
        except ImportError as error:
            errors.append(checks.Error(
                f"settings.POLICYPAD['PERMISSION'] cannot be imported: {error}",
                id="policypad.E005",
            ))  # fmt: skip
    elif not callable(permission):
        errors.append(checks.Error(
            "settings.POLICYPAD['PERMISSION'] is neither a callable nor its dotted path",
            id="policypad.E005",
        ))  # fmt: skip
    template = str(raw.get("PAD_ID", DEFAULT_PAD_ID))
    try:
        template.format(**dict.fromkeys(PLACEHOLDERS, "x"))
    except (KeyError, IndexError, ValueError) as error:
        errors.append(checks.Error(
            f"settings.POLICYPAD['PAD_ID'] is not a template of {', '.join(PLACEHOLDERS)}: "
            f"{error!r}", id="policypad.E004",
        ))  # fmt: skip
    return errors
