"""Follow: rebasing one changeset over a concurrent one (operational transform).

Given A and B made on the same text, ``follow(A, B)`` is B rewritten to apply
after A, so that both sites converge::

             text
          A /    \\ B
           /      \\
        t·A        t·B
           \\      /
  follow(A,B)  follow(B,A)
             \\  /
         same text

``compose(A, follow(A, B, False))`` and ``compose(B, follow(B, A, True))`` give the
same document, attributes included. Where both insert at the same place, the
order is decided by, in turn: an insert carrying ``insertorder=first`` goes
first; an insert not starting with a newline goes first; else A's insert goes
first unless `reverse_insert_order` is set.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from policypad.changeset import utf16
from policypad.changeset._zip import MutableOp, take_part, zip_ops
from policypad.changeset.attributes import follow_attributes
from policypad.changeset.changeset import CACHED_CHARS, Changeset, ChangesetLike, unpack
from policypad.changeset.op import INSERT, KEEP, REMOVE, Op, attrib_numbers
from policypad.changeset.pool import AttributePool
from policypad.errors import ChangesetError


def follow(
    cs1: ChangesetLike,
    cs2: ChangesetLike,
    reverse_insert_order: bool = False,
    pool: AttributePool | None = None,
) -> str:
    """Return `cs2` rebased to apply after `cs1` (both made on the same text)."""
    return follow_parsed(unpack(cs1), unpack(cs2), reverse_insert_order, pool).pack()


def follow_parsed(
    first: Changeset, second: Changeset, reverse_insert_order: bool, pool: AttributePool | None
) -> Changeset:
    """`follow` on parsed changesets."""
    if first.old_len != second.old_len:
        raise ChangesetError(
            f"length mismatch: follow needs changesets on the same text, "
            f"got {first.old_len} and {second.old_len} units"
        )
    rebased = _follow_apart(first, second)
    if rebased is not None:
        return rebased
    return follow_walk(first, second, reverse_insert_order, pool)


def follow_walk(
    first: Changeset, second: Changeset, reverse_insert_order: bool, pool: AttributePool | None
) -> Changeset:
    """`follow` by walking both changesets op by op: the general case (lengths checked)."""
    bank1, bank2 = first.char_bank, second.char_bank
    astral1, astral2 = utf16.has_astral(bank1), utf16.has_astral(bank2)
    positions = [0, 0]

    def skip(which: int, bank: str, astral: bool, units: int) -> None:
        start = positions[which]
        positions[which] = utf16.index(bank, units, start) if astral else start + units

    def inserts_first(attribs: str) -> bool:
        if not attribs or pool is None:
            return False
        return any(
            pool.get_attrib(num) == ("insertorder", "first") for num in attrib_numbers(attribs)
        )

    def step(op1: MutableOp, op2: MutableOp) -> Op | None:
        code1, code2 = op1[0], op2[0]
        if code1 == INSERT or code2 == INSERT:
            if code2 != INSERT:
                first_wins = True
            elif code1 != INSERT:
                first_wins = False
            else:
                first1, first2 = inserts_first(op1[3]), inserts_first(op2[3])
                newline1 = bank1[positions[0] : positions[0] + 1] == "\n"
                newline2 = bank2[positions[1] : positions[1] + 1] == "\n"
                if first1 != first2:
                    first_wins = first1
                elif newline1 != newline2:
                    first_wins = newline2  # inserts starting with a newline go last
                else:
                    first_wins = not reverse_insert_order
            if first_wins:
                skip(0, bank1, astral1, op1[1])
                op1[0] = ""
                return Op(KEEP, op1[1], op1[2], "")
            skip(1, bank2, astral2, op2[1])
            op2[0] = ""
            return Op(INSERT, op2[1], op2[2], op2[3])
        if code1 == REMOVE:
            if not code2:
                op1[0] = ""
            elif op1[1] <= op2[1]:
                take_part(op2, op1[1], op1[2])
                op1[0] = ""
            else:
                take_part(op1, op2[1], op2[2])
                op2[0] = ""
            return None
        if code2 == REMOVE:
            if not code1:
                op2[0] = ""
                return Op(REMOVE, op2[1], op2[2], op2[3])
            if op2[1] <= op1[1]:
                out = Op(REMOVE, op2[1], op2[2], op2[3])
                take_part(op1, op2[1], op2[2])
                op2[0] = ""
                return out
            out = Op(REMOVE, op1[1], op1[2], op2[3])
            take_part(op2, op1[1], op1[2])
            op1[0] = ""
            return out
        if not code1:
            op2[0] = ""
            return Op(code2, op2[1], op2[2], op2[3])
        if not code2:
            # cs2 keeps the rest implicitly; cs1's attribute changes are not cs2's to repeat
            op1[0] = ""
            return None
        attribs = follow_attributes(op1[3], op2[3], pool)
        if op1[1] <= op2[1]:
            out = Op(KEEP, op1[1], op1[2], attribs)
            take_part(op2, op1[1], op1[2])
            op1[0] = ""
            return out
        out = Op(KEEP, op2[1], op2[2], attribs)
        take_part(op1, op2[1], op2[2])
        op2[0] = ""
        return out

    ops = zip_ops(first.ops, second.ops, step)
    new_len = first.new_len
    for op in ops:
        if op.opcode == INSERT:
            new_len += op.chars
        elif op.opcode == REMOVE:
            new_len -= op.chars
    return Changeset(first.new_len, new_len, tuple(ops), second.char_bank)


# -- the common case: two splices apart -------------------------------------------------
#
# Nearly every revision a server rebases over is a splice: plain keeps up to one place,
# then removes and inserts there ("=5*0+1$x"). When two splices touch places apart, the
# rebased one is the same splice with its leading keep moved by what the other added or
# removed before it: arithmetic on a few ops, not a walk over both. `follow_parsed` falls
# back to the general walk for everything else (the tests check both give one answer).


class _Splice(NamedTuple):
    at: int
    """Units before the splice (the leading keeps)."""
    lines: int
    """Newlines before the splice."""
    line_start: int
    """Units before the start of the splice's line (the leading multi-line keep)."""
    removed: int
    removed_lines: int
    inserted: int
    inserted_lines: int
    middle: tuple[Op, ...]


def _splice(cs: Changeset) -> _Splice | None:
    """The splice `cs` is, or None if it is anything else (an attribute change, two places)."""
    ops = cs.ops
    index = 0
    at = lines = line_start = 0
    while index < len(ops) and ops[index].opcode == KEEP:
        op = ops[index]
        if op.attribs or (index > 0 and op.lines) or index > 1:
            return None
        if op.lines:
            line_start = op.chars
            lines = op.lines
        at += op.chars
        index += 1
    removed = removed_lines = inserted = inserted_lines = 0
    for op in ops[index:]:
        if op.opcode == REMOVE:
            removed += op.chars
            removed_lines += op.lines
        elif op.opcode == INSERT:
            inserted += op.chars
            inserted_lines += op.lines
        else:
            return None
    return _Splice(
        at, lines, line_start, removed, removed_lines, inserted, inserted_lines, ops[index:]
    )


def _follow_apart(first: Changeset, second: Changeset) -> Changeset | None:
    """`follow(first, second)` when both are splices at places apart, else None."""
    a = _splice(first)
    if a is None:
        return None
    b = _splice(second)
    if b is None:
        return None
    new_len = first.new_len + b.inserted - b.removed
    if b.at + b.removed < a.at:
        # second is wholly before first: its ops stand as they are
        return Changeset(first.new_len, new_len, second.ops, second.char_bank)
    if b.at <= a.at + a.removed:
        return None  # they touch: ties and overlaps take the general walk
    delta = a.inserted - a.removed
    if a.at + a.removed < b.line_start:
        # first is on an earlier line: second's line starts `delta` units later
        line_start = b.line_start + delta
        lines = b.lines + a.inserted_lines - a.removed_lines
        if lines <= 0:
            return None
    elif a.at >= b.line_start and not a.inserted_lines and not a.removed_lines:
        line_start, lines = b.line_start, b.lines  # first is within second's line
    else:
        return None
    ops: list[Op] = []
    if lines:
        ops.append(Op(KEEP, line_start, lines, ""))
    if b.at + delta > line_start:
        ops.append(Op(KEEP, b.at + delta - line_start, 0, ""))
    ops.extend(b.middle)
    return Changeset(first.new_len, new_len, tuple(ops), second.char_bank)


def follow_chain(chain: list[str], second: Changeset, pool: AttributePool | None) -> Changeset:
    """`second` rebased over every changeset of `chain` in turn (each made on the text the
    one before it left; `second` on the text before the first), committed text first.

    The same answer as calling `follow_parsed(first, second, False, pool)` for each, and
    much cheaper for a keystroke rebased over many others at places apart (a busy pad:
    500 authors, a commit 500 revisions behind): while both are splices apart, only the
    keystroke's place moves, kept as numbers, and the changeset is written once at the
    end. Where they touch, that step takes `follow_parsed`.
    """
    if not chain:
        return second
    b = _splice(second)
    moved = False  # `second` is behind: b's numbers and `old_len` are what it became
    old_len = second.old_len
    for text in chain:
        first = unpack(text)
        if first.old_len != old_len:
            raise ChangesetError(
                f"length mismatch: follow needs changesets on the same text, "
                f"got {first.old_len} and {old_len} units"
            )
        a = _splice_of(text) if b is not None else None
        if a is not None and b is not None:
            step = _apart(a, b)
            if step is not None:
                b, moved, old_len = step, True, first.new_len  # (lengths move, at least)
                continue
        if moved and b is not None:
            second = _written(b, old_len, second.char_bank)
            moved = False
        second = follow_parsed(first, second, False, pool)
        old_len = first.new_len
        b = _splice(second)
    if moved and b is not None:
        second = _written(b, old_len, second.char_bank)
    return second


@lru_cache(maxsize=4096)
def _splice_of(cs: str) -> _Splice | None:
    """`_splice` of a stored revision, remembered (a busy pad rebases each commit over
    the same recent revisions again and again)."""
    return _splice(unpack(cs)) if len(cs) <= CACHED_CHARS else None


def _apart(a: _Splice, b: _Splice) -> _Splice | None:
    """Where splice `b` lies after splice `a` (as `_follow_apart` decides), or None if
    they touch (a tie or an overlap: the general walk decides)."""
    if b.at + b.removed < a.at:
        return b  # wholly before: nothing moves
    if b.at <= a.at + a.removed:
        return None
    delta = a.inserted - a.removed
    if a.at + a.removed < b.line_start:
        lines = b.lines + a.inserted_lines - a.removed_lines
        if lines <= 0:
            return None
        return b._replace(at=b.at + delta, line_start=b.line_start + delta, lines=lines)
    if a.at >= b.line_start and not a.inserted_lines and not a.removed_lines:
        return b._replace(at=b.at + delta)
    return None


def _written(b: _Splice, old_len: int, char_bank: str) -> Changeset:
    """The changeset splice `b` is, on a text of `old_len` units."""
    ops: list[Op] = []
    if b.lines:
        ops.append(Op(KEEP, b.line_start, b.lines, ""))
    if b.at > b.line_start:
        ops.append(Op(KEEP, b.at - b.line_start, 0, ""))
    ops.extend(b.middle)
    return Changeset(old_len, old_len + b.inserted - b.removed, tuple(ops), char_bank)
