"""Moving carets and selections through a changeset."""

from __future__ import annotations

from policypad.changeset.changeset import ChangesetLike, unpack
from policypad.changeset.op import INSERT, REMOVE, Op
from policypad.errors import ChangesetError


def character_range_follow(
    cs: ChangesetLike, start: int, end: int, insertions_after: bool = False
) -> tuple[int, int]:
    """Return where the range [start, end) of the old text lies after `cs`.

    Text inserted before a position moves it right; text deleted around it pulls it
    to the deletion's start. Text inserted exactly at a position moves it right too,
    unless `insertions_after` (then the insertion lands after the position, which
    stays). Both ends follow the same rule. Positions count UTF-16 units.
    """
    parsed = unpack(cs)
    if not 0 <= start <= end <= parsed.old_len:
        raise ChangesetError(f"range {start}..{end} is outside the text (0..{parsed.old_len})")
    return (
        _position_follow(parsed.ops, start, insertions_after),
        _position_follow(parsed.ops, end, insertions_after),
    )


def _position_follow(ops: tuple[Op, ...], position: int, insertions_after: bool) -> int:
    # `position` is a gap in the old text; walk the ops, counting the new text before it.
    old = 0
    new = 0
    for opcode, chars, _, _ in ops:
        if opcode == INSERT:
            if position > old or not insertions_after:
                new += chars
            else:
                return new
        elif position < old + chars:
            if opcode != REMOVE:
                return new + position - old
            # inside a deletion: the gap collapses to the deletion's end
            position = old + chars
            old += chars
        else:
            old += chars
            if opcode != REMOVE:
                new += chars
    return new + position - old
