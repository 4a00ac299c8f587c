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
from itertools import islice
from typing import NamedTuple

from policypad.changeset import utf16
from policypad.changeset._zip import MutableOp, take_part, zip_ops
from policypad.changeset.attributes import follow_attributes
from policypad.changeset.changeset import (
    CACHED_CHARS,
    PARSES_CACHED,
    Changeset,
    ChangesetLike,
    unpack,
)
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


# -- the common case: edits at places apart ----------------------------------------------
#
# Nearly every revision a server rebases over is typing: plain keeps up to a place, then
# removes and inserts there ("=5*0+1$x"), at one place or at a few (a commit holding the
# keystrokes of 500 ms after a click elsewhere). When no place of one touches a place of
# the other, the rebased changeset is the same edits with the keeps before them moved by
# what the other added or removed: arithmetic on a few numbers, not a walk over both.
# `follow_parsed` falls back to the general walk for everything else (the tests check both
# give one answer).


class _Piece(NamedTuple):
    """One place a changeset edits, with the keeps that lead to it from the place before."""

    line_chars: int
    """Units of the multi-line keep before the place (0 if none)."""
    lines: int
    """Newlines in that keep."""
    skip: int
    """Units of the keep within the place's line."""
    removed: int
    removed_lines: int
    inserted: int
    inserted_lines: int
    middle: tuple[Op, ...]


_Pieces = tuple[_Piece, ...]


def _pieces(cs: Changeset) -> _Pieces | None:
    """The places `cs` edits, or None if it is anything else (an attribute change)."""
    ops = cs.ops
    count = len(ops)
    index = 0
    pieces: list[_Piece] = []
    while index < count:
        line_chars = lines = skip = 0
        op = ops[index]
        if op.opcode == KEEP and op.lines:
            if op.attribs:
                return None
            line_chars, lines = op.chars, op.lines
            index += 1
        if index < count and ops[index].opcode == KEEP:
            op = ops[index]
            if op.attribs or op.lines:
                return None
            skip = op.chars
            index += 1
        start = index
        removed = removed_lines = inserted = inserted_lines = 0
        while index < count and ops[index].opcode != KEEP:
            op = ops[index]
            if op.opcode == REMOVE:
                removed += op.chars
                removed_lines += op.lines
            else:
                inserted += op.chars
                inserted_lines += op.lines
            index += 1
        if index == start:
            return None  # keeps that lead nowhere (not normal form) or three keeps in a row
        middle = ops[start:index]
        pieces.append(
            _Piece(
                line_chars, lines, skip, removed, removed_lines, inserted, inserted_lines, middle
            )
        )
    return tuple(pieces)


_Placed = tuple[tuple[int, _Piece], ...]
"""Places with where each one's edit starts in the text, from the last place to the first."""


def _placed(pieces: _Pieces) -> _Placed:
    starts: list[int] = []
    at = 0
    for piece in pieces:
        at += piece.line_chars + piece.skip
        starts.append(at)
        at += piece.removed
    return tuple(zip(reversed(starts), reversed(pieces), strict=True))


class _Stored(NamedTuple):
    """A stored revision as `follow_chain` meets it, read once."""

    old_len: int
    new_len: int
    places: _Placed | None
    """None if it is not edits at places (an attribute change)."""


def _stored(cs: str) -> _Stored:
    return _stored_remembered(cs) if len(cs) <= CACHED_CHARS else _read_stored(cs)


@lru_cache(maxsize=PARSES_CACHED)
def _stored_remembered(cs: str) -> _Stored:
    """`_read_stored`, remembered (a busy pad rebases each commit over the same recent
    revisions again and again)."""
    return _read_stored(cs)


def _read_stored(cs: str) -> _Stored:
    parsed = unpack(cs)
    pieces = _pieces(parsed)
    return _Stored(parsed.old_len, parsed.new_len, None if pieces is None else _placed(pieces))


def _past(a: _Placed, b: _Pieces) -> _Pieces | None:
    """The places of `b` moved past the edits of `a` (both made on one text), or None
    if a place of `a` touches one of `b` (ties and overlaps: the general walk decides)
    or changes the lines a keep of `b` spans in a way numbers alone cannot follow."""
    moved: _Pieces | None = b
    # from the last place of `a` to the first: the places before one are where they were
    for start, piece in a:
        moved = _past_one(piece, start, moved)
        if moved is None:
            return None
    return moved


def _past_one(a: _Piece, a_at: int, b: _Pieces) -> _Pieces | None:
    """`_past` for one place of `a`, which starts `a_at` units into the text."""
    a_end = a_at + a.removed
    end = 0  # where the place of `b` before this one ends
    for index, piece in enumerate(b):
        line_start = end + piece.line_chars
        at = line_start + piece.skip
        if a_end < at:
            # `a` lies between the place before and this one (it is after that one, or
            # the loop would have returned): only this place's leading keeps change
            delta = a.inserted - a.removed
            if a_end < line_start:
                lines = piece.lines + a.inserted_lines - a.removed_lines
                if lines <= 0:
                    return None
                piece = piece._replace(line_chars=piece.line_chars + delta, lines=lines)
            elif a_at >= line_start and not a.inserted_lines and not a.removed_lines:
                piece = piece._replace(skip=piece.skip + delta)
            else:
                return None
            return (*b[:index], piece, *b[index + 1 :])
        end = at + piece.removed
        if a_at <= end:
            return None  # they touch
    return b  # `a` lies after every place of `b`


def _written(b: _Pieces, old_len: int, char_bank: str) -> Changeset:
    """The changeset of the places `b`, on a text of `old_len` units."""
    ops: list[Op] = []
    new_len = old_len
    for piece in b:
        if piece.line_chars:
            ops.append(Op(KEEP, piece.line_chars, piece.lines, ""))
        if piece.skip:
            ops.append(Op(KEEP, piece.skip, 0, ""))
        ops.extend(piece.middle)
        new_len += piece.inserted - piece.removed
    return Changeset(old_len, new_len, tuple(ops), char_bank)


def _follow_apart(first: Changeset, second: Changeset) -> Changeset | None:
    """`follow(first, second)` when both edit places apart, else None."""
    a = _pieces(first)
    if a is None:
        return None
    b = _pieces(second)
    if b is None:
        return None
    moved = _past(_placed(a), b)
    if moved is None:
        return None
    return _written(moved, first.new_len, second.char_bank)


def follow_chain(chain: list[str], second: Changeset, pool: AttributePool | None) -> Changeset:
    """`second` rebased over every changeset of `chain` in turn (each made on the text the
    one before it left; `second` on the text before the first), committed text first.

    The same answer as calling `follow_parsed(first, second, False, pool)` for each, and
    much cheaper for keystrokes rebased over many others at places apart (a busy pad:
    500 authors, a commit 500 revisions behind): while no places touch, only the numbers
    of the keeps move, and the changeset is written once at the end. Where they touch,
    that step takes `follow_parsed`.
    """
    b = _pieces(second)
    moved = False  # `second` is behind: b's numbers and `old_len` are what it became
    old_len = second.old_len
    index = 0
    while index < len(chain):
        stored = _stored(chain[index])
        _check_lengths(stored.old_len, old_len)
        if stored.places is not None and b is not None:
            if len(b) == 1:
                taken, piece, old_len = _move_place(b[0], chain, index, old_len)
                step: _Pieces | None = (piece,) if taken else None
            else:
                taken, step = 1, _past(stored.places, b)
                if step is not None:
                    old_len = stored.new_len
            if step is not None:
                b, moved, index = step, True, index + taken
                continue
        if moved and b is not None:
            second = _written(b, old_len, second.char_bank)
            moved = False
        second = follow_parsed(unpack(chain[index]), second, False, pool)
        old_len = stored.new_len
        b = _pieces(second)
        index += 1
    if moved and b is not None:
        second = _written(b, old_len, second.char_bank)
    return second


def _move_place(
    piece: _Piece, chain: list[str], index: int, old_len: int
) -> tuple[int, _Piece, int]:
    """Move one place past the revisions of `chain` from `index` on, while none touches
    it: (how many it passed, the place moved, the text's length after them).

    `_past_one` for a changeset of one place, on plain numbers: the loop a commit far
    behind spends its time in, once per revision since its base.
    """
    line_chars, lines, skip, removed = piece.line_chars, piece.lines, piece.skip, piece.removed
    taken = 0
    for text in islice(chain, index, None):
        stored = _stored(text)
        _check_lengths(stored.old_len, old_len)
        if stored.places is None:
            break
        new_chars, new_lines, new_skip = line_chars, lines, skip
        for a_at, a in stored.places:
            a_end = a_at + a.removed
            at = new_chars + new_skip
            if a_end < at:
                if a_end < new_chars:
                    new_lines += a.inserted_lines - a.removed_lines
                    if new_lines <= 0:
                        break
                    new_chars += a.inserted - a.removed
                elif a_at >= new_chars and not a.inserted_lines and not a.removed_lines:
                    new_skip += a.inserted - a.removed
                else:
                    break
            elif a_at <= at + removed:
                break  # they touch
        else:
            line_chars, lines, skip = new_chars, new_lines, new_skip
            old_len = stored.new_len
            taken += 1
            continue
        break
    moved = piece._replace(line_chars=line_chars, lines=lines, skip=skip)
    return taken, moved, old_len


def _check_lengths(first: int, second: int) -> None:
    if first != second:
        raise ChangesetError(
            f"length mismatch: follow needs changesets on the same text, "
            f"got {first} and {second} units"
        )
