"""Building changesets: the Builder, splices and attribute changes over a range."""

from __future__ import annotations

from policypad.changeset import utf16
from policypad.changeset._base36 import format_base36
from policypad.changeset.assembler import OpAssembler
from policypad.changeset.atext import AText
from policypad.changeset.attributes import attribs_from
from policypad.changeset.changeset import pack, write_splice
from policypad.changeset.op import INSERT, KEEP, REMOVE, Op, format_op
from policypad.changeset.pool import AttributePool
from policypad.errors import ChangesetError

Attribs = str | list[tuple[str, str]] | list[list[str]] | None


def text_ops(opcode: str, text: str, attribs: str = "") -> list[Op]:
    """Return the ops (one or two) that cover `text`: whole lines, then the partial line."""
    last_newline = text.rfind("\n")
    if last_newline < 0:
        return [Op(opcode, utf16.length(text), 0, attribs)] if text else []
    lines = text.count("\n")
    head = text[: last_newline + 1]
    tail = text[last_newline + 1 :]
    ops = [Op(opcode, utf16.length(head), lines, attribs)]
    if tail:
        ops.append(Op(opcode, utf16.length(tail), 0, attribs))
    return ops


class Builder:
    """Writes a changeset op by op over a text of `old_len` units.

    Call `keep`/`keep_text`, `remove`/`remove_text` and `insert` in document order,
    then `to_string`. What is not covered at the end is kept unchanged.
    """

    __slots__ = ("_assembler", "_bank", "_consumed", "_new_len", "_old_len")

    def __init__(self, old_len: int) -> None:
        self._old_len = old_len
        self._new_len = old_len
        self._consumed = 0
        self._assembler = OpAssembler()
        self._bank: list[str] = []

    def _consume(self, chars: int) -> None:
        self._consumed += chars
        if self._consumed > self._old_len:
            raise ChangesetError(
                f"the builder covers {self._consumed} units of a {self._old_len}-unit text"
            )

    def keep(
        self, chars: int, lines: int = 0, attribs: Attribs = None, pool: AttributePool | None = None
    ) -> Builder:
        """Keep `chars` units spanning `lines` newlines, optionally changing attributes."""
        self._consume(chars)
        self._assembler.append(Op(KEEP, chars, lines, attribs_from(attribs, pool)))
        return self

    def keep_text(
        self, text: str, attribs: Attribs = None, pool: AttributePool | None = None
    ) -> Builder:
        """Keep the units of `text` (which must be the text there), newlines counted for you."""
        for op in text_ops(KEEP, text, attribs_from(attribs, pool)):
            self._consume(op.chars)
            self._assembler.append(op)
        return self

    def remove(self, chars: int, lines: int = 0) -> Builder:
        """Delete `chars` units spanning `lines` newlines."""
        self._consume(chars)
        self._new_len -= chars
        self._assembler.append(Op(REMOVE, chars, lines, ""))
        return self

    def remove_text(self, text: str) -> Builder:
        """Delete `text` (which must be the text there), newlines counted for you."""
        for op in text_ops(REMOVE, text):
            self._consume(op.chars)
            self._new_len -= op.chars
            self._assembler.append(op)
        return self

    def insert(
        self, text: str, attribs: Attribs = None, pool: AttributePool | None = None
    ) -> Builder:
        """Insert `text` with attributes (an attribs string or (key, value) pairs; see
        `attributes.attribs_from` for repeated keys and empty values)."""
        utf16.check_no_lone_surrogate(text, "inserted text")
        for op in text_ops(INSERT, text, attribs_from(attribs, pool, insert=True)):
            self._new_len += op.chars
            self._assembler.append(op)
        self._bank.append(text)
        return self

    def to_string(self) -> str:
        """Return the changeset written so far."""
        return pack(self._old_len, self._new_len, self._assembler.to_ops(), "".join(self._bank))


def make_splice(
    text: str | AText,
    start: int,
    ndel: int,
    ins: str,
    attribs: Attribs = None,
    pool: AttributePool | None = None,
) -> str:
    """Return the changeset that replaces `ndel` units at `start` of `text` with `ins`.

    Positions count UTF-16 units. `text` may be an AText, whose line index then
    spares a count of the newlines before `start`. ``make_splice("\\n", 0, 0, "😀")``
    is ``"Z:1>2+2$😀"``. The inserted text carries `attribs`: an attribs string, or
    pairs read as Etherpad reads them (see `attributes.attribs_from`): cited in order of
    key, a repeated key's last value, no empty value. Raises ChangesetError if the
    splice is outside `text` or splits a surrogate pair (Etherpad would clamp it).
    """
    if type(text) is AText and not text._astral and ins.isascii() and "\n" not in ins:
        typed = _splice_in_hinted_line(text, start, ndel, ins, attribs, pool)
        if typed is not None:
            return typed
    if isinstance(text, AText):
        atext = text
        astral = atext._astral
        text = atext.text if astral else ""  # not joined unless needed
        length = atext.length
    else:
        atext = None
        astral = utf16.has_astral(text)
        length = utf16.length(text) if astral or not text.isascii() else len(text)
    if start < 0 or ndel < 0 or start + ndel > length:
        raise ChangesetError(f"splice {start}+{ndel} is outside the text (0..{length})")
    if astral:
        start_index = utf16.index(text, start)
        end_index = utf16.index(text, ndel, start_index)
    else:
        start_index = start
        end_index = start + ndel
    # before the no-op return: pairs enter the pool even when nothing is inserted, as
    # in Etherpad, so that a pool grows alike in both
    attrib_text = attribs_from(attribs, pool, insert=True)
    if not ndel and not ins:
        return pack(length, length, (), "")
    ops: list[str] = []
    if start:
        if atext is not None:
            hint = atext._hint  # the line of the last edit: typing stays in it
            if hint is not None and hint[1] <= start < hint[1] + hint[2]:
                lines, line_start = hint[0], hint[1]
            else:
                lines, line_start = atext.locate(start)
        else:
            lines = text.count("\n", 0, start_index)
            line_start_index = text.rfind("\n", 0, start_index) + 1
            line_start = utf16.to_units(text, line_start_index) if astral else line_start_index
        if lines:
            ops.append(f"|{format_base36(lines)}={format_base36(line_start)}")
        if start > line_start:
            ops.append(f"={format_base36(start - line_start)}")
    if ndel:
        removed = (
            atext.text_between(start, start + ndel)
            if atext is not None and not astral
            else text[start_index:end_index]
        )
        ops.extend(
            _spell(text_ops(REMOVE, removed)) if "\n" in removed else [f"-{format_base36(ndel)}"]
        )
    if ins:
        utf16.check_no_lone_surrogate(ins, "inserted text")
        if "\n" in ins or not ins.isascii():
            ops.extend(_spell(text_ops(INSERT, ins, attrib_text)))
        else:
            ops.append(f"{attrib_text}+{format_base36(len(ins))}")
        new_len = length - ndel + (len(ins) if ins.isascii() else utf16.length(ins))
    else:
        new_len = length - ndel
    if new_len >= length:
        header = f"Z:{format_base36(length)}>{format_base36(new_len - length)}"
    else:
        header = f"Z:{format_base36(length)}<{format_base36(length - new_len)}"
    return f"{header}{''.join(ops)}${ins}"


def _splice_in_hinted_line(
    atext: AText, start: int, ndel: int, ins: str, attribs: Attribs, pool: AttributePool | None
) -> str | None:
    """`make_splice` for typing: in the line of the last edit, no newline, no surrogate.

    The AText remembers that line (see `AText.locate`), so the splice is written with
    no search at all. None when the splice is not of that kind.
    """
    hint = atext._hint
    if hint is None or not (ndel or ins):
        return None
    lines, line_start, line_length = hint[0], hint[1], hint[2]
    # the deleted units end before the line's newline
    if not (line_start <= start and ndel >= 0 and start + ndel < line_start + line_length):
        return None
    return write_splice(
        atext.length, lines, line_start, start, ndel, ins, attribs_from(attribs, pool, insert=True)
    )


def _spell(ops: list[Op]) -> list[str]:
    return [format_op(op) for op in ops]


def make_attribute_change(
    text: str | AText,
    start: int,
    end: int,
    attribs: Attribs,
    pool: AttributePool | None = None,
) -> str:
    """Return the changeset that applies `attribs` to units [start, end) of `text`.

    A pair with an empty value removes that attribute (``[("bold", "")]``).
    """
    if isinstance(text, AText):
        text = text.text
    length = utf16.length(text)
    if not 0 <= start <= end <= length:
        raise ChangesetError(f"range {start}..{end} is outside the text (0..{length})")
    start_index = utf16.index(text, start)
    end_index = utf16.index(text, end - start, start_index)
    builder = Builder(length)
    builder.keep_text(text[:start_index])
    builder.keep_text(text[start_index:end_index], attribs, pool)
    return builder.to_string()
