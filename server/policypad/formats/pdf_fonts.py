"""The fonts of the ReportLab PDF path (policypad.formats.pdf_layout): DejaVu's TrueType
faces, registered once per process, and which characters they can print as they are."""

from __future__ import annotations

import threading
import unicodedata
from typing import Any

# DejaVu Sans is what the server already had for WeasyPrint (scripts/setup installs
# fonts-dejavu-core): it covers Latin, Greek, Cyrillic and more. Its italic faces come with
# fonts-dejavu-extra; a missing face is stood in for by the regular one rather than
# failing the export (policypad.formats.pdf.renderer then checks the stand-in's glyphs).
_FAMILIES = {
    "sans": ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"),
    "mono": ("DejaVuSansMono", "DejaVuSansMono-Bold", "DejaVuSansMono-Oblique",
             "DejaVuSansMono-BoldOblique"),
}  # fmt: skip
_STYLES = ((False, False), (True, False), (False, True), (True, True))
"""(bold, italic) of each face in a _FAMILIES entry, in order."""
Faces = dict[tuple[bool, bool], str]
_fonts_lock = threading.Lock()
_fonts: dict[str, Faces] = {}
"""Family ("sans", "mono") -> (bold, italic) -> the registered face's ReportLab name,
registered once per process; empty where the family's regular face is not installed."""


def faces(family: str) -> Faces:
    """The faces of `family`, their TrueType files registered the first time; markup that
    asks for bold or italic of the regular face gets the right one."""
    with _fonts_lock:
        if family not in _fonts:
            _fonts[family] = _register(family)
        return _fonts[family]


def _register(family: str) -> Faces:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    found: list[str | None] = []
    for face in _FAMILIES[family]:
        try:
            pdfmetrics.registerFont(TTFont(face, f"{face}.ttf"))
            found.append(face)
        except (TTFError, OSError):
            found.append(None)
    regular, bold, italic, bold_italic = found
    if regular is None:
        return {}
    bold = bold or regular
    italic = italic or regular
    bold_italic = bold_italic or (bold if italic == regular else italic)
    faces = dict(zip(_STYLES, (regular, bold, italic, bold_italic), strict=True))
    for (is_bold, is_italic), face in faces.items():
        addMapping(regular, int(is_bold), int(is_italic), face)
    return faces


def glyphs(face: str) -> Any:
    """The code points `face` (a registered TrueType face) has a glyph for."""
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.getFont(face).face.charToGlyph.keys()


# Printed by ReportLab itself, in the regular sans face: page numbers, list numbers and
# bullets, the brackets around an absent image's alt text.
OWN_TEXT = frozenset("0123456789 /.•◦▪[]")
# Not drawn as glyphs: tabs and line breaks are spacing, and the other C0 controls are
# dropped from markup (_blocks.xml_text), as WeasyPrint's HTML drops them.
UNDRAWN = frozenset(map(chr, range(0x20)))
_RIGHT_TO_LEFT = frozenset({"R", "AL", "AN", "RLE", "RLO", "RLI"})
_DIACRITICS = range(0x0300, 0x0370)
"""Combining Diacritical Marks: Latin, Greek and Cyrillic accents, which DejaVu draws
over the letter before them without shaping."""


def needs_layout(character: str) -> bool:
    """Whether `character` needs what ReportLab does not do: right-to-left reordering
    (bidi classes R, AL, AN and the right-to-left embeddings and overrides) or shaping,
    approximated by combining marks (general categories Mn and Mc) outside the Combining
    Diacritical Marks block. Arabic is AL; Indic, Thai, Khmer and the like write vowel
    signs and viramas as combining marks; an emoji's variation selector is one too."""
    if unicodedata.bidirectional(character) in _RIGHT_TO_LEFT:
        return True
    return unicodedata.category(character) in ("Mn", "Mc") and ord(character) not in _DIACRITICS
