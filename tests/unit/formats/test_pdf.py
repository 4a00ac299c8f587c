"""PDF out (ReportLab): the manual's text, links, images, tables and pages, read back
from the PDF with pypdf."""

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


def test_preformatted_lines_keep_their_spaces_in_one_block() -> None:
    document = Document.from_html("<pre>code  block\n  indented\n\nend</pre>", SCHEMA)
    text = _pdf(document).pages[0].extract_text()
    assert "code  block\n  indented\nend" in text
