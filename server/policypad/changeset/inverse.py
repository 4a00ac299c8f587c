"""Inverse: the changeset that undoes a changeset, attributes included."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from policypad.changeset import utf16
from policypad.changeset.assembler import OpAssembler
from policypad.changeset.atext import AText, _as_atext
from policypad.changeset.attributes import invert_attributes
from policypad.changeset.builder import text_ops
from policypad.changeset.changeset import ChangesetLike, pack, unpack
from policypad.changeset.op import INSERT, KEEP, REMOVE, Op, parse_ops
from policypad.changeset.pool import AttributePool
from policypad.errors import ChangesetError


def inverse(
    cs: ChangesetLike, atext: AText | Mapping[str, Any], pool: AttributePool | None = None
) -> str:
    """Return the changeset that turns ``apply_to_atext(cs, atext)`` back into `atext`.

    Deleted text comes back with its old attributes, and a keep that changed
    attributes is undone key by key, including attributes the keep removed.
    """
    parsed = unpack(cs)
    old = _as_atext(atext)
    if parsed.old_len != old.length:
        raise ChangesetError(
            f"length mismatch: changeset applies to {parsed.old_len} units, text has {old.length}"
        )
    text = old.text
    astral = old._astral
    attribution = [list(op) for op in parse_ops(old.attribs)]
    cursor = [0, 0]  # attribution op index, units used of that op
    position = 0  # code-point index in text
    assembler = OpAssembler()
    bank: list[str] = []

    def segments(units: int) -> list[tuple[str, str]]:
        """Consume `units` of the old text; return its (text, attribs) runs."""
        nonlocal position
        runs = []
        while units:
            if cursor[0] >= len(attribution):
                raise ChangesetError("length mismatch: the changeset runs past the end of the text")
            op = attribution[cursor[0]]
            available = op[1] - cursor[1]
            take = min(available, units)
            end = utf16.index(text, take, position) if astral else position + take
            runs.append((text[position:end], op[3]))
            position = end
            units -= take
            cursor[1] += take
            if cursor[1] == op[1]:
                cursor[0] += 1
                cursor[1] = 0
        return runs

    for op in parsed.ops:
        opcode, chars, lines, attribs = op
        if opcode == INSERT:
            assembler.append(Op(REMOVE, chars, lines, ""))
        elif opcode == KEEP and not attribs:
            segments(chars)
            assembler.append(Op(KEEP, chars, lines, ""))
        elif opcode == KEEP:
            assert pool is not None, "attribute changes need a pool"
            for piece, old_attribs in segments(chars):
                for part in text_ops(KEEP, piece, invert_attributes(old_attribs, attribs, pool)):
                    assembler.append(part)
        else:
            for piece, old_attribs in segments(chars):
                for part in text_ops(INSERT, piece, old_attribs):
                    assembler.append(part)
                bank.append(piece)
    return pack(parsed.new_len, parsed.old_len, assembler.to_ops(), "".join(bank))
