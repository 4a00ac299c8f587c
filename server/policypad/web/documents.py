"""Documents in and out over REST: `GET /api/pads/{id}/export?format=&rev=` (DOCX, ODT,
PDF, HTML, Markdown or text of any revision), and the file bodies that `POST /api/pads`
and `PUT /api/pads/{id}/content` take besides JSON (a DOCX or ODT file as the body, with
its media type, or `application/octet-stream` and the file's own bytes say which).

Conversions run in worker threads, at most `CONVERSIONS_AT_ONCE` at a time per process
(a 100-page PDF takes seconds of CPU and tens of MB), so a burst of exports queues
instead of exhausting memory or the thread pool.
"""

from __future__ import annotations

import asyncio
import logging
import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from policypad.document import Document
from policypad.errors import ImageRefused
from policypad.formats import (
    MEDIA_TYPES,
    FormatError,
    ImageSource,
    file_to_html,
    format_of,
    sniff,
    source_for,
    write_document,
)
from policypad.images.urls import DIGEST, image_url
from policypad.web.api import READ, ApiError, endpoint, int_param, stored_pad
from policypad.web.images import image_error

logger = logging.getLogger(__name__)
CONVERSIONS_AT_ONCE = 2
FILE_TYPES = frozenset({MEDIA_TYPES["docx"], MEDIA_TYPES["odt"], "application/octet-stream"})
"""Media types of request bodies read as files (the rest must be JSON)."""
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9_.-]")


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def is_file_upload(request: Request) -> bool:
    """Whether the request's body is a document file rather than JSON."""
    return _media_type(request) in FILE_TYPES


def _semaphore(request: Request) -> asyncio.Semaphore:
    state = request.app.state
    if getattr(state, "conversions", None) is None:
        state.conversions = asyncio.Semaphore(CONVERSIONS_AT_ONCE)
    return state.conversions  # type: ignore[no-any-return]


def _missing_library(error: ImportError) -> ApiError:
    install = getattr(error, "install", "pip install 'policypad[formats]'")
    return ApiError(
        501, "format_unavailable",
        f"this server cannot convert documents ({error.name} is not installed: {install})",
    )  # fmt: skip


async def document_from_file(request: Request, pad_id: str) -> Document:
    """The document of an uploaded DOCX or ODT body, parsed with the server's schema, its
    pictures kept for `pad_id` as pasted images are (policypad.images)."""
    raw = await request.body()
    fmt = format_of(_media_type(request)) or sniff(raw)
    if fmt is None:
        raise ApiError(415, "unsupported_format", "send a DOCX or ODT file (or JSON)")
    if not raw:
        raise ApiError(422, "bad_file", "the file is empty")
    try:
        async with _semaphore(request):
            html = await asyncio.to_thread(file_to_html, raw, fmt)
        return await request.app.state.images.document_from_html(  # type: ignore[no-any-return]
            pad_id, html, request.app.state.schema
        )
    except FormatError as error:
        raise ApiError(422, error.code, error.message) from None
    except ImageRefused as refused:
        raise image_error(refused) from None
    except ImportError as error:
        raise _missing_library(error) from None
    except ValueError as error:  # markup nested too deep
        raise ApiError(422, "bad_document", str(error)) from None


async def images_for(request: Request, pad_id: str, document: Document) -> ImageSource:
    """Where an export of `document` gets its images' bytes: the images the server keeps
    for the pad, read here (a conversion thread cannot wait on the database), and `data:`
    URLs (formats.images). Images a host's hook keeps elsewhere are not fetched."""
    stored_prefix = image_url(pad_id, "")
    found: dict[str, bytes] = {}
    for runs, _ in document.lines(request.app.state.schema):
        for _, attributes in runs:
            src = attributes.get("src", "") if attributes.get("embed") == "image" else ""
            digest = src.removeprefix(stored_prefix)
            if src.startswith(stored_prefix) and DIGEST.fullmatch(digest) and src not in found:
                record = await request.app.state.images.store.get(pad_id, digest)
                if record is not None:
                    found[src] = record.data
    data_urls = source_for(pad_id)
    return lambda src: found.get(src) or data_urls(src)


def _filename(pad_id: str, rev: int, fmt: str) -> str:
    return f"{_UNSAFE_FILENAME.sub('_', pad_id)[:100]}-r{rev}.{fmt}"


@endpoint(READ)
async def export(request: Request) -> Response:
    """GET /api/pads/{id}/export?format=docx|odt|pdf|html|md|txt&rev= -> the file."""
    from policypad.web.rest import document_at_or_head

    stored = await stored_pad(request)
    fmt = request.query_params.get("format", "docx")
    if fmt not in MEDIA_TYPES:
        raise ApiError(422, "bad_parameter", f"format must be one of {', '.join(MEDIA_TYPES)}")
    rev, document = await document_at_or_head(request, stored, int_param(request, "rev", None))
    title = f"{stored.pad_id} (revision {rev})"
    images = await images_for(request, stored.pad_id, document)
    try:
        async with _semaphore(request):
            body = await asyncio.to_thread(
                write_document, document, fmt, images,
                title=title, schema=request.app.state.schema,
            )  # fmt: skip
    except ImportError as error:
        raise _missing_library(error) from None
    except FormatError as error:
        raise ApiError(422, error.code, error.message) from None
    filename = _filename(stored.pad_id, rev, fmt)
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={
            "content-disposition": f'attachment; filename="{filename}"',
            "x-policypad-rev": str(rev),
            "x-content-type-options": "nosniff",
        },
    )


routes = [Route("/api/pads/{pad_id}/export", export, methods=["GET"])]
