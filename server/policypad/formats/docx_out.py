"""Document -> DOCX (chosen by measured fidelity over pandoc's writer: see the README's
"Documents in and out").

python-docx gives the package: its template's styles ("Heading N", "Quote", "Table
Grid"), relationships and image parts. The body is written here as WordprocessingML
text and parsed once (python-docx's object API took 3 s for a 100-page manual, most
of it in style look-ups and element searches). Every line becomes a paragraph: headings
in "Heading N", list lines numbered through numbering definitions of our own (bullets,
or decimals restarting with each list), `pre` lines in "Preformatted Text", quotes in
"Quote"; tables are laid out on a grid with merged cells and repeated header rows.
Links are hyperlinks; images are embedded, or their alt text written where `images`
has no bytes for them.
"""

from __future__ import annotations

import io

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.image.exceptions import UnrecognizedImageError
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shape import CT_Inline
from docx.shared import Emu, Pt
from lxml import etree

from policypad.document.lines import Attributes, Line, Run
from policypad.formats._blocks import (
    ALIGNMENTS,
    Table,
    blocks,
    is_rule,
    pixels,
    split_embeds,
    xml_text,
)
from policypad.formats.images import ImageSource

EMU_PER_PIXEL = 9525
"""Word measures in English Metric Units: 914,400 to the inch, 96 CSS pixels to the inch."""
_JC = {"center": "center", "right": "right", "justify": "both"}
_BULLETS = "•◦▪•◦▪•◦▪"
_BULLET_LIST, _NUMBER_LIST = 990, 991
"""Our abstract numbering ids (high, beside the template's own)."""
_TABLE_KEYS = frozenset({"table", "row", "cell", "colspan", "rowspan", "th", "head"})
_TEXT_WIDTH_TWIPS = 9000
"""The width tables are laid out to (the template's page less its margins)."""


def _abstract_numbering(number: int, numbered: bool) -> str:
    levels = []
    for level in range(9):
        kind, text = ("decimal", f"%{level + 1}.") if numbered else ("bullet", _BULLETS[level])
        levels.append(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{kind}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:pPr>'
            f'<w:ind w:left="{720 * (level + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
        )
    return (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{number}">'
        f'<w:multiLevelType w:val="hybridMultilevel"/>{"".join(levels)}</w:abstractNum>'
    )


def _run_properties(attributes: Attributes) -> str:
    # in the order the schema asks for
    properties = []
    if attributes.get("code"):
        properties.append('<w:rStyle w:val="SourceText"/>')
    if attributes.get("bold"):
        properties.append("<w:b/>")
    if attributes.get("italic"):
        properties.append("<w:i/>")
    if attributes.get("strike"):
        properties.append("<w:strike/>")
    if attributes.get("underline"):
        properties.append('<w:u w:val="single"/>')
    if attributes.get("sub"):
        properties.append('<w:vertAlign w:val="subscript"/>')
    elif attributes.get("sup"):
        properties.append('<w:vertAlign w:val="superscript"/>')
    return f"<w:rPr>{''.join(properties)}</w:rPr>" if properties else ""


def _text_run(text: str, attributes: Attributes) -> str:
    pieces = text.split("\t")
    body = "<w:tab/>".join(f'<w:t xml:space="preserve">{xml_text(piece)}</w:t>'
                           for piece in pieces)  # fmt: skip
    return f"<w:r>{_run_properties(attributes)}{body}</w:r>"


class _Writer:
    def __init__(self, images: ImageSource, title: str) -> None:
        self.document = docx.Document()
        self.document.core_properties.title = title
        self.images = images
        self.part = self.document.part
        self.shape_id = 1000
        self.links: dict[str, str] = {}
        self.out: list[str] = []
        self.numbering = self.part.numbering_part.element
        first_num = self.numbering.find(qn("w:num"))
        for number, numbered in ((_BULLET_LIST, False), (_NUMBER_LIST, True)):
            element = parse_xml(_abstract_numbering(number, numbered))
            if first_num is not None:
                first_num.addprevious(element)
            else:
                self.numbering.append(element)
        self.nums = 0
        self.bullets = self._new_num(_BULLET_LIST, 0, None)
        self.open_lists: dict[int, tuple[str, int]] = {}
        """List level -> (type, numbering id) of the lists open at the current line."""
        styles = self.document.styles
        pre = styles.add_style("Preformatted Text", WD_STYLE_TYPE.PARAGRAPH)
        pre.font.name = "Courier New"
        pre.paragraph_format.space_after = Pt(0)
        code = styles.add_style("Source Text", WD_STYLE_TYPE.CHARACTER)
        code.font.name = "Courier New"
        self.pre_style, self.code_style = pre.style_id, code.style_id

    def _new_num(self, abstract: int, level: int, start: int | None) -> int:
        self.nums += 1
        number = 1000 + self.nums
        override = (
            f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            if start
            else ""
        )
        self.numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{number}">'
                f'<w:abstractNumId w:val="{abstract}"/>{override}</w:num>'
            )
        )
        return number

    def write(self, lines: list[Line]) -> bytes:
        for block in blocks(lines):
            if isinstance(block, Table):
                self.open_lists.clear()
                self.table(block)
            else:
                self.line(block)
        namespaces = nsdecls("w", "r", "wp", "a", "pic")
        body = parse_xml(f"<w:body {namespaces}>{''.join(self.out)}</w:body>")
        section = self.document.element.body.find(qn("w:sectPr"))
        for element in list(body):
            section.addprevious(element)
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()

    def line(self, line: Line) -> None:
        runs, block = line
        properties = []
        heading = block.get("heading")
        if heading in ("1", "2", "3", "4", "5", "6"):
            properties.append(f'<w:pStyle w:val="Heading{heading}"/>')
        elif block.get("pre"):
            properties.append(f'<w:pStyle w:val="{self.pre_style}"/>')
        elif block.get("quote"):
            properties.append('<w:pStyle w:val="Quote"/>')
        if block.get("list") in ("bullet", "number"):
            level, number = self.number(block)
            properties.append(
                f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{number}"/></w:numPr>'
            )
        else:
            self.open_lists.clear()
        if is_rule(runs):
            properties.append(
                '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'
            )
            runs = []
        if block.get("align") in ALIGNMENTS:
            properties.append(f'<w:jc w:val="{_JC[block["align"]]}"/>')
        self.out.append(f"<w:p><w:pPr>{''.join(properties)}</w:pPr>")
        self.content(runs)
        self.out.append("</w:p>")

    def number(self, block: Attributes) -> tuple[int, int]:
        kind = block["list"]
        indent = block.get("indent", "1")
        level = min(int(indent), 8) - 1 if indent.isdigit() and int(indent) > 0 else 0
        for deeper in [known for known in self.open_lists if known > level]:
            del self.open_lists[deeper]
        start = block.get("start")
        current = self.open_lists.get(level)
        if kind == "bullet":
            number = self.bullets
        elif current is None or current[0] != kind or start:
            first = int(start) if start and start.isdigit() else 1
            number = self._new_num(_NUMBER_LIST, level, first)
        else:
            number = current[1]
        self.open_lists[level] = (kind, number)
        return level, number

    def content(self, runs: list[Run]) -> None:
        open_link: str | None = None
        for text, attributes in runs:
            href = attributes.get("link") or None
            if href != open_link:
                if open_link is not None:
                    self.out.append("</w:hyperlink>")
                if href is not None:
                    self.out.append(f'<w:hyperlink r:id="{self.link(href)}">')
                open_link = href
            for piece, attrs in split_embeds(text, attributes):
                self.piece(piece, attrs)
        if open_link is not None:
            self.out.append("</w:hyperlink>")

    def link(self, href: str) -> str:
        if href not in self.links:
            self.links[href] = self.part.relate_to(
                href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True
            )
        return self.links[href]

    def piece(self, text: str, attributes: Attributes) -> None:
        embed = attributes.get("embed")
        if embed in ("br", "hr"):
            self.out.append("<w:r><w:br/></w:r>")
            return
        if embed == "image":
            drawing = self.image(attributes)
            if drawing is not None:
                self.out.append(f"<w:r>{drawing}</w:r>")
                return
            text = f"[{attributes.get('alt') or 'image'}]"
        self.out.append(_text_run(text, attributes))

    def image(self, attributes: Attributes) -> str | None:
        data = self.images(attributes.get("src", ""))
        if data is None:
            return None
        try:
            relation, image = self.part.get_or_add_image(io.BytesIO(data))
        except (UnrecognizedImageError, ValueError, OSError, ZeroDivisionError):
            return None
        width, height = pixels(attributes.get("width")), pixels(attributes.get("height"))
        cx, cy = image.scaled_dimensions(
            Emu(width * EMU_PER_PIXEL) if width else None,
            Emu(height * EMU_PER_PIXEL) if height else None,
        )
        self.shape_id += 1
        inline = CT_Inline.new_pic_inline(self.shape_id, relation, image.filename, cx, cy)
        inline.docPr.set("descr", attributes.get("alt", ""))
        return f"<w:drawing>{etree.tostring(inline, encoding='unicode')}</w:drawing>"

    def table(self, table: Table) -> None:
        columns = max(table.column_count, 1)
        width = _TEXT_WIDTH_TWIPS // columns
        self.out.append(
            '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
            'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>'
            + f'<w:gridCol w:w="{width}"/>' * columns
            + "</w:tblGrid>"
        )
        by_place = {(cell.row, cell.column): cell for cell in table.cells}
        continued = {
            (cell.row + down, cell.column): cell
            for cell in table.cells
            for down in range(1, cell.rows)
        }
        for row in range(table.row_count):
            header = "<w:trPr><w:tblHeader/></w:trPr>" if row < table.header_rows else ""
            self.out.append(f"<w:tr>{header}")
            column = 0
            while column < columns:
                cell = by_place.get((row, column))
                below = continued.get((row, column))
                span = cell.columns if cell else below.columns if below else 1
                properties = f'<w:tcW w:w="{width * span}" w:type="dxa"/>'
                if span > 1:
                    properties += f'<w:gridSpan w:val="{span}"/>'
                if cell is not None and cell.rows > 1:
                    properties += '<w:vMerge w:val="restart"/>'
                elif below is not None:
                    properties += "<w:vMerge/>"
                self.out.append(f"<w:tc><w:tcPr>{properties}</w:tcPr>")
                if cell is None:
                    self.out.append("<w:p/>")
                else:
                    for line in cell.lines:
                        runs, block = line
                        self.line((runs, {k: v for k, v in block.items() if k not in _TABLE_KEYS}))
                    self.open_lists.clear()
                self.out.append("</w:tc>")
                column += span
            self.out.append("</w:tr>")
        self.out.append("</w:tbl>")


def to_docx(lines: list[Line], images: ImageSource, title: str = "Document") -> bytes:
    """The DOCX file of a document's lines; images come from `images`."""
    return _Writer(images, title).write(lines)
