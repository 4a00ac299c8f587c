"""The default permission check: Django's model permissions, as the admin uses them."""

from __future__ import annotations

from typing import Any


def model_permissions(request: Any, instance: Any, field_name: str) -> str | None:
    """Edit for users who may change the model, read for those who may only view it.

    Object-level backends (django-guardian, rules) are asked about `instance` as well.
    """
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return None
    meta = instance._meta
    for perm, action in (("edit", "change"), ("read", "view")):
        codename = f"{meta.app_label}.{action}_{meta.model_name}"
        if user.has_perm(codename) or user.has_perm(codename, instance):
            return perm
    return None
