"""A document's lines laid out as a PDF with ReportLab's platypus (see
policypad.formats.pdf for when this path is taken, and for its safety rules)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from policypad.document.lines import Attributes, Line, Run
from policypad.document.schema import EMBED_CHAR, render_link
from policypad.formats._blocks import (
    ALIGNMENTS,
    Table,
    blocks,
    is_rule,
    pixels,
    split_embeds,
    xml_text,
)
from policypad.formats.images import ImageSource, media_type
from policypad.formats.pdf_fonts import faces

_FONT_SIZE_PT = 10.5
HEADING_SIZES_PT = {"1": 20.0, "2": 16.0, "3": 13.0, "4": 11.5, "5": 10.5, "6": 10.0}
_LINK_COLOR = "#1a4f9c"
_MARKS = (("bold", "b"), ("italic", "i"), ("underline", "u"), ("strike", "strike"),
          ("sub", "sub"), ("sup", "super"))  # fmt: skip
_PX_TO_PT = 0.75
_MAX_LIST_DEPTH = 8
_MARGINS_MM = {"top": 20.0, "right": 18.0, "bottom": 22.0, "left": 18.0}
_FRAME_PADDING_PT = 6.0
"""What ReportLab's page frame keeps free inside the margins, on each side."""
_TEXT_WIDTH_PT = (
    595.2756 - (_MARGINS_MM["left"] + _MARGINS_MM["right"]) * 72 / 25.4 - 2 * _FRAME_PADDING_PT
)
"""A4's width less the margins and the frame's padding, in points: where text prints."""
_CELL_PADDING_PT = 5.0
_LIST_INDENT_PT = _FONT_SIZE_PT * 1.6
_FRAME_HEIGHT_PT = (
    841.8898 - (_MARGINS_MM["top"] + _MARGINS_MM["bottom"]) * 72 / 25.4 - 2 * _FRAME_PADDING_PT
)
"""A4's height less the margins and the frame's padding, in points."""


def _depth(block: Attributes) -> int:
    """How deep a list line is nested, from 1."""
    indent = block.get("indent", "1")
    return min(int(indent), _MAX_LIST_DEPTH) if indent.isdigit() and int(indent) > 0 else 1


def _kept_if_short(paragraph: Any) -> Any:
    """`paragraph`, no longer kept with what follows if it is half a page or taller:
    ReportLab loops for ever keeping a paragraph taller than a page with the next."""
    if getattr(paragraph.style, "keepWithNext", 0):
        _, height = paragraph.wrap(_TEXT_WIDTH_PT - _LIST_INDENT_PT * 2, _FRAME_HEIGHT_PT)
        if height > _FRAME_HEIGHT_PT / 2:
            paragraph.keepWithNext = 0
    return paragraph


def _grouped_kind(line: Line) -> str | None:
    """ "list" or "pre" for a line printed together with its neighbours of that kind."""
    runs, block = line
    if block.get("list") in ("bullet", "number"):
        return "list"
    heading = block.get("heading") in HEADING_SIZES_PT
    return "pre" if block.get("pre") == "true" and not is_rule(runs) and not heading else None


class _Writer:
    """Turns lines into platypus flowables; `images` answers each image's bytes."""

    def __init__(self, images: ImageSource) -> None:
        from reportlab.lib import colors
        from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle

        self.images = images
        self.image_cache: dict[str, Any] = {}
        # renderer() chose this writer only if the faces the text needs are there; a
        # missing mono family is then never asked for
        sans = faces("sans")
        self.sans = sans[False, False]
        self.mono = faces("mono").get((False, False), self.sans)
        body = ParagraphStyle(
            "body", fontName=self.sans, fontSize=_FONT_SIZE_PT, leading=_FONT_SIZE_PT * 1.4,
            textColor=colors.HexColor("#111111"), spaceAfter=_FONT_SIZE_PT * 0.6,
        )  # fmt: skip
        self.styles: dict[str, ParagraphStyle] = {"body": body}
        for level, size in HEADING_SIZES_PT.items():
            self.styles[f"h{level}"] = ParagraphStyle(
                f"h{level}", parent=body, fontSize=size, leading=size * 1.2,
                spaceBefore=size * 1.1, spaceAfter=size * 0.4, keepWithNext=1,
                textColor=colors.HexColor("#444444" if level == "6" else "#111111"),
            )  # fmt: skip
        self.styles["cell"] = ParagraphStyle("cell", parent=body, spaceAfter=0)
        self.styles["item"] = ParagraphStyle("item", parent=body, spaceAfter=0)
        self.styles["pre"] = ParagraphStyle(
            "pre", parent=body, fontName=self.mono, fontSize=9, leading=12,
            backColor=colors.HexColor("#f6f6f6"), borderPadding=4, spaceBefore=4,
            spaceAfter=_FONT_SIZE_PT * 0.6 + 4,
        )  # fmt: skip
        self.styles["quote"] = ParagraphStyle(
            "quote", parent=body, textColor=colors.HexColor("#333333")
        )
        self.alignments = {None: TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT,
                           "justify": TA_JUSTIFY}  # fmt: skip
        self.aligned: dict[tuple[str, str], ParagraphStyle] = {}

    def style(self, name: str, align: str | None) -> Any:
        if align not in ALIGNMENTS:
            return self.styles[name]
        key = (name, align)
        if key not in self.aligned:
            from reportlab.lib.styles import ParagraphStyle

            self.aligned[key] = ParagraphStyle(
                f"{name}-{align}", parent=self.styles[name], alignment=self.alignments[align]
            )
        return self.aligned[key]

    # -- blocks ------------------------------------------------------------------------

    def flowables(self, lines: list[Line], inside: str = "body") -> list[Any]:
        """The flowables of `lines`: paragraphs, lists and tables in order. `inside` is
        the style of plain paragraphs ("cell" in a table)."""
        out: list[Any] = []
        # consecutive list lines print as one nested list, preformatted lines as one block
        pending: list[Line] = []
        pending_kind: str | None = None
        # a cell's lines still carry their table's attributes: they are not a table again
        for block in blocks(lines) if inside == "body" else lines:
            if isinstance(block, Table):
                kind = None
            elif inside == "body" and block[1].get("quote"):
                # a quote holds its lists and preformatted lines, as in the HTML
                kind = "quote"
            else:
                kind = _grouped_kind(block)
            if pending and kind != pending_kind:
                out.extend(self.group(pending_kind, pending))
                pending = []
            if kind is not None:
                pending.append(block)  # type: ignore[arg-type]
                pending_kind = kind
            elif isinstance(block, Table):
                out.append(self.table(block))
            else:
                out.extend(self.line(block, inside))
        if pending:
            out.extend(self.group(pending_kind, pending))
        return out

    def group(self, kind: str | None, lines: list[Line]) -> list[Any]:
        if kind == "quote":
            return self.quote(lines)
        return self.list(lines) if kind == "list" else self.preformatted(lines)

    def quote(self, lines: list[Line]) -> list[Any]:
        """Quoted lines indented beside a grey rule (print.css's blockquote): a one-cell
        table with only a left border, which splits across pages."""
        from reportlab.lib import colors
        from reportlab.platypus import Indenter
        from reportlab.platypus import Table as GridTable

        indent = _FONT_SIZE_PT * 1.2
        rule = GridTable(
            [[self.flowables(lines, "quote")]], colWidths=["100%"], hAlign="LEFT",
            splitInRow=1, spaceAfter=_FONT_SIZE_PT * 0.6,
            style=[("LINEBEFORE", (0, 0), (0, 0), 2.25, colors.HexColor("#cccccc")),
                   ("LEFTPADDING", (0, 0), (0, 0), _FONT_SIZE_PT * 0.8),
                   ("RIGHTPADDING", (0, 0), (0, 0), 0), ("TOPPADDING", (0, 0), (0, 0), 0),
                   ("BOTTOMPADDING", (0, 0), (0, 0), 0)],
        )  # fmt: skip
        return [Indenter(left=indent), rule, Indenter(left=-indent)]

    def preformatted(self, lines: list[Line]) -> list[Any]:
        """Preformatted lines as one block (an image in them follows it)."""
        from reportlab.platypus import XPreformatted

        texts: list[str] = []
        images: list[Any] = []
        for runs, _ in lines:
            pieces = list(self.pieces(runs))
            texts.append("".join(piece for piece in pieces if isinstance(piece, str)))
            images.extend(piece for piece in pieces if not isinstance(piece, str))
        style = self.style("pre", lines[0][1].get("align"))
        return [XPreformatted("\n".join(texts), style), *images]

    def line(self, line: Line, inside: str) -> list[Any]:
        runs, block = line
        if is_rule(runs):
            from reportlab.platypus.flowables import HRFlowable

            return [HRFlowable(width="100%", thickness=0.5, color="#888888", spaceBefore=2,
                               spaceAfter=6)]  # fmt: skip
        heading = block.get("heading")
        name = inside
        if heading in HEADING_SIZES_PT:
            name = f"h{heading}"
        elif block.get("pre") == "true":
            name = "pre"
        bold = name.startswith("h") or (inside == "cell" and block.get("th") == "true")
        return self.paragraphs(runs, self.style(name, block.get("align")), name == "pre", bold)

    def paragraphs(
        self, runs: list[Run], style: Any, pre: bool = False, bold: bool = False
    ) -> list[Any]:
        """One paragraph of `runs`; an image splits it (ReportLab's inline images are read
        from a file or URL named in markup, which an export must never do)."""
        from reportlab.platypus import Paragraph, XPreformatted

        out: list[Any] = []
        for piece in self.pieces(runs):
            if isinstance(piece, str):
                if bold:
                    # headings and header cells are bold, as a browser prints them
                    piece = f"<b>{piece}</b>"
                if pre:
                    out.append(XPreformatted(piece, style))
                elif piece.strip() or not out:
                    out.append(_kept_if_short(Paragraph(piece, style)))
            else:
                piece.hAlign = {1: "CENTER", 2: "RIGHT"}.get(style.alignment, "LEFT")
                out.append(piece)
        return out

    def pieces(self, runs: list[Run]) -> Iterator[Any]:
        """Paragraph markup, with each printable image between as an Image flowable."""
        markup: list[str] = []
        for text, attributes in runs:
            for piece, attrs in split_embeds(text, attributes):
                embed = attrs.get("embed")
                if embed in ("br", "hr"):
                    markup.append("<br/>")
                    continue
                if embed == "image":
                    image = self.image(attrs)
                    if image is not None:
                        yield "".join(markup)
                        markup = []
                        yield image
                        continue
                    piece = f"[{attrs.get('alt') or 'image'}]"
                elif EMBED_CHAR in piece and embed:
                    continue
                markup.append(self.inline(piece, attrs))
        yield "".join(markup)

    def inline(self, text: str, attributes: Attributes) -> str:
        # markup is XML: escaped, and less the control characters its parser rejects
        body = xml_text(text)
        if attributes.get("code"):
            body = f'<font face="{self.mono}" size="9">{body}</font>'
        for flag, tag in _MARKS:
            if attributes.get(flag):
                body = f"<{tag}>{body}</{tag}>"
        link = render_link(attributes.get("link")) if "link" in attributes else None
        if link:
            body = f'<a href="{xml_text(link)}" color="{_LINK_COLOR}"><u>{body}</u></a>'
        return body

    def image(self, attributes: Attributes) -> Any:
        from reportlab.lib.utils import ImageReader
        from reportlab.platypus import Image

        src = attributes.get("src", "")
        if src not in self.image_cache:
            data = self.images(src)
            ok = bool(data) and media_type(data) in ("image/png", "image/jpeg", "image/gif")
            size = ImageReader(io.BytesIO(data)).getSize() if ok and data else None
            self.image_cache[src] = (data, size) if size else None
        known = self.image_cache[src]
        if known is None:
            return None
        data, (natural_width, natural_height) = known
        width = pixels(attributes.get("width")) or natural_width or 1
        height = (
            pixels(attributes.get("height"))
            or (natural_height * width / natural_width if natural_width else natural_height)
            or 1
        )
        # no larger than the text area (a browser's max-width: 100%): ReportLab fails on a
        # picture that cannot fit a page
        scale = min(1.0, _TEXT_WIDTH_PT / (width * _PX_TO_PT),
                    _FRAME_HEIGHT_PT * 0.9 / (height * _PX_TO_PT))  # fmt: skip
        # a file object per use: ReportLab reads it when drawing, and writes the same
        # picture once however often it is drawn
        return Image(io.BytesIO(data), width * _PX_TO_PT * scale, height * _PX_TO_PT * scale)

    def list(self, lines: list[Line]) -> list[Any]:
        """Consecutive list lines as one ListFlowable, deeper lines nested in the item
        before them."""
        from reportlab.platypus import ListFlowable, ListItem

        # each open level: [kind, start, items]; an item is a list of flowables
        def new_level(kind: str, start: str | None) -> list[Any]:
            return [kind, start, []]

        def close(level: list[Any]) -> Any:
            kind, start, items = level
            number = int(start) if start and start.isdigit() else 1
            return ListFlowable(
                [ListItem(flowables) for flowables in items],
                bulletType="1" if kind == "number" else "bullet",
                bulletFormat="%s." if kind == "number" else None,
                start=number if kind == "number" else "•◦▪"[(len(stack) - 1) % 3],
                bulletFontName=self.sans, bulletFontSize=_FONT_SIZE_PT,
                leftIndent=_LIST_INDENT_PT, spaceAfter=0,
            )  # fmt: skip

        stack: list[list[Any]] = []
        done: list[Any] = []

        def finish() -> None:
            """Close the deepest open level into the item before it, or into `done`."""
            finished = close(stack[-1])
            stack.pop()
            (stack[-1][2][-1] if stack else done).append(finished)

        for runs, block in lines:
            kind = block["list"]
            depth = _depth(block)
            start = block.get("start")
            while len(stack) > depth:
                finish()
            if len(stack) == depth and (stack[-1][0] != kind or start):
                finish()
            while len(stack) < depth:
                if stack and not stack[-1][2]:
                    stack[-1][2].append([])
                stack.append(new_level(kind, start if len(stack) + 1 == depth else None))
            heading = block.get("heading")
            name = f"h{heading}" if heading in HEADING_SIZES_PT else "item"
            stack[-1][2].append(
                self.paragraphs(runs, self.style(name, block.get("align")), bold=name != "item")
            )
        while stack:
            finish()
        return done

    def table(self, table: Table) -> Any:
        from reportlab.lib import colors
        from reportlab.platypus import Table as GridTable

        columns = max(table.column_count, 1)
        grid: list[list[Any]] = [["" for _ in range(columns)] for _ in range(table.row_count)]
        commands: list[tuple[Any, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PADDING_PT),
            ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PADDING_PT),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        for cell in table.cells:
            grid[cell.row][cell.column] = self.flowables(cell.lines, "cell")
            if cell.columns > 1 or cell.rows > 1:
                end = (cell.column + cell.columns - 1, cell.row + cell.rows - 1)
                commands.append(("SPAN", (cell.column, cell.row), end))
            if cell.block.get("th") == "true":
                commands.append(("BACKGROUND", (cell.column, cell.row),
                                 (cell.column + cell.columns - 1, cell.row + cell.rows - 1),
                                 colors.HexColor("#eeeeee")))  # fmt: skip
        # splitInRow: a row taller than a page is split rather than failing the export
        return GridTable(grid, colWidths=self.column_widths(table), repeatRows=table.header_rows,
                         style=commands, hAlign="LEFT", spaceAfter=_FONT_SIZE_PT * 0.8,
                         splitInRow=1)  # fmt: skip

    def column_widths(self, table: Table) -> list[float]:
        """Each column as wide as its widest unwrapped cell, all of them narrowed in
        proportion where that is wider than the page (a browser's automatic table layout,
        roughly: ReportLab cannot measure a paragraph's natural width itself)."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        columns = max(table.column_count, 1)
        widths = [_CELL_PADDING_PT * 2 + 2] * columns
        # single cells first; then a merged cell wider than its columns widens them evenly
        for cell in sorted(table.cells, key=lambda cell: cell.columns):
            font = faces("sans")[cell.block.get("th") == "true", False]
            widest = 0.0
            for runs, block in cell.lines:
                # a list item's indent and marker
                width = _LIST_INDENT_PT * _depth(block) if block.get("list") else 0.0
                for text, attributes in runs:
                    if attributes.get("embed") == "image":
                        width += (pixels(attributes.get("width")) or 100) * _PX_TO_PT
                    else:
                        width += stringWidth(text, font, _FONT_SIZE_PT)
                widest = max(widest, width)
            spanned = range(cell.column, min(cell.column + cell.columns, columns))
            missing = widest + _CELL_PADDING_PT * 2 + 2 - sum(widths[i] for i in spanned)
            for index in spanned if missing > 0 else ():
                widths[index] += missing / len(spanned)
        if sum(widths) <= _TEXT_WIDTH_PT:
            return widths
        # Too wide: columns narrower than an even share keep their width, the others share
        # what is left in proportion; with too many columns for the page, even shares.
        share = _TEXT_WIDTH_PT / columns
        narrow = sum(width for width in widths if width <= share)
        wide = sum(width for width in widths if width > share)
        if not wide or narrow >= _TEXT_WIDTH_PT:
            return [share] * columns
        scale = (_TEXT_WIDTH_PT - narrow) / wide
        return [width if width <= share else max(width * scale, share) for width in widths]


def reportlab_pdf(lines: list[Line], images: ImageSource, title: str) -> bytes:
    """The PDF of a document's lines, laid out by ReportLab."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import SimpleDocTemplate, Spacer

    writer = _Writer(images)
    story = writer.flowables(lines)
    footer_font = writer.sans

    class NumberedCanvas(Canvas):
        """Draws "n / N" under each page once N is known: pages are kept until save."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self.pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self.pages)
            for number, state in enumerate(self.pages, 1):
                self.__dict__.update(state)
                # A paragraph's text object ends with a "next line" (T*) that ET then
                # discards: nothing on the page changes without it, and text extractors
                # that follow the operators (pypdf) no longer put a table row's cells, or
                # a list's bullet and its item, on separate lines.
                self._code = [
                    code[:-6] + " ET" if code.endswith(" T* ET") else code for code in self._code
                ]
                self.setFont(footer_font, 9)
                self.setFillColor("#555555")
                self.drawCentredString(A4[0] / 2, _MARGINS_MM["bottom"] * mm / 2,
                                       f"{number} / {total}")  # fmt: skip
                super().showPage()
            super().save()

    out = io.BytesIO()
    document = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=_MARGINS_MM["left"] * mm,
        rightMargin=_MARGINS_MM["right"] * mm, topMargin=_MARGINS_MM["top"] * mm,
        bottomMargin=_MARGINS_MM["bottom"] * mm, title=title, creator="PolicyPad", author="",
    )  # fmt: skip
    # an empty document still prints one (numbered) page
    document.build(story or [Spacer(1, 1)], canvasmaker=NumberedCanvas)
    return out.getvalue()
