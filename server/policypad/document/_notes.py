"""What a reader is shown of a merged document's marks (changes.py): the old attributes
as the old revision showed them, and notes in words ("Formatted: Bold").

Everything is checked as render checks it: an old link that would not render is left
out, like a host attribute whose name is not safe. Render (render.py) escapes and writes
these. Twin of client/js/document/notes.js, in the same words.
"""

from __future__ import annotations

import re

from policypad.document.changes import DIFF_BEFORE, TABLE_IDS, decode_attributes
from policypad.document.lines import Attributes
from policypad.document.schema import (
    BLOCK_KEYS,
    EXTRA_PREFIX,
    INLINE_FLAGS,
    is_safe_attribute_name,
    render_link,
)

_FLAG_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strike": "Strikethrough",
    "code": "Code",
    "sub": "Subscript",
    "sup": "Superscript",
}
_ALIGNMENTS = {"center": "centered", "right": "right-aligned", "justify": "justified"}
_HEADING = re.compile(r"[1-6]")
_SHOWN_BLOCK_KEYS = BLOCK_KEYS - set(TABLE_IDS)


def _is_extra(key: str, value: str) -> bool:
    return key.startswith(EXTRA_PREFIX) and bool(value) and is_safe_attribute_name(key[1:])


def shown_inline(attributes: Attributes) -> Attributes:
    """The inline attributes render shows (links checked again; no author, no embed)."""
    shown: Attributes = {}
    for key, value in attributes.items():
        if key in _FLAG_NAMES:
            if value == "true":
                shown[key] = value
        elif key == "link":
            link = render_link(value)
            if link is not None:
                shown[key] = link
        elif (key == "class" and value) or _is_extra(key, value):
            shown[key] = value
    return shown


def shown_block(block: Attributes) -> Attributes:
    """The block attributes render shows, without table ids (a reader sees no ids)."""
    return {
        key: value
        for key, value in block.items()
        if (key in _SHOWN_BLOCK_KEYS and value) or _is_extra(key, value)
    }


def old_attributes(attributes: Attributes) -> Attributes:
    """The old attributes of a run or line in both revisions (``diff-before``)."""
    return decode_attributes(attributes.get(DIFF_BEFORE)) or {}


def _change(old: str | None, new: str | None, name: str) -> str:
    if old is None:
        return f"{name} {new}"
    if new is None:
        return f"No {name.lower()} (was {old})"
    return f"{name} {new} (was {old})"


def format_note(old: Attributes, new: Attributes) -> str:
    """A reader's note on a formatting change: "Formatted: Bold, Not italic"."""
    notes = []
    for flag in INLINE_FLAGS:
        if (flag in old) != (flag in new):
            name = _FLAG_NAMES[flag]
            notes.append(name if flag in new else f"Not {name.lower()}")
    for key, name in (("link", "Link"), ("class", "Class")):
        if old.get(key) != new.get(key):
            notes.append(_change(old.get(key), new.get(key), name))
    extras = sorted({k for k in old.keys() | new.keys() if k.startswith(EXTRA_PREFIX)})
    for key in extras:
        if old.get(key) != new.get(key):
            notes.append(_change(old.get(key), new.get(key), key[1:]))
    return "Formatted: " + ", ".join(notes) if notes else "Formatted"


def describe_block(block: Attributes) -> str:
    """A reader's words for a line's block: "Numbered list item, level 2, centered"."""
    parts = []
    if "list" in block:
        parts.append("Numbered list item" if block["list"] == "number" else "Bulleted list item")
    heading = block.get("heading")
    if heading is not None and _HEADING.fullmatch(heading):
        parts.append(f"Heading {heading}")
    if block.get("pre") == "true":
        parts.append("Preformatted")
    if not parts:
        parts.append("Paragraph")
    if "list" in block and block.get("indent", "1") != "1":
        parts.append(f"level {block['indent']}")
    if "start" in block:
        parts.append(f"starting at {block['start']}")
    if block.get("quote") == "true":
        parts.append("quoted")
    if block.get("align") in _ALIGNMENTS:
        parts.append(_ALIGNMENTS[block["align"]])
    if block.get("bclass"):
        parts.append(f"class {block['bclass']}")
    if "table" in block:
        parts.append("in a table")
    for key, words in (("th", "header cell"), ("head", "header row")):
        if block.get(key) == "true":
            parts.append(words)
    for key in ("colspan", "rowspan"):
        if key in block:
            parts.append(f"{key} {block[key]}")
    parts.extend(
        f"{key[1:]} {value}" for key, value in sorted(block.items()) if _is_extra(key, value)
    )
    return ", ".join(parts)
