"""DOCX in (mammoth) and out (python-docx): model -> file -> model round trips on the
policy manuals, the file's own structure as Word reads it, and what DOCX loses."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from policypad.document import Document, Schema
from policypad.formats import (
    FormatError,
    format_of,
    read_document,
    sniff,
    source_for,
    write_document,
)
from policypad.formats.archive import MAX_MEMBERS
from policypad.formats.manual import SCHEMA, data_url, manual, png
from tests.support.formats import (
    FIXTURES,
    assert_same,
    html,
    manual_html,
    round_trip,
    without_header_alignment,
)
from tests.support.word_manual import IMAGE, WORD_MANUAL_HTML, word_manual

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_the_manual_comes_back_equal() -> None:
    # headings 1-6, bold/italic/underline/strike, sub/sup, links, nested bulleted and
    # numbered lists, a table with a header row and merged cells, an image, alignment
    document = manual(2)
    assert_same(html(document), html(round_trip(document, "docx")))


def test_a_manual_written_by_python_docx_imports_as_written() -> None:
    expected = Document.from_html(WORD_MANUAL_HTML.format(image=data_url(IMAGE)), SCHEMA)
    imported = read_document(word_manual(), "docx", SCHEMA)
    assert_same(html(expected), html(imported))
    # file -> pad -> file -> pad
    assert_same(html(imported), html(round_trip(imported, "docx")))


def test_a_manual_saved_by_libreoffice_imports_and_round_trips() -> None:
    imported = read_document((FIXTURES / "manual-libreoffice.docx").read_bytes(), "docx", SCHEMA)
    # LibreOffice's DOCX writer keeps no image description (its ODT keeps it: see the
    # ODT tests), so the images come without alt text; its header cells are centred.
    expected = manual_html(2).replace(' alt="Figure 1"', "").replace(' alt="Figure 2"', "")
    assert_same(expected, without_header_alignment(html(imported)))
    assert_same(html(imported), html(round_trip(imported, "docx")))


def test_the_file_is_what_word_reads() -> None:
    data = write_document(manual(1), "docx", lambda src: None, title="Leave", schema=SCHEMA)
    assert sniff(data) == "docx"
    opened = docx.Document(io.BytesIO(data))
    assert opened.core_properties.title == "Leave"
    styles = [paragraph.style.name for paragraph in opened.paragraphs]
    assert styles[:3] == ["Heading 1", "Heading 2", "Normal"]
    assert {"Heading 4", "Heading 5", "Heading 6"} <= set(styles)
    table = opened.tables[0]._tbl
    rows = table.findall(f"{W}tr")
    assert len(rows) == 4
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None  # repeated on every page
    assert rows[1].find(f"{W}trPr/{W}tblHeader") is None
    spans = table.findall(f".//{W}gridSpan")
    assert [span.get(f"{W}val") for span in spans] == ["2"]
    merges = [merge.get(f"{W}val") for merge in table.findall(f".//{W}vMerge")]
    assert merges == ["restart", None]
    # no image bytes from the source: the alt text stands in its place
    assert "[Figure 1]" in "\n".join(paragraph.text for paragraph in opened.paragraphs)


def test_images_are_embedded_with_their_size() -> None:
    image = png(40, 20, (0, 128, 0))
    document = Document.from_html(
        f'<p><img src="{data_url(image)}" alt="Green" width="80" height="40"></p>', SCHEMA
    )
    data = write_document(document, "docx", lambda src: image, title="t", schema=SCHEMA)
    opened = docx.Document(io.BytesIO(data))
    shape = opened.inline_shapes[0]
    assert (shape.width, shape.height) == (80 * 9525, 40 * 9525)
    assert opened.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed]
    back = read_document(data, "docx", SCHEMA)
    assert_same(html(document), html(back))


def test_libreoffice_raised_and_lowered_text_is_sub_and_superscript() -> None:
    # LibreOffice writes sub/superscript as w:position (a run moved off the line)
    document = Document.from_html("<p>H<sub>2</sub>O and m<sup>2</sup></p>", SCHEMA)
    data = write_document(document, "docx", lambda src: None, title="t", schema=SCHEMA)
    moved = _replace_member(
        data,
        "word/document.xml",
        lambda xml: xml.replace(
            b'<w:vertAlign w:val="subscript"/>', b'<w:position w:val="-2"/>'
        ).replace(b'<w:vertAlign w:val="superscript"/>', b'<w:position w:val="8"/>'),
    )
    assert b"w:position" in zipfile.ZipFile(io.BytesIO(moved)).read("word/document.xml")
    assert_same(html(document), html(read_document(moved, "docx", SCHEMA)))


def test_what_docx_loses() -> None:
    # Listed in the README: a numbered list's start (mammoth reads no start value), a
    # horizontal rule (mammoth reads no paragraph border), classes (Word has no place
    # for them); an image the server cannot give the bytes of becomes its alt text.
    schema = Schema(classes=frozenset({"note"}), allow_data_images=True)
    document = Document.from_html(
        '<ol start="3"><li>three</li></ol><hr><p class="note">kept text</p>'
        '<p><img src="https://example.com/a.png" alt="Remote"></p>',
        schema,
    )
    assert 'class="note"' in document.to_html(schema=schema)
    data = write_document(document, "docx", lambda src: None, title="t", schema=schema)
    back = read_document(data, "docx", schema)
    assert back.to_html(schema=schema) == "<ol><li>three</li></ol><p>kept text</p><p>[Remote]</p>"


def test_what_docx_keeps_beyond_the_issue() -> None:
    document = Document.from_html(
        "<p>a <code>call()</code> b</p><blockquote><p>quoted</p></blockquote>"
        "<pre>two  spaces\n  indented</pre><p>tab\there<br>next</p>"
        '<h2 style="text-align: right">Right</h2>'
        "<table><tr><td><p>one</p><p>two</p></td><td><ul><li>in a cell</li></ul></td></tr>"
        "</table>",
        SCHEMA,
    )
    assert_same(html(document), html(round_trip(document, "docx")))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip at all", "not a zip"),
        (b"PK\x03\x04" + b"\x00" * 60, "not a zip"),
        (None, "no word/document.xml"),
        (None, "damaged"),
    ],
    ids=["text", "truncated-zip", "zip-without-document", "crc-mismatch"],
)
def test_a_corrupt_file_is_a_clear_error(data: bytes | None, message: str) -> None:
    if message == "no word/document.xml":
        data = _zip({"hello.txt": b"hi"})
    elif message == "damaged":
        good = write_document(manual(1), "docx", lambda src: None, title="t", schema=SCHEMA)
        data = _corrupt_member(good, "word/document.xml")
    assert data is not None
    with pytest.raises(FormatError) as raised:
        read_document(data, "docx", SCHEMA)
    assert raised.value.code == "bad_file"
    assert message in raised.value.message


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    bomb = _zip({"word/document.xml": b" " * (50 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(FormatError) as raised:
        read_document(bomb, "docx", SCHEMA)
    assert raised.value.code == "file_too_large"
    many = _zip({f"part{number}.xml": b"" for number in range(MAX_MEMBERS + 1)})
    with pytest.raises(FormatError, match="parts"):
        read_document(many, "docx", SCHEMA)


def test_formats_are_known_by_media_type_name_or_bytes() -> None:
    media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert format_of(media) == "docx"
    assert format_of("application/octet-stream", "Policy.DOCX") == "docx"
    assert format_of("application/octet-stream", "notes.txt") is None
    assert sniff(word_manual()) == "docx"
    assert sniff(_zip({"a.txt": b"x"})) is None
    assert sniff(b"%PDF-1.7") is None


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def _replace_member(data: bytes, name: str, change: object) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            content = source.read(member.filename)
            archive.writestr(member, change(content) if member.filename == name else content)  # type: ignore[operator]
    return out.getvalue()


def _corrupt_member(data: bytes, name: str) -> bytes:
    """`data` with one byte of a member's packed content flipped (its CRC no longer fits)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    info = source.getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    damaged = bytearray(data)
    damaged[start + info.compress_size // 2] ^= 0xFF
    return bytes(damaged)


def test_the_fast_xml_reader_builds_mammoths_own_tree() -> None:
    from mammoth.docx import office_xml, xmlparser

    from policypad.formats.docx_in import parse_office_xml

    files = [(FIXTURES / "manual-libreoffice.docx").read_bytes(), word_manual()]
    files.append(write_document(manual(2), "docx", source_for("t"), title="t", schema=SCHEMA))
    compared = 0
    for data in files:
        archive = zipfile.ZipFile(io.BytesIO(data))
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                raw = archive.read(name)
                mammoths = xmlparser.parse_xml(io.BytesIO(raw), office_xml._namespaces)
                assert parse_office_xml(io.BytesIO(raw), office_xml._namespaces) == mammoths, name
                compared += 1
    assert compared > 20


def test_broken_xml_inside_the_zip_is_a_clear_error() -> None:
    good = write_document(manual(1), "docx", lambda src: None, title="t", schema=SCHEMA)
    broken = _replace_member(good, "word/document.xml", lambda xml: xml[: len(xml) // 2])
    with pytest.raises(FormatError) as raised:
        read_document(broken, "docx", SCHEMA)
    assert raised.value.code == "bad_file" and "broken XML" in raised.value.message
