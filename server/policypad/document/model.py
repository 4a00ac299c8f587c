"""The Document: an AText with its pool, built from and exported to HTML, text, Markdown."""

from __future__ import annotations

from policypad.changeset import AText, AttributePool
from policypad.document.diff import diff_html as _diff_html
from policypad.document.lines import Line, atext_to_lines, lines_to_atext
from policypad.document.markdown import lines_from_markdown, lines_to_markdown
from policypad.document.parse import parse_html
from policypad.document.render import escape, render_lines
from policypad.document.schema import DEFAULT_SCHEMA, Schema
from policypad.document.text import lines_from_text, lines_to_text


class Document:
    """A document in PolicyPad's model: `atext` over `pool`.

    Build one with `from_html`, `from_text`, `from_markdown` or `from_lines`;
    export with `to_html`, `to_html_page`, `to_text`, `to_markdown`.
    """

    __slots__ = ("atext", "pool")

    def __init__(self, atext: AText, pool: AttributePool) -> None:
        self.atext = atext
        self.pool = pool

    @classmethod
    def from_lines(cls, lines: list[Line], pool: AttributePool | None = None) -> Document:
        """Build from the line form (see lines.py)."""
        pool = pool if pool is not None else AttributePool()
        return cls(lines_to_atext(lines, pool), pool)

    @classmethod
    def from_html(
        cls, html: str, schema: Schema = DEFAULT_SCHEMA, pool: AttributePool | None = None
    ) -> Document:
        """Parse HTML from any editor (sanitized: what the schema does not allow is dropped)."""
        return cls.from_lines(parse_html(html, schema), pool)

    @classmethod
    def from_text(cls, text: str, pool: AttributePool | None = None) -> Document:
        """One paragraph per line of plain text."""
        return cls.from_lines(lines_from_text(text), pool)

    @classmethod
    def from_markdown(
        cls, markdown: str, schema: Schema = DEFAULT_SCHEMA, pool: AttributePool | None = None
    ) -> Document:
        """Parse CommonMark (with tables and strikethrough)."""
        return cls.from_lines(lines_from_markdown(markdown, schema), pool)

    def lines(self, schema: Schema | None = None) -> list[Line]:
        """Return the line form; with `schema`, only the attributes it allows (what a pad
        stored before its schema was checked, or a pool edited by hand, is left out)."""
        lines = atext_to_lines(self.atext, self.pool)
        if schema is None:
            return lines
        return [
            ([(text, schema.allowed(attributes)) for text, attributes in runs],
             schema.allowed(block))
            for runs, block in lines
        ]  # fmt: skip

    def to_html(self, *, authors: bool = False, schema: Schema | None = None) -> str:
        """Return the document as an HTML fragment (authors as data-author spans if asked)."""
        return render_lines(self.lines(schema), authors=authors)

    def to_html_page(self, title: str = "Document") -> str:
        """Return the document as a standalone HTML page."""
        return (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title></head>\n<body>{self.to_html()}</body></html>\n"
        )

    def to_text(self) -> str:
        """Return the plain text (line breaks as newlines, images as their alt text)."""
        return lines_to_text(self.lines())

    def to_markdown(self, schema: Schema | None = DEFAULT_SCHEMA) -> str:
        """Return Markdown (what Markdown cannot say is left out); attributes are checked
        against `schema` first, since Markdown has no escaping for some of them."""
        return lines_to_markdown(self.lines(schema))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return self.lines() == other.lines()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Document({self.atext.text[:40]!r}...)"


def diff_html(
    old: Document | AText, new: Document | AText, pool: AttributePool | None = None
) -> str:
    """Return the change from old to new as HTML: new, with inserted and deleted text in
    <ins> and <del>, formatting, block, link and image changes marked with
    ``data-pp-change`` and the old attributes (see docs/document-model.md, "Diff").

    Documents bring their own pools; ATexts (two revisions of one pad) share `pool`.
    """
    return _diff_html(_lines_of(old, pool), _lines_of(new, pool))


def _lines_of(document: Document | AText, pool: AttributePool | None) -> list[Line]:
    if isinstance(document, Document):
        return document.lines()
    if pool is None:
        raise ValueError("an AText needs its pool")
    return atext_to_lines(document, pool)
