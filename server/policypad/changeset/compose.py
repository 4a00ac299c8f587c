"""Composing two changesets into one."""

from __future__ import annotations

from policypad.changeset import utf16
from policypad.changeset._zip import MutableOp, slicer_step, zip_ops
from policypad.changeset.changeset import Changeset, ChangesetLike, unpack
from policypad.changeset.op import INSERT, REMOVE, Op
from policypad.changeset.pool import AttributePool
from policypad.errors import ChangesetError


def compose(cs1: ChangesetLike, cs2: ChangesetLike, pool: AttributePool | None = None) -> str:
    """Return the changeset that does `cs1` then `cs2`.

    ``apply(compose(a, b), t) == apply(b, apply(a, t))``. The pool is needed when
    either changes attributes. Raises ChangesetError if cs2 does not apply to cs1's
    result length.
    """
    return compose_parsed(unpack(cs1), unpack(cs2), pool).pack()


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
