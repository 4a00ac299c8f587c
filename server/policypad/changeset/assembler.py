"""Builds canonical op sequences from ops appended in document order.

Canonical form, which `check_rep` demands and every operation here produces:

* ops with the same opcode and attribs that follow each other are merged into at
  most two: one spanning whole lines (``|2=9``) and one partial line after it (``=3``);
* between two keeps, every delete comes before every insert;
* a plain keep (no attribs) at the end is dropped, since it changes nothing;
* no op has zero chars.
"""

from __future__ import annotations

from policypad.changeset.op import INSERT, KEEP, REMOVE, Op, format_ops


def merge_op(run: list[Op], op: Op) -> None:
    """Append `op` to `run`, merging it with the run's tail where canonical form says so."""
    if run:
        last = run[-1]
        if last.opcode == op.opcode and last.attribs == op.attribs:
            if last.lines:
                if op.lines:
                    run[-1] = Op(
                        op.opcode, last.chars + op.chars, last.lines + op.lines, op.attribs
                    )
                    return
                run.append(op)
                return
            if len(run) >= 2:
                before = run[-2]
                if before.opcode == op.opcode and before.attribs == op.attribs:
                    # run ends (whole lines, partial line): fold op into that pair
                    if op.lines:
                        run[-2:] = [
                            Op(
                                op.opcode,
                                before.chars + last.chars + op.chars,
                                before.lines + op.lines,
                                op.attribs,
                            )
                        ]
                    else:
                        run[-1] = Op(op.opcode, last.chars + op.chars, 0, op.attribs)
                    return
            run[-1] = Op(op.opcode, last.chars + op.chars, op.lines, op.attribs)
            return
    run.append(op)


class OpAssembler:
    """Collects ops in document order and yields them in canonical form.

    Call `append` for each op, then `to_ops` or `to_string` once.
    """

    __slots__ = ("_done", "_inserts", "_keeps", "_removes")

    def __init__(self) -> None:
        self._done: list[Op] = []
        self._keeps: list[Op] = []
        self._removes: list[Op] = []
        self._inserts: list[Op] = []

    def append(self, op: Op) -> None:
        """Add `op` (ops with zero chars are ignored)."""
        if op.chars <= 0:
            return
        if op.opcode == KEEP:
            if self._removes or self._inserts:
                self._flush_edits()
            merge_op(self._keeps, op)
        else:
            if self._keeps:
                self._done.extend(self._keeps)
                self._keeps.clear()
            merge_op(self._removes if op.opcode == REMOVE else self._inserts, op)

    def _flush_edits(self) -> None:
        self._done.extend(self._removes)
        self._done.extend(self._inserts)
        self._removes.clear()
        self._inserts.clear()

    def to_ops(self) -> list[Op]:
        """Return the canonical ops (trailing plain keeps dropped)."""
        self._flush_edits()
        keeps = self._keeps
        while keeps and keeps[-1].attribs == "":
            keeps.pop()
        self._done.extend(keeps)
        keeps.clear()
        return self._done

    def to_string(self) -> str:
        """Return the canonical ops string."""
        return format_ops(self.to_ops())


def canonical_ops(ops: list[Op]) -> list[Op]:
    """Return `ops` in canonical form."""
    assembler = OpAssembler()
    for op in ops:
        assembler.append(op)
    return assembler.to_ops()


__all__ = ["INSERT", "KEEP", "REMOVE", "OpAssembler", "canonical_ops", "merge_op"]
