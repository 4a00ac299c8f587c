"""The engine's fast paths for typing give exactly what its general paths give.

Typing takes shortcuts: `make_splice` on an AText writes a splice in the line of the
last edit without searching, `check_rep` reads a splice with one regular expression,
and `apply_to_atext` changes one line of one chunk. These tests drive long random
typing sessions (and random hand-written splices) through both ways and compare.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policypad.changeset import (
    AText,
    AttributePool,
    apply_to_atext,
    apply_to_text,
    check_rep,
    compose,
    make_atext,
    make_attribute_change,
    make_splice,
    unpack,
)
from policypad.changeset.assembler import canonical_ops
from policypad.changeset.changeset import _parse_general, as_splice, check_parsed, parse_cached
from policypad.changeset.compose import compose_parsed
from policypad.changeset.follow import follow_chain, follow_parsed
from policypad.changeset.op import format_ops, parse_ops
from policypad.errors import ChangesetError
from tests.support.randomdocs import make_pool

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
seeds = st.integers(min_value=0, max_value=2**32 - 1)
LETTERS = "abcdefgh  é"


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _document(rng: random.Random, pool: AttributePool) -> AText:
    """A few hundred lines (several chunks), some bold or italic, by two authors."""
    lines = [
        "".join(rng.choice(LETTERS) for _ in range(rng.randrange(0, 30)))
        for _ in range(rng.randrange(1, 300))
    ]
    if rng.random() < 0.3:
        lines[rng.randrange(len(lines))] += "😀"
    atext = make_atext("\n".join(lines) + "\n")
    for _ in range(rng.randrange(0, 12)):
        start = rng.randrange(atext.length)
        end = min(atext.length, start + rng.randrange(1, 80))
        pair = rng.choice([("bold", "true"), ("italic", "true"), ("author", "b")])
        try:
            cs = make_attribute_change(atext, start, end, [pair], pool)
        except ChangesetError:  # an end inside a surrogate pair
            continue
        atext = apply_to_atext(cs, atext, pool)
    return atext


def _next_edit(rng: random.Random, text: str, caret: int) -> tuple[int, int, str]:
    """Mostly typing at the caret; sometimes a jump, a backspace, Enter or an emoji."""
    units = _units(text)
    roll = rng.random()
    if roll < 0.15:
        caret = rng.randrange(units)
    caret = min(caret, units - 1)
    if roll < 0.3 and caret:
        return caret - 1, 1, ""
    if roll < 0.35:
        return caret, 0, "\n"
    if roll < 0.38:
        return caret, min(rng.randrange(0, 3), units - 1 - caret), "😀"
    if roll < 0.42:
        return caret, min(rng.randrange(1, 40), units - 1 - caret), ""
    return caret, 0, rng.choice(["x", "yz", "é", " "])


@SETTINGS
@given(seeds)
def test_a_typing_session_on_an_atext_matches_the_plain_text_engine(seed: int) -> None:
    rng = random.Random(seed)
    pool = make_pool()
    atext = _document(rng, pool)
    text = atext.text
    caret = rng.randrange(atext.length)
    author = rng.choice([None, [("author", "a")], [("author", "b")], "*0"])
    for _ in range(120):
        start, ndel, ins = _next_edit(rng, text, caret)
        try:
            expected = make_splice(text, start, ndel, ins, author, pool)
        except ChangesetError:  # a splice end inside a surrogate pair: no such edit
            continue
        # the AText's way (its remembered line) writes the same changeset
        assert make_splice(atext, start, ndel, ins, author, pool) == expected
        check_rep(expected, pool)
        # a parsed changeset takes its own way to the same place
        parsed_way = apply_to_atext(unpack(expected), atext, pool)
        atext = apply_to_atext(expected, atext, pool)
        assert parsed_way == atext
        text = apply_to_text(expected, text)
        assert atext.text == text
        caret = start + _units(ins)
    # its attribution joins its lines' as merging their ops one by one would
    ops = [op for line in atext.attribution_lines() for op in parse_ops(line)]
    assert atext.attribs == format_ops(canonical_ops(ops))
    # what it holds inside is what a document built afresh would hold
    fresh = make_atext(text, atext.attribs)
    assert atext.attribution_lines() == fresh.attribution_lines()
    assert atext.line_count == fresh.line_count == text.count("\n")
    for position in rng.sample(range(atext.length + 1), min(40, atext.length + 1)):
        assert atext.locate(position) == fresh.locate(position)
    for _ in range(20):
        start = rng.randrange(atext.length)
        end = rng.randrange(start, atext.length + 1)
        try:
            expected_between = fresh.text_between(start, end)
        except ChangesetError:
            continue
        assert atext.text_between(start, end) == expected_between


@SETTINGS
@given(seeds)
def test_composing_neighbouring_keystrokes_gives_the_general_answer(seed: int) -> None:
    rng = random.Random(seed)
    pool = make_pool()
    text = _document(rng, pool).text
    caret = rng.randrange(_units(text))
    authors = [None, [("author", "a")], [("author", "b")]]
    merged = 0
    for _ in range(60):
        changesets = []
        current = text
        for _ in range(2):
            start, ndel, ins = _next_edit(rng, current, caret)
            try:
                cs = make_splice(current, start, ndel, ins, rng.choice(authors), pool)
            except ChangesetError:
                break
            changesets.append(cs)
            current = apply_to_text(cs, current)
            caret = start + _units(ins)
        if len(changesets) < 2:
            continue
        first, second = changesets
        expected = compose_parsed(unpack(first), unpack(second), pool).pack()
        assert compose(first, second, pool) == expected
        merged += as_splice(first) is not None and as_splice(second) is not None
        text = current
    assert merged  # the splice-and-splice way was taken


def _number(draw: st.DrawFn, zero: bool = True) -> str:
    value = draw(st.integers(min_value=0 if zero else 1, max_value=2000))
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        value, digit = divmod(value, 36)
        out = digits[digit] + out
        if not value:
            return out


@st.composite
def splice_shaped(draw: st.DrawFn) -> str:
    """Changesets of the splice shape, valid or not: lengths, banks and attribs at random."""
    header = f"Z:{_number(draw)}{draw(st.sampled_from('><'))}{_number(draw)}"
    ops = ""
    if draw(st.booleans()):
        ops += f"|{_number(draw, zero=False)}={_number(draw, zero=False)}"
    if draw(st.booleans()):
        ops += f"={_number(draw, zero=False)}"
    if draw(st.booleans()):
        ops += f"-{_number(draw, zero=False)}"
    if draw(st.booleans()):
        attribs = "".join(f"*{n}" for n in draw(st.lists(st.sampled_from("0123z"), max_size=3)))
        ops += f"{attribs}+{_number(draw, zero=False)}"
    bank = draw(
        st.text(alphabet=st.sampled_from(["a", "b", "\n", "😀", "é", "\ud800"]), max_size=8)
    )
    return f"{header}{ops}${bank}"


def _verdict(check, *args) -> str:  # type: ignore[no-untyped-def]
    try:
        check(*args)
    except ChangesetError:
        return "rejected"
    return "accepted"


@settings(max_examples=3000, deadline=None)
@given(splice_shaped(), st.booleans())
def test_the_splice_reader_agrees_with_the_general_parser(cs: str, with_pool: bool) -> None:
    pool = make_pool() if with_pool else None
    try:
        general = _parse_general(cs)
    except ChangesetError:
        with pytest.raises(ChangesetError):
            parse_cached(cs)
        return
    parsed, splice = parse_cached(cs)
    assert parsed == general
    assert _verdict(check_rep, cs, pool) == _verdict(check_parsed, general, pool)
    if splice is not None:  # its parts say what the ops say
        keeps = [op for op in parsed.ops if op.opcode == "="]
        assert splice.start == sum(op.chars for op in keeps)
        assert (splice.lines, splice.line_start) == next(
            ((op.lines, op.chars) for op in keeps if op.lines), (0, 0)
        )
        assert splice.ndel == sum(op.chars for op in parsed.ops if op.opcode == "-")
        assert splice.inserted == parsed.char_bank


@pytest.mark.parametrize(
    ("cs", "message"),
    [
        ("Z:5>1|2=1+1$x", "more newlines than chars"),
        ("Z:5>1=2+1$\n", "newline count"),
        ("Z:5>1=2+1$xy", "unconsumed char bank"),
        ("Z:5>1=2*0*0+1$x", "cites an attribute twice"),
        ("Z:5>1=5-1+2$xy", "length mismatch"),
        ("Z:5>2=2-1+1$x", "length mismatch"),
        ("Z:5>1=2+1$\ud800", "lone surrogate"),
    ],
)
def test_splices_the_fast_reader_cannot_vouch_for_get_the_general_message(
    cs: str, message: str
) -> None:
    with pytest.raises(ChangesetError, match=message):
        check_rep(cs)


@given(seeds)
@settings(max_examples=150, deadline=None)
def test_rebasing_over_a_chain_gives_what_following_each_gives(seed: int) -> None:
    """Law: follow_chain(chain, x) == follow(last, ... follow(first, x)) for any chain of
    revisions and any x: keystrokes at places apart, touching, across lines, newlines,
    deletions, and edits that are no splice at all."""
    rng = random.Random(seed)
    pool = AttributePool()
    text = "".join(rng.choice(["ab", "cd ", "\n", "ef", "gh\n"]) for _ in range(rng.randint(3, 30)))
    text += "\n"
    base = text
    chain = []
    for _ in range(rng.randint(1, 25)):
        chain.append(_random_edit(rng, text))
        text = apply_to_text(chain[-1], text)
    second = _random_edit(rng, base)
    expected = unpack(second)
    for revision in chain:
        expected = follow_parsed(unpack(revision), expected, False, pool)
    got = follow_chain(chain, unpack(second), pool)
    assert got.pack() == expected.pack()


def _random_edit(rng: random.Random, text: str) -> str:
    length = len(text)
    if rng.random() < 0.1 and length > 4:  # two places at once: no splice
        first = make_splice(text, 1, 1, "Z")
        return compose(first, make_splice(apply_to_text(first, text), length - 2, 0, "Y"))
    if rng.random() < 0.25:
        # keystrokes at two or three places in one commit (a click elsewhere mid-commit)
        edit = _random_splice_of(rng, text)
        for _ in range(rng.randint(1, 2)):
            edit = compose(edit, _random_splice_of(rng, apply_to_text(edit, text)))
        return edit
    return _random_splice_of(rng, text)


def _random_splice_of(rng: random.Random, text: str) -> str:
    length = len(text)
    start = rng.randrange(length)
    removed = 0 if rng.random() < 0.6 else rng.randint(0, min(3, length - 1 - start))
    inserted = (
        rng.choice(["", "x", "yz", "\n", "w\nv"]) if removed else rng.choice(["x", "yz", "q"])
    )
    if not removed and not inserted:
        inserted = "x"
    return make_splice(text, start, removed, inserted)
