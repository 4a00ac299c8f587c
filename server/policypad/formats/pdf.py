"""Document -> PDF: laid out from the model's lines with ReportLab's platypus where that
prints the document faithfully, else printed by WeasyPrint from the model's HTML
(policypad.formats.pdf_html). renderer() chooses, per document.

ReportLab: A4 pages with margins and "n / N" page numbers, headings kept with what
follows them, nested bulleted and numbered lists, tables with merged cells whose header
rows repeat on every page, quotes with their left rule, images, links, alignment and
inline formatting, in DejaVu Sans. It takes about 0.65 s of CPU for the 100-page manual
(policypad.formats.manual) where WeasyPrint takes about 3.9 s (README, "Documents in and
out"), but it draws each character from one font, left to right, unshaped: a character
DejaVu lacks would print as a blank, Hebrew backwards, Arabic and Indic scripts
unjoined. Pango, under WeasyPrint, finds another installed font, reorders and shapes, so
a document with such text goes to WeasyPrint: an export never silently drops text.

Safety: ReportLab's paragraph markup can name files and URLs (`<img src>`, fonts), so the
document's text and attribute values are escaped before they enter markup, images are
never put in markup (each is its own flowable, read from the bytes `images` gives), and
links only become link annotations. An export thus never reads a file of the pad's
choosing nor reaches the network; it reads only the system's fonts.
"""

from __future__ import annotations

import logging

from policypad.document.lines import Line
from policypad.document.schema import EMBED_CHAR
from policypad.formats.images import ImageSource
from policypad.formats.pdf_fonts import OWN_TEXT, UNDRAWN, faces, glyphs, needs_layout
from policypad.formats.pdf_layout import HEADING_SIZES_PT, reportlab_pdf

logger = logging.getLogger(__name__)


def renderer(lines: list[Line]) -> str:
    """ "reportlab" where ReportLab prints `lines` faithfully: every character drawn in a
    DejaVu face that has its glyph, and none needing reordering or shaping; "weasyprint"
    (Pango: font fallback, bidi, shaping) otherwise. The check follows pdf_layout's choice of
    face: mono for code and preformatted lines (checked in sans too, for a preformatted
    heading or list item), bold for headings, header cells and bold text, italic for
    italic text."""
    used: dict[tuple[str, bool, bool], set[str]] = {("sans", False, False): set(OWN_TEXT)}
    for runs, block in lines:
        block_bold = block.get("heading") in HEADING_SIZES_PT or block.get("th") == "true"
        pre = block.get("pre") == "true"
        for text, attributes in runs:
            if "embed" in attributes:
                text = text.replace(EMBED_CHAR, "") + attributes.get("alt", "")
            if not text:
                continue
            bold = block_bold or bool(attributes.get("bold"))
            italic = bool(attributes.get("italic"))
            if attributes.get("code"):
                families: tuple[str, ...] = ("mono",)
            else:
                families = ("sans", "mono") if pre else ("sans",)
            for family in families:
                used.setdefault((family, bold, italic), set()).update(text)
    for (family, bold, italic), characters in used.items():
        characters -= UNDRAWN
        face = faces(family).get((bold, italic))
        if face is None or any(needs_layout(character) for character in characters):
            return "weasyprint"
        if not set(map(ord, characters)) <= glyphs(face):
            return "weasyprint"
    return "reportlab"


def to_pdf(lines: list[Line], images: ImageSource, title: str = "Document") -> bytes:
    """The PDF of a document's lines, printed by the renderer renderer() chooses. Raises
    ImportError (the REST API's 501) where that renderer's libraries are missing: a
    document that needs WeasyPrint is refused rather than printed with gaps."""
    if renderer(lines) == "weasyprint":
        from policypad.formats.pdf_html import to_pdf as weasyprint_pdf

        try:
            return weasyprint_pdf(lines, images, title)
        except ImportError as error:
            # the operator's side of the 501: PDFs in Latin, Greek and Cyrillic still work
            logger.warning(
                "a PDF export needs WeasyPrint (its text is beyond ReportLab's DejaVu "
                "fonts, right to left or shaped) and %s is not installed",
                error.name,
            )
            raise
    return reportlab_pdf(lines, images, title)
