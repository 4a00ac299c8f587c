"""`manage.py check` tells what is wrong with settings.POLICYPAD before a page needs it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import override_settings

from policypad.contrib.django.checks import check_settings


def ids(policypad: Any) -> list[str]:
    with override_settings(POLICYPAD=policypad):
        return [message.id for message in check_settings()]


def test_the_test_sites_settings_pass() -> None:
    assert check_settings() == []


def test_missing_short_or_malformed_settings_are_errors() -> None:
    good = dict(settings.POLICYPAD)
    assert ids(None) == ["policypad.E001"]
    assert ids({**good, "SERVER": ""}) == ["policypad.E002"]
    without_key = {key: value for key, value in good.items() if key != "API_KEY"}
    assert ids(without_key) == ["policypad.E002"]
    assert ids({**good, "SECRET": "short"}) == ["policypad.E003"]
    assert ids({**good, "PAD_ID": "{app_label}-{id}"}) == ["policypad.E004"]
    assert ids({**good, "PERMISSION": "policies.nowhere.allow"}) == ["policypad.E005"]
    assert ids({**good, "PERMISSION": 42}) == ["policypad.E005"]
    assert ids({**good, "PERMISSION": lambda request, instance, field: "edit"}) == []
