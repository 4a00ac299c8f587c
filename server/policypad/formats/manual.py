"""A generated policy manual that uses every feature documents carry in and out:
headings, paragraphs, bold, italic, underline, strike, sub- and superscript, links,
nested bulleted and numbered lists, tables with header rows and merged cells, images and
alignment. `policypad bench formats`, the fidelity measurement and the tests use it."""

from __future__ import annotations

import base64
import struct
import zlib

from policypad.document import Document, Schema

SCHEMA = Schema(allow_data_images=True)
"""The manual's images are `data:` URLs: the schema must let them in."""


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A PNG of one color, made here so that no image file is needed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def data_url(image: bytes, media_type: str = "image/png") -> str:
    """The `data:` URL of an image."""
    return f"data:{media_type};base64,{base64.b64encode(image).decode()}"


def chapter(number: int, image: str) -> str:
    """One chapter (about one printed page) of the manual, as HTML."""
    return (
        f"<h1>{number}. Chapter {number}</h1>"
        f"<h2>{number}.1 Scope</h2>"
        f"<p>This policy applies to <strong>all staff</strong> and <em>contractors</em>, and "
        f"<u>must be read</u> before the first day. It replaces <s>the 2019 rules</s> and "
        f'follows the <a href="https://example.com/policy/{number}">group standard</a>. '
        f"Water is H<sub>2</sub>O and the area is 10 m<sup>2</sup>.</p>"
        f'<p style="text-align: center">Approved by the board</p>'
        f'<p style="text-align: right">Owner: People team</p>'
        f'<p style="text-align: justify">Each member of staff keeps to the rules below '
        f"and asks their manager when in doubt about what applies to them.</p>"
        f"<h3>{number}.2 Rules</h3>"
        "<ul><li>Keep records<ul><li>for seven years</li><li>in the <b>archive</b>"
        "<ul><li>never on a laptop</li></ul></li></ul></li><li>Report incidents</li></ul>"
        "<ol><li>Read the policy</li><li>Sign it<ol><li>on paper</li><li>or online</li>"
        "</ol></li><li>File it</li></ol>"
        f"<h3>{number}.3 Allowances</h3>"
        "<table><thead><tr><th>Grade</th><th>Travel</th><th>Meals</th></tr></thead><tbody>"
        "<tr><td>A</td><td>Economy</td><td>30</td></tr>"
        '<tr><td rowspan="2">B</td><td colspan="2">As grade A, plus lounge</td></tr>'
        "<tr><td>Business</td><td><i>45</i></td></tr>"
        "</tbody></table>"
        f'<p><img src="{image}" alt="Figure {number}" width="32" height="16"></p>'
        f"<h4>{number}.4 Notes</h4><h5>Fine print</h5><h6>Finer print</h6>"
    )


def manual_html(pages: int = 3) -> str:
    """The manual as HTML, `pages` chapters long (each about a printed page)."""
    image = data_url(png(32, 16, (40, 90, 160)))
    return "".join(chapter(number, image) for number in range(1, pages + 1))


def manual(pages: int = 3) -> Document:
    """The manual in the document model."""
    return Document.from_html(manual_html(pages), SCHEMA)
