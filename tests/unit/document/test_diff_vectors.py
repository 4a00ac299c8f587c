"""The shared diff vectors (tests/vectors/diffs.json), run by the Python diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policypad.document import Document, Schema
from policypad.document.changes import accept_lines, reject_lines
from policypad.document.diff import diff_html, diff_lines
from policypad.document.lines import Line
from tests.vectors.generate_diffs import INPUTS
from tests.vectors.generate_documents import jsonable

CASES = json.loads((Path(__file__).parents[2] / "vectors" / "diffs.json").read_text())["cases"]


def _lines(data: list) -> list[Line]:
    return [([(text, attributes) for text, attributes in runs], block) for runs, block in data]


def test_the_file_is_up_to_date() -> None:
    assert [case["name"] for case in CASES] == [entry[0] for entry in INPUTS]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_diff_vector(case: dict) -> None:
    old, new = _lines(case["old"]), _lines(case["new"])
    schema = Schema.from_options(case.get("options"))
    assert Document.from_html(case["oldHtml"], schema).lines() == old
    assert Document.from_html(case["newHtml"], schema).lines() == new
    merged = diff_lines(old, new)
    assert jsonable(merged) == case["expect"]["merged"]
    assert diff_html(old, new) == case["expect"]["html"]
    assert accept_lines(merged) == new
    assert reject_lines(merged) == old
