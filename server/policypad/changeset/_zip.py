"""Walking two op sequences side by side (Etherpad's applyZip), and the slicer step.

Both `compose` and applying a changeset to an attribution zip the ops of a first
sequence (text as it is) with the ops of a second (a change to that text). The
step function consumes a part of one or both current ops, marks a consumed op
by emptying its opcode, and returns the op to emit (or None).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from policypad.changeset.assembler import OpAssembler
from policypad.changeset.attributes import compose_attributes
from policypad.changeset.op import INSERT, KEEP, REMOVE, Op
from policypad.changeset.pool import AttributePool
from policypad.errors import ChangesetError

# Mutable op used while zipping: [opcode, chars, lines, attribs]; opcode "" = consumed.
MutableOp = list
Step = Callable[[MutableOp, MutableOp], Op | None]


def zip_ops(first: Iterable[Op], second: Iterable[Op], step: Step) -> list[Op]:
    """Run `step` over both sequences until both are consumed; return canonical ops."""
    iter1 = iter(first)
    iter2 = iter(second)
    op1: MutableOp = ["", 0, 0, ""]
    op2: MutableOp = ["", 0, 0, ""]
    assembler = OpAssembler()
    append = assembler.append
    while True:
        if not op1[0]:
            nxt = next(iter1, None)
            if nxt is not None:
                op1 = list(nxt)
        if not op2[0]:
            nxt = next(iter2, None)
            if nxt is not None:
                op2 = list(nxt)
        if not op1[0] and not op2[0]:
            break
        out = step(op1, op2)
        if out is not None:
            append(out)
    return assembler.to_ops()


def take_part(op: MutableOp, chars: int, lines: int) -> None:
    """Consume `chars` units spanning `lines` newlines from the front of `op`."""
    op[1] -= chars
    op[2] -= lines
    if op[2] < 0 or op[2] > op[1]:
        raise ChangesetError("bad newline count: the two changesets disagree about newlines")
    if not op[1]:
        if op[2]:
            raise ChangesetError("bad newline count: the two changesets disagree about newlines")
        op[0] = ""


def slicer_step(pool: AttributePool | None) -> Step:
    """Return the step that applies a change (second) to text or to a change (first).

    Used by compose (first = cs1, second = cs2) and by attribution application
    (first = the attribution's inserts, second = the changeset).
    """

    def step(att: MutableOp, cs: MutableOp) -> Op | None:
        att_code = att[0]
        if att_code == REMOVE:
            att[0] = ""
            return Op(REMOVE, att[1], att[2], att[3])
        cs_code = cs[0]
        if not att_code:
            # past the first sequence's ops: its implicit trailing keep
            cs[0] = ""
            return Op(cs_code, cs[1], cs[2], cs[3])
        if cs_code == INSERT:
            cs[0] = ""
            return Op(INSERT, cs[1], cs[2], cs[3])
        if not cs_code:
            att[0] = ""
            return Op(att_code, att[1], att[2], att[3])
        if cs[1] <= att[1]:
            chars, lines = cs[1], cs[2]
            cs[0] = ""
            take_part(att, chars, lines)
            consumed_attribs = att[3]
        else:
            chars, lines = att[1], att[2]
            consumed_attribs = att[3]
            att[0] = ""
            take_part(cs, chars, lines)
        if cs_code == REMOVE:
            # removing inserted text leaves nothing; removing kept text is a delete
            return Op(REMOVE, chars, lines, cs[3]) if att_code == KEEP else None
        return Op(
            att_code,
            chars,
            lines,
            compose_attributes(consumed_attribs, cs[3], att_code == KEEP, pool),
        )

    return step
