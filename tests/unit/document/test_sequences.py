"""The sequence diff under the document diff: ops that replay, minimal where they can be,
bounded by the budget, and the semantic cleanup."""

from __future__ import annotations

import random

from diff_match_patch import diff_match_patch

from policypad.document import _sequences
from policypad.document._sequences import (
    DELETE,
    EQUAL,
    INSERT,
    Budget,
    cleanup_semantic,
    diff_symbols,
    merge_ops,
)


def replay(old: list[str], new: list[str], ops: list[tuple[int, int]]) -> None:
    """Assert that `ops` turn old into new and are in canonical form."""
    i = j = 0
    for index, (kind, count) in enumerate(ops):
        assert count > 0
        if index:
            assert ops[index - 1][0] != kind
            assert not (ops[index - 1][0] == INSERT and kind == DELETE)  # deletions first
        if kind == EQUAL:
            assert old[i : i + count] == new[j : j + count]
            i += count
            j += count
        elif kind == DELETE:
            i += count
        else:
            j += count
    assert (i, j) == (len(old), len(new))


def edits(ops: list[tuple[int, int]]) -> int:
    return sum(count for kind, count in ops if kind != EQUAL)


def test_ops_replay_for_every_size_and_budget() -> None:
    rng = random.Random(5)
    for _ in range(600):
        size = rng.choice([3, 30, 400])
        old = [rng.choice("abcdefgh") for _ in range(rng.randint(0, size))]
        new = [rng.choice("abcdefghij") for _ in range(rng.randint(0, size))]
        for budget in (0, 500, None):
            ops = diff_symbols(old, new, Budget(budget))
            replay(old, new, ops)
            replay(old, new, cleanup_semantic(ops, [1] * len(old), [1] * len(new)))


def test_small_middles_get_a_minimal_diff() -> None:
    """Myers' greedy diff finds as few edits as diff-match-patch's bisection."""
    rng = random.Random(6)
    reference = diff_match_patch()
    reference.Diff_Timeout = 0
    for _ in range(500):
        old = [rng.choice("abcd") for _ in range(rng.randint(0, 30))]
        new = [rng.choice("abcd") for _ in range(rng.randint(0, 30))]
        expected = sum(
            len(p) for k, p in reference.diff_main("".join(old), "".join(new), False) if k
        )
        assert edits(diff_symbols(old, new, Budget())) == expected


def test_unique_symbols_anchor_a_long_diff() -> None:
    """3,000 distinct lines with one changed: patience anchors keep the rest equal."""
    old = [f"line {n}" for n in range(3000)]
    new = [*old]
    new[1500] = "changed"
    new.insert(10, "added")
    ops = diff_symbols(old, new, Budget(0))  # no Myers at all: anchors alone
    replay(old, new, ops)
    assert edits(ops) == 3


def test_a_spent_budget_replaces_whole_gaps() -> None:
    """With nothing left to spend and no unique symbol, a gap is deleted and inserted whole;
    the ops still replay."""
    old, new = list("abab" * 50), list("baba" * 50)
    ops = diff_symbols(old, new, Budget(0))
    replay(old, new, ops)
    budget = Budget()
    assert edits(diff_symbols(old, new, budget)) < edits(ops)
    assert budget.cells < _sequences.WORK_CELLS


def test_symbols_are_single_units_and_never_surrogates() -> None:
    spelled = [_sequences._spell(n) for n in range(60_000)]
    assert len(set(spelled)) == 60_000
    assert all(len(c) == 1 and not "\ud800" <= c <= "\udfff" for c in spelled)


def test_merge_ops_joins_and_orders() -> None:
    ops = [(EQUAL, 1), (INSERT, 2), (DELETE, 1), (INSERT, 0), (EQUAL, 2), (EQUAL, 1), (DELETE, 3)]
    assert merge_ops(ops) == [(EQUAL, 1), (DELETE, 1), (INSERT, 2), (EQUAL, 3), (DELETE, 3)]


def test_cleanup_folds_a_short_equality_between_edits() -> None:
    """ "quick brown" -> "slow red": the shared space between two replaced words is folded."""
    old = ["the", " ", "quick", " ", "brown", " ", "fox"]
    new = ["the", " ", "slow", " ", "red", " ", "fox"]
    ops = diff_symbols(old, new, Budget())
    assert ops == [
        (EQUAL, 2),
        (DELETE, 1),
        (INSERT, 1),
        (EQUAL, 1),
        (DELETE, 1),
        (INSERT, 1),
        (EQUAL, 2),
    ]
    sizes_old, sizes_new = [len(t) for t in old], [len(t) for t in new]
    assert cleanup_semantic(ops, sizes_old, sizes_new) == [
        (EQUAL, 2),
        (DELETE, 3),
        (INSERT, 3),
        (EQUAL, 2),
    ]


def test_cleanup_keeps_a_long_equality_and_the_ends() -> None:
    old = ["a", " ", "longer", " ", "b"]
    new = ["x", " ", "longer", " ", "y"]
    ops = diff_symbols(old, new, Budget())
    sizes_old, sizes_new = [len(t) for t in old], [len(t) for t in new]
    assert cleanup_semantic(ops, sizes_old, sizes_new) == ops
    prefixed = [(EQUAL, 1), (DELETE, 1), (INSERT, 1)]  # a common prefix is never folded
    assert cleanup_semantic(prefixed, [5, 1], [5, 1]) == prefixed
