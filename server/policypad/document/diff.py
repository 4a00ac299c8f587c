"""diff_html: the change between two revisions as one HTML document with ins/del marks.

The revisions are compared line by line first (a line is a block), then, within a
run of replaced lines, old and new lines are paired in order and compared
character by character; unpaired lines are wholly deleted or inserted. The result
is one merged line form: kept text as it is now, deleted text as it was (marked
`del`), inserted text (marked `ins`). Rendering it puts each mark where its text
lives: a changed table cell is marked inside its cell, a new list item inside its
list.
"""

from __future__ import annotations

import time

from diff_match_patch import diff_match_patch

from policypad.document.lines import Attributes, Line, Run, merge_runs
from policypad.document.render import render_lines

DIFF_SECONDS = 2.0
"""How long a diff may search before settling for a coarser answer."""

_EQUAL, _DELETE, _INSERT = 0, -1, 1


def _line_text(line: Line) -> str:
    return "".join(text for text, _ in line[0])


def _chars(line: Line) -> list[tuple[str, Attributes]]:
    return [(char, attributes) for text, attributes in line[0] for char in text]


def _marked(line: Line, mark: str) -> Line:
    return ([(text, {**attributes, "diff": mark}) for text, attributes in line[0]], line[1])


def _line_diff(
    old: list[Line], new: list[Line], differ: diff_match_patch
) -> list[tuple[int, list[int]]]:
    """Diff the lines as symbols; return (kind, line indices) chunks."""
    symbols: dict[str, str] = {}

    def encode(lines: list[Line]) -> str:
        # one character per distinct line text, so the diff compares whole lines
        return "".join(
            symbols.setdefault(_line_text(line), chr(0x100 + len(symbols))) for line in lines
        )

    old_symbols, new_symbols = encode(old), encode(new)
    chunks = []
    old_index = new_index = 0
    for kind, piece in differ.diff_main(
        old_symbols, new_symbols, False, time.time() + DIFF_SECONDS
    ):
        if kind == _EQUAL:
            chunks.append((kind, list(range(new_index, new_index + len(piece)))))
            old_index += len(piece)
            new_index += len(piece)
        elif kind == _DELETE:
            chunks.append((kind, list(range(old_index, old_index + len(piece)))))
            old_index += len(piece)
        else:
            chunks.append((kind, list(range(new_index, new_index + len(piece)))))
            new_index += len(piece)
    return chunks


def _paired(old: Line, new: Line, differ: diff_match_patch) -> Line:
    old_chars, new_chars = _chars(old), _chars(new)
    diffs = differ.diff_main(_line_text(old), _line_text(new), False, time.time() + DIFF_SECONDS)
    differ.diff_cleanupSemantic(diffs)
    runs: list[Run] = []
    old_position = new_position = 0
    for kind, piece in diffs:
        for _ in piece:
            if kind == _EQUAL:
                runs.append(new_chars[new_position])
                old_position += 1
                new_position += 1
            elif kind == _DELETE:
                char, attributes = old_chars[old_position]
                runs.append((char, {**attributes, "diff": "del"}))
                old_position += 1
            else:
                char, attributes = new_chars[new_position]
                runs.append((char, {**attributes, "diff": "ins"}))
                new_position += 1
    return (merge_runs(runs), new[1])


def diff_lines(old: list[Line], new: list[Line]) -> list[Line]:
    """Return the merged line form of old and new, deleted and inserted text marked."""
    differ = diff_match_patch()
    merged: list[Line] = []
    deleted: list[int] = []
    inserted: list[int] = []

    def flush() -> None:
        pairs = min(len(deleted), len(inserted))
        for index in range(pairs):
            merged.append(_paired(old[deleted[index]], new[inserted[index]], differ))
        merged.extend(_marked(old[index], "del") for index in deleted[pairs:])
        merged.extend(_marked(new[index], "ins") for index in inserted[pairs:])
        deleted.clear()
        inserted.clear()

    for kind, indices in _line_diff(old, new, differ):
        if kind == _EQUAL:
            flush()
            merged.extend(new[index] for index in indices)
        elif kind == _DELETE:
            deleted.extend(indices)
        else:
            inserted.extend(indices)
    flush()
    return merged


def diff_html(old: list[Line], new: list[Line]) -> str:
    """Return HTML showing new with the changes from old marked by <ins> and <del>."""
    return render_lines(diff_lines(old, new))
