"""PDF out (WeasyPrint with print.css): the manual's text, links, images, tables and
pages, read back from the PDF with pypdf."""

from __future__ import annotations

import io

import pypdf

from policypad.document import Document
from policypad.formats import source_for, write_document
from policypad.formats.manual import SCHEMA, data_url, manual, png


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
        "Keep records",
        "never on a laptop",
        "Sign it",
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
    order = [lines.index(line) for line in ("1.1 Scope", "Keep records", "Grade Travel Meals")]
    assert order == sorted(order)
    assert "1 / 2" in lines and "2 / 2" in lines  # print.css numbers the pages


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
