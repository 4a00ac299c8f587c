"""Render: the document's lines -> well-formed, escaped HTML.

The rules are docs/document-model.md's, shared with the JavaScript twin
(client/js/document/render.js), which gives the same HTML byte for byte. Lines are
grouped outermost first: tables (by table, row and cell id), blockquotes, lists
(nested by indent); whatever order concurrent edits left the lines in, the output is
well-formed. Every text and attribute value is escaped, and every value that becomes
a URL, a tag name or a number is checked again here: an AText can come from any
client, so rendering does not trust what it holds. A merged document's marks (changes.py)
render as <ins>, <del> and ``data-pp-*`` attributes, by the rules of docs/document-model.md
("Diff").
"""

from __future__ import annotations

import re

from policypad.document._notes import (
    describe_block,
    format_note,
    old_attributes,
    shown_block,
    shown_inline,
)
from policypad.document.changes import (
    DELETED,
    DIFF,
    FORMATTED,
    INSERTED,
    REBLOCKED,
    encode_attributes,
)
from policypad.document.lines import Attributes, Line, Run, merge_runs
from policypad.document.schema import (
    EMBED_CHAR,
    EXTRA_PREFIX,
    is_safe_attribute_name,
    render_image_source,
    render_link,
)

_MARKS = (
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
_DIGITS = re.compile(r"[0-9]+")
_HEADING = re.compile(r"[1-6]")
_ALIGNMENTS = frozenset({"center", "right", "justify"})
MAX_INDENT = 8


def escape(text: str) -> str:
    """Escape text or an attribute value for HTML."""
    return text.translate(_ESCAPES)


def _number_over_1(value: str | None) -> str:
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        return ""
    number = int(value)
    return str(number) if number > 1 else ""


def _heading(block: Attributes) -> str | None:
    value = block.get("heading")
    return value if isinstance(value, str) and _HEADING.fullmatch(value) else None


def _level(block: Attributes) -> int:
    indent = block.get("indent")
    if not isinstance(indent, str) or not _DIGITS.fullmatch(indent):
        return 1
    return min(max(int(indent), 1), MAX_INDENT)


def _is_rule(runs: list[Run]) -> bool:
    return len(runs) == 1 and runs[0][0] == EMBED_CHAR and runs[0][1].get("embed") == "hr"


def _ends_with_break(runs: list[Run]) -> bool:
    return bool(runs) and runs[-1][1].get("embed") == "br" and runs[-1][0].endswith(EMBED_CHAR)


def _runs_of(lines: list[Line], key: str) -> list[list[Line]]:
    """Split lines into consecutive runs by the value of block attribute `key`."""
    groups: list[list[Line]] = []
    previous: object = object()
    for line in lines:
        value = line[1].get(key)
        if groups and value == previous:
            groups[-1].append(line)
        else:
            groups.append([line])
        previous = value
    return groups


def _extra_attributes(attributes: Attributes) -> str:
    """Host-allowed HTML attributes (``@name`` keys), names checked again, sorted."""
    return "".join(
        f' {key[1:]}="{escape(value)}"'
        for key, value in sorted(attributes.items())
        if key.startswith(EXTRA_PREFIX) and value and is_safe_attribute_name(key[1:])
    )


def _block_attributes(block: Attributes) -> str:
    parts = ""
    if block.get("bclass"):
        parts += f' class="{escape(block["bclass"])}"'
    if block.get("align") in _ALIGNMENTS:
        parts += f' style="text-align: {block["align"]}"'
    return parts + _extra_attributes(block)


def _block_mark(block: Attributes) -> str:
    """The attributes of a marked line's element (a merged document's, see changes.py)."""
    mark = block.get(DIFF)
    if mark in (INSERTED, DELETED):
        return f' data-pp-change="{mark}"'
    if mark != REBLOCKED:
        return ""
    old = old_attributes(block)
    html = f' data-pp-change="block" data-pp-before="{escape(encode_attributes(shown_block(old)))}"'
    if EXTRA_PREFIX + "title" not in block:  # a host's own title wins
        note = f"Formatted: {describe_block(block)} (was {describe_block(old)})"
        html += f' title="{escape(note)}"'
    return html


def _group_mark(lines: list[Line]) -> str:
    """The attribute of a table, row or cell whose lines are all inserted or all deleted."""
    mark = lines[0][1].get(DIFF)
    if (mark in (INSERTED, DELETED)) and all(b.get(DIFF) == mark for _, b in lines):
        return f' data-pp-change="{mark}"'
    return ""


def _same_pre(block: Attributes, line: Line) -> bool:
    """Whether `line` goes in the same pre as a line with `block` (same pre attributes)."""
    other = line[1]
    return (
        other.get("pre") == "true"
        and "list" not in other
        and not _is_rule(line[0])
        and other.get("align") == block.get("align")
        and other.get("bclass") == block.get("bclass")
    )


class _Renderer:
    def __init__(self, authors: bool) -> None:
        self.authors = authors
        self.out: list[str] = []

    def render(self, lines: list[Line]) -> str:
        for group in _runs_of(lines, "table"):
            if "table" in group[0][1]:
                self._table(group)
            else:
                self._quotes(group)
        return "".join(self.out)

    # -- containers -------------------------------------------------------------------

    def _table(self, lines: list[Line]) -> None:
        rows = _runs_of(lines, "row")
        head = 0
        while head < len(rows) and rows[head][0][1].get("head") == "true":
            head += 1
        out = self.out
        out.append(f"<table{_group_mark(lines)}>")
        if head:
            out.append("<thead>")
            for row in rows[:head]:
                self._row(row)
            out.append("</thead>")
        if head < len(rows):
            out.append("<tbody>")
            for row in rows[head:]:
                self._row(row)
            out.append("</tbody>")
        out.append("</table>")

    def _row(self, row: list[Line]) -> None:
        self.out.append(f"<tr{_group_mark(row)}>")
        for cell in _runs_of(row, "cell"):
            block = cell[0][1]
            tag = "th" if block.get("th") == "true" else "td"
            spans = ""
            for span in ("colspan", "rowspan"):
                value = _number_over_1(block.get(span))
                if value:
                    spans += f' {span}="{value}"'
            self.out.append(f"<{tag}{spans}{_group_mark(cell)}>")
            self._quotes(cell)
            self.out.append(f"</{tag}>")
        self.out.append("</tr>")

    def _quotes(self, lines: list[Line]) -> None:
        for group in _runs_of(lines, "quote"):
            quote = "quote" in group[0][1]
            if quote:
                self.out.append("<blockquote>")
            self._blocks(group)
            if quote:
                self.out.append("</blockquote>")

    def _blocks(self, lines: list[Line]) -> None:
        index = 0
        while index < len(lines):
            runs, block = lines[index]
            end = index + 1
            if "list" in block:
                while end < len(lines) and "list" in lines[end][1]:
                    end += 1
                self._list(lines[index:end])
            elif block.get("pre") == "true" and not _is_rule(runs):
                while end < len(lines) and _same_pre(block, lines[end]):
                    end += 1
                self._pre(lines[index:end])
            elif _is_rule(runs):
                self.out.append(f"<hr{_block_mark(block)}>")
            else:
                heading = _heading(block)
                tag = f"h{heading}" if heading else "p"
                self.out.append(f"<{tag}{_block_attributes(block)}{_block_mark(block)}>")
                self._content(runs)
                self.out.append(f"</{tag}>")
            index = end

    def _list(self, lines: list[Line]) -> None:
        out = self.out
        stack: list[list] = []  # open lists: [tag, level, item_open]

        def close() -> None:
            tag, _, item_open = stack.pop()
            if item_open:
                out.append("</li>")
            out.append(f"</{tag}>")

        for runs, block in lines:
            tag = "ol" if block.get("list") == "number" else "ul"
            level = _level(block)
            start = _number_over_1(block.get("start")) if tag == "ol" else ""
            while stack and stack[-1][1] > level:
                close()
            # another list type, or a start number (it belongs to a list's first item),
            # needs a list of its own
            if stack and stack[-1][1] == level and (stack[-1][0] != tag or start):
                close()
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
                    out.append(
                        f'<ol start="{start}">' if current == level and start else f"<{tag}>"
                    )
                    stack.append([tag, current, False])
            out.append(f"<li{_block_attributes(block)}{_block_mark(block)}>")
            heading = _heading(block)
            if _is_rule(runs):
                out.append("<hr>")
            elif block.get("pre") == "true":
                # a heading cannot show inside a pre; the pre's spacing can, so pre wins
                out.append("<pre>\n")
                self._pre_content(runs)
                out.append("\n</pre>")
            elif heading:
                out.append(f"<h{heading}>")
                self._content(runs)
                out.append(f"</h{heading}>")
            else:
                self._content(runs)
            stack[-1][2] = True
        while stack:
            close()

    def _pre(self, lines: list[Line]) -> None:
        # The HTML parser drops a newline right after <pre>, and a final newline ends the
        # last line without opening another. A marked line (a merged document's) is a span
        # with its newline inside, so that taking the span away takes the whole line.
        self.out.append(f"<pre{_block_attributes(lines[0][1])}>\n")
        for runs, block in lines:
            mark = _block_mark(block)
            if mark:
                self.out.append(f"<span{mark}>")
            self._pre_content(runs)
            self.out.append("\n</span>" if mark else "\n")
        self.out.append("</pre>")

    # -- inline content ---------------------------------------------------------------

    def _content(self, runs: list[Run]) -> None:
        """A line's runs in a block: an empty line, or one ending in a br embed, gets a
        <br> more (parse drops one trailing br, as browsers do not show it)."""
        self._inline(runs)
        if not runs or _ends_with_break(runs):
            self.out.append("<br>")

    def _pre_content(self, runs: list[Run]) -> None:
        self._inline(runs)
        if _ends_with_break(runs):
            self.out.append("<br>")

    def _inline(self, runs: list[Run]) -> None:
        if not self.authors and any("author" in attributes for _, attributes in runs):
            # neighbours that differ only in who typed them print as one: "never" typed
            # by two people is <s>never</s>, not <s>neve</s><s>r</s>
            runs = merge_runs(
                [(text, {k: v for k, v in attributes.items() if k != "author"})
                 for text, attributes in runs]
            )  # fmt: skip
        for text, attributes in runs:
            self._run(text, attributes)

    def _run(self, text: str, attributes: Attributes) -> None:
        opened: list[str] = []
        closing: list[str] = []

        def wrap(start: str, end: str) -> None:
            opened.append(start)
            closing.append(end)

        mark = attributes.get(DIFF)  # only a merged document (changes.py) has marks
        if mark in (INSERTED, DELETED):
            wrap(f"<{mark}>", f"</{mark}>")
        elif mark == FORMATTED:
            old = shown_inline(old_attributes(attributes))
            note = format_note(old, shown_inline(attributes))
            wrap(
                f'<span data-pp-change="format" data-pp-before="{escape(encode_attributes(old))}"'
                f' title="{escape(note)}">',
                "</span>",
            )
        link = render_link(attributes.get("link")) if "link" in attributes else None
        if link is not None:
            wrap(f'<a href="{escape(link)}">', "</a>")
        if self.authors and attributes.get("author"):
            wrap(f'<span data-author="{escape(attributes["author"])}">', "</span>")
        if attributes.get("class"):
            wrap(f'<span class="{escape(attributes["class"])}">', "</span>")
        extra = _extra_attributes(attributes)
        if extra and "embed" not in attributes:
            wrap(f"<span{extra}>", "</span>")
        for key, tag in _MARKS:
            if attributes.get(key) == "true":
                wrap(f"<{tag}>", f"</{tag}>")
        if "embed" in attributes:
            inner = _embed(attributes) * len(text)
        else:
            inner = escape(text)
        self.out.append("".join(opened) + inner + "".join(reversed(closing)))


def _embed(attributes: Attributes) -> str:
    kind = attributes.get("embed")
    if kind == "br":
        return "<br>"
    if kind == "hr":
        return "<hr>"
    if kind == "image":
        src = render_image_source(attributes.get("src"))
        if src is None:
            return ""
        html = f'<img src="{escape(src)}"'
        if attributes.get("alt"):
            html += f' alt="{escape(attributes["alt"])}"'
        for name in ("width", "height"):
            value = attributes.get(name)
            if isinstance(value, str) and _DIGITS.fullmatch(value):
                html += f' {name}="{value}"'
        return html + ">"
    return ""


def render_lines(lines: list[Line], *, authors: bool = False) -> str:
    """Return the HTML of `lines` (see the module docstring)."""
    return _Renderer(authors).render(lines)
