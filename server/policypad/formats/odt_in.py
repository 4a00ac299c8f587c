"""ODT -> HTML, read here from the OpenDocument XML (chosen by measured fidelity over
pandoc's reader: see the README's "Documents in and out"), for the document model's
HTML import to parse and sanitize.

What is read: headings (`text:h` and its outline level), paragraphs and their alignment,
character formatting from spans and from a paragraph's own (automatic) style, links,
lists (bulleted or numbered from the list style of each level, nesting, a start value),
tables (header rows, merged cells), images (inline as `data:` URLs, with their
description as alt text and their size in CSS pixels), line breaks. Named paragraph
styles' looks (fonts, sizes, colours, the boldness of a "Table Heading") are not
formatting the model keeps, so only what the paragraph or the span says itself counts.
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from zipfile import ZipFile

from policypad.document.render import escape
from policypad.formats.archive import open_zip, read_member
from policypad.formats.errors import FormatError

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
}


def _tag(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _attr(element: ElementTree.Element, prefix: str, name: str) -> str | None:
    return element.get(_tag(prefix, name))


_MARKS = (("bold", "strong"), ("italic", "em"), ("underline", "u"), ("strike", "s"),
          ("sub", "sub"), ("sup", "sup"), ("code", "code"))  # fmt: skip
_ALIGNMENTS = {"center": "center", "end": "right", "right": "right", "justify": "justify"}
_HEADING_STYLE = re.compile(r"Heading_20_([1-6])")
_MONOSPACE = re.compile(r"mono|courier|consolas|menlo|typewriter|source code", re.IGNORECASE)
_BLOCK_STYLES = {"Quotations": "blockquote", "Quote": "blockquote", "Preformatted_20_Text": "pre",
                 "Source_20_Text": "pre", "Horizontal_20_Line": "hr"}  # fmt: skip
"""Named paragraph styles (and those based on them) that are a kind of block in the model."""
_LENGTH = re.compile(r"([0-9]*\.?[0-9]+)\s*(in|cm|mm|pt|pc|px)?")
_PIXELS_PER_UNIT = {"in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4, "pt": 96 / 72, "pc": 16.0,
                    "px": 1.0}  # fmt: skip
_SIGNATURES = ((b"\x89PNG", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF8", "image/gif"))


@dataclass
class _Style:
    parent: str | None
    automatic: bool
    marks: dict[str, bool] = field(default_factory=dict)
    align: str | None = None
    list_style: str | None = None
    outline_level: str | None = None


def _marks_of(properties: ElementTree.Element) -> dict[str, bool]:
    marks: dict[str, bool] = {}
    weight = _attr(properties, "fo", "font-weight")
    if weight is not None:
        marks["bold"] = weight == "bold" or (weight.isdigit() and int(weight) >= 600)
    posture = _attr(properties, "fo", "font-style")
    if posture is not None:
        marks["italic"] = posture in ("italic", "oblique")
    underline = _attr(properties, "style", "text-underline-style")
    if underline is not None:
        marks["underline"] = underline != "none"
    strike = _attr(properties, "style", "text-line-through-style")
    if strike is not None:
        marks["strike"] = strike != "none"
    names = (_attr(properties, "style", "font-name"), _attr(properties, "fo", "font-family"))
    font = " ".join(name for name in names if name)
    if font:
        # a monospaced font is how ODF marks code; there is no semantic code style
        marks["code"] = bool(_MONOSPACE.search(font))
    position = _attr(properties, "style", "text-position")
    if position is not None:
        first = position.split()[0] if position.split() else "0"
        value = {"sub": -1.0, "super": 1.0}.get(first)
        if value is None:
            try:
                value = float(first.rstrip("%"))
            except ValueError:
                value = 0.0
        marks["sub"], marks["sup"] = value < 0, value > 0
    return marks


class _Styles:
    """The paragraph, text and list styles of both styles.xml and content.xml."""

    def __init__(self) -> None:
        self.styles: dict[str, _Style] = {}
        self.numbered_levels: dict[str, dict[int, int]] = {}
        """List style -> {level: start value} of its numbered levels (others are bullets)."""

    def read(self, root: ElementTree.Element, automatic: bool) -> None:
        for container in ("styles", "automatic-styles"):
            for holder in root.iter(_tag("office", container)):
                self._read_container(holder, automatic or container == "automatic-styles")

    def _read_container(self, holder: ElementTree.Element, automatic: bool) -> None:
        for element in holder:
            name = _attr(element, "style", "name")
            if name is None:
                continue
            if element.tag == _tag("style", "style"):
                style = _Style(_attr(element, "style", "parent-style-name"), automatic)
                style.list_style = _attr(element, "style", "list-style-name")
                style.outline_level = _attr(element, "style", "default-outline-level")
                for properties in element:
                    if properties.tag == _tag("style", "text-properties"):
                        style.marks = _marks_of(properties)
                    elif properties.tag == _tag("style", "paragraph-properties"):
                        align = _attr(properties, "fo", "text-align")
                        style.align = _ALIGNMENTS.get(align or "", "" if align else None)
                self.styles[name] = style
            elif element.tag == _tag("text", "list-style"):
                levels: dict[int, int] = {}
                for level in element:
                    if level.tag == _tag("text", "list-level-style-number"):
                        start = _attr(level, "text", "start-value") or "1"
                        number = int(_attr(level, "text", "level") or "1")
                        levels[number] = int(start) if start.isdigit() else 1
                self.numbered_levels[name] = levels

    def _chain(self, name: str | None) -> list[_Style]:
        chain: list[_Style] = []
        while name is not None and name in self.styles and len(chain) < 32:
            style = self.styles[name]
            chain.append(style)
            name = style.parent
        return chain

    def text_marks(self, name: str | None) -> dict[str, bool]:
        """A span's formatting: its style and every style it inherits from."""
        marks: dict[str, bool] = {}
        for style in reversed(self._chain(name)):
            marks.update(style.marks)
        return marks

    def outline_level(self, name: str | None) -> str | None:
        """The heading level a paragraph's style gives it (a "Heading 1" paragraph that
        is not a `text:h`, as LibreOffice writes the first one of a page style)."""
        for _ in range(32):  # a style that names itself as its parent ends here too
            if name is None or name not in self.styles:
                break
            style = self.styles[name]
            named = _HEADING_STYLE.fullmatch(name)
            if style.outline_level or named:
                return style.outline_level or (named.group(1) if named else None)
            name = style.parent
        return None

    def block_kind(self, name: str | None) -> str | None:
        """ "blockquote", "pre" or "hr" if a paragraph's style is (based on) the named
        style that LibreOffice gives that kind of block, else None."""
        for _ in range(32):
            if name is None:
                return None
            if name in _BLOCK_STYLES:
                return _BLOCK_STYLES[name]
            style = self.styles.get(name)
            name = style.parent if style is not None else None
        return None

    def paragraph(self, name: str | None) -> tuple[dict[str, bool], str | None, str | None]:
        """A paragraph's own formatting (its automatic styles', not a named style's look),
        its alignment and its list style."""
        marks: dict[str, bool] = {}
        align: str | None = None
        list_style: str | None = None
        for style in self._chain(name):
            if list_style is None:
                list_style = style.list_style
            if align is None and style.align is not None:
                align = style.align
            if style.automatic:
                marks = {**style.marks, **marks}
        return marks, align or None, list_style


class _Writer:
    """Walks the body of an ODT and writes HTML."""

    def __init__(self, styles: _Styles, archive: ZipFile) -> None:
        self.styles = styles
        self.archive = archive
        self.out: list[str] = []
        self.images: dict[str, str | None] = {}

    def blocks(self, parent: ElementTree.Element) -> None:
        for element in parent:
            tag = element.tag
            if tag == _tag("text", "h"):
                level = _attr(element, "text", "outline-level") or "1"
                level = level if level in ("1", "2", "3", "4", "5", "6") else "6"
                self.paragraph(element, f"h{level}")
            elif tag == _tag("text", "p"):
                style_name = _attr(element, "text", "style-name")
                level = self.styles.outline_level(style_name)
                kind = self.styles.block_kind(style_name)
                if level in ("1", "2", "3", "4", "5", "6"):
                    self.paragraph(element, f"h{level}")
                elif kind == "hr" and not "".join(element.itertext()).strip():
                    self.out.append("<hr>")
                elif kind == "blockquote":
                    self.out.append("<blockquote>")
                    self.paragraph(element, "p")
                    self.out.append("</blockquote>")
                else:
                    self.paragraph(element, kind if kind == "pre" else "p")
            elif tag == _tag("text", "list"):
                self.list(element, 1, None)
            elif tag == _tag("table", "table"):
                self.table(element)
            elif tag in (_tag("text", "section"), _tag("text", "index-body")) or tag in (
                _tag("table", "table-row-group"),
                _tag("text", "table-of-content"),
            ):
                self.blocks(element)

    def paragraph(self, element: ElementTree.Element, name: str) -> None:
        marks, align, _ = self.styles.paragraph(_attr(element, "text", "style-name"))
        style = f' style="text-align: {align}"' if align else ""
        self.out.append(f"<{name}{style}>")
        self.inline(element, marks)
        self.out.append(f"</{name}>")

    def list(self, element: ElementTree.Element, level: int, list_style: str | None) -> None:
        list_style = _attr(element, "text", "style-name") or list_style
        if list_style is None:  # LibreOffice often names it on the paragraphs only
            for paragraph in element.iter(_tag("text", "p")):
                list_style = self.styles.paragraph(_attr(paragraph, "text", "style-name"))[2]
                break
        numbered = self.styles.numbered_levels.get(list_style or "", {})
        tag = "ol" if level in numbered else "ul"
        start = numbered.get(level, 1)
        first = element.find(_tag("text", "list-item"))
        restart = _attr(first, "text", "start-value") if first is not None else None
        if restart is not None and restart.isdigit():  # a list that restarts at a number
            start = int(restart)
        self.out.append(f'<ol start="{start}">' if tag == "ol" and start > 1 else f"<{tag}>")
        for item in element:
            if item.tag not in (_tag("text", "list-item"), _tag("text", "list-header")):
                continue
            self.out.append("<li>")
            for child in item:
                if child.tag == _tag("text", "list"):
                    self.list(child, level + 1, list_style)
                elif child.tag in (_tag("text", "p"), _tag("text", "h")):
                    marks, align, _ = self.styles.paragraph(_attr(child, "text", "style-name"))
                    style = f' style="text-align: {align}"' if align else ""
                    self.out.append(f"<div{style}>")
                    self.inline(child, marks)
                    self.out.append("</div>")
                else:
                    self.blocks(_wrapped(child))
            self.out.append("</li>")
        self.out.append(f"</{tag}>")

    def table(self, element: ElementTree.Element) -> None:
        self.out.append("<table>")
        for child in element:
            if child.tag == _tag("table", "table-header-rows"):
                self.out.append("<thead>")
                self.rows(child, header=True)
                self.out.append("</thead>")
            elif child.tag in (_tag("table", "table-rows"), _tag("table", "table-row-group")):
                self.rows(child, header=False)
            elif child.tag == _tag("table", "table-row"):
                self.rows(_wrapped(child), header=False)
        self.out.append("</table>")

    def rows(self, parent: ElementTree.Element, header: bool) -> None:
        for row in parent:
            if row.tag != _tag("table", "table-row"):
                continue
            self.out.append("<tr>")
            for cell in row:
                if cell.tag != _tag("table", "table-cell"):
                    continue  # a covered cell: under a merged one
                name = "th" if header else "td"
                spans = ""
                for attribute, html in (("number-columns-spanned", "colspan"),
                                        ("number-rows-spanned", "rowspan")):  # fmt: skip
                    value = _attr(cell, "table", attribute) or "1"
                    if value.isdigit() and int(value) > 1:
                        spans += f' {html}="{int(value)}"'
                self.out.append(f"<{name}{spans}>")
                self.blocks(cell)
                self.out.append(f"</{name}>")
            self.out.append("</tr>")

    def inline(self, element: ElementTree.Element, marks: dict[str, bool]) -> None:
        if element.text:
            self.text(element.text, marks)
        for child in element:
            tag = child.tag
            if tag == _tag("text", "span"):
                inner = {**marks, **self.styles.text_marks(_attr(child, "text", "style-name"))}
                self.inline(child, inner)
            elif tag == _tag("text", "a"):
                href = _attr(child, "xlink", "href") or ""
                self.out.append(f'<a href="{escape(href)}">')
                self.inline(child, marks)
                self.out.append("</a>")
            elif tag == _tag("text", "s"):
                count = _attr(child, "text", "c") or "1"
                self.text(" " * min(int(count) if count.isdigit() else 1, 1000), marks)
            elif tag == _tag("text", "tab"):
                self.text("\t", marks)
            elif tag == _tag("text", "line-break"):
                self.out.append("<br>")
            elif tag == _tag("draw", "frame"):
                self.frame(child)
            elif tag in (_tag("text", "note"), _tag("office", "annotation")):
                pass  # notes and comments are not in the model
            elif tag not in (_tag("text", "bookmark"), _tag("text", "soft-page-break")):
                self.inline(child, marks)  # fields, bookmarks' text, meta: their text
            if child.tail:
                self.text(child.tail, marks)

    def text(self, text: str, marks: dict[str, bool]) -> None:
        opened = [html for key, html in _MARKS if marks.get(key)]
        self.out.append("".join(f"<{html}>" for html in opened))
        self.out.append(escape(text))
        self.out.append("".join(f"</{html}>" for html in reversed(opened)))

    def frame(self, frame: ElementTree.Element) -> None:
        image = frame.find(f"{_tag('draw', 'image')}")
        if image is None:
            for text_box in frame.iter(_tag("draw", "text-box")):
                self.blocks(text_box)
            return
        alt = ""
        for name in ("desc", "title"):
            found = frame.find(_tag("svg", name))
            if found is not None and found.text:
                alt = found.text.strip()
                break
        source = self.image_source(_attr(image, "xlink", "href") or "")
        size = "".join(
            f' {name}="{pixels}"'
            for name in ("width", "height")
            if (pixels := _pixels(_attr(frame, "svg", name))) is not None
        )
        if source is None:
            self.out.append(escape(alt))
            return
        self.out.append(f'<img src="{source}" alt="{escape(alt)}"{size}>')

    def image_source(self, href: str) -> str | None:
        if href in self.images:
            return self.images[href]
        source = None
        if href and "://" not in href and not href.startswith("/"):
            try:
                data = self.archive.read(href.removeprefix("./"))
            except (KeyError, ValueError, OSError):
                data = b""
            media_type = next((kind for magic, kind in _SIGNATURES if data.startswith(magic)), None)
            if media_type is not None:
                source = f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"
        self.images[href] = source
        return source


def _wrapped(element: ElementTree.Element) -> ElementTree.Element:
    holder = ElementTree.Element("holder")
    holder.append(element)
    return holder


def _pixels(length: str | None) -> int | None:
    if not length:
        return None
    match = _LENGTH.fullmatch(length.strip())
    if match is None:
        return None
    pixels = round(float(match.group(1)) * _PIXELS_PER_UNIT[match.group(2) or "px"])
    return pixels if pixels > 0 else None


def _parse_xml(data: bytes, name: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise FormatError("bad_file", f"the ODT file's {name} is not XML: {error}") from None


def odt_to_html(data: bytes) -> str:
    """The HTML of an ODT file; raises FormatError if it is not one, or too large."""
    archive = open_zip(data, "ODT")
    content = _parse_xml(read_member(archive, "content.xml", "ODT"), "content.xml")
    styles = _Styles()
    if "styles.xml" in archive.namelist():
        styles.read(_parse_xml(read_member(archive, "styles.xml", "ODT"), "styles.xml"), False)
    styles.read(content, True)
    body = content.find(f"{_tag('office', 'body')}/{_tag('office', 'text')}")
    if body is None:
        raise FormatError("bad_file", "this ODT file holds no text document")
    writer = _Writer(styles, archive)
    try:
        writer.blocks(body)
    except RecursionError:
        raise FormatError("bad_file", "the ODT file is nested too deeply") from None
    return "".join(writer.out)
