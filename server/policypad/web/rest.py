"""The REST API under /api: pads, revisions, content at any revision, diff, restore, chat.

Errors are JSON ``{"error": {"code", "message"}}``: 401 without the API key, 403 from a
browser page on an origin that is not allowed, 404 for an unknown pad or revision, 409
for a taken id or a deleted pad, 413 for a body over `max_request_bytes`, 415 for a body
that is not JSON, 422 for bad parameters, 503 when the database refused a write.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from policypad.changeset import AttributePool
from policypad.changeset.changeset import unpack
from policypad.document import Document, Schema, diff_html
from policypad.errors import ImageRefused, ProtocolError, RevisionNotFound
from policypad.hubs import Hubs
from policypad.images import ImageService
from policypad.pad.create import is_pad_id
from policypad.pad.rewrite import changeset_to
from policypad.protocol import MAX_INT
from policypad.web.api import (
    API_AUTHOR,
    EDIT,
    READ,
    ApiError,
    endpoint,
    int_param,
    json_body,
    stored_pad,
)
from policypad.web.documents import document_from_file, is_file_upload
from policypad.web.images import image_error
from policypad.web.openapi import OPENAPI

logger = logging.getLogger(__name__)


async def _document_from(request: Request, pad_id: str, body: dict[str, Any]) -> Document | None:
    """The document a body gives, parsed in a worker thread (a large one takes long), its
    ``data:`` images kept for the pad (none kept if one is refused)."""
    schema: Schema = request.app.state.schema
    images: ImageService = request.app.state.images
    try:
        kind = _content_kind(body)
        if kind == "html":
            return await images.document_from_html(pad_id, body["html"], schema)
        if kind == "markdown":
            return await images.document_from_markdown(pad_id, body["markdown"], schema)
        if kind == "text":
            return Document.from_text(body["text"])
        return None
    except ImageRefused as refused:
        raise image_error(refused) from None
    except ValueError as error:  # nested too deep
        raise ApiError(422, "bad_document", str(error)) from None


def _content_kind(body: dict[str, Any]) -> str | None:
    """Which content a body gives: html, markdown or text (checked), or None."""
    for key in ("html", "markdown", "text"):
        if key in body and isinstance(body[key], str) and "\x00" in body[key]:
            raise ApiError(422, "bad_request", f"{key} holds U+0000")
    for key in ("html", "markdown", "text"):
        if key in body:
            if not isinstance(body[key], str):
                raise ApiError(422, "bad_request", f"{key} must be a string")
            return key
    return None


@endpoint()
async def create_pad(request: Request) -> Response:
    """POST /api/pads {"id"?, "text"?|"html"?|"markdown"?} -> 201 {"id", "rev"}; or a
    DOCX or ODT file as the body, and the id as `?id=`."""
    upload = is_file_upload(request)
    body: dict[str, Any] = {} if upload else await json_body(request)
    named = request.query_params.get("id") if upload else body.get("id")
    pad_id = named or uuid.uuid4().hex[:12]
    if not is_pad_id(pad_id):
        raise ApiError(422, "bad_request", "id: 1-100 letters, digits, '_', '-', '.'")
    if await request.app.state.store.pad(pad_id) is not None:  # before its images are kept
        raise ApiError(409, "pad_exists", f"pad {pad_id!r} exists")
    if upload:
        document = await document_from_file(request, pad_id)
    else:
        document = await _document_from(request, pad_id, body) or Document.from_text("")
    created = await request.app.state.hubs.create(pad_id, document, API_AUTHOR)
    if not created:
        raise ApiError(409, "pad_exists", f"pad {pad_id!r} exists")
    return JSONResponse({"id": pad_id, "rev": 0}, 201)


@endpoint()
async def list_pads(request: Request) -> Response:
    """GET /api/pads?prefix=&after=&limit= -> {"pads": [...], "next"}: pads by id."""
    prefix = request.query_params.get("prefix", "")
    after = request.query_params.get("after", "")
    limit = min(int_param(request, "limit", 100, minimum=1) or 100, 1000)
    if len(prefix) > 100 or len(after) > 100:
        raise ApiError(422, "bad_parameter", "prefix and after are at most 100 characters")
    found = await request.app.state.store.list_pads(prefix, after, limit)
    return JSONResponse(
        {
            "pads": [
                {
                    "id": pad.pad_id,
                    "rev": pad.head_rev,
                    "created": pad.created_ms,
                    "updated": pad.updated_ms,
                    "deleted": pad.deleted,
                }
                for pad in found
            ],
            "next": found[-1].pad_id if len(found) == limit else None,
        }
    )


@endpoint(READ)
async def get_pad(request: Request) -> Response:
    """GET /api/pads/{id} -> head rev, created, updated, authors, deleted."""
    stored = await stored_pad(request)
    authors = await request.app.state.store.authors(stored.pad_id)
    return JSONResponse(
        {
            "id": stored.pad_id,
            "rev": stored.head_rev,
            "created": stored.created_ms,
            "updated": stored.updated_ms,
            "authors": authors,
            "deleted": stored.deleted,
        }
    )


@endpoint()
async def delete_pad(request: Request) -> Response:
    """DELETE /api/pads/{id}: marks the pad deleted (its history is kept); its connected
    clients are told and disconnected, and it takes no more edits or chat."""
    stored = await stored_pad(request)
    hub = await request.app.state.hubs.get(stored.pad_id)
    if hub is not None:
        await hub.mark_deleted()
    return Response(status_code=204)


def _counts(changeset: str) -> tuple[int, int]:
    parsed = unpack(changeset)
    added = sum(op.chars for op in parsed.ops if op.opcode == "+")
    removed = sum(op.chars for op in parsed.ops if op.opcode == "-")
    return added, removed


def _revision_json(revision: Any) -> dict[str, Any]:
    added, removed = _counts(revision.changeset)
    return {
        "rev": revision.rev, "author": revision.author, "time": revision.time_ms,
        "changeset": revision.changeset, "added": added, "removed": removed,
    }  # fmt: skip


@endpoint(READ)
async def list_revisions(request: Request) -> Response:
    """GET /api/pads/{id}/revisions?since=&limit= -> {"revisions": [...]}."""
    stored = await stored_pad(request)
    since = int_param(request, "since", 0)
    limit = min(int_param(request, "limit", 100, minimum=1) or 100, 1000)
    found = await request.app.state.store.revisions(stored.pad_id, since, limit)
    return JSONResponse({"revisions": [_revision_json(revision) for revision in found]})


@endpoint(READ)
async def get_timeline(request: Request) -> Response:
    """GET /api/pads/{id}/timeline -> every revision's time and author, compactly:
    {"head", "authors": [distinct ids], "start": first time, "times": [ms since the
    revision before], "by": [index into authors]}."""
    stored = await stored_pad(request)
    times, authors = await request.app.state.store.timeline(stored.pad_id)
    distinct: dict[str, int] = {}
    by = [distinct.setdefault(author, len(distinct)) for author in authors]
    deltas = [later - earlier for earlier, later in itertools.pairwise(times)]
    return JSONResponse(
        {
            "head": len(times) - 1,
            "authors": list(distinct),
            "start": times[0] if times else None,
            "times": [0, *deltas] if times else [],
            "by": by,
        }
    )


@endpoint(READ)
async def get_revision(request: Request) -> Response:
    """GET /api/pads/{id}/revisions/{rev}."""
    stored = await stored_pad(request)
    rev = request.path_params["rev"]
    found = await request.app.state.store.revisions(stored.pad_id, rev, 1)
    if not found or found[0].rev != rev:
        raise ApiError(404, "revision_not_found", f"no revision {rev}")
    return JSONResponse(_revision_json(found[0]))


async def _document_at(request: Request, pad_id: str, rev: int, head: int) -> Document:
    if rev > head:
        raise ApiError(404, "revision_not_found", f"no revision {rev} (head is {head})")
    try:
        atext, pool = await request.app.state.store.atext_at(pad_id, rev)
    except RevisionNotFound as error:
        raise ApiError(404, "revision_not_found", str(error)) from None
    return Document(atext, pool)


async def document_at_or_head(
    request: Request, stored: Any, rev: int | None
) -> tuple[int, Document]:
    """The document at `rev` (None: the head, as the pad's hub has it), and its number."""
    hub = request.app.state.hubs.loaded(stored.pad_id)
    if rev is None:  # loading the pad sets its head right
        hub = await request.app.state.hubs.get(stored.pad_id)
        rev = hub.published_rev
    if hub is not None and rev == hub.published_rev:
        return rev, Document(hub.published_atext, hub.state.pool)
    return rev, await _document_at(request, stored.pad_id, rev, stored.head_rev)


@endpoint(READ)
async def get_content(request: Request) -> Response:
    """GET /api/pads/{id}/content?rev=&format=html|text|markdown|atext."""
    stored = await stored_pad(request)
    fmt = request.query_params.get("format", "html")
    rev = int_param(request, "rev", None)
    if fmt not in ("html", "text", "markdown", "atext"):
        raise ApiError(422, "bad_parameter", "format must be html, text, markdown or atext")
    rev, document = await document_at_or_head(request, stored, rev)
    schema = request.app.state.schema
    body: dict[str, Any] = {"rev": rev}
    if fmt == "html":
        body["html"] = document.to_html(schema=schema)
    elif fmt == "text":
        body["text"] = document.to_text()
    elif fmt == "markdown":
        body["markdown"] = document.to_markdown(schema=schema)
    else:
        body["atext"] = document.atext.to_jsonable()
        body["pool"] = document.pool.to_jsonable()
    return JSONResponse(body)


async def _commit_document(
    request: Request, pad_id: str, target: Document, *, keep_target_authors: bool
) -> int:
    """Make `target` the pad's head with one revision (none if nothing changed).

    Text that stays keeps its authors; inserted text gets the API's author, or (with
    `keep_target_authors`, as restore does) the author it had in `target`.
    """
    author = request.state.caller.author
    hubs: Hubs = request.app.state.hubs
    hub = await hubs.get(pad_id)
    if hub is None:
        raise ApiError(404, "pad_not_found", f"no pad {pad_id!r}")

    def changeset_for(atext: Any, pool: AttributePool) -> str:
        return changeset_to(
            atext, pool, target.atext, target.pool, author,
            keep_target_authors=keep_target_authors,
        )  # fmt: skip

    try:
        return await hub.replace(changeset_for, author)
    except ProtocolError as error:  # deleted meanwhile
        raise ApiError(409, error.code, error.message) from None


@endpoint()
async def put_content(request: Request) -> Response:
    """PUT /api/pads/{id}/content {"html"|"text"|"markdown"}, or a DOCX or ODT file as the
    body -> {"rev"}: one new revision."""
    stored = await stored_pad(request)
    if stored.deleted:
        raise ApiError(409, "pad_deleted", "the pad was deleted")
    if is_file_upload(request):
        document: Document | None = await document_from_file(request, stored.pad_id)
    else:
        document = await _document_from(request, stored.pad_id, await json_body(request))
    if document is None:
        raise ApiError(422, "bad_request", "give html, text or markdown")
    rev = await _commit_document(request, stored.pad_id, document, keep_target_authors=False)
    return JSONResponse({"rev": rev})


@endpoint(READ)
async def get_diff(request: Request) -> Response:
    """GET /api/pads/{id}/diff?from=A&to=B -> {"html"}: B with the changes since A marked
    (<ins>, <del>, data-pp-change on reformatted text and changed blocks)."""
    stored = await stored_pad(request)
    start = int_param(request, "from", None)
    end = int_param(request, "to", stored.head_rev)
    if start is None:
        raise ApiError(422, "bad_parameter", "from is required")
    old = await _document_at(request, stored.pad_id, start, stored.head_rev)
    new = await _document_at(request, stored.pad_id, end, stored.head_rev)
    html = await asyncio.to_thread(diff_html, old, new)
    return JSONResponse({"from": start, "to": end, "html": html})


@endpoint(EDIT)
async def restore(request: Request) -> Response:
    """POST /api/pads/{id}/restore {"rev"} -> {"rev"}: a new revision equal to that one."""
    stored = await stored_pad(request)
    if stored.deleted:
        raise ApiError(409, "pad_deleted", "the pad was deleted")
    body = await json_body(request)
    rev = body.get("rev")
    if not isinstance(rev, int) or isinstance(rev, bool) or not 0 <= rev <= MAX_INT:
        raise ApiError(422, "bad_request", f"rev must be an integer from 0 to {MAX_INT}")
    old = await _document_at(request, stored.pad_id, rev, stored.head_rev)
    new_rev = await _commit_document(request, stored.pad_id, old, keep_target_authors=True)
    return JSONResponse({"rev": new_rev})


@endpoint(READ)
async def get_chat(request: Request) -> Response:
    """GET /api/pads/{id}/chat?since=&limit= -> {"messages": [...]}."""
    stored = await stored_pad(request)
    since = int_param(request, "since", 0)
    limit = min(int_param(request, "limit", 100, minimum=1) or 100, 1000)
    return JSONResponse(
        {"messages": await request.app.state.store.chat(stored.pad_id, since, limit)}
    )


@endpoint(READ)
async def get_users(request: Request) -> Response:
    """GET /api/pads/{id}/users -> the users connected now."""
    stored = await stored_pad(request)
    hub = request.app.state.hubs.loaded(stored.pad_id)
    users = [session.describe() for session in hub.sessions.values()] if hub else []
    return JSONResponse({"users": users})


async def openapi(request: Request) -> Response:
    """GET /api/openapi.json."""
    return JSONResponse(OPENAPI)


routes = [
    Route("/api/openapi.json", openapi),
    Route("/api/pads", create_pad, methods=["POST"]),
    Route("/api/pads", list_pads, methods=["GET"]),
    Route("/api/pads/{pad_id}", get_pad, methods=["GET"]),
    Route("/api/pads/{pad_id}", delete_pad, methods=["DELETE"]),
    Route("/api/pads/{pad_id}/revisions", list_revisions),
    Route("/api/pads/{pad_id}/timeline", get_timeline),
    Route("/api/pads/{pad_id}/revisions/{rev:int}", get_revision),
    Route("/api/pads/{pad_id}/content", get_content, methods=["GET"]),
    Route("/api/pads/{pad_id}/content", put_content, methods=["PUT"]),
    Route("/api/pads/{pad_id}/diff", get_diff),
    Route("/api/pads/{pad_id}/restore", restore, methods=["POST"]),
    Route("/api/pads/{pad_id}/chat", get_chat),
    Route("/api/pads/{pad_id}/users", get_users),
]
