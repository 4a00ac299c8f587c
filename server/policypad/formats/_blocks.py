"""The document's lines as the blocks a word processor writes: paragraphs, and tables laid
out on a grid (a merged cell covers several grid places). Shared by the DOCX and ODT
writers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from policypad.document.lines import Attributes, Line, Run
from policypad.document.schema import EMBED_CHAR

ALIGNMENTS = frozenset({"center", "right", "justify"})
MAX_SPAN = 1000
"""A span larger than this is taken as this: a table's grid is built in memory."""


@dataclass
class Cell:
    lines: list[Line]
    block: Attributes
    row: int
    column: int
    columns: int = 1
    rows: int = 1


@dataclass
class Table:
    cells: list[Cell] = field(default_factory=list)
    header_rows: int = 0
    """How many rows at the top are header rows (repeated on every page)."""
    row_count: int = 0
    column_count: int = 0


def _span(block: Attributes, key: str) -> int:
    value = block.get(key, "")
    return min(int(value), MAX_SPAN) if value.isdigit() and int(value) > 1 else 1


def blocks(lines: list[Line]) -> Iterator[Line | Table]:
    """Lines outside tables as they are, and each table as one Table."""
    index = 0
    while index < len(lines):
        table_id = lines[index][1].get("table")
        if not table_id:
            yield lines[index]
            index += 1
            continue
        end = index
        while end < len(lines) and lines[end][1].get("table") == table_id:
            end += 1
        yield _table(lines[index:end])
        index = end


def _table(lines: list[Line]) -> Table:
    rows: list[list[list[Line]]] = []
    last_row = last_cell = None
    for line in lines:
        block = line[1]
        if block.get("row") != last_row or not rows:
            rows.append([])
            last_row, last_cell = block.get("row"), None
        if block.get("cell") != last_cell or not rows[-1]:
            rows[-1].append([])
            last_cell = block.get("cell")
        rows[-1][-1].append(line)
    table = Table()
    taken: set[tuple[int, int]] = set()
    for row_number, row in enumerate(rows):
        column = 0
        if all(cell[0][1].get("head") for cell in row) and row_number == table.header_rows:
            table.header_rows += 1
        for cell_lines in row:
            while (row_number, column) in taken:
                column += 1
            block = cell_lines[0][1]
            cell = Cell(cell_lines, block, row_number, column,
                        _span(block, "colspan"), _span(block, "rowspan"))  # fmt: skip
            cell.rows = min(cell.rows, len(rows) - row_number)
            for down in range(cell.rows):
                for across in range(cell.columns):
                    taken.add((row_number + down, column + across))
            table.cells.append(cell)
            column += cell.columns
        table.column_count = max(table.column_count, column)
    table.row_count = len(rows)
    table.column_count = max([table.column_count, *(c + 1 for _, c in taken)])
    return table


def is_rule(runs: list[Run]) -> bool:
    """Whether a line is a horizontal rule (one hr embed alone)."""
    return len(runs) == 1 and runs[0][0] == EMBED_CHAR and runs[0][1].get("embed") == "hr"


def pixels(value: str | None) -> int | None:
    """An image's width or height in CSS pixels, if it has a sensible one."""
    if value and value.isdigit() and 0 < int(value) <= 20_000:
        return int(value)
    return None


def split_embeds(text: str, attributes: Attributes) -> Iterator[tuple[str, Attributes]]:
    """A run as pieces: text, and each embed character on its own."""
    if EMBED_CHAR not in text or "embed" not in attributes:
        yield text, attributes
        return
    for character in text:
        yield character, attributes


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """`text` escaped for XML, less the characters XML 1.0 cannot hold at all."""
    return escape(_NOT_XML.sub("", text), {'"': "&quot;"})
