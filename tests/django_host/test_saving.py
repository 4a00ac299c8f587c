"""What a save stores: the pad's content at the revision the saver had seen (never the
posted copy), a warning naming who changed the pad since, and nothing at all when the
page cannot say what its user saw or the server cannot be asked."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.test import override_settings

from policypad.contrib.django.forms import PolicyPadFormMixin, PolicyPadWidget
from tests.django_host.conftest import Site, unreachable
from tests.django_host.policies.models import Policy


def open_form(site: Site, user: Any, policy: Policy) -> tuple[Any, str]:
    """A user opens the edit form; returns their client and their token for the pad."""
    client = site.client(user)
    page = client.get(f"/policies/{policy.pk}/edit/").content.decode()
    return client, site.grant(client, page)["token"]


def post(client: Any, policy: Policy, rev: int | str | None, body: str = "stale copy") -> Any:
    data = {"title": policy.title, "body": body}
    if rev is not None:
        data["body__policypad_rev"] = str(rev)
    return client.post(f"/policies/{policy.pk}/edit/", data)


def test_the_saved_field_is_the_pad_at_the_savers_revision(site: Site) -> None:
    ann = site.user("ann", "change_policy", full_name="Ann Lee")
    bob = site.user("bob", "change_policy", full_name="Bob Roy")
    policy = site.policy()
    pad = site.pad_of(policy)
    ann_client, ann_token = open_form(site, ann, policy)
    _, bob_token = open_form(site, bob, policy)
    site.type(ann_token, pad, " Ann adds this.")
    rev = site.type(bob_token, pad, " Bob adds that.")
    # the posted copy of the editor is ignored, even a hostile one
    response = post(ann_client, policy, rev, body="<script>alert(1)</script>")
    assert response.status_code == 302
    assert response["Location"] == f"/policies/{policy.pk}/"
    policy.refresh_from_db()
    assert policy.body == site.content(pad, rev)
    assert "Ann adds this. Bob adds that." in policy.body


def test_others_edits_after_the_savers_revision_are_named_and_kept_on_the_pad(
    site: Site,
) -> None:
    ann = site.user("ann", "change_policy", full_name="Ann Lee")
    bob = site.user("bob", "change_policy", full_name="Bob Roy")
    policy = site.policy()
    pad = site.pad_of(policy)
    ann_client, ann_token = open_form(site, ann, policy)
    _, bob_token = open_form(site, bob, policy)
    seen = site.type(ann_token, pad, " Ann adds this.")
    head = site.type(bob_token, pad, " Bob adds that.")
    response = post(ann_client, policy, seen)
    # saved as Ann saw it, and the form shown again with the warning
    assert response.status_code == 200
    policy.refresh_from_db()
    assert policy.body == site.content(pad, seen)
    assert "Bob adds that." not in policy.body
    form = response.context["form"]
    assert list(form.changed_since) == ["body"]
    changed = form.changed_since["body"]
    assert (changed.saved_rev, changed.head_rev, changed.authors) == (seen, head, ["Bob Roy"])
    page = response.content.decode()
    assert (f"Saved as you saw it (revision {seen}). Since then Bob Roy changed it "
            f"(now revision {head}).") in page  # fmt: skip
    assert "Save the newer version" in page
    # saving again from the page (its editor now at the head) stores the newer version
    again = post(ann_client, policy, head)
    assert again.status_code == 302
    policy.refresh_from_db()
    assert policy.body == site.content(pad, head)
    assert "Ann adds this. Bob adds that." in policy.body


def test_without_the_revision_the_user_saw_nothing_is_saved(site: Site) -> None:
    ann = site.user("ann", "change_policy")
    policy = site.policy("<p>Kept.</p>")
    client, _ = open_form(site, ann, policy)
    for rev in (None, "", "latest", "-1"):
        response = post(client, policy, rev, body="<p>Posted.</p>")
        assert response.status_code == 200, rev
        assert "had not connected, so nothing was saved" in response.content.decode()
    policy.refresh_from_db()
    assert policy.body == "<p>Kept.</p>"


def test_a_revision_the_pad_does_not_have_is_refused(site: Site) -> None:
    ann = site.user("ann", "change_policy")
    policy = site.policy("<p>Kept.</p>")
    client, _ = open_form(site, ann, policy)
    response = post(client, policy, 7)
    assert response.status_code == 200
    assert "revision 7, which the pad does not have yet" in response.content.decode()
    policy.refresh_from_db()
    assert policy.body == "<p>Kept.</p>"


def test_without_the_server_nothing_is_saved(site: Site, caplog: pytest.LogCaptureFixture) -> None:
    ann = site.user("ann", "change_policy")
    policy = site.policy("<p>Kept.</p>")
    client, _ = open_form(site, ann, policy)
    gone = unreachable()
    with override_settings(POLICYPAD=gone):
        response = post(client, policy, 0, body="<p>Posted.</p>")
    assert response.status_code == 200
    page = response.content.decode()
    assert "PolicyPad could not be reached, so nothing was saved" in page
    # where the back end reaches the server is for the log only
    assert gone["API_URL"] not in page and gone["API_URL"] in caplog.text
    policy.refresh_from_db()
    assert policy.body == "<p>Kept.</p>"


class ShortPolicyForm(PolicyPadFormMixin, forms.ModelForm):
    body = forms.CharField(max_length=40, widget=PolicyPadWidget(forms.Textarea()))

    class Meta:
        model = Policy
        fields = ["title", "body"]


def test_the_field_validates_the_pads_content_not_the_posted_copy(site: Site) -> None:
    ann = site.user("ann", "change_policy")
    policy = site.policy("<p>Short.</p>")
    pad = site.pad_of(policy)
    _, token = open_form(site, ann, policy)
    rev = site.type(token, pad, " Now it is much longer than forty characters.")
    data = {"title": policy.title, "body": "short", "body__policypad_rev": str(rev)}
    form = ShortPolicyForm(data, instance=policy)
    assert not form.is_valid()
    assert "at most 40 characters" in form.errors["body"][0]
    # and a posted copy that would fail does not matter when the pad's content is fine
    fine = ShortPolicyForm({**data, "body": "x" * 100, "body__policypad_rev": "0"}, instance=policy)
    assert fine.is_valid(), fine.errors
    assert fine.cleaned_data["body"] == "<p>Short.</p>"
