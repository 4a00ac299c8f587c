"""ODT in and out (the OpenDocument XML read and written by PolicyPad): model -> file ->
model round trips on the policy manuals, the file's structure, and what ODT loses."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ElementTree
import zipfile

import pytest

from policypad.document import Document, Schema
from policypad.formats import FormatError, format_of, read_document, sniff, write_document
from policypad.formats.manual import SCHEMA, data_url, manual, png
from tests.support.formats import (
    FIXTURES,
    assert_same,
    html,
    manual_html,
    round_trip,
    without_header_alignment,
)

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"


def test_the_manual_comes_back_equal() -> None:
    # headings 1-6, bold/italic/underline/strike, sub/sup, links, nested bulleted and
    # numbered lists, a table with a header row and merged cells, an image, alignment
    document = manual(2)
    assert_same(html(document), html(round_trip(document, "odt")))


def test_a_manual_saved_by_libreoffice_imports_and_round_trips() -> None:
    imported = read_document((FIXTURES / "manual-libreoffice.odt").read_bytes(), "odt", SCHEMA)
    # LibreOffice's "Table Heading" style centres header cells: the rest is the manual
    assert_same(manual_html(2), without_header_alignment(html(imported)))
    assert '<th><p style="text-align: center">Grade</p></th>' in html(imported)
    # file -> pad -> file -> pad
    assert_same(html(imported), html(round_trip(imported, "odt")))


def test_the_package_is_what_an_office_suite_opens() -> None:
    image = png(30, 10, (10, 20, 30))
    data = write_document(manual(1), "odt", lambda src: image, title="Leave", schema=SCHEMA)
    assert sniff(data) == "odt"
    archive = zipfile.ZipFile(io.BytesIO(data))
    first = archive.infolist()[0]
    # the standard: `mimetype` first, stored, so that the file's type shows at byte 38
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    manifest = archive.read("META-INF/manifest.xml").decode()
    pictures = [name for name in archive.namelist() if name.startswith("Pictures/")]
    assert len(pictures) == 1 and pictures[0] in manifest
    assert archive.read(pictures[0]) == image
    assert b"<dc:title>Leave</dc:title>" in archive.read("meta.xml")
    content = ElementTree.fromstring(archive.read("content.xml"))
    levels = [h.get(f"{TEXT}outline-level") for h in content.iter(f"{TEXT}h")]
    assert levels == ["1", "2", "3", "3", "4", "5", "6"]
    table = next(content.iter(f"{TABLE}table"))
    header = table.find(f"{TABLE}table-header-rows")
    assert header is not None and len(header) == 1
    spans = [
        (cell.get(f"{TABLE}number-columns-spanned"), cell.get(f"{TABLE}number-rows-spanned"))
        for cell in table.iter(f"{TABLE}table-cell")
    ]
    assert ("2", None) in spans and (None, "2") in spans
    assert len(list(table.iter(f"{TABLE}covered-table-cell"))) == 2
    nested = [lst for lst in content.iter(f"{TEXT}list") if lst.find(f".//{TEXT}list")]
    assert nested, "nested lists are text:list inside text:list-item"
    frame = next(content.iter(f"{DRAW}frame"))
    assert frame.get("{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}width") == (
        f"{32 / 96:.4f}in"
    )


def test_what_odt_keeps_beyond_the_issue() -> None:
    document = Document.from_html(
        "<p>a <code>call()</code> b</p><blockquote><p>quoted</p></blockquote>"
        "<pre>two  spaces\n  indented</pre><hr><p>tab\there<br>next</p>"
        '<ol start="3"><li>three</li><li>four</li></ol>'
        '<h2 style="text-align: right">Right</h2>'
        "<table><tr><td><p>one</p><p>two</p></td><td><ul><li>in a cell</li></ul></td></tr>"
        "</table>",
        SCHEMA,
    )
    assert_same(html(document), html(round_trip(document, "odt")))


def test_what_odt_loses() -> None:
    # Listed in the README: classes (no place for them in ODF), and an image the server
    # cannot give the bytes of, which becomes its alt text.
    schema = Schema(classes=frozenset({"note"}), allow_data_images=True)
    document = Document.from_html(
        '<p class="note">kept text</p><p><img src="https://example.com/a.png" alt="Remote"></p>',
        schema,
    )
    data = write_document(document, "odt", lambda src: None, title="t", schema=schema)
    back = read_document(data, "odt", schema)
    assert back.to_html(schema=schema) == "<p>kept text</p><p>[Remote]</p>"


def test_images_keep_their_description_and_size() -> None:
    image = png(40, 20, (0, 128, 0))
    document = Document.from_html(
        f'<p><img src="{data_url(image)}" alt="Green" width="80" height="40"></p>', SCHEMA
    )
    assert_same(html(document), html(round_trip(document, "odt")))


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"mimetype": b"application/vnd.oasis.opendocument.text"}, "no content.xml"),
        ({"content.xml": b"<office:document-content"}, "not XML"),
        (
            {"content.xml": b'<a xmlns:o="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>'},
            "no text document",
        ),
    ],
    ids=["no-content", "broken-xml", "a-spreadsheet-or-other"],
)
def test_a_corrupt_file_is_a_clear_error(members: dict[str, bytes], message: str) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    with pytest.raises(FormatError) as raised:
        read_document(out.getvalue(), "odt", SCHEMA)
    assert raised.value.code == "bad_file"
    assert message in raised.value.message
    with pytest.raises(FormatError, match="not a zip"):
        read_document(b"plain text", "odt", SCHEMA)


def test_formats_are_known_by_media_type_name_or_bytes() -> None:
    assert format_of("application/vnd.oasis.opendocument.text; charset=binary") == "odt"
    assert format_of(None, "minutes.odt") == "odt"
    assert sniff((FIXTURES / "manual-libreoffice.odt").read_bytes()) == "odt"
    assert sniff((FIXTURES / "manual-libreoffice.docx").read_bytes()) == "docx"
