"""Render: the document's lines -> well-formed, escaped HTML.

The rules are docs/document-model.md's, shared with the JavaScript twin. Lines
are grouped outermost first: tables (by table, row and cell id), blockquotes,
lists (nested by indent); whatever order concurrent edits left the lines in, the
output is well-formed, and every text and attribute value is escaped.
"""

from __future__ import annotations

from policypad.document.lines import Attributes, Line
from policypad.document.schema import EMBED_CHAR

_INLINE_ORDER = (
    ("bold", "strong"),
    ("italic", "em"),
    ("underline", "u"),
    ("strike", "s"),
    ("code", "code"),
    ("sub", "sub"),
    ("sup", "sup"),
)
_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\u00a0": "&nbsp;"}
)


def escape(text: str) -> str:
    """Escape text or an attribute value for HTML."""
    return text.translate(_ESCAPES)


def render_lines(lines: list[Line], *, authors: bool = False) -> str:
    """Return the HTML of `lines` (see the module docstring)."""
    out: list[str] = []
    _render_tables(lines, out, authors)
    return "".join(out)


def _runs_of(lines: list[Line], key: str) -> list[tuple[str | None, list[Line]]]:
    """Split lines into consecutive runs by the value of block attribute `key`."""
    groups: list[tuple[str | None, list[Line]]] = []
    for line in lines:
        value = line[1].get(key)
        if groups and groups[-1][0] == value:
            groups[-1][1].append(line)
        else:
            groups.append((value, [line]))
    return groups


def _render_tables(lines: list[Line], out: list[str], authors: bool) -> None:
    for table, group in _runs_of(lines, "table"):
        if table is None:
            _render_quotes(group, out, authors)
            continue
        out.append("<table>")
        rows = _runs_of(group, "row")
        head_rows = 0
        while head_rows < len(rows) and rows[head_rows][1][0][1].get("head") == "true":
            head_rows += 1
        if head_rows:
            out.append("<thead>")
            _render_rows(rows[:head_rows], out, authors)
            out.append("</thead>")
        if head_rows < len(rows):
            out.append("<tbody>")
            _render_rows(rows[head_rows:], out, authors)
            out.append("</tbody>")
        out.append("</table>")


def _render_rows(rows: list[tuple[str | None, list[Line]]], out: list[str], authors: bool) -> None:
    for _, row in rows:
        out.append("<tr>")
        for _, cell in _runs_of(row, "cell"):
            first = cell[0][1]
            tag = "th" if first.get("th") == "true" else "td"
            spans = "".join(
                f' {span}="{escape(first[span])}"'
                for span in ("colspan", "rowspan")
                if span in first
            )
            out.append(f"<{tag}{spans}>")
            _render_quotes(cell, out, authors)
            out.append(f"</{tag}>")
        out.append("</tr>")


def _render_quotes(lines: list[Line], out: list[str], authors: bool) -> None:
    for quote, group in _runs_of(lines, "quote"):
        if quote is not None:
            out.append("<blockquote>")
        _render_lists(group, out, authors)
        if quote is not None:
            out.append("</blockquote>")


def _render_lists(lines: list[Line], out: list[str], authors: bool) -> None:
    index = 0
    while index < len(lines):
        if "list" in lines[index][1]:
            end = index
            while end < len(lines) and "list" in lines[end][1]:
                end += 1
            _render_list_run(lines[index:end], out, authors)
            index = end
            continue
        runs, block = lines[index]
        if block.get("pre") == "true":
            end = index
            while (
                end < len(lines)
                and lines[end][1].get("pre") == "true"
                and "list" not in lines[end][1]
            ):
                end += 1
            texts = [_render_inline(line[0], authors) for line in lines[index:end]]
            out.append(f"<pre{_block_attributes(block)}>\n" + "\n".join(texts) + "\n</pre>")
            index = end
            continue
        if len(runs) == 1 and runs[0][0] == EMBED_CHAR and runs[0][1].get("embed") == "hr":
            out.append("<hr>")
        else:
            tag = f"h{block['heading']}" if "heading" in block else "p"
            out.append(f"<{tag}{_block_attributes(block)}>{_line_content(runs, authors)}</{tag}>")
        index += 1


def _render_list_run(lines: list[Line], out: list[str], authors: bool) -> None:
    # open lists: [tag, level, li_open]
    stack: list[list] = []
    for runs, block in lines:
        tag = "ol" if block["list"] == "number" else "ul"
        level = _level(block)
        while stack and stack[-1][1] > level:
            _close(stack, out)
        if stack and stack[-1][1] == level and stack[-1][0] != tag:
            _close(stack, out)
        if stack and stack[-1][1] == level:
            if stack[-1][2]:
                out.append("</li>")
        else:
            current = stack[-1][1] if stack else 0
            while current < level:
                current += 1
                if stack and not stack[-1][2]:
                    out.append("<li>")
                    stack[-1][2] = True
                start = block.get("start") if current == level and tag == "ol" else None
                out.append(f'<{tag} start="{escape(start)}">' if start else f"<{tag}>")
                stack.append([tag, current, False])
        content = _line_content(runs, authors)
        if "heading" in block:
            content = f"<h{block['heading']}>{content}</h{block['heading']}>"
        out.append(f"<li{_block_attributes(block)}>{content}")
        stack[-1][2] = True
    while stack:
        _close(stack, out)


def _close(stack: list[list], out: list[str]) -> None:
    tag, _, li_open = stack.pop()
    if li_open:
        out.append("</li>")
    out.append(f"</{tag}>")


def _level(block: Attributes) -> int:
    try:
        return max(1, min(int(block.get("indent", "1")), 8))
    except ValueError:
        return 1


def _block_attributes(block: Attributes) -> str:
    parts = ""
    if "bclass" in block:
        parts += f' class="{escape(block["bclass"])}"'
    if "align" in block:
        parts += f' style="text-align: {escape(block["align"])}"'
    return parts


def _line_content(runs: list[tuple[str, Attributes]], authors: bool) -> str:
    html = _render_inline(runs, authors)
    if not runs or (runs[-1][0].endswith(EMBED_CHAR) and runs[-1][1].get("embed") == "br"):
        html += "<br>"
    return html


def _render_inline(runs: list[tuple[str, Attributes]], authors: bool) -> str:
    out: list[str] = []
    for text, attributes in runs:
        if "embed" in attributes:
            inner = "".join(_embed(attributes) for _ in text)
        else:
            inner = escape(text)
        for key, tag in reversed(_INLINE_ORDER):
            if attributes.get(key) == "true":
                inner = f"<{tag}>{inner}</{tag}>"
        if "class" in attributes:
            inner = f'<span class="{escape(attributes["class"])}">{inner}</span>'
        if authors and "author" in attributes:
            inner = f'<span data-author="{escape(attributes["author"])}">{inner}</span>'
        if "link" in attributes:
            inner = f'<a href="{escape(attributes["link"])}">{inner}</a>'
        mark = attributes.get("diff")
        if mark in ("ins", "del"):
            # only diff_html's merged documents carry this key
            inner = f"<{mark}>{inner}</{mark}>"
        out.append(inner)
    return "".join(out)


def _embed(attributes: Attributes) -> str:
    kind = attributes.get("embed")
    if kind == "image":
        parts = "".join(
            f' {name}="{escape(attributes[name])}"'
            for name in ("src", "alt", "width", "height")
            if name in attributes
        )
        return f"<img{parts}>"
    if kind == "br":
        return "<br>"
    if kind == "hr":
        return ""
    return ""
