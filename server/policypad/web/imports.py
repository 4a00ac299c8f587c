"""Pads brought in from elsewhere, with their history: `POST /api/pads/import/etherpad`,
and the authors such a pad names (`GET /api/pads/{id}/authors`)."""

from __future__ import annotations

import asyncio
import bisect

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from policypad.changeset import AText, AttributePool
from policypad.document.lines import lines_to_atext
from policypad.etherpad import EtherpadPad, author_color, read_export, replay
from policypad.pad import Revision
from policypad.pad.create import is_pad_id
from policypad.session import color_of
from policypad.web.api import READ, ApiError, endpoint, stored_pad

_IMPORTABLE_TYPES = ("", "application/json", "application/octet-stream")


def _history(
    pad: EtherpadPad, snapshot_interval: int
) -> tuple[list[tuple[Revision, AText | None]], AttributePool]:
    """Every revision, with the document after it where the store keeps a snapshot."""
    pool = AttributePool()
    history: list[tuple[Revision, AText | None]] = []
    last = len(pad.revisions) - 1
    for rev, replayed in enumerate(replay(pad, pool)):
        revision = Revision(rev, replayed.changeset, replayed.revision.author,
                            replayed.revision.time_ms)  # fmt: skip
        snapshot = rev % snapshot_interval == 0 or rev == last
        history.append((revision, lines_to_atext(replayed.lines, pool) if snapshot else None))
    return history, pool


@endpoint()
async def import_etherpad(request: Request) -> Response:
    """POST /api/pads/import/etherpad?id= with Etherpad's `.etherpad` export as the body
    -> 201 {"id", "rev", "authors", "chat"}: a new pad with every revision, author, time
    and chat message of the Etherpad pad."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in _IMPORTABLE_TYPES:
        raise ApiError(415, "bad_content_type", "send the export as application/json")
    raw = await request.body()
    try:
        pad = await asyncio.to_thread(read_export, raw)
    except ValueError as error:
        raise ApiError(422, "bad_export", str(error)) from None
    pad_id = request.query_params.get("id") or pad.pad_id
    if not is_pad_id(pad_id):
        raise ApiError(422, "bad_request", "id: 1-100 letters, digits, '_', '-', '.'")
    try:
        store = request.app.state.store
        history, pool = await asyncio.to_thread(_history, pad, store.snapshot_interval)
    except ValueError as error:
        raise ApiError(422, "bad_export", str(error)) from None
    times = [revision.time_ms for revision, _ in history]
    chat = [
        {"number": number, "author": message["author"], "name": message["name"],
         "text": message["text"], "time_ms": message["time"],
         "rev": max(0, bisect.bisect_right(times, message["time"]) - 1)}
        for number, message in enumerate(pad.chat, start=1)
    ]  # fmt: skip
    names = {
        author: (info["name"], author_color(info.get("colorId")) or color_of(author))
        for author, info in pad.authors.items()
    }
    stored = await store.import_pad(pad_id, history, pool, chat, names)
    if not stored:
        raise ApiError(409, "pad_exists", f"pad {pad_id!r} exists")
    return JSONResponse(
        {"id": pad_id, "rev": history[-1][0].rev, "authors": len(names), "chat": len(chat)}, 201
    )


@endpoint(READ)
async def list_authors(request: Request) -> Response:
    """GET /api/pads/{id}/authors -> {"authors": [{"id", "name", "color"}]}: everyone
    who wrote a revision, with the name and color known for them."""
    stored = await stored_pad(request)
    store = request.app.state.store
    ids = await store.authors(stored.pad_id)
    names = await store.author_names(ids)
    return JSONResponse({
        "authors": [
            {"id": author, "name": names.get(author, ("", ""))[0],
             "color": names.get(author, ("", color_of(author)))[1]}
            for author in ids
        ]
    })  # fmt: skip


routes = [
    Route("/api/pads/import/etherpad", import_etherpad, methods=["POST"]),
    Route("/api/pads/{pad_id}/authors", list_authors, methods=["GET"]),
]
