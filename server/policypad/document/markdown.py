"""Markdown in (through markdown-it's CommonMark HTML, then parse) and out."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from policypad.document.lines import Attributes, Line
from policypad.document.parse import parse_html
from policypad.document.schema import DEFAULT_SCHEMA, EMBED_CHAR, Schema

# Raw HTML in Markdown is not rendered: it would bypass nothing (parse sanitizes),
# but Markdown authors expect their text, tags included, to stay text.
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def lines_from_markdown(markdown: str, schema: Schema = DEFAULT_SCHEMA) -> list[Line]:
    """Return the lines of a Markdown (CommonMark, with tables and strikethrough) text."""
    return parse_html(_MARKDOWN.render(markdown), schema)


def lines_to_markdown(lines: list[Line]) -> str:
    """Return Markdown for `lines`. Tables become GitHub-style tables; what Markdown
    cannot say (underline, alignment, classes, colours) is left out. The lines'
    attributes must be the model's (`Document.to_markdown` checks them first): a heading
    level or list start is written as it is."""
    out: list[str] = []
    index = 0
    previous_kind = None
    while index < len(lines):
        runs, block = lines[index]
        if "table" in block:
            end = index
            while end < len(lines) and lines[end][1].get("table") == block["table"]:
                end += 1
            _table(lines[index:end], out, previous_kind)
            previous_kind = "table"
            index = end
            continue
        kind = "list" if "list" in block else "pre" if block.get("pre") else "block"
        if previous_kind is not None and not (kind == previous_kind and kind in ("list", "pre")):
            out.append("")
        prefix = "> " if block.get("quote") else ""
        if kind == "pre":
            if previous_kind != "pre":
                out.append(prefix + "```")
            out.append(prefix + "".join(text for text, _ in runs))
            if index + 1 >= len(lines) or not lines[index + 1][1].get("pre"):
                out.append(prefix + "```")
        elif kind == "list":
            level = int(block.get("indent", "1"))
            marker = f"{block.get('start', '1')}." if block["list"] == "number" else "-"
            out.append(prefix + "  " * (level - 1) * 2 + f"{marker} " + _inline(runs))
        elif len(runs) == 1 and runs[0][1].get("embed") == "hr":
            out.append(prefix + "---")
        elif "heading" in block:
            out.append(prefix + "#" * int(block["heading"]) + " " + _inline(runs))
        else:
            out.append(prefix + _inline(runs))
        previous_kind = kind
        index += 1
    return "\n".join(out).rstrip("\n") + "\n"


def _table(lines: list[Line], out: list[str], previous_kind: str | None) -> None:
    if previous_kind is not None:
        out.append("")
    rows: list[list[str]] = []
    row_id = cell_id = None
    for runs, block in lines:
        if block.get("row") != row_id:
            rows.append([])
            row_id, cell_id = block.get("row"), None
        text = _inline(runs).replace("|", "\\|")
        if block.get("cell") != cell_id:
            rows[-1].append(text)
            cell_id = block.get("cell")
        else:
            rows[-1][-1] += "<br>" + text
    width = max(len(row) for row in rows)
    for number, row in enumerate(rows):
        cells = row + [""] * (width - len(row))
        out.append("| " + " | ".join(cells) + " |")
        if number == 0:
            out.append("|" + "---|" * width)


_UNSAFE_IN_DESTINATION = re.compile(r"[\x00-\x20()<>\\\x7f]")


def _destination(url: str) -> str:
    """A link or image target that stays one Markdown destination: spaces, brackets
    and control characters percent-encoded (a URL means the same either way)."""
    return _UNSAFE_IN_DESTINATION.sub(lambda match: f"%{ord(match.group()):02X}", url)


def _inline(runs: list[tuple[str, Attributes]]) -> str:
    pieces: list[str] = []
    for text, attributes in runs:
        kind = attributes.get("embed")
        if kind == "br":
            pieces.append("\\\n" * len(text))
            continue
        if kind == "image":
            alt = _SPECIAL.sub(r"\\\1", attributes.get("alt", ""))
            pieces.append(f"![{alt}]({_destination(attributes.get('src', ''))})" * len(text))
            continue
        if kind is not None or text == EMBED_CHAR:
            continue
        if attributes.get("code") == "true":
            piece = f"`{text}`"
        else:
            piece = _SPECIAL.sub(r"\\\1", text)
        if attributes.get("bold") == "true":
            piece = f"**{piece}**"
        if attributes.get("italic") == "true":
            piece = f"*{piece}*"
        if attributes.get("strike") == "true":
            piece = f"~~{piece}~~"
        if "link" in attributes:
            piece = f"[{piece}]({_destination(attributes['link'])})"
        pieces.append(piece)
    return "".join(pieces)
