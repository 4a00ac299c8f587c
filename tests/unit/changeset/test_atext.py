"""Attributed text (atext.py): building it, its line index, and applying changesets."""

from __future__ import annotations

import random

import pytest

from policypad.changeset import (
    AText,
    ChangesetError,
    apply_to_atext,
    apply_to_text,
    make_atext,
    make_splice,
    unpack,
    utf16,
)
from policypad.changeset import atext as atext_module
from policypad.changeset._zip import slicer_step, zip_ops
from policypad.changeset.op import format_ops, parse_ops
from tests.support.randomdocs import make_pool, random_atext, random_changeset


def test_default_attribution_is_one_plain_run() -> None:
    atext = make_atext("ab\ncd\n")
    assert atext.attribs == "|2+6"
    assert atext.attribution_lines() == ["|1+3", "|1+3"]
    assert atext.line_count == 2
    assert atext.length == 6
    assert atext == {"text": "ab\ncd\n", "attribs": "|2+6"}
    assert AText("ab\ncd\n") == atext


def test_json_form_round_trips() -> None:
    atext = make_atext("a😀\n", "*0+3|1+1")
    assert atext.length == 4
    assert AText.from_jsonable(atext.to_jsonable()) == atext
    with pytest.raises(ChangesetError):
        AText.from_jsonable({"text": "x\n"})


@pytest.mark.parametrize(
    ("text", "attribs", "message"),
    [
        ("ab", None, "end with a newline"),
        ("ab\n", "|1+4", "longer than the text"),
        ("ab\n", "+2", "shorter than the text"),
        ("ab\n", "+3", "bad newline count"),
        ("ab\n", "=3", "only inserts"),
        ("ab\n", "+1+1|1+1", "non-canonical"),
        ("a\ud83d\n", None, "lone surrogate"),
    ],
)
def test_make_atext_rejects_attributions_that_do_not_fit(
    text: str, attribs: str | None, message: str
) -> None:
    with pytest.raises(ChangesetError, match=message):
        make_atext(text, attribs)


def test_atext_is_immutable() -> None:
    atext = make_atext("x\n")
    with pytest.raises(AttributeError):
        atext.text = "y\n"  # type: ignore[misc]


def test_locate_finds_line_and_line_start() -> None:
    atext = make_atext("ab\n😀c\n\nxyz\n")
    assert atext.locate(0) == (0, 0)
    assert atext.locate(2) == (0, 0)
    assert atext.locate(3) == (1, 3)
    assert atext.locate(6) == (1, 3)
    assert atext.locate(7) == (2, 7)
    assert atext.locate(9) == (3, 8)
    assert atext.locate(12) == (4, 12)
    with pytest.raises(ChangesetError):
        atext.locate(13)


def _reference_apply(cs: str, atext: AText, pool) -> dict[str, str]:
    """Apply the slow, obvious way: zip the whole attribution with the changeset."""
    attribs = format_ops(zip_ops(parse_ops(atext.attribs), unpack(cs).ops, slicer_step(pool)))
    return {"text": apply_to_text(cs, atext.text), "attribs": attribs}


@pytest.mark.parametrize("chunk_lines", [1, 2, 64])
def test_line_wise_apply_agrees_with_whole_text_apply(monkeypatch, chunk_lines: int) -> None:
    """Law: apply_to_atext (per line, chunked) == zipping the whole attribution."""
    monkeypatch.setattr(atext_module, "CHUNK_LINES", chunk_lines)
    rng = random.Random(chunk_lines)
    pool = make_pool()
    for _ in range(300):
        atext = random_atext(rng, pool, max_pieces=25)
        atext = make_atext(atext.text, atext.attribs)
        for _ in range(4):
            cs = random_changeset(rng, atext.text, pool, attributes=rng.random() < 0.5)
            changed = apply_to_atext(cs, atext, pool)
            assert changed == _reference_apply(cs, atext, pool)
            rebuilt = make_atext(changed.text, changed.attribs)
            assert rebuilt.attribution_lines() == changed.attribution_lines()
            index = rng.randint(0, len(changed.text))
            position = utf16.to_units(changed.text, index)
            assert changed.locate(position)[0] == changed.text.count("\n", 0, index)
            assert make_splice(changed, position, 0, "x") == make_splice(
                changed.text, position, 0, "x"
            )
            atext = changed


def test_apply_accepts_the_json_form() -> None:
    changed = apply_to_atext("Z:3>1+1$x", {"text": "ab\n", "attribs": "|1+3"})
    assert changed.to_jsonable() == {"text": "xab\n", "attribs": "|1+4"}


@pytest.mark.parametrize(
    ("cs", "message"),
    [
        ("Z:4>1+1$x", "length mismatch"),
        ("Z:6>1|2=3+1$x", "bad newline count"),
        ("Z:6<1|1=3=2|1-1$", "end with a newline"),
        ("Z:6>2+1$x", "length mismatch"),
        ("Z:6>1=1+1$xy", "unconsumed char bank"),
    ],
)
def test_apply_rejects_changesets_that_do_not_fit(cs: str, message: str) -> None:
    with pytest.raises(ChangesetError, match=message):
        apply_to_atext(cs, make_atext("ab\ncd\n"))
