"""The changeset value: its wire form, parsing, and the validity check.

Wire form (Etherpad's easysync, byte for byte)::

    Z:5g>1|5=2p=v*4*5+1$x
    | |  | |           | '-- char bank: the inserted text, in op order
    | |  | |           '-- end of ops
    | |  | '-- ops (see op.py): keep 5 lines (97 units), keep 31, insert 1 with *4*5
    | |  '-- new length - old length, after '>' (grows or same) or '<' (shrinks)
    | '-- old length: the text this applies to has 196 units
    '-- magic

All numbers are base 36 and all lengths UTF-16 code units.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from policypad.changeset import utf16
from policypad.changeset._base36 import format_base36
from policypad.changeset.op import INSERT, KEEP, REMOVE, Op, attrib_numbers, format_ops, parse_ops
from policypad.changeset.pool import AttributePool
from policypad.errors import ChangesetError

_HEADER_RE = re.compile(r"Z:(0|[1-9a-z][0-9a-z]*)([><])(0|[1-9a-z][0-9a-z]*)")


class Changeset(NamedTuple):
    """A parsed changeset: lengths, ops and char bank. Build with `unpack`, write with `pack`."""

    old_len: int
    new_len: int
    ops: tuple[Op, ...]
    char_bank: str

    def pack(self) -> str:
        """Return the wire form."""
        return pack(self.old_len, self.new_len, self.ops, self.char_bank)

    def __str__(self) -> str:
        return self.pack()


ChangesetLike = str | Changeset


class Splice(NamedTuple):
    """A valid changeset of the typing shape, by its parts (see `as_splice`)."""

    old_len: int
    lines: int
    """Newlines before `start` (the `|L` of the leading keep)."""
    line_start: int
    """Where the line holding `start` begins."""
    start: int
    ndel: int
    inserted: str
    attribs: str


def unpack(cs: ChangesetLike) -> Changeset:
    """Parse the wire form into a Changeset; ChangesetError if it is malformed.

    Only syntax and the sign of the length change are checked here; `check_rep`
    checks the rest. Parsed values are cached, so parsing a string twice is cheap.
    """
    if isinstance(cs, Changeset):
        return cs
    if not isinstance(cs, str):
        raise ChangesetError(f"a changeset is a string, got {type(cs).__name__}")
    return parse_cached(cs)[0]


# The shape of nearly every changeset a typist sends: keep up to a place (whole lines,
# then part of a line), delete units of that line, insert text without a newline. One
# regular expression reads it whole, and its validity is settled when it is parsed.
_COUNT = r"([1-9a-z][0-9a-z]*)"  # an op's chars and lines are never 0
_SPLICE_RE = re.compile(
    rf"Z:(0|[1-9a-z][0-9a-z]*)([><])(0|[1-9a-z][0-9a-z]*)"
    rf"(?:\|{_COUNT}={_COUNT})?(?:={_COUNT})?(?:-{_COUNT})?"
    rf"(?:((?:\*(?:0|[1-9a-z][0-9a-z]*))*)\+{_COUNT})?\$"
)


CACHED_CHARS = 1024
"""Longest changeset whose parse is remembered. Keystrokes are far shorter, and a cache
of at most `PARSES_CACHED` entries of this size bounds its memory (a few MB) whatever
clients send: a long changeset is parsed each time it is needed."""
PARSES_CACHED = 4096


def parse_cached(cs: str) -> tuple[Changeset, Splice | None]:
    """Parse `cs`; if it is a valid splice, also give its parts (`check_rep` then need
    not walk it again).

    A Splice here is canonical and valid in everything `check_parsed` checks without
    a pool (a pool's check of its attribs remains). Short changesets' parses are
    remembered (see `CACHED_CHARS`).
    """
    if len(cs) <= CACHED_CHARS:
        return _parse_remembered(cs)
    return parse_fresh(cs)


def parse_fresh(cs: str) -> tuple[Changeset, Splice | None]:
    """`parse_cached` without the cache: for what a client sent and may be refused,
    which must not stay in memory."""
    splice = _SPLICE_RE.match(cs)
    if splice is not None:
        parsed = _parse_splice(splice, cs)
        if parsed is not None:
            return parsed
    return _parse_general(cs), None


_parse_remembered = lru_cache(maxsize=PARSES_CACHED)(parse_fresh)


def _parse_splice(splice: re.Match[str], cs: str) -> tuple[Changeset, Splice | None] | None:
    """The fast reading of a splice; None sends odd ones to the general parser."""
    old, sign, delta, lines, line_chars, chars, removed, attribs, inserted = splice.groups()
    if removed is None and inserted is None:
        return None  # keeps alone: the general path reports what is wrong
    old_len = int(old, 36)
    if sign == ">":
        new_len = old_len + int(delta, 36)
    else:
        new_len = old_len - int(delta, 36)
        if new_len < 0 or delta == "0":
            return None
    new = tuple.__new__  # NamedTuple's own __new__ is a slow Python function
    ops: list[Op] = []
    consumed = line_count = 0
    valid = True
    if lines is not None:
        consumed = int(line_chars, 36)
        line_count = int(lines, 36)
        valid = line_count <= consumed
        ops.append(new(Op, (KEEP, consumed, line_count, "")))
    line_start = consumed
    if chars is not None:
        kept = int(chars, 36)
        consumed += kept
        ops.append(new(Op, (KEEP, kept, 0, "")))
    start = consumed
    growth = 0
    if removed is not None:
        growth = -int(removed, 36)
        consumed -= growth
        ops.append(new(Op, (REMOVE, -growth, 0, "")))
    bank = cs[splice.end() :]
    if inserted is not None:
        units = int(inserted, 36)
        growth += units
        ops.append(new(Op, (INSERT, units, 0, attribs)))
        if attribs.count("*") > 1:
            numbers = attrib_numbers(attribs)
            valid = valid and len(set(numbers)) == len(numbers)
        valid = valid and "\n" not in bank and _bank_units(bank) == units
    else:
        valid = valid and not bank
    parsed = new(Changeset, (old_len, new_len, tuple(ops), bank))
    if not (valid and consumed <= old_len and old_len + growth == new_len):
        return parsed, None
    ndel = consumed - start
    return parsed, new(Splice, (old_len, line_count, line_start, start, ndel, bank, attribs or ""))


def _bank_units(bank: str) -> int:
    """The char bank's length in UTF-16 units, or -1 if it holds a lone surrogate."""
    if bank.isascii():
        return len(bank)
    try:
        utf16.check_no_lone_surrogate(bank, "char bank")
    except ChangesetError:
        return -1
    return utf16.length(bank)


def _parse_general(cs: str) -> Changeset:
    header = _HEADER_RE.match(cs)
    if header is None:
        raise ChangesetError(f"bad changeset header in {cs[:40]!r}: expected 'Z:<len><>|<><delta>'")
    old_len = int(header.group(1), 36)
    delta = int(header.group(3), 36)
    if header.group(2) == ">":
        new_len = old_len + delta
    else:
        if delta == 0:
            raise ChangesetError("bad changeset header: no change is written '>0', not '<0'")
        new_len = old_len - delta
        if new_len < 0:
            raise ChangesetError(f"bad changeset header: shrinks {old_len} units by {delta}")
    dollar = cs.find("$", header.end())
    if dollar < 0:
        raise ChangesetError("changeset has no '$' before its char bank")
    ops = tuple(parse_ops(cs[header.end() : dollar]))
    return tuple.__new__(Changeset, (old_len, new_len, ops, cs[dollar + 1 :]))


def pack(old_len: int, new_len: int, ops: tuple[Op, ...] | list[Op] | str, char_bank: str) -> str:
    """Return the wire form of a changeset from its parts (ops as Ops or an ops string)."""
    ops_text = ops if isinstance(ops, str) else format_ops(ops)
    if new_len >= old_len:
        header = f"Z:{format_base36(old_len)}>{format_base36(new_len - old_len)}"
    else:
        header = f"Z:{format_base36(old_len)}<{format_base36(old_len - new_len)}"
    return f"{header}{ops_text}${char_bank}"


def as_splice(cs: str) -> Splice | None:
    """`cs` as a Splice if it is a valid one: keep, then delete and/or insert inside one
    line (no newline deleted or inserted); else None."""
    return parse_cached(cs)[1]


def write_splice(
    old_len: int, lines: int, line_start: int, start: int, ndel: int, ins: str, attribs: str
) -> str:
    """The canonical wire form of a splice inside one line (no newline deleted or
    inserted, `ins` without surrogate pairs): the fast writer for typing."""
    if not ndel and not ins:
        return f"Z:{format_base36(old_len)}>0$"
    ops = f"|{format_base36(lines)}={format_base36(line_start)}" if lines else ""
    if start > line_start:
        ops += f"={format_base36(start - line_start)}"
    if ndel:
        ops += f"-{format_base36(ndel)}"
    if ins:
        ops += f"{attribs}+{format_base36(len(ins))}"
    growth = len(ins) - ndel
    if growth >= 0:
        return f"Z:{format_base36(old_len)}>{format_base36(growth)}{ops}${ins}"
    return f"Z:{format_base36(old_len)}<{format_base36(-growth)}{ops}${ins}"


def identity(length: int) -> str:
    """Return the changeset that changes nothing in a text of `length` units."""
    return pack(length, length, (), "")


def is_identity(cs: ChangesetLike) -> bool:
    """Return whether `cs` changes neither text nor attributes."""
    parsed = unpack(cs)
    return parsed.old_len == parsed.new_len and not parsed.ops


def check_rep(cs: ChangesetLike, pool: AttributePool | None = None) -> Changeset:
    """Check that `cs` is valid and canonical; return it parsed.

    Valid: the ops add up to the header's lengths, the char bank is consumed exactly,
    each insert's newline count matches its text, and no op splits a surrogate pair.
    Canonical: see assembler.py. With `pool`, every cited attribute must be in it, and
    each op's attributes distinct keys in key order. Raises ChangesetError naming the
    first problem found.
    """
    if isinstance(cs, str):
        parsed, splice = parse_cached(cs)
    else:
        parsed, splice = unpack(cs), None
    if splice is None:
        check_parsed(parsed, pool)
    elif pool is not None and splice.attribs:
        _check_attribs(splice.attribs, pool)
    return parsed


def check_parsed(parsed: Changeset, pool: AttributePool | None = None) -> None:
    """`check_rep` for an already parsed changeset."""
    bank = parsed.char_bank
    bank_ascii = bank.isascii()
    if not bank_ascii:
        utf16.check_no_lone_surrogate(bank, "char bank")
    old_pos = 0
    new_len = 0
    bank_pos = 0
    previous: Op | None = None
    ops = parsed.ops
    for op in ops:
        opcode, chars, lines, attribs = op
        if chars == 0:
            raise ChangesetError(f"op {format_ops([op])!r} has no chars")
        if lines and chars < lines:
            raise ChangesetError(f"op {format_ops([op])!r} spans more newlines than chars")
        if opcode == INSERT:
            if bank_ascii:
                end = bank_pos + chars
                if end > len(bank):
                    raise ChangesetError("char bank is shorter than the inserts need")
            else:
                end = utf16.index(bank, chars, bank_pos)
            text = bank[bank_pos:end]
            if text.count("\n") != lines:
                raise ChangesetError(
                    f"bad newline count: insert {format_ops([op])!r} says {lines}, "
                    f"its text {text[:30]!r} has {text.count(chr(10))}"
                )
            if lines and text[-1] != "\n":
                raise ChangesetError(
                    f"insert {format_ops([op])!r} spans lines but does not end with a newline"
                )
            bank_pos = end
            new_len += chars
        else:
            old_pos += chars
            if opcode == KEEP:
                new_len += chars
        if previous is not None:
            check_neighbours(previous, op)
        if attribs and pool is not None:
            _check_attribs(attribs, pool)
        elif attribs:
            numbers = attrib_numbers(attribs)
            if len(set(numbers)) != len(numbers):
                raise ChangesetError(f"op {format_ops([op])!r} cites an attribute twice")
        previous = op
    if old_pos > parsed.old_len:
        raise ChangesetError(
            f"length mismatch: ops keep and delete {old_pos} units of a {parsed.old_len}-unit text"
        )
    new_len += parsed.old_len - old_pos
    if new_len != parsed.new_len:
        raise ChangesetError(
            f"length mismatch: header says new length {parsed.new_len}, ops give {new_len}"
        )
    if bank_pos != len(bank):
        raise ChangesetError(f"unconsumed char bank: {len(bank) - bank_pos} characters left over")
    if previous is not None and previous.opcode == KEEP and not previous.attribs:
        raise ChangesetError("non-canonical: ends with a plain keep")


def check_neighbours(previous: Op, op: Op) -> None:
    """Raise ChangesetError if two consecutive ops are not in canonical form."""
    if previous.opcode == INSERT and op.opcode == REMOVE:
        raise ChangesetError("non-canonical: a delete follows an insert (deletes go first)")
    if (
        previous.opcode == op.opcode
        and previous.attribs == op.attribs
        and not (previous.lines and not op.lines)
    ):
        raise ChangesetError(
            f"non-canonical: ops {format_ops([previous])!r} and {format_ops([op])!r} "
            "should be merged"
        )


def _check_attribs(attribs: str, pool: AttributePool) -> None:
    keys = []
    for num in attrib_numbers(attribs):
        if not pool.has_attrib(num):
            raise ChangesetError(f"unknown attribute number {format_base36(num)} (not in the pool)")
        keys.append(pool.get_attrib_key(num))
    # strictly ascending, by UTF-16 unit (as Etherpad sorts): sorted and distinct
    if not all(utf16.precedes(before, after) for before, after in pairwise(keys)):
        raise ChangesetError(
            f"non-canonical attributes {attribs!r}: keys must be distinct and sorted"
        )
