"""The shared document vectors (tests/vectors/documents.json), run by the Python parser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policypad.document import Document, Schema
from tests.vectors.generate_documents import jsonable

CASES = json.loads((Path(__file__).parents[2] / "vectors" / "documents.json").read_text())["cases"]


def test_the_file_has_enough_cases() -> None:
    assert len(CASES) >= 150


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_document_vector(case: dict) -> None:
    document = Document.from_html(case["html"], Schema.from_options(case.get("options")))
    assert jsonable(document.lines()) == case["expect"]["lines"]
    assert document.to_html() == case["expect"]["html"]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_render_of_parse_is_a_fixpoint(case: dict) -> None:
    """Law: render(parse(render(parse(h)))) == render(parse(h))."""
    schema = Schema.from_options(case.get("options"))
    once = Document.from_html(case["html"], schema)
    twice = Document.from_html(once.to_html(authors=True), schema)
    assert twice.lines() == once.lines()
    assert twice.to_html() == once.to_html()
