"""How faithfully each candidate library carries a policy manual into and out of DOCX and
ODT: the measurement behind the choice of libraries in policypad.formats.

    .venv/bin/python -m pip install -e '.[bench]'   # pandoc, as the pypandoc-binary wheel
    .venv/bin/python benchmarks/format_fidelity.py

Readers are judged on files that other programs wrote (LibreOffice's DOCX and ODT of the
manual, tests/fixtures/formats/, and a manual written with python-docx's API); writers
on the manual written and read back by PolicyPad's reader of that format. Each result is
parsed by the document model, as an import is, and scored against the manual on the
features the issue names: a feature counts when every occurrence of it survives.
"""

from __future__ import annotations

import difflib
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.word_manual import IMAGE, WORD_MANUAL_HTML, word_manual  # noqa: E402

from policypad.document import Document  # noqa: E402
from policypad.formats import read_document, source_for, write_document  # noqa: E402
from policypad.formats.docx_in import docx_to_html  # noqa: E402
from policypad.formats.manual import SCHEMA, data_url, manual  # noqa: E402
from policypad.formats.odt_in import odt_to_html  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "formats"
FEATURES: dict[str, str] = {
    "headings 1-6": r"<h[1-6]>",
    "bold": r"<strong>",
    "italic": r"<em>",
    "underline": r"<u>",
    "strike": r"<s>",
    "sub/sup": r"<su[bp]>",
    "links": r'<a href="[^"]+">',
    "nested lists": r"<li>[^<]*<(?:ul|ol)>",
    "numbered lists": r"<ol",
    "header rows": r"<thead>",
    "merged cells": r'(?:col|row)span="2"',
    "images": r"<img src=\"data:",
    "image alt text": r'alt="[^"]+"',
    "image size": r'width="\d+"',
    "alignment": r'style="text-align: (?:center|right|justify)"',
}


def score(expected: str, actual: str) -> tuple[list[str], float]:
    """The features of `expected` that `actual` keeps every occurrence of, and how much of
    the text (character by character, in order) it keeps."""
    kept = [
        name
        for name, pattern in FEATURES.items()
        if re.findall(pattern, expected)
        and len(re.findall(pattern, actual)) >= len(re.findall(pattern, expected))
    ]
    text_a = Document.from_html(expected, SCHEMA).to_text()
    text_b = Document.from_html(actual, SCHEMA).to_text()
    ratio = difflib.SequenceMatcher(None, text_a, text_b, autojunk=False).ratio()
    return kept, ratio


def model_html(html: str) -> str:
    return Document.from_html(html, SCHEMA).to_html(schema=SCHEMA)


def pandoc_reader(fmt: str) -> Callable[[bytes], str]:
    import pypandoc

    def read(data: bytes) -> str:
        with tempfile.TemporaryDirectory() as folder:  # pandoc reads a file
            path = Path(folder) / f"in.{fmt}"
            path.write_bytes(data)
            return str(pypandoc.convert_file(str(path), "html", extra_args=["--embed-resources"]))

    return read


def pandoc_writer(fmt: str) -> Callable[[Document], bytes]:
    import pypandoc

    def write(document: Document) -> bytes:
        with tempfile.TemporaryDirectory() as folder:  # pandoc writes a file
            path = Path(folder) / f"out.{fmt}"
            html = document.to_html(schema=SCHEMA)
            pypandoc.convert_text(html, fmt, "html", outputfile=str(path))
            return path.read_bytes()

    return write


def mammoth_plain(data: bytes) -> str:
    import io

    import mammoth

    return str(mammoth.convert_to_html(io.BytesIO(data)).value)


def main() -> None:
    the_manual = manual(2)
    expected_manual = the_manual.to_html(schema=SCHEMA)
    expected_word = model_html(WORD_MANUAL_HTML.format(image=data_url(IMAGE)))
    inputs = {
        "docx": [
            ("LibreOffice", (FIXTURES / "manual-libreoffice.docx").read_bytes(), expected_manual),
            ("python-docx", word_manual(), expected_word),
        ],
        "odt": [
            ("LibreOffice", (FIXTURES / "manual-libreoffice.odt").read_bytes(), expected_manual)
        ],
    }
    readers: dict[str, list[tuple[str, Callable[[bytes], str]]]] = {
        "docx": [
            ("mammoth + PolicyPad's additions", docx_to_html),
            ("mammoth alone", mammoth_plain),
            ("pandoc", pandoc_reader("docx")),
        ],
        "odt": [("PolicyPad's reader", odt_to_html), ("pandoc", pandoc_reader("odt"))],
    }
    print(f"features scored: {', '.join(FEATURES)}\n")
    print("Readers (files written by other programs):")
    for fmt, candidates in readers.items():
        for file_name, data, expected in inputs[fmt]:
            for name, read in candidates:
                started = time.perf_counter()
                html = model_html(read(data))
                seconds = time.perf_counter() - started
                kept, ratio = score(expected, html)
                lost = [f for f in FEATURES if re.search(FEATURES[f], expected) and f not in kept]
                total = len([f for f in FEATURES if re.search(FEATURES[f], expected)])
                print(
                    f"  {fmt} from {file_name:11} {name:32} {len(kept):2}/{total} features, "
                    f"text {ratio:.3f}, {seconds * 1000:6.0f} ms; lost: {', '.join(lost) or '-'}"
                )
    print("\nWriters (the manual written, then read back by PolicyPad's reader):")
    writers: dict[str, list[tuple[str, Callable[[Document], bytes]]]] = {
        "docx": [
            ("python-docx + PolicyPad's body", _ours("docx")),
            ("pandoc", pandoc_writer("docx")),
        ],
        "odt": [("PolicyPad's writer", _ours("odt")), ("pandoc", pandoc_writer("odt"))],
    }
    total = len([f for f in FEATURES if re.search(FEATURES[f], expected_manual)])
    for fmt, candidates in writers.items():
        for name, write in candidates:
            started = time.perf_counter()
            data = write(the_manual)
            seconds = time.perf_counter() - started
            html = read_document(data, fmt, SCHEMA).to_html(schema=SCHEMA)
            kept, ratio = score(expected_manual, html)
            present = [f for f in FEATURES if re.search(FEATURES[f], expected_manual)]
            lost = [f for f in present if f not in kept]
            print(
                f"  {fmt} {name:32} {len(kept):2}/{total} features, text {ratio:.3f}, "
                f"{seconds * 1000:6.0f} ms; lost: {', '.join(lost) or '-'}"
            )


def _ours(fmt: str) -> Callable[[Document], bytes]:
    def write(document: Document) -> bytes:
        return write_document(document, fmt, source_for("x"), title="Manual", schema=SCHEMA)

    return write


if __name__ == "__main__":
    main()
