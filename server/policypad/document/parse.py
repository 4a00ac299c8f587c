"""Parse: HTML (from any editor) -> the document's lines, sanitized.

The rules are docs/document-model.md's, shared with the JavaScript twin
(client/js/document.js); this module walks a tree built by lexbor, an HTML5
parser, so that it sees the same tree a browser builds from the same bytes. The
walk is iterative and bounded in depth, so hostile nesting cannot exhaust the
stack or the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from policypad.document import office_lists
from policypad.document.lines import Attributes, Line, Run, merge_runs
from policypad.document.office_lists import OfficeItem
from policypad.document.schema import DEFAULT_SCHEMA, EMBED_CHAR, EXTRA_PREFIX, Schema

MAX_DEPTH = 512
"""Elements nested deeper than this are walked as transparent (text kept)."""
MAX_INDENT = 8
"""The deepest list level the model records; deeper lists stay at this level."""

SKIPPED = frozenset(
    {
        "script", "style", "template", "noscript", "iframe", "object", "embed", "svg",
        "math", "canvas", "audio", "video", "head", "title", "meta", "link", "base",
        "select", "textarea", "input", "button", "option", "optgroup", "datalist",
    }
)  # fmt: skip
BLOCKS = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "li", "ul",
        "ol", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
        "caption", "address", "article", "aside", "section", "header", "footer", "nav",
        "main", "figure", "figcaption", "center", "hr",
    }
)  # fmt: skip
# Blocks that always hold at least one line, even empty (a bullet, a cell, a pre
# show even when empty). Other empty blocks get no line: browsers give an empty
# <p></p> no height, and editors write <p><br></p> for an empty paragraph.
LINE_BLOCKS = frozenset({"li", "td", "th", "pre"})
_TAG_FLAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "cite": "italic",
    "dfn": "italic", "u": "underline", "ins": "underline", "s": "strike",
    "strike": "strike", "del": "strike", "code": "code", "kbd": "code", "samp": "code",
    "tt": "code", "sub": "sub", "sup": "sup",
}  # fmt: skip
_HEADINGS = {f"h{n}": str(n) for n in range(1, 7)}
_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
_DIGITS = re.compile(r"[0-9]+")
_ALIGNMENTS = frozenset({"center", "right", "justify"})
_BOLD_WEIGHTS = frozenset({"bold", "bolder", "600", "700", "800", "900"})
_PLAIN_WEIGHTS = frozenset({"normal", "400", "lighter", "100", "200", "300", "500"})
_TABLE_RESET = ("heading", "pre", "list", "indent", "start", "quote", "align", "bclass")
# the blocks Word writes list items as
_OFFICE_ITEMS = frozenset({"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass
class _ListState:
    """One open ul/ol: its start number waits for its first item."""

    start: str | None


@dataclass(frozen=True)
class _Context:
    """What the elements around a node imply for the text inside it."""

    inline: Attributes = field(default_factory=dict)
    block: Attributes = field(default_factory=dict)
    in_block: bool = False
    in_pre: bool = False
    in_li: bool = False  # inside an li's own content (not a nested list or table)
    list_level: int = 0
    list_state: _ListState | None = None
    office: OfficeItem | None = None  # inside a Word list paragraph (see office_lists.py)
    in_marker: bool = False  # inside the element holding its bullet or number


@dataclass
class _OpenLine:
    runs: list[Run]
    block: Attributes
    list_state: _ListState | None
    pre: bool
    office: OfficeItem | None
    pending_break: bool = False


class _LineBuilder:
    """Collects runs into lines as the walk reports content and block boundaries."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.current: _OpenLine | None = None
        self.office_items = 0

    def open(self, context: _Context) -> _OpenLine:
        if self.current is None:
            self.current = _OpenLine(
                [], dict(context.block), context.list_state, context.in_pre, context.office
            )
        return self.current

    def add_text(self, text: str, context: _Context) -> None:
        if context.in_pre:
            pieces = text.split("\n")
            for index, piece in enumerate(pieces):
                if index:
                    self.open(context)
                    self.end()
                if piece:
                    self._append(piece, context)
            return
        text = _WHITESPACE.sub(" ", text)
        if self.current is None and text == " ":
            return
        if text.startswith(" ") and self._ends_with_space_or_empty():
            text = text[1:]
        if text:
            self._append(text, context)

    def _ends_with_space_or_empty(self) -> bool:
        line = self.current
        if line is None or line.pending_break:
            return True
        for text, _ in reversed(line.runs):
            if text:
                return text.endswith(" ")
        return True

    def _append(self, text: str, context: _Context) -> None:
        line = self.open(context)
        if line.pending_break:
            line.pending_break = False
            line.runs.append((EMBED_CHAR, {**context.inline, "embed": "br"}))
        line.runs.append((text, dict(context.inline)))

    def add_embed(self, attributes: Attributes, context: _Context) -> None:
        self._append_embed({**context.inline, **attributes}, context)

    def _append_embed(self, attributes: Attributes, context: _Context) -> None:
        line = self.open(context)
        if line.pending_break:
            line.pending_break = False
            line.runs.append((EMBED_CHAR, {**context.inline, "embed": "br"}))
        line.runs.append((EMBED_CHAR, attributes))

    def soft_break(self) -> None:
        """A block boundary inside an li: a line break if more content follows."""
        if self.current is not None and self.current.runs:
            self.current.pending_break = True

    def end(self) -> None:
        """End the open line, if any."""
        line = self.current
        if line is None:
            return
        self.current = None
        runs = line.runs
        if runs and runs[-1][0] == EMBED_CHAR and runs[-1][1].get("embed") == "br":
            runs.pop()
        if not line.pre and runs:
            text, attributes = runs[-1]
            if text.endswith(" ") and text != EMBED_CHAR:
                runs[-1] = (text.rstrip(" "), attributes)
        block = line.block
        if line.list_state is not None and line.list_state.start is not None:
            block["start"] = line.list_state.start
            line.list_state.start = None
        if line.office is not None and not line.office.used:
            # the item's first line carries its marker until `office_lists.resolve`
            line.office.used = True
            block[office_lists.OFFICE_KEY] = line.office.encode()
            self.office_items += 1
        self.lines.append((merge_runs(runs), block))

    def empty_line(self, context: _Context) -> None:
        self.open(context)
        self.end()


MAX_MARKUP_DEPTH = 10_000
"""Deepest nesting of elements `parse_html` accepts. An HTML5 tree builder checks the
stack of open elements at each tag, so its time grows with the square of the depth
(100,000 nested `div`s: 17 s of lexbor); no editor nests a thousandth as deep."""
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
# elements that never hold others, and those a parser closes when their next sibling
# starts (p, li, cells, rows...): counting neither keeps ordinary documents shallow
_NOT_NESTING = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr", "p", "li", "dt", "dd", "td", "th", "tr", "option",
    }
)  # fmt: skip


def check_markup_depth(html: str) -> None:
    """Raise ValueError if `html` nests elements deeper than MAX_MARKUP_DEPTH (an upper
    estimate, read off the tags in one pass)."""
    if html.count("<") <= MAX_MARKUP_DEPTH:
        return
    depth = 0
    for closing, name in _TAG.findall(html):
        if name.lower() in _NOT_NESTING:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > MAX_MARKUP_DEPTH:
                raise ValueError(f"HTML nested more than {MAX_MARKUP_DEPTH} elements deep")


def parse_html(html: str, schema: Schema = DEFAULT_SCHEMA) -> list[Line]:
    """Return the lines of an HTML string (a fragment or a whole page).

    Raises ValueError for markup nested deeper than MAX_MARKUP_DEPTH.
    """
    html = html if isinstance(html, str) else str(html)
    check_markup_depth(html)
    tree = LexborHTMLParser(html)
    body = tree.body
    if body is None:
        return [([], {})]
    # Word's list definitions are in the page's head
    return parse_tree(body, schema, styles=tree.root)


def parse_tree(
    root: LexborNode, schema: Schema = DEFAULT_SCHEMA, styles: LexborNode | None = None
) -> list[Line]:
    """Return the lines of the children of `root` (a lexbor element). The `style`
    elements inside `styles` (default: `root`) may define Word's lists."""
    builder = _LineBuilder()
    counters = {"table": 0, "row": 0, "cell": 0}
    # the stack holds nodes to enter, and (exit marker, node, context, lines before)
    stack: list[Any] = []
    _push_children(stack, root, _Context(), 0)
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            _, node, context, before, depth = item
            _exit(node, context, before, builder)
            continue
        node, context, depth = item.node, item.context, item.depth
        tag = node.tag
        office = context.office
        if tag == "-text":
            # the embed placeholder is the model's own: no text may carry one
            text = node.text_content.replace(EMBED_CHAR, "")
            if office is not None and (context.in_marker or office.in_comment_marker):
                office.marker += text
            elif text:
                builder.add_text(text, context)
            continue
        if tag == "-comment" and office is not None:
            office_lists.note_comment(office, node.comment_content or "")
            continue
        if tag is None or tag.startswith("-") or tag in SKIPPED:
            continue
        if depth > MAX_DEPTH or (
            office is not None and (context.in_marker or office.in_comment_marker)
        ):
            # a Word list's marker is text only: what else it holds is left out
            if depth > MAX_DEPTH or tag not in ("br", "img", "hr"):
                _push_children(stack, node, context, depth + 1)
            continue
        inner = _enter(node, tag, context, builder, counters, schema)
        if inner is None:
            continue
        stack.append(("exit", node, inner, len(builder.lines), depth))
        _push_children(stack, node, inner, depth + 1)
    builder.end()
    lines = builder.lines or [([], {})]
    if builder.office_items:
        scope = root if styles is None else styles
        lines = office_lists.resolve(
            lines,
            lambda: office_lists.list_definitions(node.text() for node in scope.css("style")),
        )
    return lines


@dataclass
class _Visit:
    node: LexborNode
    context: _Context
    depth: int


def _push_children(stack: list[Any], node: LexborNode, context: _Context, depth: int) -> None:
    children = []
    child = node.child
    while child is not None:
        children.append(_Visit(child, context, depth))
        child = child.next
    children.reverse()
    stack.extend(children)


def _enter(
    node: LexborNode,
    tag: str,
    context: _Context,
    builder: _LineBuilder,
    counters: dict[str, int],
    schema: Schema,
) -> _Context | None:
    """Handle an element's start; return the context for its children (None: no children)."""
    attributes = node.attributes
    if tag == "br":
        if context.in_block:
            builder.add_embed({"embed": "br"}, context)
        else:
            builder.open(context)
            builder.end()
        return None
    if tag == "img":
        src = schema.image_source(attributes.get("src"))
        if src is None:
            alt = attributes.get("alt")
            if alt:
                builder.add_text(alt, context)
            return None
        embed = {"embed": "image", "src": src}
        if attributes.get("alt"):
            embed["alt"] = attributes["alt"] or ""
        for size in ("width", "height"):
            value = (attributes.get(size) or "").strip()
            if _DIGITS.fullmatch(value):
                embed[size] = value
        builder.add_embed(embed, context)
        return None
    if tag == "hr":
        builder.end()
        builder.add_embed({"embed": "hr"}, replace(context, inline={}))
        builder.end()
        return None

    inline = _inline_attributes(tag, attributes, context.inline, schema)
    mso_list = _mso_list(attributes)
    if tag not in BLOCKS:
        if context.office is not None and office_lists.is_marker_style(mso_list):
            return replace(context, inline=inline, in_marker=True)
        return context if inline is context.inline else replace(context, inline=inline)

    block = dict(context.block)
    in_li = context.in_li
    list_level = context.list_level
    list_state = context.list_state
    in_pre = context.in_pre
    office = context.office
    if tag in ("ul", "ol", "table"):
        office = None
    item = office_lists.list_item(mso_list) if tag in _OFFICE_ITEMS else None
    if item is not None and office is None and not in_pre:
        if "list" in block:
            # in a real list already: only the marker goes (it would repeat the bullet)
            office = OfficeItem(item[0], item[1], None, used=True)
        else:
            # a Word list paragraph: a list item at its level, whatever it held before
            office = OfficeItem(item[0], item[1], node.mem_id)
            block["list"] = "bullet"  # until `office_lists.resolve` reads the marker
            if item[1] > 1:
                block["indent"] = str(item[1])
            list_state, in_li = None, True
    if tag in ("ul", "ol"):
        # a nested list's lines do not inherit the alignment, classes or attributes of
        # the item that holds it
        _drop_block_styling(block)
        list_level += 1
        block["list"] = "bullet" if tag == "ul" else "number"
        if list_level > 1:
            block["indent"] = str(min(list_level, MAX_INDENT))
        else:
            block.pop("indent", None)
        start = (attributes.get("start") or "").strip() if tag == "ol" else ""
        list_state = _ListState(start if _DIGITS.fullmatch(start) and int(start) > 1 else None)
        if list_state.start is not None:
            list_state.start = str(int(list_state.start))
        in_li = False
    elif tag == "li":
        if "list" not in block:
            block["list"] = "bullet"
        in_li = True
    elif tag == "table":
        for key in _TABLE_RESET:
            block.pop(key, None)
        _drop_block_styling(block)
        counters["table"] += 1
        block["table"] = f"t{counters['table']}"
        for key in ("row", "cell", "th", "head", "colspan", "rowspan"):
            block.pop(key, None)
        list_level, list_state, in_li = 0, None, False
    elif tag == "thead":
        block["head"] = "true"
    elif tag in ("tbody", "tfoot"):
        block.pop("head", None)
    elif tag == "tr":
        counters["row"] += 1
        block["row"] = f"r{counters['row']}"
    elif tag in ("td", "th"):
        counters["cell"] += 1
        block["cell"] = f"c{counters['cell']}"
        block.pop("th", None)
        if tag == "th":
            block["th"] = "true"
        for span in ("colspan", "rowspan"):
            value = (attributes.get(span) or "").strip()
            if _DIGITS.fullmatch(value) and int(value) > 1:
                block[span] = str(int(value))
            else:
                block.pop(span, None)
    elif tag == "caption":
        for key in ("table", "row", "cell", "th", "head", "colspan", "rowspan"):
            block.pop(key, None)
    elif tag in _HEADINGS:
        block["heading"] = _HEADINGS[tag]
    elif tag == "pre":
        block["pre"] = "true"
        in_pre = True
    elif tag == "blockquote":
        block["quote"] = "true"

    align = _alignment(attributes)
    if align is not None:
        if align:
            block["align"] = align
        else:
            block.pop("align", None)
    classes = schema.allowed_classes(attributes.get("class"))
    if classes:
        block["bclass"] = classes
    block.update(schema.extra_attributes(attributes))

    inner = _Context(inline, block, True, in_pre, in_li, list_level, list_state, office)
    if context.in_li and tag not in ("ul", "ol", "table", "li"):
        builder.soft_break()
        inner = replace(inner, block=block)
    else:
        builder.end()
    if tag == "pre":
        builder.open(inner)
    return inner


def _exit(node: LexborNode, context: _Context, before: int, builder: _LineBuilder) -> None:
    tag = node.tag
    if tag not in BLOCKS:
        return
    # a list item: an li, or a Word list paragraph
    item = tag == "li" or (context.office is not None and context.office.owner == node.mem_id)
    parent_in_li = context.in_li and not item
    if tag == "pre":
        # A final newline in a pre shows no extra line in browsers, so it ends the
        # last line and opens none.
        builder.end()
        return
    if parent_in_li and tag not in ("ul", "ol", "table"):
        builder.soft_break()
        return
    builder.end()
    if (tag in LINE_BLOCKS or item) and len(builder.lines) == before:
        builder.empty_line(context)


def _inline_attributes(
    tag: str, attributes: dict[str, str | None], inherited: Attributes, schema: Schema
) -> Attributes:
    changes: Attributes = {}
    flag = _TAG_FLAGS.get(tag)
    if flag is not None:
        changes[flag] = "true"
    if tag == "a":
        href = schema.link(attributes.get("href"))
        if href is not None:
            changes["link"] = href
    removed: set[str] = set()
    style = attributes.get("style")
    if style:
        for prop, value in _declarations(style):
            if prop == "font-weight":
                if value in _BOLD_WEIGHTS:
                    changes["bold"] = "true"
                elif value in _PLAIN_WEIGHTS:
                    changes.pop("bold", None)
                    removed.add("bold")
            elif prop == "font-style":
                if value in ("italic", "oblique"):
                    changes["italic"] = "true"
                elif value == "normal":
                    changes.pop("italic", None)
                    removed.add("italic")
            elif prop in ("text-decoration", "text-decoration-line"):
                if "underline" in value:
                    changes["underline"] = "true"
                if "line-through" in value:
                    changes["strike"] = "true"
            elif prop == "vertical-align":
                if value == "sub":
                    changes["sub"] = "true"
                elif value == "super":
                    changes["sup"] = "true"
    if tag not in BLOCKS:
        classes = schema.allowed_classes(attributes.get("class"))
        if classes:
            changes["class"] = classes
        changes.update(schema.extra_attributes(attributes))
    author = attributes.get("data-author")
    if author:
        changes["author"] = author
    if not changes and not removed:
        return inherited
    merged = {key: value for key, value in inherited.items() if key not in removed}
    merged.update(changes)
    return merged


def _mso_list(attributes: dict[str, str | None]) -> str | None:
    """The value of a `mso-list` style declaration (Word's lists), if any."""
    style = attributes.get("style")
    if not style or "mso-list" not in style.lower():
        return None
    found = None
    for prop, value in _declarations(style):
        if prop == "mso-list":
            found = value
    return found


def _drop_block_styling(block: Attributes) -> None:
    for key in [key for key in block if key in ("align", "bclass") or key.startswith(EXTRA_PREFIX)]:
        del block[key]


def _declarations(style: str) -> list[tuple[str, str]]:
    found = []
    for declaration in style.split(";"):
        prop, colon, value = declaration.partition(":")
        if colon:
            value = value.replace("!important", "").strip().lower()
            found.append((prop.strip().lower(), value))
    return found


def _alignment(attributes: dict[str, str | None]) -> str | None:
    """'center'/'right'/'justify', '' to clear, None when the element says nothing."""
    said = None
    align = attributes.get("align")
    if align:
        said = align.strip().lower()
    style = attributes.get("style")
    if style:
        for prop, value in _declarations(style):
            if prop == "text-align":
                said = value
    if said is None:
        return None
    return said if said in _ALIGNMENTS else ""
