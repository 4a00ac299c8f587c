"""Attribute strings from pairs, and combining them (attributes.py), in Etherpad's order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from policypad.changeset import AttributePool, utf16
from policypad.changeset.attributes import (
    attribs_from,
    attribs_to_pairs,
    compose_attributes,
    follow_attributes,
    pairs_to_attribs,
)

# U+E000 and U+FF21 follow an emoji by UTF-16 unit (its first unit is D83D) but
# precede it by code point: where Python's order and JavaScript's part.
EXOTIC = ["a", "b", "é", "\ue000", "\uff21", "😀", "😀a", ""]


def _units(text: str) -> list[int]:
    """`text` as UTF-16 units, worked out by hand (not with the codec `utf16` uses)."""
    units = []
    for char in text:
        point = ord(char)
        if point > 0xFFFF:
            point -= 0x10000
            units += [0xD800 + (point >> 10), 0xDC00 + (point & 0x3FF)]
        else:
            units.append(point)
    return units


@given(st.text(), st.text())
def test_precedes_orders_by_utf16_unit(first: str, second: str) -> None:
    """precedes(a, b) is JavaScript's a < b: the UTF-16 units compared in turn."""
    assert utf16.precedes(first, second) == (_units(first) < _units(second))


def test_pairs_are_numbered_as_given_and_cited_by_key() -> None:
    pool = AttributePool()
    assert pairs_to_attribs([("bold", "true"), ("author", "a")], pool) == "*1*0"
    assert pool.get_attrib(0) == ("bold", "true")
    assert pairs_to_attribs([("\uff21", "1"), ("😀", "1"), ("a", "1")], pool) == "*4*3*2"


def test_pairs_for_inserted_text_drop_empty_values_and_repeats() -> None:
    pool = AttributePool()
    text = attribs_from([("bold", "1"), ("list", ""), ("bold", "true")], pool, insert=True)
    assert attribs_to_pairs(text, pool) == [("bold", "true")]
    assert attribs_from([("bold", "true"), ("bold", "")], pool, insert=True) == ""
    assert attribs_from([("bold", "")], pool, insert=True) == ""
    assert pool.put_attrib(("list", ""), lookup_only=True) == -1


def test_pairs_for_a_keep_keep_empty_values() -> None:
    pool = AttributePool()
    change = attribs_from([("italic", "true"), ("bold", "")], pool)
    assert attribs_to_pairs(change, pool) == [("bold", ""), ("italic", "true")]
    assert attribs_from([("bold", "")], pool) == "*1"


def test_compose_sorts_keys_by_utf16_unit() -> None:
    pool = AttributePool()
    first = pairs_to_attribs([("\uff21", "1")], pool)
    second = pairs_to_attribs([("😀", "1")], pool)
    assert attribs_to_pairs(compose_attributes(first, second, False, pool), pool) == [
        ("😀", "1"),
        ("\uff21", "1"),
    ]


def test_follow_lets_the_smaller_value_by_utf16_unit_win() -> None:
    pool = AttributePool()
    emoji = pairs_to_attribs([("link", "😀")], pool)
    fullwidth = pairs_to_attribs([("link", "\uff21")], pool)
    # the emoji's value is the smaller by unit: it wins from either side
    assert follow_attributes(fullwidth, emoji, pool) == emoji
    assert follow_attributes(emoji, fullwidth, pool) == ""


@given(
    st.lists(st.tuples(st.sampled_from(EXOTIC[:6]), st.sampled_from(EXOTIC)), max_size=4),
    st.lists(st.tuples(st.sampled_from(EXOTIC[:6]), st.sampled_from(EXOTIC)), max_size=4),
    st.lists(st.tuples(st.sampled_from(EXOTIC[:6]), st.sampled_from(EXOTIC[:-1])), max_size=4),
)
def test_concurrent_attribute_changes_converge(
    first: list[tuple[str, str]], second: list[tuple[str, str]], text: list[tuple[str, str]]
) -> None:
    """Text changed by a, then by follow(a, b), carries what b, then follow(b, a) gives."""
    pool = AttributePool()
    a = attribs_from(first, pool)
    b = attribs_from(second, pool)
    carried = attribs_from(text, pool, insert=True)
    one = compose_attributes(
        compose_attributes(carried, a, False, pool), follow_attributes(a, b, pool), False, pool
    )
    other = compose_attributes(
        compose_attributes(carried, b, False, pool), follow_attributes(b, a, pool), False, pool
    )
    assert one == other
