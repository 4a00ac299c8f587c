"""Applying a changeset to plain text."""

from __future__ import annotations

from policypad.changeset import utf16
from policypad.changeset.changeset import ChangesetLike, unpack
from policypad.changeset.op import INSERT, KEEP, Op, format_op
from policypad.errors import ChangesetError


def apply_to_text(cs: ChangesetLike, text: str) -> str:
    """Return `text` changed by `cs`.

    Raises ChangesetError if the text's length is not the changeset's old length,
    if an op's newline count does not match the text it covers, or if the result
    would not end with a newline.
    """
    parsed = unpack(cs)
    text_len = utf16.length(text)
    if text_len != parsed.old_len:
        raise ChangesetError(
            f"length mismatch: changeset applies to {parsed.old_len} units, text has {text_len}"
        )
    result = splice_ops(parsed.ops, parsed.char_bank, text, utf16.has_astral(text))
    if result and result[-1] != "\n":
        raise ChangesetError("the changed text would not end with a newline")
    return result


def splice_ops(ops: tuple[Op, ...] | list[Op], bank: str, text: str, astral: bool) -> str:
    """Return `text` with `ops` applied (bank supplies inserted text); checks newline counts.

    `astral` says whether `text` may hold characters of two UTF-16 units; without
    them a unit is a code point and positions need no conversion.
    """
    pieces: list[str] = []
    position = 0
    bank_position = 0
    bank_astral = not bank.isascii() and utf16.has_astral(bank)
    for op in ops:
        opcode, chars, lines, _ = op
        if opcode == INSERT:
            end = utf16.index(bank, chars, bank_position) if bank_astral else bank_position + chars
            piece = bank[bank_position:end]
            if piece.count("\n") != lines or (lines and piece[-1] != "\n"):
                raise ChangesetError(
                    f"bad newline count: insert {format_op(op)!r} says {lines}, "
                    f"its text {piece[:30]!r} has {piece.count(chr(10))}"
                )
            pieces.append(piece)
            bank_position = end
            continue
        end = utf16.index(text, chars, position) if astral else position + chars
        if end > len(text):
            raise ChangesetError(f"op {format_op(op)!r} runs past the end of the text")
        if lines != text.count("\n", position, end) or (lines and text[end - 1] != "\n"):
            raise ChangesetError(
                f"bad newline count: op {format_op(op)!r} covers "
                f"{text.count(chr(10), position, end)} newlines of the text"
                + ("" if not lines or text[end - 1] == "\n" else " and does not end with one")
            )
        if opcode == KEEP:
            pieces.append(text[position:end])
        position = end
    if bank_position != len(bank):
        raise ChangesetError(f"unconsumed char bank: {bank[bank_position:][:30]!r} left over")
    pieces.append(text[position:])
    return "".join(pieces)
