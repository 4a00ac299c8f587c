"""Laws of the structure-aware diff (docs/document-model.md, "Diff"), checked with Hypothesis.

Pairs of documents come from tests/support/randompairs.py, drawn from Hypothesis's
random: random documents with every kind of block, and random edits of them (text,
formatting, links, images, block types, list types and levels, lines inserted, deleted,
split, joined and moved, table rows, columns and cells added and removed), sometimes two
unrelated documents. The laws are stated on the line form, never on strings of HTML.
"""

from __future__ import annotations

import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from policypad.document import Document
from policypad.document.changes import (
    DELETED,
    DIFF,
    DIFF_BEFORE,
    FORMATTED,
    INSERTED,
    REBLOCKED,
    accept_lines,
    reject_lines,
    without_marks,
)
from policypad.document.diff import diff_lines
from policypad.document.lines import Line, merge_runs
from policypad.document.render import render_lines
from policypad.document.schema import EMBED_CHAR
from tests.support import randompairs

RANDOMS = st.randoms(use_true_random=False)
EXAMPLES = 300


def _marks(line: Line) -> list[str]:
    """The `diff` marks of a line and its runs."""
    runs, block = line
    return [a[DIFF] for _, a in runs if DIFF in a] + ([block[DIFF]] if DIFF in block else [])


def _marked_text(merged: list[Line], mark: str) -> str:
    return "".join(t for runs, _ in merged for t, a in runs if a.get(DIFF) == mark)


def _text(line: Line) -> str:
    return "".join(t for t, _ in line[0])


@settings(max_examples=EXAMPLES * 2, deadline=None)
@given(RANDOMS)
def test_accepting_gives_the_new_revision_and_rejecting_the_old(rng: random.Random) -> None:
    """accept(diff(a, b)) == b and reject(diff(a, b)) == a, exactly, for every pair."""
    old, new = randompairs.pair(rng)
    merged = diff_lines(old, new)
    assert accept_lines(merged) == new
    assert reject_lines(merged) == old


@settings(max_examples=EXAMPLES, deadline=None)
@given(RANDOMS)
def test_an_unchanged_document_has_no_marks(rng: random.Random) -> None:
    """diff(a, a) == a: nothing marked, no old attributes kept."""
    document = randompairs.document(rng)
    assert diff_lines(document, document) == document


@settings(max_examples=EXAMPLES, deadline=None)
@given(RANDOMS)
def test_lines_before_and_after_the_changes_are_not_marked(rng: random.Random) -> None:
    """The lines outside tables and the whole tables that a and b share at their start and
    at their end are unmarked in diff(a, b)."""
    old, new = randompairs.pair(rng)
    merged = diff_lines(old, new)
    old_units, new_units = _document_units(old), _document_units(new)
    start = 0
    while start < min(len(old_units), len(new_units)) and old_units[start] == new_units[start]:
        start += 1
    end = 0
    while (
        end < min(len(old_units), len(new_units)) - start
        and old_units[-1 - end] == new_units[-1 - end]
    ):
        end += 1
    first = sum(len(unit) for unit in old_units[:start])
    last = sum(len(unit) for unit in old_units[len(old_units) - end :])
    for line in merged[:first] + merged[len(merged) - last :]:
        assert not _marks(line) and DIFF_BEFORE not in line[1], line


def _document_units(lines: list[Line]) -> list[list[Line]]:
    """Each line outside tables, each table (consecutive lines of one table id)."""
    units: list[list[Line]] = []
    for line in lines:
        table = line[1].get("table")
        if table is not None and units and units[-1][0][1].get("table") == table:
            units[-1].append(line)
        else:
            units.append([line])
    return units


def _with_text_line(rng: random.Random) -> tuple[list[Line], int]:
    """A random document and the index of a line holding text (no embed), maybe empty."""
    document = randompairs.document(rng)
    candidates = [i for i, line in enumerate(document) if EMBED_CHAR not in _text(line)]
    if not candidates:
        document = [*document, ([("plain words here", {})], {})]
        candidates = [len(document) - 1]
    return document, rng.choice(candidates)


def _with_stretch(rng: random.Random) -> tuple[list[Line], int, int, int]:
    """A random document, the index of a line holding text (no embed), and a stretch
    (start, end) of it with at least one character."""
    document = randompairs.document(rng)
    candidates = [
        i for i, line in enumerate(document) if _text(line) and EMBED_CHAR not in _text(line)
    ]
    if not candidates:
        document = [*document, ([("plain words here", {})], {})]
        candidates = [len(document) - 1]
    index = rng.choice(candidates)
    length = len(_text(document[index]))
    start = rng.randrange(length)
    return document, index, start, rng.randint(start + 1, length)


@settings(max_examples=EXAMPLES, deadline=None)
@given(RANDOMS)
def test_typed_text_is_all_that_is_marked(rng: random.Random) -> None:
    """Inserting text into one line marks as many inserted characters, and nothing else."""
    old, index = _with_text_line(rng)
    line = old[index]
    typed = rng.choice(["x", " new words ", "cat", "é😀", "s"])
    position = rng.randint(0, len(_text(line)))
    new = [*old]
    new[index] = randompairs.insert_text(line, position, typed, {})
    merged = diff_lines(old, new)
    assert len(_marked_text(merged, INSERTED)) == len(typed)
    assert [m for line in merged for m in _marks(line)] == [INSERTED] * len(
        [m for line in merged for m in _marks(line)]
    )
    assert sum(1 for line in merged if _marks(line)) == 1


@settings(max_examples=EXAMPLES, deadline=None)
@given(RANDOMS)
def test_deleted_text_is_all_that_is_marked(rng: random.Random) -> None:
    """Deleting a stretch of one line marks exactly that many characters deleted, no more."""
    old, index, start, end = _with_stretch(rng)
    new = [*old]
    new[index] = randompairs.delete_text(old[index], start, end)
    merged = diff_lines(old, new)
    assert len(_marked_text(merged, DELETED)) == end - start
    assert {m for line in merged for m in _marks(line)} == {DELETED}
    assert sum(1 for line in merged if _marks(line)) == 1


@settings(max_examples=EXAMPLES, deadline=None)
@given(RANDOMS)
def test_a_replaced_word_marks_no_other_word(rng: random.Random) -> None:
    """Replacing one word of a paragraph marks characters of that word only: no more is
    deleted than the old word, no more inserted than the new one."""
    words = [
        rng.choice(["alpha", "beta", "gamma", "delta", "cats", "colour"])
        for _ in range(rng.randint(1, 12))
    ]
    position = rng.randrange(len(words))
    word = rng.choice([w for w in ("cat", "dog", "color", "Ωμέγα", "x") if w != words[position]])
    old: list[Line] = [([(" ".join(words), {})], {})]
    replaced = [*words]
    replaced[position] = word
    new: list[Line] = [([(" ".join(replaced), {})], {})]
    merged = diff_lines(old, new)
    deleted, inserted = _marked_text(merged, DELETED), _marked_text(merged, INSERTED)
    assert deleted or inserted
    assert deleted in words[position] and inserted in word
    unmarked = "".join(t for t, a in merged[0][0] if DIFF not in a)
    assert len(unmarked) >= len(" ".join(words)) - len(words[position])


@settings(max_examples=EXAMPLES, deadline=None)
@given(RANDOMS, st.sampled_from(randompairs.FLAGS))
def test_formatting_marks_exactly_the_characters_it_changed(rng: random.Random, flag: str) -> None:
    """Setting a flag on a stretch marks `format` on the characters that lacked it, only;
    their old attributes are kept in `diff-before`."""
    old, index, start, end = _with_stretch(rng)
    new = [*old]
    new[index] = randompairs.set_flag(old[index], start, end, flag, True)
    stretch = randompairs.cut(randompairs.cut(old[index][0], start)[1], end - start)[0]
    changed = sum(len(t) for t, a in stretch if flag not in a)
    merged = diff_lines(old, new)
    assert len(_marked_text(merged, FORMATTED)) == changed
    assert {m for line in merged for m in _marks(line)} <= {FORMATTED}
    for runs, _ in merged:
        for _, attributes in runs:
            if attributes.get(DIFF) == FORMATTED:
                assert flag not in attributes[DIFF_BEFORE] and attributes[flag] == "true"


@settings(max_examples=EXAMPLES, deadline=None)
@given(RANDOMS)
def test_a_block_change_marks_its_line_only(rng: random.Random) -> None:
    """Changing one line's block attributes marks that line `block` and nothing else."""
    old = randompairs.normalize(randompairs.document(rng))
    # lines outside tables whose text any block keeps as it is (no embed, no space that
    # only pre keeps)
    candidates = [
        i
        for i, line in enumerate(old)
        if "table" not in line[1]
        and EMBED_CHAR not in _text(line)
        and _text(line) == " ".join(_text(line).split(" ")).strip(" ")
        and "  " not in _text(line)
    ]
    if not candidates:
        old = [*old, ([("plain words here", {})], {})]
        candidates = [len(old) - 1]
    index = rng.choice(candidates)
    new = [*old]
    new[index] = (old[index][0], randompairs.changed_block(rng, old[index][1]))
    new = randompairs.normalize(new)
    assert new[index][0] == old[index][0] and new[:index] == old[:index]
    merged = diff_lines(old, new)
    expected = [REBLOCKED] if new[index][1] != old[index][1] else []
    assert [m for line in merged for m in _marks(line)] == expected
    if expected:
        assert _marks(merged[index]) == expected


@settings(max_examples=EXAMPLES, deadline=None)
@given(RANDOMS)
def test_another_author_alone_is_no_change(rng: random.Random) -> None:
    """Text that only changed author is not marked (but rejecting gives the old author)."""
    old = randompairs.document(rng)
    new = [([(t, {**a, "author": "someone else"}) for t, a in runs], block) for runs, block in old]
    new = [(merge_runs(runs), block) for runs, block in new]
    merged = diff_lines(old, new)
    assert not [m for line in merged for m in _marks(line)]
    assert reject_lines(merged) == old


def _groups(lines: list[Line]) -> list[tuple[str, int | None, int | None, int | None]]:
    """Each line's text and the table, row and cell render puts it in (groups of
    consecutive lines with one id, numbered in order), or None outside tables."""
    out = []
    counters = {"table": 0, "row": 0, "cell": 0}
    previous: dict[str, str | None] = {"table": None, "row": None, "cell": None}
    for line in lines:
        block = line[1]
        place: list[int | None] = []
        opened = False
        for key in ("table", "row", "cell"):
            value = block.get(key)
            if value is None:
                previous[key] = None
                place.append(None)
                continue
            if opened or value != previous[key]:
                counters[key] += 1
                opened = True
            previous[key] = value
            place.append(counters[key])
        out.append((_text(line), *place))
    return out


def _shown(merged: list[Line], dropped: str) -> list[Line]:
    """The merged document as shown, without the lines and runs marked `dropped`."""
    return [
        ([(t, without_marks(a)) for t, a in runs if a.get(DIFF) != dropped], without_marks(block))
        for runs, block in merged
        if block.get(DIFF) != dropped
    ]


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    RANDOMS,
    st.sampled_from(
        ["add row", "delete row", "add column", "delete column", "add cell", "delete cell"]
    ),
)
def test_tables_stay_tables_in_both_views(rng: random.Random, kind: str) -> None:
    """After a row, column or cell is added or removed, the merged table as shown, less what
    is inserted, has the old table's rows and cells; less what is deleted, the new one's."""
    old = randompairs.document(rng)
    if not any("table" in block for _, block in old):
        old = randompairs.renumber([*old, *randompairs.table(rng, "added")])
    new = randompairs.edit(rng, old, kind)
    merged = diff_lines(old, new)
    assert _groups(_shown(merged, INSERTED)) == _groups(old)
    assert _groups(_shown(merged, DELETED)) == _groups(new)


@settings(max_examples=EXAMPLES, deadline=None)
@given(RANDOMS)
def test_the_merged_document_renders_as_it_is(rng: random.Random) -> None:
    """Parsing the diff's HTML gives the merged document's lines with their blocks, tables,
    rows and cells: deleted rows and cells sit in their tables, deleted list items in their
    lists. (The marks are not part of the model: ins and del read as underline and strike,
    data-pp-* attributes are dropped; and HTML collapses a kept space next to a deleted
    one, as it shows them.)"""
    old, new = randompairs.pair(rng)
    merged = diff_lines(old, new)
    shown = randompairs.renumber([([], without_marks(block)) for _, block in merged])
    parsed = Document.from_html(render_lines(merged)).lines()
    assert [_spaced(line) for line in parsed] == [_spaced(line) for line in merged]
    assert [block for _, block in parsed] == [block for _, block in shown]


def _spaced(line: Line) -> str:
    return re.sub(" +", " ", _text(line)).strip(" ") if "pre" not in line[1] else _text(line)
