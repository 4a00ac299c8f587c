"""The token view: a token for the logged-in user, with what the host's check grants, that
the real server accepts; nothing for anyone else."""

from __future__ import annotations

import asyncio
from typing import Any

import jwt
from django.conf import settings
from django.test import Client, override_settings

from policypad.contrib.django.api import PadApi
from policypad.contrib.django.pads import reference
from tests.django_host.conftest import SECRET, Site
from tests.support.padclient import PadClient


def read_only_for_everyone(request: Any, instance: Any, field_name: str) -> str:
    return "read"


def token_url(policy: Any, field: str = "body") -> str:
    return f"/policypad/token/?pad={reference(policy, field)}"


def test_an_editor_gets_an_edit_token_the_server_accepts(site: Site) -> None:
    ann = site.user("ann", "change_policy", full_name="Ann Lee")
    policy = site.policy()
    page = site.client(ann).get(f"/policies/{policy.pk}/edit/").content.decode()
    granted = site.grant(site.client(ann), page)
    pad = site.pad_of(policy)
    assert granted["pad"] == pad
    assert granted["server"] == site.server.http
    assert (granted["perm"], granted["name"]) == ("edit", "Ann Lee")
    claims = jwt.decode(granted["token"], SECRET, algorithms=["HS256"])
    assert (claims["sub"], claims["pad"], claims["perm"]) == (str(ann.pk), pad, "edit")
    rev = site.type(granted["token"], pad, " Ann was here.")
    assert "Ann was here." in site.content(pad, rev)
    revisions = site.pad(pad)
    assert f"a.{ann.pk}" in revisions["authors"]


def test_a_viewer_gets_a_read_token_the_server_refuses_edits_with(site: Site) -> None:
    viewer = site.user("vic", "view_policy")
    policy = site.policy()
    pad = site.pad_of(policy)
    PadApi.from_settings().create(pad, policy.body)
    response = site.client(viewer).get(token_url(policy))
    assert response.status_code == 200
    granted = response.json()
    assert granted["perm"] == "read"

    async def try_to_edit() -> list[dict[str, Any]]:
        client = PadClient(site.server.ws, pad, token=granted["token"])
        await client.connect()
        await client.splice(0, 0, "x")
        await client.wait_for(lambda message: message.get("type") == "error")
        await client.close()
        return client.errors

    assert [error["code"] for error in asyncio.run(try_to_edit())] == ["read_only"]


def test_no_token_without_login_or_permission(site: Site) -> None:
    policy = site.policy()
    anonymous = Client().get(token_url(policy))
    assert anonymous.status_code == 403
    assert anonymous.json()["error"]["code"] == "login_required"
    nobody = site.user("nobody")
    refused = site.client(nobody).get(token_url(policy))
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    assert "token" not in refused.json()


def test_a_reference_this_site_did_not_sign_is_refused(site: Site) -> None:
    ann = site.user("ann", "change_policy")
    policy = site.policy()
    forged = reference(policy, "body").replace(":", "x", 1)
    for query in (f"?pad={forged}", "?pad=policies.policy.1.body", ""):
        response = site.client(ann).get(f"/policypad/token/{query}")
        assert response.status_code == 400, query
        assert response.json()["error"]["code"] == "bad_reference"


def test_a_deleted_row_has_no_token(site: Site) -> None:
    ann = site.user("ann", "change_policy")
    policy = site.policy()
    url = token_url(policy)
    policy.delete()
    assert site.client(ann).get(url).status_code == 404


def test_the_hosts_permission_check_decides(site: Site) -> None:
    ann = site.user("ann", "change_policy")
    policy = site.policy()
    read_only = {**settings.POLICYPAD, "PERMISSION": f"{__name__}.read_only_for_everyone"}
    with override_settings(POLICYPAD=read_only):
        granted = site.client(ann).get(token_url(policy)).json()
    assert granted["perm"] == "read"
    assert jwt.decode(granted["token"], SECRET, algorithms=["HS256"])["perm"] == "read"


def test_the_token_is_not_cached_and_only_read_with_get(site: Site) -> None:
    ann = site.user("ann", "change_policy")
    policy = site.policy()
    response = site.client(ann).get(token_url(policy))
    assert "no-store" in response["Cache-Control"]
    assert site.client(ann).post(token_url(policy)).status_code == 405
