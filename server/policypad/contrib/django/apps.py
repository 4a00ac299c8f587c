"""The Django app: registers the settings check."""

from __future__ import annotations

from django.apps import AppConfig
from django.core import checks


class PolicyPadConfig(AppConfig):
    name = "policypad.contrib.django"
    label = "policypad"
    verbose_name = "PolicyPad"

    def ready(self) -> None:
        from policypad.contrib.django.checks import check_settings

        checks.register(check_settings)
