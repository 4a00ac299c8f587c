"""`manage.py policypad_import`: a pad per row from the field, existing pads left alone,
so that it can run again; a progress line; clear refusals."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from policypad.contrib.django.api import PadApi
from tests.django_host.conftest import Site, unreachable
from tests.django_host.policies.models import Policy


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("policypad_import", *args, stdout=out)
    return out.getvalue()


def test_a_pad_per_row_and_existing_pads_are_left_alone(site: Site) -> None:
    rows = [site.policy(f"<p>Policy {n}.</p>") for n in range(3)]
    rows.append(site.policy(""))
    PadApi.from_settings().create(site.pad_of(rows[1]), "<p>Edited on the pad.</p>")
    out = run("policies.Policy", "body")
    assert out.strip().splitlines()[-1] == "4/4 rows: 3 pads created, 1 already there"
    assert [site.content(site.pad_of(row)) for row in rows] == [
        "<p>Policy 0.</p>", "<p>Edited on the pad.</p>", "<p>Policy 2.</p>", "<p><br></p>",
    ]  # fmt: skip
    assert all(site.pad(site.pad_of(row))["rev"] == 0 for row in rows)
    again = run("policies.Policy", "body")
    assert again.strip().splitlines()[-1] == "4/4 rows: 0 pads created, 4 already there"


def test_pad_ids_and_formats_can_be_chosen(site: Site) -> None:
    policy = site.policy("Line one\nLine two")
    template = f"import-{policy.pk}-{{pk}}-{{field}}"
    run("policies.Policy", "body", "--pad-id-template", template, "--format", "text")
    made = f"import-{policy.pk}-{policy.pk}-body"
    assert site.content(made, format="text") == "Line one\nLine two\n"


def test_refusals_say_what_is_wrong(site: Site) -> None:
    site.policy()
    with pytest.raises(CommandError, match="no model"):
        run("policies.Nothing", "body")
    with pytest.raises(CommandError, match="has no field 'text'"):
        run("policies.Policy", "text")
    with pytest.raises(CommandError, match="pad-id-template"):
        run("policies.Policy", "body", "--pad-id-template", "{nope}")
    with pytest.raises(CommandError, match="pad-id-template"):
        run("policies.Policy", "body", "--pad-id-template", "a/{pk}")
    with override_settings(POLICYPAD=unreachable()), pytest.raises(CommandError, match="run again"):
        run("policies.Policy", "body")


def test_no_rows_is_said_so(site: Site) -> None:
    Policy.objects.all().delete()
    assert run("policies.Policy", "body").strip() == "policies.Policy: no rows"
