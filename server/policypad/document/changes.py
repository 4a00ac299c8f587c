"""The marks of a merged document (what `diff_lines` builds), and its two views.

A merged document is in the line form (lines.py) and holds both revisions at once. Two
attributes, on runs and on lines, say which revision a piece belongs to:

- ``diff``: on a run ``ins`` (only in the new revision), ``del`` (only in the old) or
  ``format`` (in both, formatted differently); on a line ``ins``, ``del`` or ``block``
  (in both, with other block attributes);
- ``diff-before``: on a run or line that is in both revisions, the old attributes as
  canonical JSON, whenever they differ from the ones it carries (a ``format`` or ``block``
  mark, or a change nobody sees: another author, renumbered table ids). On a deleted line
  whose table ids were renumbered to sit in the merged table, the old block attributes.

The attributes a run or line carries without the marks are the new ones (the old ones on a
deleted line or run). So `accept_lines` drops what is deleted and the marks, and
`reject_lines` drops what is inserted and puts the ``diff-before`` attributes back:

    accept_lines(diff_lines(old, new)) == new
    reject_lines(diff_lines(old, new)) == old
"""

from __future__ import annotations

import json

from policypad.document.lines import Attributes, Line, merge_runs

DIFF = "diff"
DIFF_BEFORE = "diff-before"
INSERTED, DELETED, FORMATTED, REBLOCKED = "ins", "del", "format", "block"
MARK_KEYS = frozenset({DIFF, DIFF_BEFORE})

INVISIBLE_INLINE_KEYS = frozenset({"author"})
"""Inline keys whose change alone is not marked: who typed a word is not a change to it."""

TABLE_IDS = ("table", "row", "cell")
"""Block keys compared by presence only: ids are renumbered whenever a table changes."""


def encode_attributes(attributes: Attributes) -> str:
    """Return attributes as canonical JSON: keys sorted by code point, no spaces."""
    return json.dumps(
        {key: attributes[key] for key in sorted(attributes)},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode_attributes(text: str | None) -> Attributes | None:
    """Return the attributes `encode_attributes` wrote, or None if `text` is not such."""
    if not isinstance(text, str):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        return None
    return value


def without_marks(attributes: Attributes) -> Attributes:
    """Return `attributes` without ``diff`` and ``diff-before``."""
    if DIFF not in attributes and DIFF_BEFORE not in attributes:
        return attributes
    return {key: value for key, value in attributes.items() if key not in MARK_KEYS}


def is_visible_inline_change(old: Attributes, new: Attributes) -> bool:
    """Whether two runs' attributes differ in a key a reader sees (not the author)."""
    keys = (old.keys() | new.keys()) - INVISIBLE_INLINE_KEYS
    return any(old.get(key) != new.get(key) for key in keys)


def visible_block(block: Attributes) -> Attributes:
    """The block attributes a reader sees: table ids only as being in a table, row, cell;
    not the author of the newline (pressing Enter at a line's end makes it the typist's,
    which changes nothing a reader sees in that line)."""
    return {
        key: ("" if key in TABLE_IDS else value)
        for key, value in block.items()
        if key not in INVISIBLE_INLINE_KEYS
    }


def is_visible_block_change(old: Attributes, new: Attributes) -> bool:
    """Whether two lines' block attributes differ in more than the table ids and author."""
    return visible_block(old) != visible_block(new)


def accept_lines(merged: list[Line]) -> list[Line]:
    """Return the new revision of a merged document: deletions dropped, marks removed."""
    out: list[Line] = []
    for runs, block in merged:
        if block.get(DIFF) == DELETED:
            continue
        kept = [(text, without_marks(attrs)) for text, attrs in runs if attrs.get(DIFF) != DELETED]
        out.append((merge_runs(kept), without_marks(block)))
    return out


def reject_lines(merged: list[Line]) -> list[Line]:
    """Return the old revision of a merged document: insertions dropped, old attributes back."""
    out: list[Line] = []
    for runs, block in merged:
        if block.get(DIFF) == INSERTED:
            continue
        kept = [(text, _before(attrs)) for text, attrs in runs if attrs.get(DIFF) != INSERTED]
        out.append((merge_runs(kept), _before(block)))
    return out


def _before(attributes: Attributes) -> Attributes:
    if DIFF_BEFORE in attributes:
        before = decode_attributes(attributes[DIFF_BEFORE])
        if before is not None:
            return before
    return without_marks(attributes)
