"""DOCX -> HTML, with mammoth (chosen by measured fidelity: see the README's "Documents in
and out"), for the document model's HTML import to parse and sanitize.

Mammoth maps Word's structure (styles, numbering, tables, links, images) to plain HTML
and drops the look. Three things it does not carry are added here: underline and
Word's character styles for emphasis (a style map), and paragraph alignment, which
mammoth reads but never writes: each aligned paragraph gets a marker at its start, and
the marker becomes the `text-align` of the element it lands in. Images come inline as
`data:` URLs.
"""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ElementTree
import zipfile
from typing import Any

import mammoth
import mammoth.documents
import mammoth.docx.office_xml
import mammoth.transforms
from mammoth.docx.xmlparser import XmlElement, XmlText

from policypad.formats.archive import open_zip, read_member
from policypad.formats.errors import FormatError

_STYLE_MAP = """
u => u
r[style-name='Emphasis'] => em
r[style-name='Strong'] => strong
r[style-name='Strong Emphasis'] => strong
r[style-name='Source Text'] => code
r[style-name='HTML Code'] => code
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => h2:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='Quotations'] => blockquote > p:fresh
p[style-name='Preformatted Text'] => pre:separator('\\n')
p[style-name='HTML Preformatted'] => pre:separator('\\n')
"""
# Noncharacters: never in a real document's text, so safe as markers.
_OPEN, _CLOSE = "\ufdd0", "\ufdd1"
_ALIGNMENTS = {"center": "center", "right": "right", "end": "right", "both": "justify",
               "distribute": "justify"}  # fmt: skip
_ALIGNED = re.compile(f"<(p|h[1-6]|li)>{_OPEN}(center|right|justify){_CLOSE}")
_LEFTOVER = re.compile(f"{_OPEN}[a-z]*{_CLOSE}")
_MC_CHOICE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Choice"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_WP_EXTENT, _WP_DOC_PR = f"{_WP}extent", f"{_WP}docPr"
_A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_RAISED = b"<w:position "
_POSITION = re.compile(rb'<w:position w:val="(-?[1-9][0-9]*)"\s*/>')
_CONTENT_TYPES = frozenset({"image/png", "image/jpeg", "image/gif"})


def _mark_alignment(paragraph: Any) -> Any:
    alignment = _ALIGNMENTS.get(paragraph.alignment or "")
    if alignment is None:
        return paragraph
    marker = mammoth.documents.run([mammoth.documents.text(f"{_OPEN}{alignment}{_CLOSE}")])
    return paragraph.copy(children=[marker, *paragraph.children])


def _image_sizes(document_xml: bytes) -> list[tuple[str, int, int]]:
    """(alt text, width, height in CSS pixels) of each image of the body, in order.

    Mammoth gives an image's bytes and alt text but not the size it is shown at, so the
    sizes are read here, in the order mammoth meets the images (it reads an
    `mc:AlternateContent`'s fallback, so the choice is skipped here too)."""
    sizes: list[tuple[str, int, int]] = []
    skipping = 0
    extent: tuple[int, int] = (0, 0)
    alt = ""
    try:
        for event, element in ElementTree.iterparse(io.BytesIO(document_xml), ("start", "end")):
            if element.tag == _MC_CHOICE:
                skipping += 1 if event == "start" else -1
            elif skipping or event != "end":
                continue
            elif element.tag == _WP_EXTENT:
                extent = (int(element.get("cx", "0")), int(element.get("cy", "0")))
            elif element.tag == _WP_DOC_PR:
                descr = (element.get("descr") or "").strip()
                alt = element.get("descr") if descr else (element.get("title") or "")
            elif element.tag == _A_BLIP:
                sizes.append((alt, round(extent[0] / 9525), round(extent[1] / 9525)))
    except (ElementTree.ParseError, ValueError):
        return []
    return sizes


def _image_converter(sizes: list[tuple[str, int, int]]) -> Any:
    def convert(image: Any) -> dict[str, str]:
        attributes: dict[str, str] = {}
        alt = image.alt_text or ""
        # the next few sizes, in case mammoth skipped an image this reading did not
        for index, (size_alt, width, height) in enumerate(sizes[:3]):
            if size_alt == alt:
                del sizes[: index + 1]
                if width > 0 and height > 0:
                    attributes.update(width=str(width), height=str(height))
                break
        # Other types (EMF, WMF, SVG, TIFF) would be refused by the model: their alt stays.
        content_type = (image.content_type or "").lower()
        if content_type not in _CONTENT_TYPES:
            return {"alt": alt}
        with image.open() as stream:
            encoded = base64.b64encode(stream.read()).decode("ascii")
        return {"src": f"data:{content_type};base64,{encoded}", **attributes}

    return convert


def _position_as_vert_align(match: re.Match[bytes]) -> bytes:
    kind = b"subscript" if match.group(1).startswith(b"-") else b"superscript"
    return b'<w:vertAlign w:val="' + kind + b'"/>'


def _with_raised_text_as_scripts(data: bytes, archive: zipfile.ZipFile, body: bytes) -> bytes:
    """The DOCX with raised and lowered runs (`w:position`) as superscript and subscript.

    LibreOffice writes sub- and superscript that way (a smaller run moved off the line),
    Word with `w:vertAlign`; mammoth reads only the latter. The package is rewritten only
    when its body has such a run."""
    if _RAISED not in body:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rewritten:
        for member in archive.infolist():
            content = read_member(archive, member.filename, "DOCX")
            if member.filename == "word/document.xml":
                content = _POSITION.sub(_position_as_vert_align, content)
            rewritten.writestr(member, content)
    return out.getvalue()


def parse_office_xml(fileobj: Any, namespace_mapping: Any = None) -> Any:
    """mammoth's XML tree of a part, built from the C ElementTree parser.

    mammoth builds a DOM with xml.dom.minidom and then copies it into its own tree: half
    of the time of a 100-page import. This builds the same tree (elements, attributes
    less namespace declarations, text nodes, prefixed names) in one pass of the C
    parser; a test compares it with mammoth's own on real files."""
    prefixes = {uri: prefix for prefix, uri in namespace_mapping or ()}

    def name_of(tag: str) -> str:
        if not tag.startswith("{"):
            return tag
        uri, local = tag[1:].split("}", 1)
        prefix = prefixes.get(uri)
        return f"{prefix}:{local}" if prefix is not None else tag

    def convert(element: ElementTree.Element) -> Any:
        children: list[Any] = []
        if element.text:
            children.append(XmlText(element.text))
        for child in element:
            if isinstance(child.tag, str):  # comments and processing instructions: none
                children.append(convert(child))
            if child.tail:
                children.append(XmlText(child.tail))
        attributes = {name_of(key): value for key, value in element.attrib.items()}
        return XmlElement(name_of(element.tag), attributes, children)

    return convert(ElementTree.parse(fileobj).getroot())


def _parse_with_errors_as_mammoth(fileobj: Any, namespace_mapping: Any = None) -> Any:
    try:
        return parse_office_xml(fileobj, namespace_mapping)
    except ElementTree.ParseError as error:
        raise FormatError("bad_file", f"the DOCX file holds broken XML: {error}") from None


# mammoth's office_xml module reads every part through this one name (mammoth is pinned)
mammoth.docx.office_xml.parse_xml = _parse_with_errors_as_mammoth


def docx_to_html(data: bytes) -> str:
    """The HTML of a DOCX file; raises FormatError if it is not one, or too large."""
    archive = open_zip(data, "DOCX")
    body = read_member(archive, "word/document.xml", "DOCX")
    sizes = _image_sizes(body)
    data = _with_raised_text_as_scripts(data, archive, body)
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=_STYLE_MAP,
            transform_document=mammoth.transforms.paragraph(_mark_alignment),
            convert_image=mammoth.images.img_element(_image_converter(sizes)),
        )
    except FormatError:
        raise
    except Exception as error:  # a damaged file fails anywhere inside mammoth
        raise FormatError("bad_file", f"the DOCX file cannot be read: {error!r}"[:300]) from None
    html = _ALIGNED.sub(r'<\1 style="text-align: \2">', result.value)
    return _LEFTOVER.sub("", html)
