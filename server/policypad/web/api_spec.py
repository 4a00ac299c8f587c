"""The REST API declared once: each endpoint's method, path, who may call it, its query
parameters, and the shapes of its body and answer (msgspec structs). The OpenAPI document
at /api/openapi.json is made from these declarations (`openapi.py`), and a test checks
that every route the app serves under /api is declared here and nothing else is."""

from __future__ import annotations

from dataclasses import dataclass, field

import msgspec

# -- shapes ------------------------------------------------------------------------------


class Error(msgspec.Struct):
    class Detail(msgspec.Struct):
        code: str
        message: str

    error: Detail


class NewPad(msgspec.Struct, omit_defaults=True):
    """A pad to create: an id (or one is made) and its first content (or empty)."""

    id: str | None = None
    text: str | None = None
    html: str | None = None
    markdown: str | None = None


class Document(msgspec.Struct, omit_defaults=True):
    """New content for a pad: one of html, markdown or text."""

    html: str | None = None
    markdown: str | None = None
    text: str | None = None


class Created(msgspec.Struct):
    id: str
    rev: int


class Head(msgspec.Struct):
    rev: int


class Pad(msgspec.Struct):
    id: str
    rev: int
    created: int
    updated: int
    authors: list[str]
    deleted: bool


class PadSummary(msgspec.Struct):
    id: str
    rev: int
    created: int
    updated: int
    deleted: bool


class PadList(msgspec.Struct):
    pads: list[PadSummary]
    next: str | None


class Revision(msgspec.Struct):
    rev: int
    author: str
    time: int
    changeset: str
    added: int
    removed: int


class RevisionList(msgspec.Struct):
    revisions: list[Revision]


class Timeline(msgspec.Struct):
    head: int
    authors: list[str]
    start: int | None
    times: list[int]
    by: list[int]


class Content(msgspec.Struct, omit_defaults=True):
    rev: int
    html: str | None = None
    text: str | None = None
    markdown: str | None = None
    atext: dict[str, str] | None = None
    pool: dict[str, msgspec.Raw] | None = None


class Diff(msgspec.Struct, rename={"start": "from", "end": "to"}):
    start: int
    end: int
    html: str


class RestoreTo(msgspec.Struct):
    rev: int


class NewVersion(msgspec.Struct, omit_defaults=True):
    rev: int
    label: str
    note: str | None = None


class Version(msgspec.Struct):
    id: int
    rev: int
    label: str
    note: str
    author: str
    time: int


class VersionList(msgspec.Struct):
    versions: list[Version]


class VersionAt(msgspec.Struct):
    version: Version


class ChatMessage(msgspec.Struct):
    number: int
    author: str
    name: str
    text: str
    time: int
    rev: int


class ChatList(msgspec.Struct):
    messages: list[ChatMessage]


class User(msgspec.Struct, omit_defaults=True):
    clientId: str
    author: str
    name: str
    color: str
    selection: dict[str, int] | None = None


class UserList(msgspec.Struct):
    users: list[User]


class Imported(msgspec.Struct):
    id: str
    rev: int
    authors: int
    chat: int


class StoredImage(msgspec.Struct):
    """An image kept for a pad: the URL documents hold, its sha256 (hex), the media type
    its bytes were found to be, its size in bytes and pixels."""

    url: str
    hash: str
    type: str
    bytes: int
    width: int
    height: int


class Author(msgspec.Struct):
    id: str
    name: str
    color: str


class AuthorList(msgspec.Struct):
    authors: list[Author]


# -- endpoints ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    name: str
    kind: str = "integer"
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    summary: str
    access: str
    """Who may call it: `key` (the API key), `read` (also any token for the pad), `edit`
    (also an edit token for the pad) or `anyone`."""
    answer: type | None
    status: int = 200
    body: type | None = None
    query: tuple[Query, ...] = ()
    errors: tuple[int, ...] = field(default=(401, 403, 404, 422))
    body_media: str = "application/json"
    """The request body's media type (`body` is then its schema, or None: raw bytes)."""
    answer_media: str = "application/json"
    """The answer's media type (`answer`: its schema, or None: raw bytes)."""
    files: tuple[str, ...] = ()
    """Media types of file bodies it takes besides JSON (an uploaded DOCX or ODT), or, for
    an endpoint whose answer is a file, the media types it answers with."""


DOCUMENT_FILES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
    "application/octet-stream",
)
EXPORT_FILES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
    "application/pdf",
    "text/html",
    "text/markdown",
    "text/plain",
)


ENDPOINTS = (
    Endpoint("GET", "/api/openapi.json", "This document", "anyone", None, errors=()),
    Endpoint("POST", "/api/pads",
             "Create a pad (empty, or from text, HTML or Markdown; or a DOCX or ODT file as "
             "the body, with the id as `?id=`)",
             "key", Created, 201, NewPad, query=(Query("id", "string"),),
             errors=(401, 403, 409, 413, 415, 422, 501, 502), files=DOCUMENT_FILES),
    Endpoint("GET", "/api/pads", "Pads by id, a page at a time (`next`: the next `after`)",
             "key", PadList, query=(Query("prefix", "string"), Query("after", "string"),
                                    Query("limit"))),
    Endpoint("GET", "/api/pads/{pad_id}", "Head revision, times, authors", "read", Pad),
    Endpoint("DELETE", "/api/pads/{pad_id}", "Mark deleted (history kept; sessions closed)",
             "key", None, 204),
    Endpoint("GET", "/api/pads/{pad_id}/revisions", "Revisions, oldest first", "read",
             RevisionList, query=(Query("since"), Query("limit"))),
    Endpoint("GET", "/api/pads/{pad_id}/timeline",
             "Every revision's time and author, compactly", "read", Timeline),
    Endpoint("GET", "/api/pads/{pad_id}/revisions/{rev}", "One revision", "read", Revision),
    Endpoint("GET", "/api/pads/{pad_id}/content", "The document at a revision (default head)",
             "read", Content,
             query=(Query("rev"), Query("format", "string", ("html", "text", "markdown",
                                                             "atext")))),
    Endpoint("PUT", "/api/pads/{pad_id}/content",
             "Replace the content (HTML, Markdown or text; or a DOCX or ODT file as the "
             "body): one new revision, authors kept on kept text", "key", Head,
             body=Document, errors=(401, 403, 404, 409, 413, 415, 422, 501, 502, 503),
             files=DOCUMENT_FILES),
    Endpoint("GET", "/api/pads/{pad_id}/export",
             "The document at a revision (default head) as a file: DOCX, ODT, PDF, HTML, "
             "Markdown or text", "read", None,
             query=(Query("format", "string", ("docx", "odt", "pdf", "html", "md", "txt")),
                    Query("rev")),
             errors=(401, 403, 404, 422, 501), files=EXPORT_FILES),
    Endpoint("GET", "/api/pads/{pad_id}/diff", "The change between two revisions, as HTML",
             "read", Diff, query=(Query("from"), Query("to"))),
    Endpoint("POST", "/api/pads/{pad_id}/restore", "A new revision equal to an old one",
             "edit", Head, body=RestoreTo, errors=(401, 403, 404, 409, 422, 503)),
    Endpoint("GET", "/api/pads/{pad_id}/chat", "Chat messages", "read", ChatList,
             query=(Query("since"), Query("limit"))),
    Endpoint("GET", "/api/pads/{pad_id}/users", "Users connected now", "read", UserList),
    Endpoint("POST", "/api/pads/import/etherpad",
             "A new pad from Etherpad's .etherpad export (body), with its whole history",
             "key", Imported, 201, query=(Query("id", "string"),),
             errors=(401, 403, 409, 413, 415, 422)),
    Endpoint("GET", "/api/pads/{pad_id}/authors",
             "Everyone who wrote a revision, with their names and colors", "read", AuthorList),
    Endpoint("POST", "/api/pads/{pad_id}/versions", "Name a revision", "edit", Version, 201,
             NewVersion, errors=(401, 403, 404, 409, 422)),
    Endpoint("GET", "/api/pads/{pad_id}/versions", "Named versions, oldest first", "read",
             VersionList),
    Endpoint("GET", "/api/pads/{pad_id}/versions/at",
             "The version in effect at a time: the newest named at or before it", "read",
             VersionAt, query=(Query("time"),)),
    Endpoint("DELETE", "/api/pads/{pad_id}/versions/{number}",
             "Remove a name (the revision stays)", "edit", None, 204),
    Endpoint("POST", "/api/pads/{pad_id}/images",
             "Keep an image (the body: its bytes; PNG, JPEG, GIF or WebP) for the pad",
             "edit", StoredImage, 201, body_media="application/octet-stream",
             errors=(401, 403, 404, 409, 413, 415, 422, 502, 503)),
    Endpoint("GET", "/api/pads/{pad_id}/images/{hash}",
             "An image of the pad (also with the pad's image access token, `access`)",
             "read", None, query=(Query("access", "string"),), answer_media="image/*",
             errors=(401, 403, 404)),
)  # fmt: skip
