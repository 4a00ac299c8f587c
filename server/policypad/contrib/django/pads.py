"""Which pad holds a model field of a row: its id, and the signed reference that a page
hands the token view (so that the view only grants pads this site put in a form)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core import signing
from django.db import models

from policypad.contrib.django.conf import config
from policypad.pad.create import is_pad_id

PLACEHOLDERS = ("app_label", "model_name", "pk", "field")
"""What a PAD_ID template may use: ``{app_label}.{model_name}.{pk}.{field}``."""
_SALT = "policypad.contrib.django.pad"


def pad_id(model: type[models.Model], pk: Any, field: str, template: str | None = None) -> str:
    """Return the id of the pad of `field` in row `pk` of `model`.

    Raises ValueError if the template makes an id the server would refuse (1 to 100
    letters, digits, '_', '-', '.').
    """
    meta = model._meta
    made = (template or config().pad_id).format(
        app_label=meta.app_label, model_name=meta.model_name, pk=pk, field=field
    )
    if not is_pad_id(made):
        raise ValueError(f"pad id {made!r} (from the PAD_ID template) is not 1-100 letters, "
                         "digits, '_', '-' or '.'")  # fmt: skip
    return made


def reference(instance: models.Model, field: str) -> str:
    """A tamper-proof reference to `field` of `instance`, for the token view's URL."""
    return signing.dumps([instance._meta.label_lower, str(instance.pk), field], salt=_SALT)


def resolve(value: str) -> tuple[type[models.Model], str, str]:
    """Return (model, pk, field) from a reference. Raises signing.BadSignature, or
    LookupError for a model that is gone."""
    label, pk, field = signing.loads(value, salt=_SALT)
    return apps.get_model(label), pk, field
