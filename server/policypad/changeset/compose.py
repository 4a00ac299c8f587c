"""Composing two changesets into one."""

from __future__ import annotations

from policypad.changeset import utf16
from policypad.changeset._zip import MutableOp, slicer_step, zip_ops
from policypad.changeset.changeset import (
    Changeset,
    ChangesetLike,
    Splice,
    as_splice,
    unpack,
    write_splice,
)
from policypad.changeset.op import INSERT, REMOVE, Op
from policypad.changeset.pool import AttributePool
from policypad.errors import ChangesetError


def compose(cs1: ChangesetLike, cs2: ChangesetLike, pool: AttributePool | None = None) -> str:
    """Return the changeset that does `cs1` then `cs2`.

    ``apply(compose(a, b), t) == apply(b, apply(a, t))``. The pool is needed when
    either changes attributes. Raises ChangesetError if cs2 does not apply to cs1's
    result length.
    """
    if isinstance(cs1, str) and isinstance(cs2, str):
        first, second = as_splice(cs1), as_splice(cs2)
        if first is not None and second is not None:
            merged = _compose_touching_splices(first, second)
            if merged is not None:
                return merged
    return compose_parsed(unpack(cs1), unpack(cs2), pool).pack()


def _compose_touching_splices(first: Splice, second: Splice) -> str | None:
    """Compose two splices into one when the second touches what the first did.

    Typing makes these: each keystroke next to the last. Then the result is one splice
    too, computed from the parts with no walk over ops. None when the splices are
    apart, or the result would hold two attributes sets or surrogate pairs.
    """
    a, inserted_a = first.start, first.inserted
    b, ndel_b = second.start, second.ndel
    if second.old_len != first.old_len - first.ndel + len(inserted_a):
        return None  # a length mismatch (or surrogate pairs): the general path says so
    if a <= b <= a + len(inserted_a):
        # the second edits inside (or at an edge of) the first's inserted text
        offset = b - a
        within = min(ndel_b, len(inserted_a) - offset)
        pieces = (
            (inserted_a[:offset], first.attribs),
            (second.inserted, second.attribs),
            (inserted_a[offset + within :], first.attribs),
        )
        place: Splice = first
        ndel = first.ndel + ndel_b - within
    elif b < a <= b + ndel_b:
        # the second deletes from before the first's place into (or past) its text
        rest = ndel_b - (a - b)
        within = min(rest, len(inserted_a))
        pieces = ((second.inserted, second.attribs), (inserted_a[within:], first.attribs))
        place = second
        ndel = (a - b) + first.ndel + rest - within
    else:
        return None
    text = "".join(piece for piece, _ in pieces)
    attribs = {piece_attribs for piece, piece_attribs in pieces if piece}
    if len(attribs) > 1 or not (text.isascii() or not utf16.has_astral(text)):
        return None
    return write_splice(
        first.old_len, place.lines, place.line_start, place.start, ndel, text,
        attribs.pop() if attribs else "",
    )  # fmt: skip


def compose_parsed(first: Changeset, second: Changeset, pool: AttributePool | None) -> Changeset:
    """`compose` on parsed changesets."""
    if first.new_len != second.old_len:
        raise ChangesetError(
            f"length mismatch: the first changeset makes {first.new_len} units, "
            f"the second applies to {second.old_len}"
        )
    bank1, bank2 = first.char_bank, second.char_bank
    astral1 = utf16.has_astral(bank1)
    astral2 = utf16.has_astral(bank2)
    positions = [0, 0]
    pieces: list[str] = []
    slicer = slicer_step(pool)

    def take(bank: str, which: int, astral: bool, units: int) -> str:
        start = positions[which]
        end = utf16.index(bank, units, start) if astral else start + units
        positions[which] = end
        return bank[start:end]

    def step(op1: MutableOp, op2: MutableOp) -> Op | None:
        code1, code2 = op1[0], op2[0]
        if code1 == INSERT and code2 == REMOVE:
            take(bank1, 0, astral1, min(op1[1], op2[1]))
        out = slicer(op1, op2)
        if out is not None and out.opcode == INSERT:
            if code2 == INSERT:
                pieces.append(take(bank2, 1, astral2, out.chars))
            else:
                pieces.append(take(bank1, 0, astral1, out.chars))
        return out

    ops = zip_ops(first.ops, second.ops, step)
    return Changeset(first.old_len, second.new_len, tuple(ops), "".join(pieces))
