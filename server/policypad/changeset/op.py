"""One operation of a changeset or attribution, and the ops string syntax.

An op is ``[*attrib]...[|lines]<opcode><chars>``, numbers in base 36::

    *0*1|2=1c    keep 48 units spanning 2 newlines, setting attributes 0 and 1
    -5           delete 5 units
    *3+2         insert 2 units (from the char bank) with attribute 3

`chars` counts UTF-16 code units; `lines` counts the newlines the op spans, and an
op with lines > 0 ends with a newline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from policypad.changeset._base36 import format_base36
from policypad.errors import ChangesetError

KEEP = "="
REMOVE = "-"
INSERT = "+"

# A number is "0" or has no leading zero, so every value has one spelling.
_NUM = r"(?:0|[1-9a-z][0-9a-z]*)"
_OP = rf"((?:\*{_NUM})*)(?:\|([1-9a-z][0-9a-z]*))?([-+=])({_NUM})"
_OP_RE = re.compile(_OP)
_OPS_RE = re.compile(rf"(?:{_OP})*")
_ATTRIB_NUM_RE = re.compile(r"\*([0-9a-z]+)")


class Op(NamedTuple):
    """One operation: opcode ('=', '-', '+'), chars, lines, attribs (like ``*0*3``)."""

    opcode: str
    chars: int
    lines: int = 0
    attribs: str = ""


def parse_ops(text: str) -> list[Op]:
    """Parse an ops string into Ops; ChangesetError on any syntax error."""
    if _OPS_RE.fullmatch(text) is None:
        raise ChangesetError(f"malformed ops {_excerpt(text)!r}")
    new = tuple.__new__  # NamedTuple's own __new__ is a slow Python function
    return [
        new(Op, (opcode, int(chars, 36), int(lines, 36) if lines else 0, attribs))
        for attribs, lines, opcode, chars in _OP_RE.findall(text)
    ]


def format_op(op: Op) -> str:
    """Return the ops-string spelling of one op."""
    opcode, chars, lines, attribs = op
    if lines:
        return f"{attribs}|{format_base36(lines)}{opcode}{format_base36(chars)}"
    return f"{attribs}{opcode}{format_base36(chars)}"


def format_ops(ops: Iterable[Op]) -> str:
    """Return the ops string of a sequence of ops."""
    return "".join(map(format_op, ops))


def attrib_numbers(attribs: str) -> list[int]:
    """Return the pool numbers cited by an attribs string like ``*0*1c``."""
    return [int(num, 36) for num in _ATTRIB_NUM_RE.findall(attribs)]


def _excerpt(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
