"""The document model: HTML from any editor <-> attributed text, sanitized.

See docs/document-model.md. `Document.from_html(html)` parses what editors and
users produce (dropping what the schema does not allow, keeping text);
`doc.to_html()` renders well-formed, escaped HTML; `diff_html(old, new)` marks the
changes between two revisions, `diff_lines` gives them as a merged document, and
`accept_lines` / `reject_lines` give either revision back from it.
"""

from __future__ import annotations

from policypad.document.changes import accept_lines, reject_lines
from policypad.document.diff import diff_lines
from policypad.document.lines import Line, atext_to_lines, lines_to_atext
from policypad.document.model import Document, diff_html
from policypad.document.parse import parse_html
from policypad.document.render import render_lines
from policypad.document.schema import EMBED_CHAR, Schema


def from_html(html: str, schema: Schema | None = None) -> Document:
    """Parse HTML into a Document."""
    return Document.from_html(html, schema or Schema())


def from_text(text: str) -> Document:
    """Build a Document from plain text, one paragraph per line."""
    return Document.from_text(text)


def from_markdown(markdown: str, schema: Schema | None = None) -> Document:
    """Build a Document from Markdown."""
    return Document.from_markdown(markdown, schema or Schema())


__all__ = [
    "EMBED_CHAR",
    "Document",
    "Line",
    "Schema",
    "accept_lines",
    "atext_to_lines",
    "diff_html",
    "diff_lines",
    "from_html",
    "from_markdown",
    "from_text",
    "lines_to_atext",
    "parse_html",
    "reject_lines",
    "render_lines",
]
