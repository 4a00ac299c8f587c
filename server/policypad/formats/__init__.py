"""Documents in and out: DOCX and ODT into the document model, and a document out as DOCX,
ODT, PDF, HTML, Markdown or text.

Imports go the way of every HTML import: a file is turned into HTML (images inline as
`data:` URLs) and parsed by the model with the host's schema, so what the schema does
not allow never enters a pad. Exports read the model's lines; images come through one
seam, `images.image_bytes`. Which library does which part, and what each format cannot
hold, is measured and listed in the README ("Documents in and out").
"""

from __future__ import annotations

from policypad.document import Document, Schema
from policypad.document.render import escape
from policypad.formats.errors import FormatError
from policypad.formats.images import ImageSource, image_bytes, source_for

MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}
"""Every export format, by its name (and file extension), with its media type."""
IMPORT_FORMATS = ("docx", "odt")
"""The file formats a pad's content can come from (HTML, Markdown and text come as JSON)."""
_ODT_MIMETYPE = MEDIA_TYPES["odt"].encode()


def format_of(media_type: str | None, filename: str | None = None) -> str | None:
    """The import format a media type (or else a file name's extension) names, or None."""
    media_type = (media_type or "").split(";")[0].strip().lower()
    for name in IMPORT_FORMATS:
        if media_type == MEDIA_TYPES[name]:
            return name
    if filename and "." in filename:
        extension = filename.rsplit(".", 1)[1].lower()
        if extension in IMPORT_FORMATS:
            return extension
    return None


def sniff(data: bytes) -> str | None:
    """The import format of a file from its bytes: an ODT's zip starts with its stored
    `mimetype` member, a DOCX's holds `word/document.xml`. None if neither."""
    if not data.startswith(b"PK\x03\x04"):
        return None
    if data[30:38] == b"mimetype" and data[38 : 38 + len(_ODT_MIMETYPE)] == _ODT_MIMETYPE:
        return "odt"
    if b"word/document.xml" in data[-65536:] or b"word/document.xml" in data[:65536]:
        return "docx"
    return None


def file_to_html(data: bytes, fmt: str) -> str:
    """The HTML of a DOCX or ODT file; raises FormatError."""
    if fmt == "docx":
        from policypad.formats.docx_in import docx_to_html

        return docx_to_html(data)
    if fmt == "odt":
        from policypad.formats.odt_in import odt_to_html

        return odt_to_html(data)
    raise FormatError("unsupported_format", f"cannot read {fmt!r} files (docx or odt)")


def read_document(data: bytes, fmt: str, schema: Schema) -> Document:
    """The document a DOCX or ODT file holds, parsed like any HTML import with `schema`;
    raises FormatError (and ValueError for markup nested too deep)."""
    return Document.from_html(file_to_html(data, fmt), schema)


def write_document(
    document: Document, fmt: str, images: ImageSource, *, title: str, schema: Schema
) -> bytes:
    """`document` as a file of format `fmt` (a key of MEDIA_TYPES); raises FormatError."""
    if fmt == "html":
        return (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title></head>\n<body>{document.to_html(schema=schema)}"
            "</body></html>\n"
        ).encode()
    if fmt == "md":
        return document.to_markdown(schema).encode()
    if fmt == "txt":
        return document.to_text().encode()
    lines = document.lines(schema)
    if fmt == "docx":
        from policypad.formats.docx_out import to_docx

        return to_docx(lines, images, title)
    if fmt == "odt":
        from policypad.formats.odt_out import to_odt

        return to_odt(lines, images, title)
    if fmt == "pdf":
        from policypad.formats.pdf import to_pdf

        return to_pdf(lines, images, title)
    raise FormatError("unsupported_format", f"cannot write {fmt!r} ({', '.join(MEDIA_TYPES)})")


__all__ = [
    "IMPORT_FORMATS",
    "MEDIA_TYPES",
    "FormatError",
    "ImageSource",
    "file_to_html",
    "format_of",
    "image_bytes",
    "read_document",
    "sniff",
    "source_for",
    "write_document",
]
