"""Moving carets and selections through a changeset, as Etherpad moves them.

Seen from a range, a changeset is a row of splices: stretches of the old text
replaced by new text (a delete, an insert, or both) between kept text. Each
splice moves the range's ends by where it lies against them (``<-->`` marks the
old text a splice replaces)::

    old text             ......[=====range=====]......
    a  before            <-->                           both ends shift
    b  inside                     <-->                  the end shifts
    c  over the end                          <----->    the end goes back to c's start
    d  over the start       <----->                     the start goes past d's new text
    e  around the range     <------------------------>  both go past e's new text (to
                                                        its start with insertions_after)

An insert alone is a splice of no old text: at a caret it is case e, at a
selection's start case a, at its end after the selection. So a selection never
grows over text put at its edges or in place of its ends; what is inserted
strictly inside it, or replaces text from its very start, becomes part of it.
"""

from __future__ import annotations

from collections.abc import Iterator

from policypad.changeset.changeset import ChangesetLike, unpack
from policypad.changeset.op import KEEP, REMOVE, Op
from policypad.errors import ChangesetError


def character_range_follow(
    cs: ChangesetLike, start: int, end: int, insertions_after: bool = False
) -> tuple[int, int]:
    """Return where the range [start, end) of the old text lies after `cs`.

    Etherpad's rules (drawn in the module docstring): text inserted or deleted before
    an end moves it; a splice around the whole range, or at a caret, collapses it to
    after the inserted text, or before it with `insertions_after`; otherwise a
    non-empty range keeps out what is inserted at its edges, and an end inside
    replaced text goes to the replacement's outer side (the start after it, the end
    before it). Positions count UTF-16 units. Raises ChangesetError if the range is
    not inside the old text (Etherpad does not check).
    """
    parsed = unpack(cs)
    if not 0 <= start <= end <= parsed.old_len:
        raise ChangesetError(f"range {start}..{end} is outside the text (0..{parsed.old_len})")
    shift = 0  # new length minus old length of the text before the splice at hand
    new_start: int | None = None  # an end, once no later splice can move it
    new_end: int | None = None
    for splice_start, splice_end, inserted in _splices(parsed.ops):
        if splice_start <= start and end <= splice_end:
            # the range lies within the replaced text; later splices are past it
            point = splice_start + shift + (0 if insertions_after else inserted)
            return point, point
        if new_start is None and start < splice_end:
            if splice_start < start:
                new_start = splice_start + shift + inserted  # was replaced: after the new text
            else:
                new_start = start + shift  # before this splice, so before all the rest
        if new_end is None and (end < splice_end or end <= splice_start):
            # before this splice it stays; inside it, it goes back to the splice's start
            new_end = min(end, splice_start) + shift
        if new_start is not None and new_end is not None:
            return new_start, new_end
        shift += inserted - (splice_end - splice_start)
    return (
        start + shift if new_start is None else new_start,
        end + shift if new_end is None else new_end,
    )


def _splices(ops: tuple[Op, ...]) -> Iterator[tuple[int, int, int]]:
    """Yield (start, end, inserted units) for each stretch of deletes and inserts between
    keeps; start and end are positions in the old text."""
    old = 0
    begin: int | None = None
    inserted = 0
    for opcode, chars, _, _ in ops:
        if opcode == KEEP:
            if begin is not None:
                yield begin, old, inserted
                begin = None
            old += chars
            continue
        if begin is None:
            begin, inserted = old, 0
        if opcode == REMOVE:
            old += chars
        else:
            inserted += chars
    if begin is not None:
        yield begin, old, inserted
