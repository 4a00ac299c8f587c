"""Helpers for the document-format tests: the manuals as the model renders them, and a
readable failure when two models differ."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from policypad.document import Document
from policypad.formats import read_document, source_for, write_document
from policypad.formats.manual import SCHEMA, manual

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "formats"


def html(document: Document) -> str:
    """The model's canonical HTML (parse(render(x)) == x, so equal HTML is an equal model)."""
    return document.to_html(schema=SCHEMA)


def assert_same(expected: str, actual: str) -> None:
    """Equal HTML, or a line diff of the two as the failure message."""
    if expected != actual:
        diff = difflib.unified_diff(
            expected.replace("><", ">\n<").splitlines(),
            actual.replace("><", ">\n<").splitlines(),
            "expected",
            "actual",
            lineterm="",
            n=1,
        )
        raise AssertionError("\n".join(line[:300] for line in diff))


def round_trip(document: Document, fmt: str) -> Document:
    """`document` written as `fmt` and read back."""
    data = write_document(document, fmt, source_for("test"), title="Manual", schema=SCHEMA)
    return read_document(data, fmt, SCHEMA)


def manual_html(pages: int = 2) -> str:
    return html(manual(pages))


def without_header_alignment(text: str) -> str:
    """LibreOffice centres header cells (its "Table Heading" style): the manual's header
    paragraphs as a LibreOffice file has them, without that alignment."""
    return re.sub(r'(<th[^>]*><p) style="text-align: center">', r"\1>", text)
