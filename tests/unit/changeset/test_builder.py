"""Builder, make_splice and make_attribute_change (builder.py)."""

from __future__ import annotations

import pytest

from policypad.changeset import (
    AttributePool,
    Builder,
    ChangesetError,
    apply_to_text,
    check_rep,
    make_atext,
    make_attribute_change,
    make_splice,
)


def test_make_splice_counts_utf16_units() -> None:
    assert make_splice("\n", 0, 0, "😀") == "Z:1>2+2$😀"
    assert make_splice("😀\n", 0, 2, "") == "Z:3<2-2$"
    with pytest.raises(ChangesetError, match="surrogate"):
        make_splice("😀\n", 1, 0, "x")


def test_make_splice_spells_lines_like_etherpad() -> None:
    text = "".join(f"line {n}\n" for n in range(6))
    pool = AttributePool()
    cs = make_splice(text, 38, 0, "x", [("bold", "true"), ("author", "a")], pool)
    assert cs == "Z:16>1|5=z=3*0*1+1$x"
    assert pool.get_attrib(0) == ("author", "a")
    check_rep(cs, pool)
    assert apply_to_text(cs, text).endswith("linxe 5\n")


def test_make_splice_on_atext_equals_on_text() -> None:
    text = "ab\ncd\nef\n"
    for start in range(len(text)):
        for ndel in range(len(text) - start):
            assert make_splice(make_atext(text), start, ndel, "Q\nR") == make_splice(
                text, start, ndel, "Q\nR"
            )


def test_make_splice_rejects_ranges_outside_the_text() -> None:
    with pytest.raises(ChangesetError):
        make_splice("ab\n", 2, 2, "")
    with pytest.raises(ChangesetError):
        make_splice("ab\n", -1, 0, "x")
    with pytest.raises(ChangesetError, match="lone surrogate"):
        make_splice("ab\n", 0, 0, "\ud83d")


def test_builder_writes_canonical_changesets() -> None:
    pool = AttributePool()
    cs = (
        Builder(9)
        .keep_text("ab\n")
        .keep(1, 0)
        .keep(1, 0)
        .remove_text("d\n")
        .insert("X", [("author", "a")], pool)
        .insert("Y", [("author", "a")], pool)
        .to_string()
    )
    assert cs == "Z:9>0|1=3=2|1-2*0+2$XY"
    check_rep(cs, pool)


def test_builder_refuses_to_run_past_the_text() -> None:
    with pytest.raises(ChangesetError, match="covers"):
        Builder(2).keep(1).remove(2)


def test_make_attribute_change_and_removal() -> None:
    pool = AttributePool()
    bold = make_attribute_change("ab\ncd\n", 1, 4, [("bold", "true")], pool)
    assert bold == "Z:6>0=1*0|1=2*0=1$"
    unbold = make_attribute_change(make_atext("ab\ncd\n"), 0, 2, [("bold", "")], pool)
    assert unbold == "Z:6>0*1=2$"
    with pytest.raises(ChangesetError):
        make_attribute_change("ab\n", 2, 1, [("bold", "true")], pool)
