"""PDF out (ReportLab, or WeasyPrint for text ReportLab cannot print faithfully): the
manual's text, links, images, tables and pages, read back from the PDF with pypdf."""

from __future__ import annotations

import builtins
import io
import logging
from typing import Any

import pypdf
import pytest

from policypad.document import Document
from policypad.formats import source_for, write_document
from policypad.formats.errors import MissingLibrary
from policypad.formats.manual import SCHEMA, data_url, manual, png
from policypad.formats.pdf import renderer
from policypad.web.documents import _missing_library


def _pdf(document: Document, images: object = None, title: str = "Manual") -> pypdf.PdfReader:
    source = source_for("test") if images is None else images
    data = write_document(document, "pdf", source, title=title, schema=SCHEMA)  # type: ignore[arg-type]
    assert data.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(data))


def test_the_manual_prints_with_its_text_in_reading_order() -> None:
    reader = _pdf(manual(2), title="Leave policy (revision 4)")
    assert reader.metadata is not None and reader.metadata.title == "Leave policy (revision 4)"
    assert len(reader.pages) == 2  # a chapter is about a page
    text = "\n".join(page.extract_text() for page in reader.pages)
    lines = [line.strip() for line in text.splitlines()]
    for expected in (
        "1. Chapter 1",
        "1.1 Scope",
        "Approved by the board",
        "Owner: People team",
        "• Keep records",  # each list item with its marker, three bullet shapes deep
        "▪ never on a laptop",
        "2. Sign it",
        "1. on paper",
        "1.3 Allowances",
        "Grade Travel Meals",
        "B As grade A, plus lounge",
        "Business 45",
        "Finer print",
        "2. Chapter 2",
    ):
        assert expected in lines, expected
    assert "This policy applies to all staff and contractors" in text
    assert "Water is H2O" in text
    order = [lines.index(line) for line in ("1.1 Scope", "• Keep records", "Grade Travel Meals")]
    assert order == sorted(order)
    assert "1 / 2" in lines and "2 / 2" in lines  # the pages are numbered


def test_links_and_images_are_in_the_pdf() -> None:
    reader = _pdf(manual(1))
    page = reader.pages[0]
    uris = [
        annotation.get_object()["/A"]["/URI"]
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/A")
    ]
    assert uris == ["https://example.com/policy/1"]
    images = list(page.images)
    assert len(images) == 1
    assert images[0].image is not None and images[0].image.size == (32, 16)


def test_an_image_without_bytes_prints_its_alt_text_and_nothing_is_fetched() -> None:
    image = png(8, 8, (1, 2, 3))
    document = Document.from_html(
        f'<p>Before <img src="{data_url(image)}" alt="Local"> and '
        '<img src="https://example.com/remote.png" alt="Remote chart"> after</p>',
        SCHEMA,
    )
    asked: list[str] = []

    def only_data_urls(src: str) -> bytes | None:
        asked.append(src)
        return image if src.startswith("data:") else None

    reader = _pdf(document, only_data_urls)
    text = reader.pages[0].extract_text()
    assert "[Remote chart]" in text and "[Local]" not in text
    assert len(list(reader.pages[0].images)) == 1
    assert "https://example.com/remote.png" in asked


def test_a_long_table_repeats_its_header_rows_on_every_page() -> None:
    rows = "".join(f"<tr><td>row {number}</td><td>value</td></tr>" for number in range(120))
    document = Document.from_html(
        f"<table><thead><tr><th>Item</th><th>Value</th></tr></thead><tbody>{rows}</tbody></table>",
        SCHEMA,
    )
    reader = _pdf(document)
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert page.extract_text().splitlines()[0].strip() == "Item Value"


def test_every_heading_item_and_cell_of_a_long_manual_is_printed_once_per_chapter() -> None:
    document = manual(30)
    reader = _pdf(document)
    text = "\n".join(page.extract_text() for page in reader.pages)
    for runs, block in document.lines(SCHEMA):
        line = "".join(piece for piece, attributes in runs if "embed" not in attributes)
        if block.get("heading") or block.get("list") or block.get("table"):
            assert line.strip() in text, line
    assert text.count("As grade A, plus lounge") == 30
    pages = len(reader.pages)
    footers = [page.extract_text().splitlines()[-1].strip() for page in reader.pages]
    assert footers == [f"{number} / {pages}" for number in range(1, pages + 1)]
    # one picture, stored once, drawn on every chapter's page
    pictures = {image.indirect_reference for page in reader.pages for image in page.images}
    assert len(pictures) == 1
    assert sum(len(page.images) for page in reader.pages) == 30


def test_text_that_looks_like_markup_is_printed_as_text_and_reads_nothing() -> None:
    document = Document.from_html(
        "<p>&lt;img src=&quot;/etc/hostname&quot;/&gt; &amp; "
        '&lt;font face="x"&gt;<a href="https://example.com/?a=1&amp;b=&quot;2">q</a></p>'
        "<ul><li>one</li></ul><p>&lt;b&gt;not bold&lt;/b&gt;</p>",
        SCHEMA,
    )
    reader = _pdf(document)
    text = reader.pages[0].extract_text()
    assert '<img src="/etc/hostname"/> &' in text and "<b>not bold</b>" in text
    assert not list(reader.pages[0].images)
    uris = [a.get_object()["/A"]["/URI"] for a in reader.pages[0].get("/Annots", [])]
    assert uris == ['https://example.com/?a=1&b="2']


def test_an_empty_document_is_one_numbered_page() -> None:
    reader = _pdf(Document.from_html("", SCHEMA))
    assert len(reader.pages) == 1
    assert reader.pages[0].extract_text().strip() == "1 / 1"


def test_what_cannot_fit_a_page_is_split_or_shrunk_rather_than_failing() -> None:
    """A heading taller than half a page (ReportLab would loop keeping it with the next
    block), a table row taller than a page, a picture larger than one."""
    picture = data_url(png(3000, 5000, (9, 9, 9)))
    rows = "".join(f"<p>line {number}</p>" for number in range(150))
    document = Document.from_html(
        f"<h1>{'Title ' * 400}</h1><p>after</p>"
        f"<table><tr><td>{rows}</td><td>next</td></tr></table>"
        f'<p><img src="{picture}" alt="big"></p>',
        SCHEMA,
    )
    reader = _pdf(document)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "after" in text and "line 0" in text and "line 149" in text
    assert sum(len(page.images) for page in reader.pages) == 1


def test_a_table_as_wide_as_the_page_keeps_within_the_text_area() -> None:
    """Its columns share the width paragraphs print in, not 12 pt more (ReportLab's page
    frame keeps 6 pt free inside the margins on each side)."""
    cells = "".join(f"<td>{'word' * 3} {number} {'right' * 2}</td>" for number in range(6))
    document = Document.from_html(f"<p>before</p><table><tr>{cells}</tr></table>", SCHEMA)
    page = _pdf(document).pages[0]
    starts: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        if text.strip():
            starts.append((text.strip(), tm[4] * cm[0] + cm[4]))

    page.extract_text(visitor_text=visit)
    left = dict(starts)["before"]  # where paragraphs begin
    right = float(page.mediabox.width) - left  # the margins are alike
    columns = sorted({round(x, 2) for text, x in starts if text.startswith("word")})
    assert len(columns) == 6
    step = columns[1] - columns[0]
    padding = columns[0] - left  # the first cell's text starts a cell's padding in
    assert 0 < padding < step
    assert columns[-1] - padding + step <= right + 0.5, (columns, right)


def test_preformatted_lines_keep_their_spaces_in_one_block() -> None:
    document = Document.from_html("<pre>code  block\n  indented\n\nend</pre>", SCHEMA)
    text = _pdf(document).pages[0].extract_text()
    assert "code  block\n  indented\nend" in text


def _renderer_of(html: str) -> str:
    return renderer(Document.from_html(html, SCHEMA).lines(SCHEMA))


@pytest.mark.parametrize(
    "html",
    [
        "<p>Plain English, café, naïve, “quotes” — and €5</p>",
        "<p>Ελληνικά: <b>καλημέρα</b> <i>κόσμε</i></p>",
        "<h2>Кириллица</h2><pre>код  и <code>ещё</code></pre>",
        "<p>A combining accent: e\u0301</p>",  # Combining Diacritical Marks: no shaping
        "<p>\U0001f600 \u263a</p>",  # emoji DejaVu Sans draws itself
    ],
)
def test_text_dejavu_holds_takes_reportlab(html: str) -> None:
    assert _renderer_of(html) == "reportlab"


@pytest.mark.parametrize(
    "html",
    [
        "<p>Chinese: 中文</p>",  # CJK: no glyphs in DejaVu
        "<p>Hebrew: שלום</p>",  # glyphs in DejaVu, but right to left
        "<p>Arabic: مرحبا</p>",  # right to left and joined
        "<p>Hindi: हिन्दी</p>",  # vowel signs and virama: shaped
        "<p>A rocket: \U0001f680</p>",  # an emoji DejaVu Sans lacks
        "<p>A heart: \u2764\ufe0f</p>",  # DejaVu has the heart; the selector asks for colour
        # a mathematical sans-serif A: in DejaVu Sans, not in its bold face
        "<p>In bold: <b>\U0001d5a0</b></p>",
        "<h2>As a heading: \U0001d5a0</h2>",
    ],
)
def test_text_reportlab_cannot_print_faithfully_takes_weasyprint(html: str) -> None:
    assert _renderer_of(html) == "weasyprint"


def test_the_100_page_manual_takes_reportlab() -> None:
    assert renderer(manual(100).lines(SCHEMA)) == "reportlab"


def test_hebrew_is_printed_with_its_letters_in_reading_order() -> None:
    """WeasyPrint prints it (DejaVu Sans has Hebrew; Pango orders it right to left), and
    the rest of the document with it."""
    document = Document.from_html(
        "<h1>Policy</h1><p>In Hebrew: שלום עולם, then English.</p><p>Ελληνικά</p>", SCHEMA
    )
    text = _pdf(document).pages[0].extract_text()
    assert "שלום עולם" in text
    assert "Policy" in text and "then English." in text and "Ελληνικά" in text


def test_a_quote_has_its_left_rule() -> None:
    document = Document.from_html("<blockquote><p>Quoted</p></blockquote>", SCHEMA)
    data = write_document(document, "pdf", source_for("test"), title="q", schema=SCHEMA)
    content = pypdf.PdfReader(io.BytesIO(data)).pages[0].get_contents()
    assert content is not None
    # the rule: a line in the quote's grey, drawn beside the text
    assert b".8 .8 .8 RG" in content.get_data()
    assert "Quoted" in pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_without_pango_a_document_that_needs_it_is_refused_not_printed_with_gaps(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real_import = builtins.__import__

    def no_pango(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint":
            # what WeasyPrint's cffi raises when it cannot open Pango
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pango)
    with (
        caplog.at_level(logging.WARNING, "policypad.formats.pdf"),
        pytest.raises(MissingLibrary) as raised,
    ):
        _pdf(Document.from_html("<p>中文</p>", SCHEMA))
    assert "Pango is not installed" in caplog.text
    error = _missing_library(raised.value)
    assert (error.status, error.code) == (501, "format_unavailable")
    assert "Pango is not installed: Debian's libpango-1.0-0" in error.message
    # the fast path needs no Pango
    assert _pdf(Document.from_html("<p>Latin</p>", SCHEMA)).pages[0].extract_text()
