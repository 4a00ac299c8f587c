"""Document -> ODT, the OpenDocument XML written here (chosen by measured fidelity over
pandoc's writer: see the README's "Documents in and out").

The package is the smallest a word processor opens as a full document: `mimetype`
(stored first, uncompressed, as the standard asks), the manifest, `styles.xml` with the
named styles (headings, lists, quotes, preformatted text, table cells) and `content.xml`
with one automatic style per combination of formatting used. Lines become `text:h` /
`text:p`, list lines nested `text:list`s, tables `table:table` with header rows and
spanned cells, images `draw:frame`s (or their alt text where `images` has no bytes).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

from policypad.document.lines import Attributes, Line, Run
from policypad.formats._blocks import ALIGNMENTS, Table, blocks, is_rule, pixels, split_embeds
from policypad.formats.images import ImageSource, media_type

_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)
_MIMETYPE = "application/vnd.oasis.opendocument.text"
_HEADING_SIZES = {"1": "20pt", "2": "16pt", "3": "14pt", "4": "12pt", "5": "11pt", "6": "10pt"}
_ALIGN = {"center": "center", "right": "end", "justify": "justify"}
_TEXT_PROPERTIES = {
    "bold": 'fo:font-weight="bold"',
    "italic": 'fo:font-style="italic"',
    "underline": 'style:text-underline-style="solid" style:text-underline-width="auto" '
    'style:text-underline-color="font-color"',
    "strike": 'style:text-line-through-style="solid"',
    "code": 'style:font-name="Liberation Mono" fo:font-family="\'Liberation Mono\'"',
    "sub": 'style:text-position="sub 58%"',
    "sup": 'style:text-position="super 58%"',
}
_FLAGS = tuple(_TEXT_PROPERTIES)


def _styles_xml() -> str:
    headings = "".join(
        f'<style:style style:name="Heading_20_{level}" style:display-name="Heading {level}" '
        f'style:family="paragraph" style:parent-style-name="Heading" '
        f'style:default-outline-level="{level}"><style:text-properties fo:font-size="{size}" '
        'fo:font-weight="bold"/></style:style>'
        for level, size in _HEADING_SIZES.items()
    )

    def list_style(name: str, numbered: bool) -> str:
        levels = []
        for level in range(1, 11):
            indent = f"{0.25 * level + 0.25:.2f}in"
            position = (
                "<style:list-level-properties text:list-level-position-and-space-mode="
                '"label-alignment"><style:list-level-label-alignment text:label-followed-by='
                f'"listtab" fo:text-indent="-0.25in" fo:margin-left="{indent}"/>'
                "</style:list-level-properties>"
            )
            if numbered:
                levels.append(
                    f'<text:list-level-style-number text:level="{level}" style:num-suffix="." '
                    f'style:num-format="1">{position}</text:list-level-style-number>'
                )
            else:
                levels.append(
                    f'<text:list-level-style-bullet text:level="{level}" '
                    f'text:bullet-char="{"•◦▪"[(level - 1) % 3]}">{position}'
                    "</text:list-level-style-bullet>"
                )
        return f'<text:list-style style:name="{name}">{"".join(levels)}</text:list-style>'

    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-styles {_NAMESPACES} office:version="1.3"><office:styles>'
        '<style:style style:name="Standard" style:family="paragraph" style:class="text">'
        '<style:text-properties fo:font-size="11pt"/></style:style>'
        '<style:style style:name="Text_20_body" style:display-name="Text body" '
        'style:family="paragraph" style:parent-style-name="Standard">'
        '<style:paragraph-properties fo:margin-bottom="0.1in"/></style:style>'
        '<style:style style:name="Heading" style:family="paragraph" '
        'style:parent-style-name="Standard"><style:paragraph-properties '
        'fo:margin-top="0.17in" fo:margin-bottom="0.08in" fo:keep-with-next="always"/>'
        f"</style:style>{headings}"
        '<style:style style:name="Quotations" style:family="paragraph" '
        'style:parent-style-name="Standard"><style:paragraph-properties '
        'fo:margin-left="0.4in" fo:margin-right="0.4in"/></style:style>'
        '<style:style style:name="Preformatted_20_Text" style:display-name="Preformatted Text" '
        'style:family="paragraph" style:parent-style-name="Standard"><style:text-properties '
        'style:font-name="Liberation Mono" fo:font-family="\'Liberation Mono\'"/></style:style>'
        '<style:style style:name="Table_20_Contents" style:display-name="Table Contents" '
        'style:family="paragraph" style:parent-style-name="Standard"/>'
        '<style:style style:name="Horizontal_20_Line" style:display-name="Horizontal Line" '
        'style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties '
        'fo:border-bottom="0.5pt solid #808080" fo:padding="0in"/></style:style>'
        f"{list_style('Bullets', False)}{list_style('Numbers', True)}"
        "</office:styles></office:document-styles>"
    )


class _Writer:
    def __init__(self, images: ImageSource) -> None:
        self.images = images
        self.out: list[str] = []
        self.paragraph_styles: dict[tuple[str, str], str] = {}
        self.text_styles: dict[tuple[str, ...], str] = {}
        self.pictures: dict[str, tuple[str, str]] = {}
        """sha1 of an image -> (its path in the package, its media type)."""
        self.picture_bytes: dict[str, bytes] = {}
        self.tables = 0
        self.frames = 0
        self.list_depth = 0
        self.list_types: list[str] = []

    def paragraph_style(self, parent: str, align: str | None) -> str:
        if align not in ALIGNMENTS:
            return parent
        key = (parent, align)
        if key not in self.paragraph_styles:
            self.paragraph_styles[key] = f"P{len(self.paragraph_styles) + 1}"
        return self.paragraph_styles[key]

    def text_style(self, attributes: Attributes) -> str | None:
        flags = tuple(flag for flag in _FLAGS if attributes.get(flag))
        if not flags:
            return None
        if flags not in self.text_styles:
            self.text_styles[flags] = f"T{len(self.text_styles) + 1}"
        return self.text_styles[flags]

    # -- blocks ------------------------------------------------------------------------

    def write(self, lines: list[Line]) -> None:
        for block in blocks(lines):
            if isinstance(block, Table):
                self.close_lists(0)
                self.table(block)
            else:
                self.line(block)
        self.close_lists(0)

    def close_lists(self, depth: int) -> None:
        while self.list_depth > depth:
            self.out.append("</text:list-item></text:list>")
            self.list_depth -= 1
            self.list_types.pop()

    def line(self, line: Line) -> None:
        runs, block = line
        kind = block.get("list")
        if kind in ("bullet", "number"):
            indent = block.get("indent", "1")
            depth = min(int(indent), 8) if indent.isdigit() and int(indent) > 0 else 1
            self.list_line(depth, kind, block.get("start"))
        else:
            self.close_lists(0)
        heading = block.get("heading")
        align = block.get("align")
        if heading in _HEADING_SIZES:
            style = self.paragraph_style(f"Heading_20_{heading}", align)
            self.out.append(f'<text:h text:style-name="{style}" text:outline-level="{heading}">')
            self.content(runs)
            self.out.append("</text:h>")
            return
        parent = "Text_20_body"
        if block.get("pre"):
            parent = "Preformatted_20_Text"
        elif block.get("quote"):
            parent = "Quotations"
        elif block.get("table"):
            parent = "Table_20_Contents"
        if is_rule(runs):
            parent, runs = "Horizontal_20_Line", []
        self.out.append(f'<text:p text:style-name="{self.paragraph_style(parent, align)}">')
        self.content(runs)
        self.out.append("</text:p>")

    def list_line(self, depth: int, kind: str, start: str | None) -> None:
        # Close deeper lists, and this level's list if its type changes or it restarts.
        self.close_lists(depth)
        if self.list_depth == depth and (self.list_types[-1] != kind or start):
            self.close_lists(depth - 1)
        if self.list_depth == depth:
            self.out.append("</text:list-item><text:list-item>")
            return
        while self.list_depth < depth:
            self.list_depth += 1
            parent = self.list_types[-1] if self.list_types else None
            self.list_types.append(kind)
            # a nested list of its parent's type inherits its style; another names its own
            name = "Numbers" if kind == "number" else "Bullets"
            style = "" if parent == kind else f' text:style-name="{name}"'
            self.out.append(f"<text:list{style}>")
            if self.list_depth == depth and start and start.isdigit():
                self.out.append(f'<text:list-item text:start-value="{int(start)}">')
            else:
                self.out.append("<text:list-item>")

    def table(self, table: Table) -> None:
        self.tables += 1
        name = f"Table{self.tables}"
        self.out.append(
            f'<table:table table:name="{name}"><table:table-column '
            f'table:number-columns-repeated="{max(table.column_count, 1)}"/>'
        )
        by_place = {(cell.row, cell.column): cell for cell in table.cells}
        covered = {
            (cell.row + down, cell.column + across)
            for cell in table.cells
            for down in range(cell.rows)
            for across in range(cell.columns)
        } - set(by_place)
        for row in range(table.row_count):
            if row == 0 and table.header_rows:
                self.out.append("<table:table-header-rows>")
            self.out.append("<table:table-row>")
            for column in range(table.column_count):
                cell = by_place.get((row, column))
                if cell is None:
                    if (row, column) in covered:
                        self.out.append("<table:covered-table-cell/>")
                    else:
                        self.out.append('<table:table-cell office:value-type="string"/>')
                    continue
                spans = ""
                if cell.columns > 1:
                    spans += f' table:number-columns-spanned="{cell.columns}"'
                if cell.rows > 1:
                    spans += f' table:number-rows-spanned="{cell.rows}"'
                self.out.append(f'<table:table-cell office:value-type="string"{spans}>')
                for line in cell.lines:
                    self.line(line)
                self.close_lists(0)
                self.out.append("</table:table-cell>")
            self.out.append("</table:table-row>")
            if row == table.header_rows - 1:
                self.out.append("</table:table-header-rows>")
        self.out.append("</table:table>")

    # -- inline ------------------------------------------------------------------------

    def content(self, runs: list[Run]) -> None:
        open_link: str | None = None
        for text, attributes in runs:
            href = attributes.get("link")
            if href != open_link:
                if open_link is not None:
                    self.out.append("</text:a>")
                if href:
                    self.out.append(f'<text:a xlink:type="simple" xlink:href={quoteattr(href)}>')
                open_link = href or None
            for piece, attrs in split_embeds(text, attributes):
                self.piece(piece, attrs)
        if open_link is not None:
            self.out.append("</text:a>")

    def piece(self, text: str, attributes: Attributes) -> None:
        embed = attributes.get("embed")
        if embed in ("br", "hr"):
            self.out.append("<text:line-break/>")
            return
        if embed == "image":
            if self.image(attributes):
                return
            text = f"[{attributes.get('alt') or 'image'}]"
        style = self.text_style(attributes)
        body = _spaces(text)
        if style:
            body = f'<text:span text:style-name="{style}">{body}</text:span>'
        self.out.append(body)

    def image(self, attributes: Attributes) -> bool:
        data = self.images(attributes.get("src", ""))
        kind = media_type(data) if data else None
        if data is None or kind is None:
            return False
        digest = hashlib.sha1(data).hexdigest()
        if digest not in self.pictures:
            extension = kind.split("/")[1].replace("jpeg", "jpg")
            self.pictures[digest] = (f"Pictures/{digest}.{extension}", kind)
            self.picture_bytes[digest] = data
        path = self.pictures[digest][0]
        self.frames += 1
        size = "".join(
            f' svg:{name}="{value / 96:.4f}in"'
            for name in ("width", "height")
            if (value := pixels(attributes.get(name))) is not None
        )
        alt = escape(attributes.get("alt", ""))
        self.out.append(
            f'<draw:frame draw:name="Image{self.frames}" text:anchor-type="as-char"{size}>'
            f'<draw:image xlink:href="{path}" xlink:type="simple" xlink:show="embed" '
            f'xlink:actuate="onLoad"/><svg:desc>{alt}</svg:desc></draw:frame>'
        )
        return True

    def automatic_styles(self) -> str:
        out = []
        for (parent, align), name in self.paragraph_styles.items():
            out.append(
                f'<style:style style:name="{name}" style:family="paragraph" '
                f'style:parent-style-name="{parent}"><style:paragraph-properties '
                f'fo:text-align="{_ALIGN[align]}"/></style:style>'
            )
        for flags, name in self.text_styles.items():
            properties = " ".join(_TEXT_PROPERTIES[flag] for flag in flags)
            out.append(
                f'<style:style style:name="{name}" style:family="text">'
                f"<style:text-properties {properties}/></style:style>"
            )
        return "".join(out)


def _spaces(text: str) -> str:
    """Text with tabs, and runs of spaces past the first, as ODF writes them (XML
    collapses them otherwise)."""
    out: list[str] = []
    spaces = 0
    for character in text:
        if character == " ":
            spaces += 1
            continue
        if spaces:
            out.append(" " if spaces == 1 else f' <text:s text:c="{spaces - 1}"/>')
            spaces = 0
        out.append("<text:tab/>" if character == "\t" else escape(character))
    if spaces:
        out.append(" " if spaces == 1 else f' <text:s text:c="{spaces - 1}"/>')
    return "".join(out)


def to_odt(lines: list[Line], images: ImageSource, title: str = "Document") -> bytes:
    """The ODT file of a document's lines; images come from `images`."""
    writer = _Writer(images)
    writer.write(lines)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-content {_NAMESPACES} office:version="1.3">'
        f"<office:automatic-styles>{writer.automatic_styles()}</office:automatic-styles>"
        f"<office:body><office:text>{''.join(writer.out)}</office:text></office:body>"
        "</office:document-content>"
    )
    meta = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-meta {_NAMESPACES} office:version="1.3"><office:meta>'
        f"<dc:title>{escape(title)}</dc:title><meta:generator>PolicyPad</meta:generator>"
        "</office:meta></office:document-meta>"
    )
    pictures = "".join(
        f'<manifest:file-entry manifest:full-path="{path}" manifest:media-type="{kind}"/>'
        for path, kind in writer.pictures.values()
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{_MIMETYPE}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        f"{pictures}</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), _MIMETYPE, zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
        archive.writestr("styles.xml", _styles_xml())
        archive.writestr("meta.xml", meta)
        for digest, (path, _) in writer.pictures.items():
            archive.writestr(path, writer.picture_bytes[digest], zipfile.ZIP_STORED)
    return out.getvalue()
