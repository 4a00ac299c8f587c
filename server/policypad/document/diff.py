"""diff_lines and diff_html: the change between two revisions, as one merged document.

The rules are docs/document-model.md's ("Diff"), shared with the JavaScript twin
(client/js/document/diff.js), which gives the same merged lines and HTML.

A document is diffed as a sequence of units, and so is each unit kept on both sides:

    document: lines outside tables, and tables (consecutive lines of one table)
    table:    rows (consecutive lines of one row)
    row:      cells (consecutive lines of one cell)
    cell:     lines

1. The units equal in everything at the start and at the end are kept. Between them,
   units are compared by their text (a table, row or cell by its lines' texts, embeds
   with their attributes), with `diff_symbols`; units of equal text are kept.
2. In a stretch of replaced units, old and new ones are paired where they look alike
   (`_pairs`); a pair is kept. The others are deleted or inserted whole, deletions first.
3. A kept line is diffed run by run (_run_diff.py) and block by block; a kept table, row
   or cell is diffed as a sequence of its units again.
4. A deleted line keeps its old block attributes, except its table placement: inside a
   kept table, row or cell it shows that container's new ids and attributes (a row's
   header status, a cell's header and spans), and for the containers deleted with it ids
   no new line has. So a deleted row stays a row of its table and a deleted cell a cell of
   its row, in both views; rows never move between tables.

The marks are changes.py's; `accept_lines` and `reject_lines` give the two revisions back.
"""

from __future__ import annotations

from collections.abc import Callable

from policypad.document._run_diff import diff_runs, kept_runs, line_key, words
from policypad.document._sequences import (
    DELETE,
    EQUAL,
    INSERT,
    Budget,
    diff_symbols,
    merge_ops,
    segments,
)
from policypad.document.changes import (
    DELETED,
    DIFF,
    DIFF_BEFORE,
    INSERTED,
    REBLOCKED,
    TABLE_IDS,
    encode_attributes,
    is_visible_block_change,
    visible_block,
)
from policypad.document.lines import Attributes, Line
from policypad.document.render import render_lines
from policypad.document.schema import EMBED_CHAR

COMMON_WORD_LINES = 64
"""A word in more new units than this says nothing about which units are alike."""

Unit = list[Line]
_Step = tuple[int, int, int]  # (EQUAL: kept | DELETE | INSERT, old index, new index)
# Levels of the diff, each named after what it diffs, and the kinds of unit they hold.
_DOCUMENT, _TABLE, _ROW, _CELL, _LINE = "document", "table", "row", "cell", "line"
_RULE = [(EMBED_CHAR, {"embed": "hr"})]
_INSIDE = {
    _TABLE: ("table",),
    _ROW: ("table", "row", "head"),
    _CELL: ("table", "row", "cell", "head", "th", "colspan", "rowspan"),
}
"""What a deleted line inside a kept table, row or cell shows of it: its ids, a row's
header status, a cell's header and spans (render reads them off a group's first line)."""


def diff_lines(old: list[Line], new: list[Line]) -> list[Line]:
    """Return the merged document of `old` and `new` (see the module docstring)."""
    differ = _Differ(new)
    differ.diff(old, new, _DOCUMENT, None)
    return differ.out


def diff_html(old: list[Line], new: list[Line]) -> str:
    """Return the merged document of old and new as HTML, with its marks (see render.py)."""
    return render_lines(diff_lines(old, new))


def _groups(lines: list[Line], key: str) -> list[Unit]:
    """Consecutive lines with one value of block attribute `key` (absent: one line each)."""
    units: list[Unit] = []
    previous: str | None = None
    for line in lines:
        value = line[1].get(key)
        if value is not None and units and value == previous:
            units[-1].append(line)
        else:
            units.append([line])
        previous = value
    return units


def _units(lines: list[Line], level: str) -> list[Unit]:
    """The units a level diffs (see the module docstring)."""
    if level == _DOCUMENT:
        return _groups(lines, "table")
    if level == _TABLE:
        return _groups(lines, "row")
    if level == _ROW:
        return _groups(lines, "cell")
    return [[line] for line in lines]


def _kind(unit: Unit, level: str) -> str:
    """What a unit of a level is: a table or a line in a document, a row in a table, a
    cell in a row, a line in a cell."""
    if level == _DOCUMENT:
        return _TABLE if "table" in unit[0][1] else _LINE
    return {_TABLE: _ROW, _ROW: _CELL, _CELL: _LINE}[level]


def _is_head(unit: Unit) -> bool:
    return unit[0][1].get("head") == "true"


def _unit_key(unit: Unit, kind: str) -> str:
    """What makes two units the same text (kinds never share a key)."""
    if kind == _LINE:
        return "L" + line_key(unit[0][0])
    if kind == _CELL:
        return "C" + "\x01".join(line_key(runs) for runs, _ in unit)
    if kind == _ROW:  # a header row stays one: render shows header rows first
        head = "H" if _is_head(unit) else ""
        return "R" + head + "\x02".join(_unit_key(cell, _CELL) for cell in _groups(unit, "cell"))
    return "T" + "\x03".join(_unit_key(row, _ROW) for row in _groups(unit, "row"))


def _shape(unit: Unit, kind: str) -> str:
    """What a unit looks like, words aside: a line's block (`visible_block`) and whether it
    is a rule (a rule is never a line rewritten), a cell's first block, whether a row is a
    header row; all tables look alike."""
    first = unit[0][1]
    if kind == _TABLE:
        return "T"
    if kind == _ROW:
        return "R" + first.get("head", "")
    rule = "hr" if kind == _LINE and unit[0][0] == _RULE else ""
    return kind[0] + rule + encode_attributes(visible_block(first))


class _Differ:
    """One document diff: its budget, the ids deleted lines show, and the merged lines."""

    def __init__(self, new: list[Line]) -> None:
        self.budget = Budget()
        self.out: list[Line] = []
        self.fresh: dict[str, dict[str, str]] = {key: {} for key in TABLE_IDS}
        self.taken: dict[str, set[str]] = {key: set() for key in TABLE_IDS}
        for _, block in new:
            for key in TABLE_IDS:
                if key in block:
                    self.taken[key].add(block[key])

    def diff(self, old: list[Line], new: list[Line], level: str, within: Attributes | None) -> None:
        """Add the merged lines of `old` and `new`, the content of one unit kept on both
        sides (a document, table, row or cell; `within` is its first new block)."""
        old_units, new_units = _units(old, level), _units(new, level)
        for kind, i, j in self._steps(old_units, new_units, level):
            if kind == DELETE:
                self._deleted(old_units[i], within, _INSIDE.get(level, ()))
            elif kind == INSERT:
                self._inserted(new_units[j])
            else:
                unit_kind = _kind(old_units[i], level)
                if unit_kind == _LINE:
                    self.out.append(self._kept(old_units[i][0], new_units[j][0]))
                else:
                    self.diff(old_units[i], new_units[j], unit_kind, new_units[j][0][1])

    def _steps(self, old: list[Unit], new: list[Unit], level: str) -> list[_Step]:
        """Which units are kept (paired), deleted and inserted, in merged order."""
        head = 0
        while head < min(len(old), len(new)) and old[head] == new[head]:
            head += 1
        tail = 0
        while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
            tail += 1
        old_keys = [_unit_key(u, _kind(u, level)) for u in old[head : len(old) - tail]]
        new_keys = [_unit_key(u, _kind(u, level)) for u in new[head : len(new) - tail]]
        ops = merge_ops(
            [(EQUAL, head), *diff_symbols(old_keys, new_keys, self.budget), (EQUAL, tail)]
        )
        steps: list[_Step] = []
        old_at = new_at = 0
        for equal, deleted, inserted in segments(ops):
            if equal:
                steps.extend((EQUAL, old_at + k, new_at + k) for k in range(deleted))
            else:
                steps.extend(self._stretch(old, old_at, deleted, new, new_at, inserted, level))
            old_at += deleted
            new_at += inserted
        return steps

    def _stretch(
        self, old: list[Unit], a0: int, n: int, new: list[Unit], b0: int, m: int, level: str
    ) -> list[_Step]:
        """The steps of replaced units old[a0:a0+n] / new[b0:b0+m]: pairs kept, the others
        deleted, then inserted, between them (in a table, header rows first)."""
        pairs = _pairs(old[a0 : a0 + n], new[b0 : b0 + m], level) if n and m else []
        steps: list[_Step] = []
        done_old = done_new = 0  # within the stretch
        for i, j in [*pairs, (n, m)]:
            gap = [(DELETE, a0 + k, -1) for k in range(done_old, i)]
            gap += [(INSERT, -1, b0 + k) for k in range(done_new, j)]
            if level == _TABLE:  # header rows first, as render shows them
                gap.sort(
                    key=lambda step: (
                        not _is_head(old[step[1]] if step[0] == DELETE else new[step[2]])
                    )
                )
            steps.extend(gap)
            if i < n:
                steps.append((EQUAL, a0 + i, b0 + j))
            done_old, done_new = i + 1, j + 1
        return steps

    def _kept(self, old: Line, new: Line) -> Line:
        """A line in both revisions: its runs and block compared."""
        if old == new:
            return new
        (old_runs, old_block), (new_runs, new_block) = old, new
        if line_key(old_runs) == line_key(new_runs):
            runs = kept_runs(old_runs, new_runs)
        else:
            runs = diff_runs(old_runs, new_runs, self.budget)
        if old_block == new_block:
            return (runs, new_block)
        block = {**new_block, DIFF_BEFORE: encode_attributes(old_block)}
        if is_visible_block_change(old_block, new_block):
            block[DIFF] = REBLOCKED
        return (runs, block)

    def _inserted(self, unit: Unit) -> None:
        for runs, block in unit:
            self.out.append(
                ([(t, {**a, DIFF: INSERTED}) for t, a in runs], {**block, DIFF: INSERTED})
            )

    def _deleted(self, unit: Unit, within: Attributes | None, inside: tuple[str, ...]) -> None:
        """Deleted lines: the keys in `inside` are those of the kept container `within`,
        the ids of containers deleted with them new ones (see the module docstring, 4)."""
        for runs, block in unit:
            shown = dict(block)
            for key in inside:
                if within is not None and key in within:
                    shown[key] = within[key]
                else:
                    shown.pop(key, None)
            for key in TABLE_IDS:
                if key in block and key not in inside:
                    shown[key] = self._fresh(key, block[key])
            if shown != block:
                shown[DIFF_BEFORE] = encode_attributes(block)
            shown[DIFF] = DELETED
            self.out.append(([(t, {**a, DIFF: DELETED}) for t, a in runs], shown))

    def _fresh(self, key: str, old_id: str) -> str:
        """An id under `key` no new line has, one per old id."""
        fresh = self.fresh[key]
        if old_id not in fresh:
            candidate = "~" + old_id  # "~" is in no id a parse writes
            while candidate in self.taken[key]:
                candidate = "~" + candidate
            self.taken[key].add(candidate)
            fresh[old_id] = candidate
        return fresh[old_id]


def _pairs(old: list[Unit], new: list[Unit], level: str) -> list[tuple[int, int]]:
    """Pairs (i, j) of units to keep, in order on both sides, of one kind (a row pairs with
    a row of the same header status, a line with a line).

    First the alike units (`_alike`; a word in more than `COMMON_WORD_LINES` new units is
    not counted, and units without words are never alike); of these, the chain in order
    with the most weight, a pair weighing 1 + its shared words. Then, between two chosen
    pairs, the k-th old and k-th new unit pair up if they look the same (`_shape`) and are
    rows, cells, lines in a table, or the gap has as many old as new units: a row, cell or
    list item rewritten in place.
    """
    old_kinds = [_kind(u, level) for u in old]
    new_kinds = [_kind(u, level) for u in new]
    chain = _alike_chain(
        [_words(u) for u in old],
        [_words(u) for u in new],
        lambda i, j: (
            old_kinds[i] == new_kinds[j]
            and (old_kinds[i] != _ROW or _is_head(old[i]) == _is_head(new[j]))
        ),
    )
    pairs: list[tuple[int, int]] = []
    old_at = new_at = 0
    for i, j in [*chain, (len(old), len(new))]:
        gap_old, gap_new = i - old_at, j - new_at
        for k in range(min(gap_old, gap_new)):
            a, b = old[old_at + k], new[new_at + k]
            kind = old_kinds[old_at + k]
            in_table = kind != _LINE or ("table" in a[0][1] and "table" in b[0][1])
            if (
                kind == new_kinds[new_at + k]
                and (gap_old == gap_new or in_table)
                and _shape(a, kind) == _shape(b, kind)
            ):
                pairs.append((old_at + k, new_at + k))
        if i < len(old):
            pairs.append((i, j))
        old_at, new_at = i + 1, j + 1
    return pairs


def _words(unit: Unit) -> set[str]:
    if len(unit) == 1:
        return words(unit[0][0])
    found: set[str] = set()
    for runs, _ in unit:
        found |= words(runs)
    return found


def _alike(shared: int, old_words: int, new_words: int) -> bool:
    """Whether two units sharing `shared` words are alike: half the words of the shorter
    one and a quarter of the longer one's."""
    return 2 * shared >= min(old_words, new_words) and 4 * shared >= max(old_words, new_words)


def _alike_chain(
    old: list[set[str]], new: list[set[str]], agree: Callable[[int, int], bool]
) -> list[tuple[int, int]]:
    """The heaviest chain of alike pairs, increasing on both sides (see `_pairs`)."""
    units_of: dict[str, list[int]] = {}
    for j, found in enumerate(new):
        for word in found:
            units_of.setdefault(word, []).append(j)
    candidates: list[tuple[int, int, int]] = []
    for i, found in enumerate(old):
        shared: dict[int, int] = {}
        for word in found:
            js = units_of.get(word, ())
            if len(js) <= COMMON_WORD_LINES:
                for j in js:
                    shared[j] = shared.get(j, 0) + 1
        for j in sorted(shared):
            if _alike(shared[j], len(found), len(new[j])) and agree(i, j):
                candidates.append((i, j, 1 + shared[j]))
    if not candidates:
        return []
    # Heaviest increasing chain: a Fenwick tree over j keeps, for each prefix of j, the
    # best chain so far as (weight, candidate index); the candidates of one i are scored
    # before any of them is added, so that no two of them chain.
    size = len(new)
    tree: list[tuple[int, int]] = [(0, -1)] * (size + 1)
    best: list[tuple[int, int]] = []  # per candidate: (chain weight, previous candidate)
    start = 0
    while start < len(candidates):
        end = start
        while end < len(candidates) and candidates[end][0] == candidates[start][0]:
            end += 1
        for index in range(start, end):
            _, j, weight = candidates[index]
            found_best, position = (0, -1), j  # the best over j' < j
            while position > 0:
                found_best = max(found_best, tree[position])
                position -= position & -position
            best.append((found_best[0] + weight, found_best[1]))
        for index in range(start, end):
            position = candidates[index][1] + 1
            entry = (best[index][0], index)
            while position <= size:
                tree[position] = max(tree[position], entry)
                position += position & -position
        start = end
    index = max(range(len(candidates)), key=lambda k: (best[k][0], k))
    chain = []
    while index >= 0:
        chain.append(candidates[index][:2])
        index = best[index][1]
    chain.reverse()
    return chain
