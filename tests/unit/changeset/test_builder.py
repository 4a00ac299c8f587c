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
    # numbered in the order given, cited in order of key: bold is 0, author 1
    assert cs == "Z:16>1|5=z=3*1*0+1$x"
    assert pool.get_attrib(0) == ("bold", "true")
    check_rep(cs, pool)
    assert apply_to_text(cs, text).endswith("linxe 5\n")


def test_make_splice_reads_attribute_pairs_as_etherpad_does() -> None:
    pool = AttributePool()
    pool.put_attrib(("author", "a"))
    # an empty value on inserted text removes its key (text carries no empty value);
    # a repeated key keeps its last value; keys are cited in order
    cs = make_splice("ab\n", 1, 0, "x", [("list", ""), ("bold", "1"), ("bold", "true")], pool)
    assert cs == "Z:3>1=1*2+1$x"
    # the replaced value was numbered all the same, and the empty one was not
    assert pool.to_jsonable()["numToAttrib"] == {
        "0": ["author", "a"], "1": ["bold", "1"], "2": ["bold", "true"],
    }  # fmt: skip
    cs = make_splice("ab\n", 1, 0, "x", [("bold", "true"), ("bold", "")], pool)
    assert cs == "Z:3>1=1+1$x"
    # pairs enter the pool even when nothing is inserted
    assert make_splice("ab\n", 1, 0, "", [("italic", "true")], pool) == "Z:3>0$"
    assert pool.put_attrib(("italic", "true"), lookup_only=True) == 3


def test_make_splice_sorts_keys_by_utf16_unit() -> None:
    pool = AttributePool()
    # U+FF21 precedes an emoji by code point, follows it by UTF-16 unit (D83D...)
    cs = make_splice("ab\n", 0, 0, "x", [("\uff21", "1"), ("😀", "1"), ("a", "1")], pool)
    assert cs == "Z:3>1*2*1*0+1$x"
    check_rep(cs, pool)
    with pytest.raises(ChangesetError, match="sorted"):
        check_rep("Z:3>1*2*0*1+1$x", pool)


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


def test_builder_keeps_empty_values_on_keeps_only() -> None:
    pool = AttributePool()
    cs = (
        Builder(3)
        .keep(1, 0, [("bold", ""), ("italic", "true")], pool)
        .insert("x", [("bold", ""), ("italic", "true")], pool)
        .to_string()
    )
    assert cs == "Z:3>1*0*1=1*1+1$x"
    with pytest.raises(ChangesetError):
        make_attribute_change("ab\n", 2, 1, [("bold", "true")], pool)
