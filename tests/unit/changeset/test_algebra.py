"""compose, follow, inverse, character_range_follow and changeset_from_texts, by example."""

from __future__ import annotations

import pytest

from policypad.changeset import (
    AttributePool,
    ChangesetError,
    apply_to_atext,
    apply_to_text,
    changeset_from_texts,
    character_range_follow,
    check_rep,
    compose,
    follow,
    inverse,
    make_atext,
    make_attribute_change,
    make_splice,
)


@pytest.fixture
def pool() -> AttributePool:
    pool = AttributePool()
    pool.put_attrib(("author", "a"))
    pool.put_attrib(("bold", "true"))
    pool.put_attrib(("bold", ""))
    return pool


def test_compose_equals_applying_in_turn(pool: AttributePool) -> None:
    text = "hello world\n"
    first = make_splice(text, 5, 0, ",", [("author", "a")], pool)
    middle = apply_to_text(first, text)
    second = make_splice(middle, 0, 1, "J")
    both = compose(first, second, pool)
    assert apply_to_text(both, text) == "Jello, world\n"
    with pytest.raises(ChangesetError, match="length mismatch"):
        compose(first, first, pool)


def test_concurrent_typing_converges_with_ties_broken_by_the_flag(pool: AttributePool) -> None:
    text = "ab\n"
    mine = make_splice(text, 1, 0, "X")
    theirs = make_splice(text, 1, 0, "Y")
    one = apply_to_text(compose(mine, follow(mine, theirs, False, pool), pool), text)
    other = apply_to_text(compose(theirs, follow(theirs, mine, True, pool), pool), text)
    assert one == other == "aXYb\n"


def test_follow_keeps_both_sides_inserts_even_inside_deleted_text(pool: AttributePool) -> None:
    text = "abcdef\n"
    delete = make_splice(text, 1, 4, "")
    insert = make_splice(text, 3, 0, "Z")
    merged = apply_to_text(follow(delete, insert, False, pool), apply_to_text(delete, text))
    assert merged == "aZf\n"


def test_inverse_undoes_text_and_attributes(pool: AttributePool) -> None:
    atext = make_atext("ab\ncd\n", "*0*1+1*0|1+2|1+3")
    for cs in [
        make_splice(atext.text, 1, 3, "Q\n"),
        make_attribute_change(atext.text, 0, 5, [("bold", "")], pool),
        make_attribute_change(atext.text, 0, 5, [("bold", "true")], pool),
    ]:
        changed = apply_to_atext(cs, atext, pool)
        undo = inverse(cs, atext, pool)
        check_rep(undo, pool)
        assert apply_to_atext(undo, changed, pool) == atext
    with pytest.raises(ChangesetError, match="length mismatch"):
        inverse("Z:1>1+1$x", atext, pool)


def test_character_range_follow_keeps_new_text_out_of_a_selection() -> None:
    cs = make_splice("hello world\n", 5, 1, "___")  # the space becomes "___"
    # text put at a selection's edge stays out of it, on either side
    assert character_range_follow(cs, 0, 5) == (0, 5)
    assert character_range_follow(cs, 0, 5, insertions_after=True) == (0, 5)
    assert character_range_follow(cs, 6, 11) == (8, 13)
    # replaced text inside a selection is replaced inside it
    assert character_range_follow(cs, 0, 11) == (0, 13)
    # a selection of exactly the replaced text collapses past the new text
    assert character_range_follow(cs, 5, 6) == (8, 8)


def test_character_range_follow_moves_ends_out_of_replaced_text() -> None:
    cs = make_splice("hello world\n", 3, 5, "XY")  # "hel[lo wo]rld" -> "helXYrld"
    assert character_range_follow(cs, 0, 5) == (0, 3)  # the end: back to before "XY"
    assert character_range_follow(cs, 5, 11) == (5, 8)  # the start: past "XY"
    assert character_range_follow(cs, 4, 6) == (5, 5)  # both: collapsed past "XY"...
    assert character_range_follow(cs, 4, 6, insertions_after=True) == (3, 3)  # ...or before
    # replaced from the selection's very start, the new text is part of it
    assert character_range_follow(cs, 3, 9) == (3, 6)


def test_character_range_follow_at_an_insert_point() -> None:
    cs = make_splice("abc\n", 1, 0, "XY")
    assert character_range_follow(cs, 1, 1) == (3, 3)  # a caret: pushed past the insert
    assert character_range_follow(cs, 1, 1, insertions_after=True) == (1, 1)  # or not
    # a selection from there moves right whole; one up to there keeps the insert out
    assert character_range_follow(cs, 1, 2, insertions_after=True) == (3, 4)
    assert character_range_follow(cs, 0, 1) == (0, 1)
    assert character_range_follow(cs, 0, 2) == (0, 4)
    with pytest.raises(ChangesetError, match="outside"):
        character_range_follow(cs, 2, 5)


def test_changeset_from_texts_is_small_and_exact() -> None:
    old = "The quick brown fox\njumps over\nthe lazy dog\n"
    new = "The quick red fox\njumps over\nthe lazy 🐶 dog\n"
    cs = changeset_from_texts(old, new)
    check_rep(cs)
    assert apply_to_text(cs, old) == new
    assert len(cs) < 40
    assert changeset_from_texts("a😀\n", "a😁\n") == "Z:4>0=1-2+2$😁"


def test_keystrokes_at_several_places_are_moved_past_others_without_a_walk() -> None:
    """A commit typing at two places, rebased over one typing at two others in between,
    is its own edits with the keeps before them moved: the arithmetic shortcut, which
    gives what the general walk gives (the property tests check that on random edits)."""
    from policypad.changeset.changeset import unpack
    from policypad.changeset.follow import _follow_apart, follow_walk

    text = "alpha beta\ngamma delta\nepsilon\n"
    theirs = compose(make_splice(text, 2, 0, "X\n"), make_splice(apply_to_text(
        make_splice(text, 2, 0, "X\n"), text), 20, 1, "YY"))  # fmt: skip
    mine = compose(make_splice(text, 14, 0, "m"), make_splice(apply_to_text(
        make_splice(text, 14, 0, "m"), text), 28, 0, "n"))  # fmt: skip
    shortcut = _follow_apart(unpack(theirs), unpack(mine))
    assert shortcut is not None
    assert shortcut.pack() == follow_walk(unpack(theirs), unpack(mine), False, None).pack()
    merged = apply_to_text(shortcut.pack(), apply_to_text(theirs, text))
    assert merged == "alX\npha beta\ngammma dYYlta\nepsinlon\n"
