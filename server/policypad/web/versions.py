"""Named versions under /api/pads/{id}/versions: a label on a revision, with who named it,
when and why ("Approved by committee 2026-03").

The version *in effect* at a time is the newest one named at or before it: a revision
approved on 5 March is in effect from 5 March, whenever it was written.
"""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from policypad.web.api import EDIT, READ, ApiError, endpoint, json_body, stored_pad

MAX_LABEL_CHARS = 200
MAX_NOTE_CHARS = 10_000
MAX_TIME_MS = 2**53
"""Largest time a query may name (JavaScript's largest exact integer)."""


def _text(value: object, name: str, limit: int, *, required: bool) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise ApiError(422, f"bad_{name}", f"{name} must be a string")
    text = value.strip()
    if required and not text:
        raise ApiError(422, f"bad_{name}", f"{name} must not be empty")
    if len(text) > limit:
        raise ApiError(422, f"bad_{name}", f"{name} holds at most {limit} characters")
    if any(not char.isprintable() for char in text if char not in "\n\t"):
        raise ApiError(422, f"bad_{name}", f"{name} holds control characters")
    return text


@endpoint(EDIT)
async def add_version(request: Request) -> Response:
    """POST /api/pads/{id}/versions {"rev", "label", "note"?} -> 201 the version."""
    stored = await stored_pad(request)
    if stored.deleted:
        raise ApiError(409, "pad_deleted", "the pad was deleted")
    body = await json_body(request)
    rev = body.get("rev")
    if not isinstance(rev, int) or isinstance(rev, bool) or rev < 0:
        raise ApiError(422, "bad_rev", "rev must be a revision number")
    if rev > stored.head_rev:
        raise ApiError(404, "revision_not_found", f"no revision {rev} (head is {stored.head_rev})")
    label = _text(body.get("label"), "label", MAX_LABEL_CHARS, required=True)
    note = _text(body.get("note"), "note", MAX_NOTE_CHARS, required=False)
    version = await request.app.state.store.add_version(
        stored.pad_id, rev, label, note, request.state.caller.author, int(time.time() * 1000)
    )
    if version is None:
        raise ApiError(409, "label_taken", f"this pad already has a version named {label!r}")
    return JSONResponse(version.to_jsonable(), 201)


@endpoint(READ)
async def list_versions(request: Request) -> Response:
    """GET /api/pads/{id}/versions -> {"versions": [...]}, oldest first."""
    stored = await stored_pad(request)
    found = await request.app.state.store.versions(stored.pad_id)
    return JSONResponse({"versions": [version.to_jsonable() for version in found]})


@endpoint(READ)
async def version_at(request: Request) -> Response:
    """GET /api/pads/{id}/versions/at?time=MS -> {"version"}: the one in effect then."""
    stored = await stored_pad(request)
    raw = request.query_params.get("time")
    try:
        at = int(raw) if raw is not None else None
    except ValueError:
        at = None
    if at is None or not 0 <= at <= MAX_TIME_MS:
        raise ApiError(422, "bad_parameter", "time must be milliseconds since 1970")
    found = await request.app.state.store.versions(stored.pad_id, at_ms=at)
    if not found:
        raise ApiError(404, "no_version", "no version was named at or before that time")
    return JSONResponse({"version": found[0].to_jsonable()})


@endpoint(EDIT)
async def delete_version(request: Request) -> Response:
    """DELETE /api/pads/{id}/versions/{number}: the label goes; the revision stays."""
    stored = await stored_pad(request)
    number = request.path_params["number"]
    if not await request.app.state.store.delete_version(stored.pad_id, number):
        raise ApiError(404, "version_not_found", f"no version {number}")
    return Response(status_code=204)


routes = [
    Route("/api/pads/{pad_id}/versions", add_version, methods=["POST"]),
    Route("/api/pads/{pad_id}/versions", list_versions, methods=["GET"]),
    Route("/api/pads/{pad_id}/versions/at", version_at, methods=["GET"]),
    Route("/api/pads/{pad_id}/versions/{number:int}", delete_version, methods=["DELETE"]),
]
