"""Diffs of symbol sequences: the engine under the document diff (lines, words, letters).

A sequence is a list of strings (symbols compare by equality only). `diff_symbols`
returns ops ``(kind, count)`` that turn the old sequence into the new one:

    diff_symbols(["a", "b", "c"], ["a", "x", "c"], Budget())
    == [(EQUAL, 1), (DELETE, 1), (INSERT, 1), (EQUAL, 1)]

The method, shared with the JavaScript twin (client/js/document/sequences.js) step by
step so that both give the same ops:

1. the common prefix and suffix are equal;
2. a middle of ``old * new <= SMALL_CELLS`` cells goes to Myers' greedy diff (`_greedy`,
   written out here: for small inputs it is several times faster than diff-match-patch's
   bisection, whose calls cost more than the work), a minimal diff, if the budget allows;
3. else the middle is cut at the symbols that occur exactly once on each side, in the
   longest run that keeps their order (patience diff); each gap is diffed by 1-3 again;
4. a gap with no such symbol goes to diff-match-patch's Myers diff (in linear space, the
   symbols spelled as one character each, no deadline) if the budget still allows, else
   it is replaced whole (deleted, then inserted).

The budget counts ``old * new`` cells, Myers' worst case, over one whole document diff, so
the work is bounded without a clock: a clock would make the answer depend on the machine,
and the two languages must agree. A spent budget gives a coarser diff, never a wrong one.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from diff_match_patch import diff_match_patch

EQUAL, DELETE, INSERT = 0, -1, 1
Op = tuple[int, int]
Segment = tuple[bool, int, int]  # (equal?, old count, new count)

SMALL_CELLS = 1_024
"""Middles up to this many cells (old symbols x new symbols) go to `_greedy` at once."""

WORK_CELLS = 300_000
"""Myers cells one document diff may spend: a 105 KB document changed everywhere takes
about 0.2 s of Python with it; 200 random pairs of revisions of the automerge-paper trace
(benchmarks/diff_bench.py) spent at most 210,000."""

_MAX_SYMBOLS = 60_000
"""Distinct symbols one Myers call can spell (one UTF-16 unit each, surrogates skipped)."""


class Budget:
    """Myers cells left to spend (see the module docstring)."""

    __slots__ = ("cells",)

    def __init__(self, cells: int | None = None) -> None:
        self.cells = WORK_CELLS if cells is None else cells

    def spend(self, cells: int) -> bool:
        """Take `cells` if there are that many left; return whether they were taken."""
        if cells > self.cells:
            return False
        self.cells -= cells
        return True


def _differ() -> diff_match_patch:
    differ = diff_match_patch()
    differ.Diff_Timeout = 0  # no deadline: the answer must not depend on the clock
    return differ


_DIFFER = _differ()


def _spell(number: int) -> str:
    """The character for symbol `number`: one UTF-16 unit, never a surrogate."""
    code = 0x100 + number
    return chr(code if code < 0xD800 else code + 0x800)


def _myers(old: Sequence[str], new: Sequence[str]) -> list[Op]:
    names: dict[str, str] = {}
    old_text = "".join([names.setdefault(s, _spell(len(names))) for s in old])
    new_text = "".join([names.setdefault(s, _spell(len(names))) for s in new])
    return [(kind, len(piece)) for kind, piece in _DIFFER.diff_main(old_text, new_text, False)]


def _greedy(old: Sequence[str], a0: int, a1: int, new: Sequence[str], b0: int, b1: int) -> list[Op]:
    """Myers' greedy O(ND) diff of old[a0:a1] and new[b0:b1], each diagonal's furthest
    point kept per edit count to walk back. On diagonal k (x - y), a step comes down from
    k + 1 (an insertion) unless k - 1 reaches further (then right: a deletion)."""
    n, m = a1 - a0, b1 - b0
    offset = n + m + 1
    furthest = [0] * (2 * offset + 1)
    trace: list[list[int]] = []
    for edits in range(n + m + 1):
        for k in range(-edits, edits + 1, 2):
            if k == -edits or (k != edits and furthest[offset + k - 1] < furthest[offset + k + 1]):
                x = furthest[offset + k + 1]
            else:
                x = furthest[offset + k - 1] + 1
            y = x - k
            while x < n and y < m and old[a0 + x] == new[b0 + y]:
                x += 1
                y += 1
            furthest[offset + k] = x
            if x >= n and y >= m:
                trace.append(furthest[offset - edits : offset + edits + 1])
                return _walk_back(trace, n, m)
        trace.append(furthest[offset - edits : offset + edits + 1])
    raise AssertionError("unreachable: n + m edits always suffice")


def _walk_back(trace: list[list[int]], n: int, m: int) -> list[Op]:
    """The ops of a `_greedy` run, from its trace (trace[d][k + d]: diagonal k's furthest
    x after d edits)."""
    steps: list[int] = []
    x, y = n, m
    for edits in range(len(trace) - 1, 0, -1):
        before = trace[edits - 1]  # diagonals -(edits - 1) .. edits - 1
        k = x - y
        down = k == -edits or (k != edits and before[k - 1 + edits - 1] < before[k + 1 + edits - 1])
        previous_k = k + 1 if down else k - 1
        previous_x = before[previous_k + edits - 1]
        previous_y = previous_x - previous_k
        while x > previous_x and y > previous_y:
            steps.append(EQUAL)
            x -= 1
            y -= 1
        steps.append(INSERT if down else DELETE)
        x, y = previous_x, previous_y
    steps.extend([EQUAL] * x)
    steps.reverse()
    return [(kind, 1) for kind in steps]


def _anchors(
    old: Sequence[str], a0: int, a1: int, new: Sequence[str], b0: int, b1: int
) -> list[tuple[int, int]]:
    """Positions (i, j) of symbols found once in old[a0:a1] and once in new[b0:b1], the
    longest list of them in the same order on both sides (ties: the first found)."""
    seen: dict[str, list[int]] = {}  # symbol -> [count in old, count in new, i, j]
    for i in range(a0, a1):
        entry = seen.get(old[i])
        if entry is None:
            seen[old[i]] = [1, 0, i, -1]
        else:
            entry[0] += 1
    for j in range(b0, b1):
        entry = seen.get(new[j])
        if entry is not None:
            entry[1] += 1
            entry[3] = j
    candidates = [
        (entry[2], entry[3]) for entry in seen.values() if entry[0] == 1 and entry[1] == 1
    ]
    if not candidates:
        return []
    candidates.sort()
    # Longest increasing run of j (patience sorting): tops[p] is the smallest j that ends
    # an increasing run of length p + 1.
    tops: list[int] = []
    top_index: list[int] = []
    previous: list[int] = []
    for index, (_, j) in enumerate(candidates):
        pile = bisect_left(tops, j)
        previous.append(top_index[pile - 1] if pile else -1)
        if pile == len(tops):
            tops.append(j)
            top_index.append(index)
        else:
            tops[pile] = j
            top_index[pile] = index
    chain = []
    index = top_index[-1]
    while index >= 0:
        chain.append(candidates[index])
        index = previous[index]
    chain.reverse()
    return chain


def common_ends(old: Sequence[object], new: Sequence[object]) -> tuple[int, int]:
    """(prefix, suffix): how many items `old` and `new` share at their start, and then
    at their end (never overlapping the prefix)."""
    shorter = min(len(old), len(new))
    prefix = 0
    while prefix < shorter and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < shorter - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return prefix, suffix


def diff_symbols(old: Sequence[str], new: Sequence[str], budget: Budget) -> list[Op]:
    """Return ops ``(kind, count)`` turning `old` into `new` (see the module docstring).

    Deletions come before insertions between two equal runs, no op is empty, and no two
    neighbouring ops have the same kind.
    """
    out: list[Op] = []
    # Tasks on an explicit stack (gaps can nest deeper than Python's recursion allows),
    # last in, first out: ("ops", [ops]) to output, or ("gap", a0, a1, b0, b1) to diff.
    stack: list[tuple] = [("gap", 0, len(old), 0, len(new))]
    while stack:
        task = stack.pop()
        if task[0] == "ops":
            out.extend(task[1])
        else:
            _gap(old, new, *task[1:], budget, stack, out)
    return merge_ops(out)


def _gap(
    old: Sequence[str],
    new: Sequence[str],
    a0: int,
    a1: int,
    b0: int,
    b1: int,
    budget: Budget,
    stack: list[tuple],
    out: list[Op],
) -> None:
    """Diff old[a0:a1] against new[b0:b1]: output what comes first now, and push tasks
    for the rest in reverse order."""
    prefix = 0
    while a0 + prefix < a1 and b0 + prefix < b1 and old[a0 + prefix] == new[b0 + prefix]:
        prefix += 1
    a0 += prefix
    b0 += prefix
    suffix = 0
    while a0 < a1 - suffix and b0 < b1 - suffix and old[a1 - 1 - suffix] == new[b1 - 1 - suffix]:
        suffix += 1
    a1 -= suffix
    b1 -= suffix
    if prefix:
        out.append((EQUAL, prefix))
    if suffix:
        stack.append(("ops", [(EQUAL, suffix)]))
    n, m = a1 - a0, b1 - b0
    if not n or not m:
        out.extend([(DELETE, n), (INSERT, m)])
        return
    cells = n * m
    fits = n + m <= _MAX_SYMBOLS
    if cells <= SMALL_CELLS and budget.spend(cells):
        out.extend(_greedy(old, a0, a1, new, b0, b1))
        return
    anchors = _anchors(old, a0, a1, new, b0, b1)
    if anchors:
        end_a, end_b = a1, b1
        for i, j in reversed(anchors):
            stack.append(("gap", i + 1, end_a, j + 1, end_b))
            stack.append(("ops", [(EQUAL, 1)]))
            end_a, end_b = i, j
        stack.append(("gap", a0, end_a, b0, end_b))
        return
    if fits and budget.spend(cells):
        out.extend(_myers(old[a0:a1], new[b0:b1]))
        return
    out.extend([(DELETE, n), (INSERT, m)])


def merge_ops(ops: list[Op]) -> list[Op]:
    """Return `ops` with empty ones dropped, neighbours of one kind joined, and between two
    equal runs the deletions before the insertions."""
    merged: list[Op] = []
    deleted = inserted = 0
    for kind, count in ops:
        if not count:
            continue
        if kind == DELETE:
            deleted += count
        elif kind == INSERT:
            inserted += count
        else:
            if deleted:
                merged.append((DELETE, deleted))
            if inserted:
                merged.append((INSERT, inserted))
            deleted = inserted = 0
            if merged and merged[-1][0] == EQUAL:
                merged[-1] = (EQUAL, merged[-1][1] + count)
            else:
                merged.append((EQUAL, count))
    if deleted:
        merged.append((DELETE, deleted))
    if inserted:
        merged.append((INSERT, inserted))
    return merged


def segments(ops: list[Op]) -> list[Segment]:
    """Return `ops` as segments: each equal run ``(True, n, n)`` and each stretch of edits
    between two ``(False, deleted, inserted)``."""
    out: list[Segment] = []
    for kind, count in merge_ops(ops):
        deleted = count if kind != INSERT else 0
        inserted = count if kind != DELETE else 0
        if kind != EQUAL and out and not out[-1][0]:
            out[-1] = (False, out[-1][1] + deleted, out[-1][2] + inserted)
        else:
            out.append((kind == EQUAL, deleted, inserted))
    return out


def cleanup_semantic(ops: list[Op], old_sizes: Sequence[int], new_sizes: Sequence[int]) -> list[Op]:
    """Return `ops` with the coincidental equalities turned into edits.

    An equal run that has edits on both sides, and is no longer (in characters:
    `old_sizes[i]` is the size of old symbol i) than the larger side of the edit before it
    and of the edit after it, is deleted and inserted instead: "<del>quick brown</del>
    <ins>slow red</ins>" reads better than four edits around a shared space. Repeated
    until no run qualifies; the common prefix and suffix are never touched.
    """
    old_ends = _running_sums(old_sizes)
    new_ends = _running_sums(new_sizes)
    while True:
        # each segment weighs its characters (an edit its larger side)
        weighted = []  # (equal?, old count, new count, weight)
        old_at = new_at = 0
        for equal, deleted, inserted in segments(ops):
            size_old = old_ends[old_at + deleted] - old_ends[old_at]
            size_new = new_ends[new_at + inserted] - new_ends[new_at]
            weighted.append((equal, deleted, inserted, max(size_old, size_new)))
            old_at += deleted
            new_at += inserted
        rewritten: list[Op] = []
        changed = False
        for index, (equal, first, second, weight) in enumerate(weighted):
            coincidental = (
                equal
                and 0 < index < len(weighted) - 1
                and weight <= weighted[index - 1][3]
                and weight <= weighted[index + 1][3]
            )
            if equal and not coincidental:
                rewritten.append((EQUAL, first))
            else:
                rewritten.extend([(DELETE, first), (INSERT, second)])
            changed = changed or coincidental
        ops = merge_ops(rewritten)
        if not changed:
            return ops


def _running_sums(sizes: Sequence[int]) -> list[int]:
    sums = [0]
    for size in sizes:
        sums.append(sums[-1] + size)
    return sums
