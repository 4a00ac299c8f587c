"""A new pad: its id's form, and revision 0 (the changeset from an empty pad to its first
document)."""

from __future__ import annotations

import re

from policypad.changeset import AText, Builder, utf16
from policypad.changeset.op import parse_ops

PAD_ID = re.compile(r"[A-Za-z0-9_.\-]{1,100}")
"""A pad id: 1 to 100 letters, digits, '_', '-' or '.' (it appears in URLs and paths)."""


def is_pad_id(value: object) -> bool:
    """Whether `value` is a valid pad id."""
    return isinstance(value, str) and PAD_ID.fullmatch(value) is not None


def initial_changeset(atext: AText) -> str:
    """The changeset that turns a new pad's "\\n" into `atext` (revision 0), attributes
    included."""
    builder = Builder(1).remove(1, 1)
    position = 0
    for op in parse_ops(atext.attribs):
        end = utf16.index(atext.text, op.chars, position)
        builder.insert(atext.text[position:end], op.attribs or None)
        position = end
    return builder.to_string()
