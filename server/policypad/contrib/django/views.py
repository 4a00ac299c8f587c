"""The token view, and a mixin for edit views that shows the form again when others changed
a pad after the revision that was saved."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from policypad import tokens
from policypad.contrib.django.conf import config
from policypad.contrib.django.pads import pad_id, resolve

PERMISSIONS = ("edit", "read")


@never_cache
@require_GET
def token(request: HttpRequest) -> HttpResponse:
    """GET ?pad=<reference> -> {"token", "pad", "server", "perm", "name"} for the logged-in
    user, with the permission the host's check grants on that row's field.

    403 when not logged in or not allowed, 400 for a reference this site did not make, 404
    when the row is gone. The token's `sub` is the user's primary key, so the pad's authors
    are ``a.<pk>`` (saving.names_of reads them back).
    """
    try:
        model, pk, field = resolve(request.GET.get("pad", ""))
    except (signing.BadSignature, LookupError, ValueError, TypeError):
        return _refused(400, "bad_reference", "this page did not come from this site")
    user = request.user
    if not user.is_authenticated:
        return _refused(403, "login_required", "log in to edit")
    try:
        instance = model._default_manager.filter(pk=pk).first()
    except (ValueError, TypeError):
        instance = None
    if instance is None:
        return _refused(404, "not_found", "that row is gone")
    settings = config()
    perm = settings.permission(request, instance, field)
    if perm not in PERMISSIONS:
        return _refused(403, "forbidden", "you may not open this text")
    name = user.get_full_name() or user.get_username()
    pad = pad_id(model, instance.pk, field)
    minted = tokens.mint(settings.secret, str(user.pk), pad=pad, perm=perm, name=name,
                         ttl_seconds=settings.token_ttl_seconds)  # fmt: skip
    return JsonResponse(
        {"token": minted, "pad": pad, "server": settings.server, "perm": perm, "name": name}
    )


def _refused(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


class ChangedSinceWarningMixin:
    """For an UpdateView whose form uses PolicyPadFormMixin: after a save that others' edits
    overtook, show the form again, with the warning, instead of redirecting."""

    def form_valid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_valid(form)  # type: ignore[misc]
        if getattr(form, "changed_since", None):
            return self.render_to_response(self.get_context_data(form=form))  # type: ignore[attr-defined]
        return response
