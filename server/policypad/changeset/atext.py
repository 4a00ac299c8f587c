"""Attributed text (AText): a document's text and what each character carries.

The public form is Etherpad's ``{"text": "ab\\n", "attribs": "*0+1|1+2"}``: the
attribution is an ops string of inserts, one per run of equal attributes, and the
text always ends with a newline. Inside, the document is cut into chunks of lines:
each chunk holds its text, and the attribution and length of each of its lines (as
Etherpad's attribution lines are). Applying a changeset costs the chunks it touches,
not a walk over (or a copy of) the whole document; the whole text is joined only
when someone asks for it::

    texts:    [ "ab\nc\n",              "de\n...",  ... ]   text per chunk
    chunks:   [ ["*0|1+3", "|1+2"],      ["*1+2|1+3", ...], ... ]   attribution per line
    lengths:  [ [3, 2],                  [3, ...],  ... ]   UTF-16 units per line

Typing has a faster way still: an AText remembers the line of the last edit, so the
next keystroke in that line is written (`make_splice`) and applied without a search.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import accumulate, pairwise
from typing import Any

from policypad.changeset import utf16
from policypad.changeset._base36 import format_base36
from policypad.changeset._zip import slicer_step, zip_ops
from policypad.changeset.apply import splice_ops
from policypad.changeset.assembler import merge_op
from policypad.changeset.changeset import (
    Changeset,
    ChangesetLike,
    check_neighbours,
    parse_cached,
    unpack,
)
from policypad.changeset.op import _OP_RE, INSERT, KEEP, REMOVE, Op, format_ops, parse_ops
from policypad.changeset.places import split_places
from policypad.changeset.pool import AttributePool
from policypad.errors import ChangesetError

CHUNK_LINES = 64
"""Lines per chunk when chunks are (re)built; a chunk is split past twice this."""

# Sequences (tuples or lists) that are never changed once an AText holds them.
_Chunks = Sequence[Sequence[str]]
_Lengths = Sequence[Sequence[int]]
_Hint = tuple[int, int, int, int, int, int]
"""A line of the text: its number, the unit offset of its start, its length in units, its
chunk, its index in that chunk, and the unit offset of that chunk's start."""


class AText:
    """An immutable attributed text. Build with `make_atext`; change with `apply_to_atext`."""

    __slots__ = (
        "_astral",
        "_attribs",
        "_chunk_units",
        "_chunks",
        "_hint",
        "_lengths",
        "_line_starts",
        "_text",
        "_texts",
        "_unit_starts",
        "length",
    )

    length: int

    def __init__(self, text: str, attribs: str | None = None) -> None:
        built = make_atext(text, attribs)
        self._adopt(built)

    def _adopt(self, other: AText) -> None:
        for name in AText.__slots__:
            object.__setattr__(self, name, getattr(other, name))

    @classmethod
    def _from_parts(
        cls,
        texts: Sequence[str],
        length: int,
        astral: bool,
        chunks: _Chunks,
        lengths: _Lengths,
        chunk_units: Sequence[int],
        unit_starts: list[int] | None = None,
        line_starts: list[int] | None = None,
        hint: _Hint | None = None,
        text: str | None = None,
    ) -> AText:
        # Built as its mutable twin, then made an AText: plain attribute stores are
        # several times faster than object.__setattr__, and this runs once per edit.
        atext = object.__new__(_AssembledAText)
        atext._texts = texts
        atext._text = text
        atext.length = length
        atext._astral = astral
        atext._chunks = chunks
        atext._lengths = lengths
        atext._chunk_units = chunk_units
        atext._attribs = None
        atext._unit_starts = unit_starts
        atext._line_starts = line_starts
        atext._hint = hint
        atext.__class__ = AText
        return atext

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("AText is immutable")

    @property
    def text(self) -> str:
        """The whole text (joined from its chunks when first asked for)."""
        if self._text is None:
            object.__setattr__(self, "_text", "".join(self._texts))
        return self._text  # type: ignore[return-value]

    def text_between(self, start: int, end: int) -> str:
        """The text from unit `start` to unit `end`, without joining the whole text."""
        if not self._astral:
            unit_starts = self._starts()[0]
            chunk = bisect_right(unit_starts, start) - 1
            if chunk < len(self._texts) and end <= unit_starts[chunk + 1]:
                offset = unit_starts[chunk]
                return self._texts[chunk][start - offset : end - offset]
        text = self.text
        start_index = utf16.index(text, start)
        return text[start_index : utf16.index(text, end - start, start_index)]

    @property
    def attribs(self) -> str:
        """The attribution string (canonical ops of inserts) of the whole text."""
        if self._attribs is None:
            object.__setattr__(self, "_attribs", _join_lines(self._chunks))
        return self._attribs  # type: ignore[return-value]

    @property
    def line_count(self) -> int:
        """Number of lines (newlines) in the text."""
        return self._starts()[1][-1]

    def attribution_lines(self) -> list[str]:
        """Return the attribution of each line (Etherpad's attribution lines)."""
        return [line for chunk in self._chunks for line in chunk]

    def to_jsonable(self) -> dict[str, str]:
        """Return the JSON form ``{"text", "attribs"}``."""
        return {"text": self.text, "attribs": self.attribs}

    @classmethod
    def from_jsonable(cls, data: Mapping[str, Any]) -> AText:
        """Build from the JSON form; ChangesetError if malformed."""
        try:
            text, attribs = data["text"], data["attribs"]
        except (KeyError, TypeError):
            raise ChangesetError("an AText needs 'text' and 'attribs'") from None
        return make_atext(text, attribs)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, AText):
            return self.text == other.text and self.attribs == other.attribs
        if isinstance(other, Mapping):
            return self.text == other.get("text") and self.attribs == other.get("attribs")
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.text, self.attribs))

    def __repr__(self) -> str:
        return f"AText(text={self.text!r}, attribs={self.attribs!r})"

    # -- line index -------------------------------------------------------

    def _starts(self) -> tuple[list[int], list[int]]:
        """Cumulative (units, lines) at the start of each chunk, plus the totals."""
        if self._unit_starts is None:
            object.__setattr__(self, "_unit_starts", [0, *accumulate(self._chunk_units)])
        if self._line_starts is None:
            object.__setattr__(self, "_line_starts", [0, *accumulate(map(len, self._lengths))])
        return self._unit_starts, self._line_starts  # type: ignore[return-value]

    def locate(self, position: int) -> tuple[int, int]:
        """Return (line number, unit offset of that line's start) for a unit position."""
        if not 0 <= position <= self.length:
            raise ChangesetError(f"position {position} is outside the text (0..{self.length})")
        hint = self._hint
        if hint is not None and hint[1] <= position < hint[1] + hint[2]:
            return hint[0], hint[1]
        unit_starts, line_starts = self._starts()
        if position == self.length:
            return line_starts[-1], self.length
        chunk = bisect_right(unit_starts, position) - 1
        within = list(accumulate(self._lengths[chunk]))
        line = bisect_right(within, position - unit_starts[chunk])
        start = unit_starts[chunk] + (within[line - 1] if line else 0)
        number = line_starts[chunk] + line
        # The next edit is most likely in this line again (typing): remember it.
        hint = (number, start, self._lengths[chunk][line], chunk, line, unit_starts[chunk])
        object.__setattr__(self, "_hint", hint)
        return number, start


class _AssembledAText(AText):
    """AText's mutable twin, used only while `AText._from_parts` fills one in."""

    __slots__ = ()
    __setattr__ = object.__setattr__  # type: ignore[assignment]


def _join_lines(chunks: _Chunks) -> str:
    """The canonical attribution of a whole text from its lines' attributions.

    Each line's attribution is canonical, and two lines' ops can merge only where a
    line's last op (the one holding its newline) meets lines of a single run with the
    same attributes: ``*0|1+4`` and ``*0|1+3`` make ``*0|2+7``. A line of several runs
    starts with a partial op, which merges with nothing before it, so all but its last
    op are copied as they are. Nothing is parsed into ops (a snapshot of a pad typed in
    by many authors holds many thousands of runs).
    """
    out: list[str] = []
    attribs = ""  # the pending op: whole lines with these attribs
    lines = chars = 0
    for chunk in chunks:
        for line in chunk:
            bar = line.rindex("|")
            length = int(line[bar + 3 :], 36)  # every line's last op is "|1+<chars>"
            plus = line.rfind("+", 0, bar)
            if plus < 0:  # one run
                if lines and line[:bar] == attribs:
                    lines += 1
                    chars += length
                    continue
                start = 0
            else:  # several runs: the last one starts after the number before it
                star = line.find("*", plus, bar)
                start = star if star >= 0 else bar
            if lines:
                out.append(f"{attribs}|{format_base36(lines)}+{format_base36(chars)}")
            out.append(line[:start])
            attribs, lines, chars = line[start:bar], 1, length
    if lines:
        out.append(f"{attribs}|{format_base36(lines)}+{format_base36(chars)}")
    return "".join(out)


def make_atext(text: str, attribs: str | None = None) -> AText:
    """Return the AText of `text` with attribution `attribs` (default: no attributes).

    Raises ChangesetError if the text does not end with a newline or the attribution
    does not fit it (lengths, newline counts, non-insert ops).
    """
    if not isinstance(text, str) or not text.endswith("\n"):
        raise ChangesetError("a document's text must end with a newline")
    utf16.check_no_lone_surrogate(text, "text")
    raw_lines = text.split("\n")
    raw_lines.pop()
    if text.isascii():
        lengths = [len(line) + 1 for line in raw_lines]
    else:
        lengths = [utf16.length(line) + 1 for line in raw_lines]
    if attribs is None:
        lines = [f"|1+{format_base36(n)}" for n in lengths]
    else:
        if not isinstance(attribs, str):
            raise ChangesetError(f"an attribution is a string, got {type(attribs).__name__}")
        ops = parse_ops(attribs)
        for previous, op in pairwise(ops):
            check_neighbours(previous, op)
        lines = split_lines(ops, lengths)
    length = sum(lengths)
    chunks = tuple(tuple(lines[i : i + CHUNK_LINES]) for i in range(0, len(lines), CHUNK_LINES))
    chunk_lengths = tuple(
        tuple(lengths[i : i + CHUNK_LINES]) for i in range(0, len(lengths), CHUNK_LINES)
    )
    chunk_units = tuple(map(sum, chunk_lengths))
    texts = tuple(
        "\n".join(raw_lines[i : i + CHUNK_LINES]) + "\n"
        for i in range(0, len(raw_lines), CHUNK_LINES)
    )
    return AText._from_parts(
        texts, length, utf16.has_astral(text), chunks, chunk_lengths, chunk_units, text=text
    )


def split_lines(ops: list[Op] | tuple[Op, ...], lengths: list[int]) -> list[str]:
    """Cut an attribution (insert ops) into one attribution string per line."""
    out: list[str] = []
    line_ops: list[Op] = []
    line_index = 0
    remaining = lengths[0] if lengths else 0
    for op in ops:
        opcode, chars, lines, attribs = op
        if opcode != INSERT:
            raise ChangesetError(f"an attribution holds only inserts, found {format_ops([op])!r}")
        crossed = 0
        while chars:
            if line_index >= len(lengths):
                raise ChangesetError("length mismatch: attribution is longer than the text")
            take = remaining if chars >= remaining else chars
            chars -= take
            remaining -= take
            if remaining:
                merge_op(line_ops, Op(INSERT, take, 0, attribs))
            else:
                merge_op(line_ops, Op(INSERT, take, 1, attribs))
                out.append(format_ops(line_ops))
                line_ops = []
                crossed += 1
                line_index += 1
                remaining = lengths[line_index] if line_index < len(lengths) else 0
        if crossed != lines:
            raise ChangesetError(
                f"bad newline count: attribution op {format_ops([op])!r} spans {crossed} newlines"
            )
    if line_index != len(lengths) or line_ops:
        raise ChangesetError("length mismatch: attribution is shorter than the text")
    return out


CACHED_LINE_CHARS = 512
"""Longest line attribution whose parse is remembered (so the cache's memory is bounded
by its entries times this, whatever the documents hold)."""


def _parse_line(line: str) -> tuple[Op, ...]:
    if len(line) <= CACHED_LINE_CHARS:
        return _parse_line_remembered(line)
    return tuple(parse_ops(line))


@lru_cache(maxsize=16384)
def _parse_line_remembered(line: str) -> tuple[Op, ...]:
    return tuple(parse_ops(line))


def _as_atext(atext: AText | Mapping[str, Any]) -> AText:
    if isinstance(atext, AText):
        return atext
    return AText.from_jsonable(atext)


def apply_to_atext(
    cs: ChangesetLike, atext: AText | Mapping[str, Any], pool: AttributePool | None = None
) -> AText:
    """Return `atext` changed by `cs` (text and attribution); the pool resolves attributes.

    Cost: the chunks the change touches (not the document's size); a changeset that
    edits several places is applied one place at a time (see places.py). Raises
    ChangesetError on a length or newline mismatch, or if the text would not end
    with a newline.
    """
    atext = _as_atext(atext)
    if type(cs) is str:
        parsed, splice = parse_cached(cs)
    else:
        parsed, splice = unpack(cs), None
    if parsed.old_len != atext.length:
        raise ChangesetError(
            f"length mismatch: changeset applies to {parsed.old_len} units, text has {atext.length}"
        )
    if splice is not None and not atext._astral:
        # a keystroke: its parts were read (and checked) with the changeset
        bank = splice.inserted
        if bank.isascii() or not utf16.has_astral(bank):
            spliced = _splice_line(
                atext, pool, parsed.new_len, splice.start, splice.lines, splice.line_start,
                splice.ndel, bank, splice.attribs,
            )  # fmt: skip
            if spliced is not None:
                return spliced
    parts = split_places(parsed)
    if parts is not None:
        try:
            changed = atext
            for part in parts:
                changed = _apply_parsed(part, changed, pool)
            return changed
        except ChangesetError:
            pass  # applied whole, it raises as it should
    return _apply_parsed(parsed, atext, pool)


def _apply_parsed(parsed: Changeset, atext: AText, pool: AttributePool | None) -> AText:
    """`apply_to_atext` of a changeset at one place, or applied whole (lengths checked)."""
    ops = parsed.ops
    count = len(ops)
    index = 0
    lead = 0
    lead_lines = 0
    line_start = 0
    while index < count:
        op = ops[index]
        if op[0] != KEEP or op[3]:
            break
        lead += op[1]
        if op[2]:
            if lead != op[1] + line_start:
                # a partial-line keep before it: its newlines could not be checked here
                raise ChangesetError("non-canonical: a partial-line keep before a multi-line keep")
            lead_lines += op[2]
            line_start = lead
        index += 1
    middle = ops[index:] if index else ops
    if 0 < len(middle) <= 2 and not atext._astral:
        spliced = _splice_within_line(parsed, atext, pool, lead, lead_lines, line_start, middle)
        if spliced is not None:
            return spliced
    growth = 0
    consumed = 0
    for op in middle:
        if op[0] == INSERT:
            growth += op[1]
        else:
            consumed += op[1]
            if op[0] != KEEP:
                growth -= op[1]
    if growth != parsed.new_len - parsed.old_len:
        raise ChangesetError(
            f"length mismatch: header says new length {parsed.new_len}, "
            f"ops give {parsed.old_len + growth}"
        )
    if lead + consumed > atext.length:
        raise ChangesetError("length mismatch: the changeset runs past the end of the text")

    unit_starts, line_starts = atext._starts()
    total_lines = line_starts[-1]
    if lead_lines > total_lines:
        raise ChangesetError(f"bad newline count: keeps {lead_lines} lines of {total_lines}")
    chunks = atext._chunks
    lengths = atext._lengths
    # where line `lead_lines` starts: chunk, line within the chunk, unit offset
    if lead_lines == total_lines:
        chunk, within, offset = len(chunks), 0, atext.length
    else:
        chunk = bisect_right(line_starts, lead_lines) - 1
        within = lead_lines - line_starts[chunk]
        offset = unit_starts[chunk] + sum(lengths[chunk][:within])
    if offset != line_start:
        raise ChangesetError(
            f"bad newline count: {lead_lines} lines end at unit {offset}, "
            f"the keep says {line_start}"
        )
    partial = lead - line_start
    need = partial + consumed

    # the region: whole lines from lead_lines covering what the change consumes, plus
    # the next line when the change reaches a line's end (it may join or prefix it)
    region_lines: list[str] = []
    region_units = 0
    end_chunk, end_within = chunk, within
    extended = False
    while end_chunk < len(chunks):
        if region_lines and region_units >= need:
            if region_units > need or not need or extended:
                break
            extended = True
        region_lines.append(chunks[end_chunk][end_within])
        region_units += lengths[end_chunk][end_within]
        end_within += 1
        if end_within == len(chunks[end_chunk]):
            end_chunk += 1
            end_within = 0
    if region_units < need:
        raise ChangesetError("length mismatch: the changeset runs past the end of the text")

    texts = atext._texts
    astral = atext._astral
    # the region's text: from line `within` of `chunk` to line `end_within` of `end_chunk`
    head_text = texts[chunk][: _line_offset(atext, chunk, within)] if chunk < len(texts) else ""
    tail_text = (
        texts[end_chunk][_line_offset(atext, end_chunk, end_within) :]
        if (end_chunk < len(texts))
        else ""
    )
    region_text = "".join(texts[chunk : end_chunk + 1])[len(head_text) :]
    if tail_text:
        region_text = region_text[: -len(tail_text)]
    region_ops = [Op(KEEP, partial, 0, ""), *middle] if partial else middle
    bank = parsed.char_bank
    new_region = splice_ops(region_ops, bank, region_text, astral)
    if new_region and new_region[-1] != "\n":
        raise ChangesetError("the changed text would not end with a newline")

    new_region_lines = new_region.split("\n")
    new_region_lines.pop()
    if new_region.isascii():
        new_lengths = [len(line) + 1 for line in new_region_lines]
    else:
        new_lengths = [utf16.length(line) + 1 for line in new_region_lines]
    uniform = _uniform_result(region_lines, middle)
    if uniform is not None:
        # Fast path for the common case (one author typing in their own lines): every
        # region line carries one set of attributes, and the change inserts with that
        # same set and changes no attributes, so each new line is a single run.
        new_lines = [f"{uniform}|1+{format_base36(n)}" for n in new_lengths]
    else:
        old_attribution = [op for line in region_lines for op in _parse_line(line)]
        new_attribution = zip_ops(old_attribution, region_ops, slicer_step(pool))
        new_lines = split_lines(new_attribution, new_lengths)

    # splice the new lines into the chunks they replace
    if chunk == len(chunks):
        head_lines: tuple[str, ...] = ()
        head_lengths: tuple[int, ...] = ()
    else:
        head_lines = chunks[chunk][:within]
        head_lengths = lengths[chunk][:within]
    if end_chunk < len(chunks):
        tail_lines = chunks[end_chunk][end_within:]
        tail_lengths = lengths[end_chunk][end_within:]
        after = end_chunk + 1
    else:
        tail_lines, tail_lengths, after = (), (), len(chunks)
    merged_lines = (*head_lines, *new_lines, *tail_lines)
    merged_lengths = (*head_lengths, *new_lengths, *tail_lengths)
    merged_text = head_text + new_region + tail_text
    if len(merged_lines) > 2 * CHUNK_LINES:
        piece_lines = tuple(
            merged_lines[i : i + CHUNK_LINES] for i in range(0, len(merged_lines), CHUNK_LINES)
        )
        piece_lengths = tuple(
            merged_lengths[i : i + CHUNK_LINES] for i in range(0, len(merged_lengths), CHUNK_LINES)
        )
        raw_lines = merged_text.split("\n")
        raw_lines.pop()
        piece_texts: tuple[str, ...] = tuple(
            "\n".join(raw_lines[i : i + CHUNK_LINES]) + "\n"
            for i in range(0, len(raw_lines), CHUNK_LINES)
        )
    elif merged_lines:
        piece_lines = (merged_lines,)
        piece_lengths = (merged_lengths,)
        piece_texts = (merged_text,)
    else:
        piece_lines, piece_lengths, piece_texts = (), (), ()
    new_chunks = (*chunks[:chunk], *piece_lines, *chunks[after:])
    new_chunk_lengths = (*lengths[:chunk], *piece_lengths, *lengths[after:])
    new_chunk_units = (
        *atext._chunk_units[:chunk],
        *map(sum, piece_lengths),
        *atext._chunk_units[after:],
    )
    return AText._from_parts(
        (*texts[:chunk], *piece_texts, *texts[after:]),
        parsed.new_len,
        astral or (not bank.isascii() and utf16.has_astral(bank)),
        new_chunks,
        new_chunk_lengths,
        new_chunk_units,
    )


def _line_offset(atext: AText, chunk: int, within: int) -> int:
    """Where line `within` starts in the text of `chunk`, as an index into that string."""
    units = sum(atext._lengths[chunk][:within])
    return utf16.index(atext._texts[chunk], units) if atext._astral else units


def _splice_runs(
    line: str, at: int, ndel: int, nins: int, attribs: str, pool: AttributePool | None
) -> str:
    """A line's attribution after deleting `ndel` units at `at` and inserting `nins`
    with `attribs` (all before its newline).

    A line many authors typed in holds many runs. Only the runs the change touches are
    rewritten, with one run more on each side (the change may merge with them); the
    text of the runs after those is kept as it is, and never parsed into ops.
    """
    runs = _OP_RE.findall(line)  # (attribs, lines, opcode, chars) of each run
    end = at + ndel
    unit_starts: list[int] = []
    char_starts: list[int] = []
    position = width = 0
    holding_end = -1  # the run holding the first unit after the deletion
    for index, (run_attribs, lines, _, chars) in enumerate(runs):
        unit_starts.append(position)
        char_starts.append(width)
        position += int(chars, 36)
        width += len(run_attribs) + len(chars) + (len(lines) + 2 if lines else 1)
        if holding_end >= 0:
            break  # the run after it is in too
        if position > end:
            holding_end = index
    first = max(bisect_right(unit_starts, at) - 2, 0)
    last = min(holding_end + 1, len(runs) - 1)
    window = [
        Op(INSERT, int(chars, 36), int(lines, 36) if lines else 0, run_attribs)
        for run_attribs, lines, _, chars in runs[first : last + 1]
    ]
    kept = at - unit_starts[first]
    change = [Op(KEEP, kept, 0, "")] if kept else []
    if ndel:
        change.append(Op(REMOVE, ndel, 0, ""))
    if nins:
        change.append(Op(INSERT, nins, 0, attribs))
    rewritten = format_ops(zip_ops(window, change, slicer_step(pool)))
    return line[: char_starts[first]] + rewritten + line[width:]


def _uniform_result(region_lines: list[str], middle: tuple[Op, ...]) -> str | None:
    """The attribs every changed line will carry alone, if the fast path applies."""
    if not region_lines:
        return None
    first = _parse_line(region_lines[0])
    if len(first) != 1:
        return None
    attribs = first[0][3]
    for line in region_lines[1:]:
        ops = _parse_line(line)
        if len(ops) != 1 or ops[0][3] != attribs:
            return None
    for opcode, _, _, op_attribs in middle:
        if op_attribs and (opcode == KEEP or op_attribs != attribs):
            return None
        if opcode == INSERT and op_attribs != attribs:
            return None
    return attribs


def _splice_within_line(
    parsed: Changeset,
    atext: AText,
    pool: AttributePool | None,
    lead: int,
    lead_lines: int,
    line_start: int,
    middle: tuple[Op, ...],
) -> AText | None:
    """Apply a delete and/or insert inside one line without its newline, or return None.

    The fast path for typing: the shape of nearly every keystroke. It checks all that
    the general path checks; anything else (newlines, attribute changes, surrogate
    pairs) returns None and takes the general path.
    """
    removed = inserted = None
    if len(middle) == 2:
        removed, inserted = middle
        if removed[0] != REMOVE or inserted[0] != INSERT:
            return None
    elif middle[0][0] == REMOVE:
        removed = middle[0]
    elif middle[0][0] == INSERT:
        inserted = middle[0]
    else:
        return None
    bank = parsed.char_bank
    ndel = 0
    if removed is not None:
        if removed[2] or removed[3]:
            return None
        ndel = removed[1]
    if inserted is not None:
        if inserted[2] or "\n" in bank or (not bank.isascii() and utf16.has_astral(bank)):
            return None
        if len(bank) != inserted[1]:
            raise ChangesetError("unconsumed char bank: it does not match the insert")
    elif bank:
        raise ChangesetError(f"unconsumed char bank: {bank[:30]!r} left over")
    nins = len(bank)
    if nins - ndel != parsed.new_len - parsed.old_len:
        raise ChangesetError(
            f"length mismatch: header says new length {parsed.new_len}, "
            f"ops give {parsed.old_len + nins - ndel}"
        )
    attribs = inserted[3] if inserted is not None else ""
    return _splice_line(
        atext, pool, parsed.new_len, lead, lead_lines, line_start, ndel, bank, attribs
    )


def _splice_line(
    atext: AText,
    pool: AttributePool | None,
    new_len: int,
    lead: int,
    lead_lines: int,
    line_start: int,
    ndel: int,
    bank: str,
    attribs: str,
) -> AText | None:
    """Delete `ndel` units at `lead` and insert `bank` (no newline, no surrogate pair)
    with `attribs`, inside line `lead_lines` starting at `line_start`; None if the
    splice reaches the line's newline or the line is not where the changeset says."""
    hint = atext._hint
    if hint is not None and hint[0] == lead_lines:
        _, hinted_start, line_length, chunk, within, chunk_start = hint
        if hinted_start != line_start:
            return None  # the general path reports the mismatch
        chunk_lengths = atext._lengths[chunk]
    else:
        unit_starts, line_starts = atext._starts()
        if lead_lines >= line_starts[-1]:
            return None
        chunk = bisect_right(line_starts, lead_lines) - 1
        within = lead_lines - line_starts[chunk]
        chunk_lengths = atext._lengths[chunk]
        chunk_start = unit_starts[chunk]
        if chunk_start + sum(chunk_lengths[:within]) != line_start:
            return None  # the general path reports the mismatch
        line_length = chunk_lengths[within]
    if lead - line_start + ndel >= line_length:
        return None  # reaches the newline
    chunk_lines = atext._chunks[chunk]
    line = chunk_lines[within]
    growth = len(bank) - ndel
    new_length = line_length + growth
    # A line in one run of attributes is written "<attribs>|1+<length>" (one '+'):
    # typing with those attributes keeps it one run, with no need to parse it.
    if line.count("+") == 1 and (not bank or attribs == line[: line.index("|")]):
        new_line = f"{line[: line.index('|')]}|1+{format_base36(new_length)}"
    else:
        new_line = _splice_runs(line, lead - line_start, ndel, len(bank), attribs, pool)
    # Copy-and-replace on lists: four times cheaper than rebuilding tuples, and this
    # runs once per keystroke. Nothing changes these lists once an AText holds them.
    texts = list(atext._texts)
    chunk_text = texts[chunk]
    at = lead - chunk_start  # no surrogate pairs here: units are indices
    texts[chunk] = "".join((chunk_text[:at], bank, chunk_text[at + ndel :]))
    chunks = list(atext._chunks)
    chunk_lines = chunks[chunk] = list(chunk_lines)
    chunk_lines[within] = new_line
    lengths = list(atext._lengths)
    chunk_lengths = lengths[chunk] = list(chunk_lengths)
    chunk_lengths[within] = new_length
    units = list(atext._chunk_units)
    units[chunk] += growth
    return AText._from_parts(
        texts,
        new_len,
        False,
        chunks,
        lengths,
        units,
        # the same lines: the line index carries over, the unit index only if unchanged
        None if growth else atext._unit_starts,
        atext._line_starts,
        (lead_lines, line_start, new_length, chunk, within, chunk_start),
    )
