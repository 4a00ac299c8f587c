"""The OT laws of the changeset algebra, checked with Hypothesis.

Documents are random multi-line attributed texts (ASCII, accents, emoji); changesets
are random valid edits of them mixing keeps, attribute changes, deletes and inserts.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from policypad.changeset import (
    apply_to_atext,
    apply_to_text,
    changeset_from_atexts,
    changeset_from_texts,
    check_rep,
    compose,
    follow,
    identity,
    inverse,
    make_splice,
    pack,
    unpack,
)
from policypad.changeset.attributes import attribs_to_pairs
from policypad.changeset.follow import follow_walk
from policypad.errors import ChangesetError
from policypad.pad.commit import deletes_final_newline
from tests.support.randomdocs import make_pool, random_atext, random_changeset

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
seeds = st.integers(min_value=0, max_value=2**32 - 1)


def _world(seed: int):
    rng = random.Random(seed)
    pool = make_pool()
    return rng, pool, random_atext(rng, pool, max_pieces=8)


@SETTINGS
@given(seeds)
def test_compose_equals_applying_in_turn(seed: int) -> None:
    """apply(compose(a, b)) == apply(b) after apply(a), text and attributes."""
    rng, pool, doc = _world(seed)
    a = random_changeset(rng, doc.text, pool)
    middle = apply_to_atext(a, doc, pool)
    b = random_changeset(rng, middle.text, pool)
    both = compose(a, b, pool)
    check_rep(both, pool)
    assert apply_to_atext(both, doc, pool) == apply_to_atext(b, middle, pool)


@SETTINGS
@given(seeds)
def test_compose_is_associative(seed: int) -> None:
    """compose(compose(a, b), c) == compose(a, compose(b, c))."""
    rng, pool, doc = _world(seed)
    a = random_changeset(rng, doc.text, pool)
    text_a = apply_to_text(a, doc.text)
    b = random_changeset(rng, text_a, pool)
    c = random_changeset(rng, apply_to_text(b, text_a), pool)
    assert compose(compose(a, b, pool), c, pool) == compose(a, compose(b, c, pool), pool)


@SETTINGS
@given(seeds, st.booleans())
def test_follow_converges_in_both_orders(seed: int, a_first: bool) -> None:
    """TP1: a then follow(a, b) == b then follow(b, a), with attributes."""
    rng, pool, doc = _world(seed)
    a = random_changeset(rng, doc.text, pool)
    b = random_changeset(rng, doc.text, pool)
    a_then_b = follow(a, b, not a_first, pool)
    b_then_a = follow(b, a, a_first, pool)
    check_rep(a_then_b, pool)
    check_rep(b_then_a, pool)
    one = apply_to_atext(a_then_b, apply_to_atext(a, doc, pool), pool)
    other = apply_to_atext(b_then_a, apply_to_atext(b, doc, pool), pool)
    assert one == other
    assert apply_to_atext(compose(a, a_then_b, pool), doc, pool) == one


@SETTINGS
@given(seeds)
def test_follow_never_loses_inserts(seed: int) -> None:
    """Everything b inserts is still inserted by follow(a, b)."""
    rng, pool, doc = _world(seed)
    a = random_changeset(rng, doc.text, pool)
    b = random_changeset(rng, doc.text, pool)
    rebased = unpack(follow(a, b, False, pool))
    assert rebased.char_bank == unpack(b).char_bank
    inserted = sum(op.chars for op in rebased.ops if op.opcode == "+")
    assert inserted == sum(op.chars for op in unpack(b).ops if op.opcode == "+")


@SETTINGS
@given(seeds)
def test_inverse_restores_text_and_attribution(seed: int) -> None:
    """apply(inverse(cs, doc), apply(cs, doc)) == doc."""
    rng, pool, doc = _world(seed)
    cs = random_changeset(rng, doc.text, pool)
    undo = inverse(cs, doc, pool)
    check_rep(undo, pool)
    assert apply_to_atext(undo, apply_to_atext(cs, doc, pool), pool) == doc


@SETTINGS
@given(seeds)
def test_pack_unpack_round_trip(seed: int) -> None:
    """pack(unpack(cs)) == cs for every canonical changeset."""
    rng, pool, doc = _world(seed)
    cs = random_changeset(rng, doc.text, pool)
    parsed = unpack(cs)
    assert pack(parsed.old_len, parsed.new_len, parsed.ops, parsed.char_bank) == cs
    check_rep(cs, pool)


_KEYS = st.sampled_from(["author", "bold", "list", "\uff21", "😀"])
_VALUES = st.sampled_from(["", "true", "a.1", "\ue000", "😀"])


@SETTINGS
@given(seeds, st.lists(st.tuples(_KEYS, _VALUES), max_size=5))
def test_make_splice_reads_attribute_pairs_as_a_map(seed: int, pairs: list) -> None:
    """The inserted text carries the pairs read in order, a later value replacing an
    earlier one and an empty value removing its key; every pair read with a value enters
    the pool, in order; the changeset is canonical (keys sorted by UTF-16 unit)."""
    rng, pool, doc = _world(seed)
    start = rng.choice([0, doc.length - 1])
    before = dict(pool)
    cs = make_splice(doc, start, 0, "x", pairs, pool)
    check_rep(cs, pool)
    carried: dict[str, str] = {}
    for key, value in pairs:
        if value:
            carried[key] = value
        else:
            carried.pop(key, None)
    attribs = unpack(cs).ops[-1].attribs
    assert dict(attribs_to_pairs(attribs, pool)) == carried
    added = [pair for num, pair in pool if num not in before]
    known = set(before.values())
    assert added == list(dict.fromkeys(p for p in pairs if p[1] and p not in known))


def _random_splice(rng: random.Random, text: str, pool) -> str:
    """A typing-like edit: one place, a few units removed and/or a few inserted."""
    units = len(text.encode("utf-16-le")) // 2
    start = rng.randrange(0, units)
    removed = rng.choice([0, 0, 1, 2, 5])
    inserted = rng.choice(["", "x", "yz", "\n", "a\nb", "😀"])
    try:
        return make_splice(text, start, min(removed, units - 1 - start), inserted,
                           [("author", "a.1")] if rng.random() < 0.5 else None, pool)  # fmt: skip
    except ChangesetError:  # a start or end inside a surrogate pair: no such edit
        return identity(units)


def _random_places(rng: random.Random, text: str, pool) -> str:
    """Typing at two or three places in one changeset (a click elsewhere mid-commit)."""
    edit = _random_splice(rng, text, pool)
    for _ in range(rng.randint(1, 2)):
        edit = compose(edit, _random_splice(rng, apply_to_text(edit, text), pool), pool)
    return edit


@SETTINGS
@given(seeds, st.booleans())
def test_follow_shortcut_agrees_with_the_general_walk(seed: int, reverse: bool) -> None:
    """Splices at places apart take a shortcut in follow; it gives the walk's answer."""
    rng, pool, doc = _world(seed)
    make = rng.choice([_random_splice, _random_splice, _random_places, random_changeset])
    a, b = make(rng, doc.text, pool), make(rng, doc.text, pool)
    shortcut = follow(a, b, reverse, pool)
    walked = follow_walk(unpack(a), unpack(b), reverse, pool)
    assert shortcut == walked.pack()
    check_rep(shortcut, pool)


@SETTINGS
@given(seeds)
def test_a_whole_document_written_back_merges_with_any_concurrent_edit(seed: int) -> None:
    """A server-side write (changeset_from_atexts keeping the final newline, as REST
    `PUT content` and restore make it) merged with any edit made at the same time gives
    one valid text in both orders, however much of the end of the text it removes."""
    rng, pool, doc = _world(seed)
    target = random_atext(rng, pool, max_pieces=rng.choice([1, 2, 8]))
    written = changeset_from_atexts(doc, target, pool, keep_final_newline=True)
    assert not deletes_final_newline(unpack(written))
    assert apply_to_atext(written, doc, pool) == target
    edit = random_changeset(rng, doc.text, pool)
    assume(not deletes_final_newline(unpack(edit)))
    server_first = apply_to_atext(
        follow(written, edit, False, pool), apply_to_atext(written, doc, pool), pool
    )
    edit_first = apply_to_atext(
        follow(edit, written, True, pool), apply_to_atext(edit, doc, pool), pool
    )
    assert server_first == edit_first


def test_deleting_the_final_newline_is_what_breaks_a_merge() -> None:
    """Why the final newline is kept: "ab/cd/ef" cut to "ab" by deleting "cd\\nef\\n",
    while someone types in "ef", would leave a text that does not end with a newline."""
    pool = make_pool()
    typing = "Z:9>1|2=6=1+1$x"  # "e" then "x" in the last line
    plain = changeset_from_texts("ab\ncd\nef\n", "ab\n")
    kept = changeset_from_texts("ab\ncd\nef\n", "ab\n", keep_final_newline=True)
    assert deletes_final_newline(unpack(plain)) and not deletes_final_newline(unpack(kept))
    with pytest.raises(ChangesetError, match="newline"):
        apply_to_text(follow(typing, plain, True, pool), apply_to_text(typing, "ab\ncd\nef\n"))
    merged = apply_to_text(follow(typing, kept, True, pool), apply_to_text(typing, "ab\ncd\nef\n"))
    # the typed letter survives, on the line that is left
    assert merged == apply_to_text(follow(kept, typing, False, pool), "ab\n") == "abx\n"
