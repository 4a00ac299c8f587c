"""Moving a pad from Etherpad with its whole history: every revision, with its author and
time, the authors' names and colors, and the chat.

Etherpad's changesets are PolicyPad's format, byte for byte, but its document model is
not: a list line starts with a line-marker character (`*`, attributes `lmkr`, `list`
such as `bullet2`, `start`, `insertorder`) where PolicyPad puts block attributes on the
line's newline; strike-through is `strikethrough`. So each Etherpad revision is applied
to Etherpad's text, the lines it touched are read into PolicyPad's model, and the
revision stored is the change between PolicyPad's texts before and after it. The text of
every revision is then Etherpad's, less its line markers::

    Etherpad rev r:  apply to Etherpad's AText ─> lines (model) ─> change from rev r-1 ─> store

This module does no I/O: it reads an export (`read_export`) and yields the revisions
(`replay`); `storage` stores them, `web/imports.py` takes the files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from policypad.changeset import AttributePool, apply_to_atext, make_atext, utf16
from policypad.changeset.atext import _parse_line
from policypad.changeset.attributes import attribs_to_pairs
from policypad.changeset.changeset import pack, unpack
from policypad.changeset.diff import changeset_from_atexts
from policypad.changeset.op import KEEP, REMOVE, Op, parse_ops
from policypad.document._sequences import common_ends
from policypad.document.lines import Attributes, Line, Run, lines_to_atext, merge_runs

API_AUTHOR = "a.api"
"""The author of revisions Etherpad's HTTP API made without naming one."""
_INLINE = {
    "bold": "bold", "italic": "italic", "underline": "underline",
    "strikethrough": "strike", "author": "author", "code": "code", "sub": "sub", "sup": "sup",
}  # fmt: skip
# Etherpad's author palette, in its order: an author's `colorId` is an index into it (or,
# once the author picked one, a color itself).
# fmt: off
ETHERPAD_COLORS = (
    "#ffc7c7", "#fff1c7", "#e3ffc7", "#c7ffd5", "#c7ffff", "#c7d5ff", "#e3c7ff", "#ffc7f1",
    "#ffa8a8", "#ffe699", "#cfff9e", "#99ffb3", "#a3ffff", "#99b3ff", "#cc99ff", "#ff99e5",
    "#e7b1b1", "#e9dcaf", "#cde9af", "#bfedcc", "#b1e7e7", "#c3cdee", "#d2b8ea", "#eec3e6",
    "#e9cece", "#e7e0ca", "#d3e5c7", "#bce1c5", "#c1e2e2", "#c1c9e2", "#cfc1e2", "#e0bdd9",
    "#baded3", "#a0f8eb", "#b1e7e0", "#c3c8e4", "#cec5e2", "#b1d5e7", "#cda8f0", "#f0f0a8",
    "#f2f2a6", "#f5a8eb", "#c5f9a9", "#ececbb", "#e7c4bc", "#daf0b2", "#b0a0fd", "#bce2e7",
    "#cce2bb", "#ec9afe", "#edabbd", "#aeaeea", "#c4e7b1", "#d722bb", "#f3a5e7", "#ffa8a8",
    "#d8c0c5", "#eaaedd", "#adc6eb", "#bedad1", "#dee9af", "#e9afc2", "#f8d2a0", "#b3b3e6",
)
# fmt: on
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_HEADINGS = {f"h{n}": str(n) for n in range(1, 7)}
_ALIGNMENTS = frozenset({"center", "right", "justify"})


@dataclass(frozen=True)
class EtherpadRevision:
    changeset: str
    author: str
    time_ms: int


@dataclass
class EtherpadPad:
    """What an `.etherpad` export holds."""

    pad_id: str
    pool: AttributePool
    revisions: list[EtherpadRevision]
    authors: dict[str, dict[str, Any]] = field(default_factory=dict)
    """author id -> {"name", "colorId"}."""
    chat: list[dict[str, Any]] = field(default_factory=list)
    """{"text", "time", "author", "name"}, in order."""


def read_export(raw: bytes | str) -> EtherpadPad:
    """Read Etherpad's own export (`GET /p/<pad>/export/etherpad`). Raises ValueError
    saying what is missing or malformed."""
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:
        raise ValueError(f"not an Etherpad export: not JSON ({error})") from None
    if not isinstance(data, dict):
        raise ValueError("not an Etherpad export: not a JSON object")
    pads = [key for key in data if key.startswith("pad:") and key.count(":") == 1]
    if len(pads) != 1 or not isinstance(data[pads[0]], dict):
        raise ValueError("not an Etherpad export: it must hold exactly one pad:<id> record")
    pad_id = pads[0][4:]
    record = data[pads[0]]
    try:
        pool = AttributePool.from_jsonable(record["pool"])
        head = int(record["head"])
        revisions = []
        for rev in range(head + 1):
            entry = data[f"pad:{pad_id}:revs:{rev}"]
            meta = entry.get("meta") or {}
            revisions.append(EtherpadRevision(
                str(entry["changeset"]), str(meta.get("author") or "") or API_AUTHOR,
                int(meta.get("timestamp") or 0),
            ))  # fmt: skip
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"not an Etherpad export: {type(error).__name__} {error}") from None
    authors = {
        key.split(":", 1)[1]: {"name": str(value.get("name") or ""),
                               "colorId": value.get("colorId")}
        for key, value in data.items()
        if key.startswith("globalAuthor:") and isinstance(value, dict)
    }  # fmt: skip
    chat = []
    number = 0
    while f"pad:{pad_id}:chat:{number}" in data:
        entry = data[f"pad:{pad_id}:chat:{number}"]
        chat.append({
            "text": str(entry.get("text") or ""), "time": int(entry.get("time") or 0),
            "author": str(entry.get("userId") or "") or API_AUTHOR,
            "name": str(entry.get("userName") or ""),
        })  # fmt: skip
        number += 1
    return EtherpadPad(pad_id, pool, revisions, authors, chat)


def author_color(color_id: object) -> str | None:
    """The color an Etherpad author had: `colorId` as a palette index or a #rrggbb
    color; None when it is neither."""
    if isinstance(color_id, int) and not isinstance(color_id, bool):
        return ETHERPAD_COLORS[color_id] if 0 <= color_id < len(ETHERPAD_COLORS) else None
    if isinstance(color_id, str) and _COLOR.fullmatch(color_id):
        return color_id.lower()
    return None


@dataclass(frozen=True)
class Replayed:
    """One Etherpad revision as PolicyPad stores it."""

    revision: EtherpadRevision
    changeset: str
    """PolicyPad's change (citing the pool given to `replay`)."""
    lines: list[Line]
    """PolicyPad's document after it, in line form (`lines_to_atext` makes its AText)."""


def replay(pad: EtherpadPad, pool: AttributePool) -> Iterator[Replayed]:
    """Yield each Etherpad revision with PolicyPad's changeset for it (citing `pool`) and
    PolicyPad's document after it. Revision 0 applies to a new pad's "\\n", as in
    Etherpad. Raises ValueError if a changeset does not apply (the export is damaged).

    A revision changes a few lines of a long document: only the stretch of lines that
    differs from the revision before (after list numbering, which can reach past the
    edit) is diffed, so a long history replays in time linear in its revisions."""
    etherpad = make_atext("\n")
    ours: list[Line] = [([], {})]
    lengths = [1]  # UTF-16 units of each of our lines, its newline included
    converted: dict[tuple[str, str], Line] = {}
    for rev, revision in enumerate(pad.revisions):
        try:
            etherpad = apply_to_atext(revision.changeset, etherpad, pad.pool)
        except ValueError as error:
            raise ValueError(f"Etherpad revision {rev} does not apply: {error}") from None
        lines = _list_starts([
            _line(text, attribution, pad.pool, converted)
            for text, attribution in zip(
                etherpad.text.split("\n")[:-1], etherpad.attribution_lines(), strict=True
            )
        ])  # fmt: skip
        start, old_end, new_end = _changed_stretch(ours, lines)
        new_lengths = [_units(line) for line in lines[start:new_end]]
        changeset = _stretch_changeset(
            sum(lengths[:start]), start, ours[start:old_end], lines[start:new_end],
            sum(lengths), sum(lengths[start:old_end]), sum(new_lengths), pool,
        )  # fmt: skip
        lengths[start:old_end] = new_lengths
        ours = lines
        yield Replayed(revision, changeset, lines)


def _changed_stretch(old: list[Line], new: list[Line]) -> tuple[int, int, int]:
    """(start, old end, new end): the lines of `old` and `new` between their common
    beginning and their common ending."""
    start, end = common_ends(old, new)
    return start, len(old) - end, len(new) - end


def _units(line: Line) -> int:
    return sum(utf16.length(text) for text, _ in line[0]) + 1


def _stretch_changeset(
    before_units: int,
    before_lines: int,
    old: list[Line],
    new: list[Line],
    old_len: int,
    old_units: int,
    new_units: int,
    pool: AttributePool,
) -> str:
    """The changeset that replaces whole lines `old` by `new` after the first
    `before_lines` lines (`before_units` long) of a text `old_len` long."""
    keep = [Op(KEEP, before_units, before_lines, "")] if before_units else []
    new_len = old_len - old_units + new_units
    if not old and not new:
        return pack(old_len, new_len, [], "")
    if not old:
        inserted = lines_to_atext(new, pool)
        return pack(old_len, new_len, keep + parse_ops(inserted.attribs), inserted.text)
    if not new:
        return pack(old_len, new_len, [*keep, Op(REMOVE, old_units, len(old), "")], "")
    stretch = unpack(
        changeset_from_atexts(lines_to_atext(old, pool), lines_to_atext(new, pool), pool)
    )
    return pack(old_len, new_len, keep + list(stretch.ops), stretch.char_bank)


def _line(
    text: str, attribution: str, pool: AttributePool, cache: dict[tuple[str, str], Line]
) -> Line:
    """One Etherpad line (without its newline) in PolicyPad's line form; remembered, since
    a revision leaves nearly every line as it was."""
    key = (text, attribution)
    known = cache.get(key)
    if known is not None:
        return known
    runs: list[Run] = []
    block: Attributes = {}
    position = 0
    for op in _parse_line(attribution):
        pairs = dict(attribs_to_pairs(op.attribs, pool)) if op.attribs else {}
        chars = op.chars - (1 if op.lines else 0)
        piece = text[position : position + chars] if chars else ""
        position += chars
        if not piece:
            continue
        if pairs.get("lmkr") and not runs and position == chars:
            block = _block(pairs)
            piece = piece[1:]  # the marker itself is no text
            if not piece:
                continue
        inline = {_INLINE[key]: value for key, value in pairs.items() if key in _INLINE and value}
        runs.append((piece, inline))
    line: Line = (merge_runs(runs), block)
    if len(cache) > 100_000:
        cache.clear()
    cache[key] = line
    return line


def _list_starts(lines: list[Line]) -> list[Line]:
    """Keep a numbered item's start only where it opens a top-level list. Etherpad's
    client writes `start` on every numbered item (its place in the list, and in a nested
    list the number of the item it is in: "2.1"); PolicyPad's model holds it on the
    first item of a list only, as a list starting at another number than 1."""
    open_lists: dict[int, str] = {}  # level -> list type open at it
    out: list[Line] = []
    for runs, block in lines:
        kind = block.get("list")
        if kind is None:
            open_lists.clear()
            out.append((runs, block))
            continue
        level = int(block.get("indent", "1"))
        for deeper in [known for known in open_lists if known > level]:
            del open_lists[deeper]
        continues = open_lists.get(level) == kind
        open_lists[level] = kind
        if (continues or level > 1) and "start" in block:
            block = {key: value for key, value in block.items() if key != "start"}
        out.append((runs, block))
    return out


def _block(marker: dict[str, str]) -> Attributes:
    """PolicyPad's block attributes for the attributes of an Etherpad line marker."""
    block: Attributes = {}
    kind = marker.get("list", "")
    for prefix, name in (("bullet", "bullet"), ("number", "number"), ("indent", "bullet")):
        if kind.startswith(prefix) and kind[len(prefix) :].isdigit():
            block["list"] = name
            level = min(int(kind[len(prefix) :]), 8)
            if level > 1:
                block["indent"] = str(level)
    start = marker.get("start", "")
    if block.get("list") == "number" and start.isdigit() and int(start) > 1:
        block["start"] = str(int(start))
    heading = _HEADINGS.get(marker.get("heading", ""))
    if heading is not None:
        block["heading"] = heading
    if marker.get("align") in _ALIGNMENTS:
        block["align"] = marker["align"]
    return block
