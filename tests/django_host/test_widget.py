"""PolicyPadWidget in a form: the host's editor as it was, bound to the row's pad (made from
the field the first time, never overwritten after), and the template tag's scripts."""

from __future__ import annotations

import html as htmllib
import json
import re
from typing import Any

import httpx
import pytest
from django import forms
from django.template import Context, Template, TemplateSyntaxError
from django.test import override_settings
from tinymce.widgets import TinyMCE

from policypad.contrib.django.conf import DEFAULT_PAD_ID
from policypad.contrib.django.forms import PolicyPadWidget
from policypad.contrib.django.pads import pad_id
from tests.django_host.conftest import AUTH, Site, unreachable
from tests.django_host.policies.forms import PlainPolicyForm, PolicyForm
from tests.django_host.policies.models import Policy


def config_of(page: str) -> dict[str, Any]:
    found = re.search(r'data-policypad="([^"]+)"', page)
    assert found is not None, page
    return json.loads(htmllib.unescape(found.group(1)))


def test_the_edit_page_binds_tinymce_to_a_pad_made_from_the_field(site: Site) -> None:
    ann = site.user("ann", "change_policy")
    policy = site.policy("<h2>Scope</h2><p>Staff <strong>may</strong> work from home.</p>")
    page = site.client(ann).get(f"/policies/{policy.pk}/edit/").content.decode()
    # django-tinymce's textarea, as without PolicyPad
    assert 'class="tinymce"' in page and "data-mce-conf" in page
    assert "tinymce/tinymce.min.js" in page  # {{ form.media }}
    config = config_of(page)
    assert config["editor"] == "tinymce"
    assert config["input"] == "id_body"
    assert config["tokenUrl"].startswith("/policypad/token/?pad=")
    assert f'name="body__policypad_rev" id="{config["rev"]}"' in page
    pad = site.pad_of(policy)
    assert site.content(pad) == policy.body
    assert site.pad(pad)["rev"] == 0


def test_an_existing_pad_is_never_overwritten_by_the_field(site: Site) -> None:
    ann = site.user("ann", "change_policy")
    policy = site.policy("<p>Old text.</p>")
    pad = site.pad_of(policy)
    site.client(ann).get(f"/policies/{policy.pk}/edit/")
    response = httpx.put(f"{site.server.http}/api/pads/{pad}/content",
                         json={"html": "<p>Newer text on the pad.</p>"}, headers=AUTH)  # fmt: skip
    assert response.status_code == 200
    site.client(ann).get(f"/policies/{policy.pk}/edit/")
    assert site.content(pad) == "<p>Newer text on the pad.</p>"


def test_a_textarea_is_bound_the_same_way(site: Site) -> None:
    ann = site.user("ann", "change_policy")
    policy = site.policy()
    page = site.client(ann).get(f"/policies/{policy.pk}/edit-plain/").content.decode()
    assert re.search(r'<textarea name="body"[^>]* id="id_body"', page)
    assert "tinymce" not in page
    assert config_of(page)["editor"] == "textarea"


def test_the_widgets_attrs_go_to_the_editor(site: Site) -> None:
    class TallForm(PlainPolicyForm):
        class Meta(PlainPolicyForm.Meta):
            widgets = {"body": PolicyPadWidget(forms.Textarea(), attrs={"rows": 30})}

    rendered = str(TallForm(instance=site.policy())["body"])
    assert re.search(r'<textarea name="body" cols="40" rows="30"', rendered), rendered


def test_a_new_row_has_a_plain_editor_until_it_exists() -> None:
    rendered = str(PolicyForm(instance=Policy(title="Draft"))["body"])
    assert "data-policypad" not in rendered
    assert 'class="tinymce"' in rendered


def test_each_form_binds_its_own_pad(site: Site) -> None:
    first, second = site.policy(), site.policy()
    widgets = [PlainPolicyForm(instance=row).fields["body"].widget for row in (first, second)]
    assert [widget.pad.pad_id for widget in widgets] == [site.pad_of(first), site.pad_of(second)]
    assert PlainPolicyForm.base_fields["body"].widget.pad is None


def test_pad_ids_name_the_model_the_row_and_the_field() -> None:
    assert pad_id(Policy, 42, "body", DEFAULT_PAD_ID) == "policies.policy.42.body"
    assert pad_id(Policy, 42, "body", "policy-{pk}") == "policy-42"
    with pytest.raises(ValueError):
        pad_id(Policy, "a/b", "body", "policy-{pk}")


def test_without_the_server_the_editor_says_so(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    policy = site.policy()
    gone = unreachable()
    with override_settings(POLICYPAD=gone):
        rendered = str(PlainPolicyForm(instance=policy)["body"])
    assert "Live editing is unavailable" in rendered
    assert "data-policypad" not in rendered
    assert gone["API_URL"] not in rendered and gone["API_URL"] in caplog.text


def test_only_a_textarea_or_tinymce_can_be_bound() -> None:
    assert PolicyPadWidget().editor_kind == "textarea"
    assert PolicyPadWidget(TinyMCE()).editor_kind == "tinymce"
    with pytest.raises(TypeError):
        PolicyPadWidget(forms.TextInput())
    with pytest.raises(ValueError):
        PolicyPadWidget(format="docx")


def test_the_template_tag_loads_the_servers_bundle_and_the_glue(site: Site) -> None:
    rendered = Template('{% load policypad %}{% policypad_bundle "tinymce" %}').render(Context())
    bundle_url = f"{site.server.http}/static/bundles/policypad-tinymce.js"
    assert f'<script src="{bundle_url}" defer>' in rendered
    assert '<script src="/static/policypad/django.js" defer>' in rendered
    bundle = httpx.get(bundle_url)
    assert bundle.status_code == 200 and "TinyMCEAdapter" in bundle.text
    with pytest.raises(TemplateSyntaxError):
        Template('{% load policypad %}{% policypad_bundle "word" %}').render(Context())
