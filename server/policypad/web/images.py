"""A pad's images over HTTP: `POST /api/pads/{id}/images` keeps one (the body is the
image's bytes), `GET /api/pads/{id}/images/{hash}` serves it.

Serving treats every image as untrusted bytes: the `Content-Type` is what the bytes were
found to be when they were stored (never what the uploader claimed), browsers are told
not to guess another (`nosniff`), and a CSP with `sandbox` keeps anything opened from
this URL from running script or reaching this origin. An image's address is its content,
so it is cached for good (`immutable`), privately (it is behind the pad's read rules).

Who may read: what may read the pad (the API key, a token for the pad), and the image
access token of the pad in the `access` query parameter: an ``<img>`` sends no
Authorization header, so the URLs the client puts into an editor carry that token (see
policypad/images/access.py).
"""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from policypad.errors import ImageRefused
from policypad.images.access import image_token_valid
from policypad.images.urls import DIGEST
from policypad.web.api import EDIT, READ, ApiError, Caller, endpoint, stored_pad

CACHE_SECONDS = 365 * 24 * 3600
IMAGE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": f"private, max-age={CACHE_SECONDS}, immutable",
    # the access token (or the key) decides who may read, not the embedding page's site
    "Cross-Origin-Resource-Policy": "cross-origin",
    "Content-Disposition": "inline",
}
STATUS = {
    "image_too_large": 413,
    "image_unknown_type": 415,
    "image_svg": 415,
    "image_corrupt": 422,
    "bad_data_url": 422,
    "image_store_failed": 502,
}
"""The HTTP status of each way an image is refused (see ImageRefused)."""


def image_error(refused: ImageRefused) -> ApiError:
    """The API's answer to a refused image."""
    return ApiError(STATUS.get(refused.code, 422), refused.code, refused.message)


@endpoint(EDIT)
async def upload_image(request: Request) -> Response:
    """POST /api/pads/{id}/images, the image's bytes as the body -> 201 {"url", "hash",
    "type", "bytes", "width", "height"}: kept for the pad (again: the same answer)."""
    stored = await stored_pad(request)
    if stored.deleted:
        raise ApiError(409, "pad_deleted", "the pad was deleted")
    data = await request.body()
    try:
        image = await request.app.state.images.store_image(stored.pad_id, data)
    except ImageRefused as refused:
        raise image_error(refused) from None
    return JSONResponse(
        {"url": image.url, "hash": image.hash, "type": image.media_type,
         "bytes": image.size_bytes, "width": image.width, "height": image.height},
        201,
    )  # fmt: skip


def _by_access_token(request: Request) -> Caller | None:
    """A reader admitted by the pad's image access token (`?access=`)."""
    token = request.query_params.get("access")
    secret = request.app.state.settings.secret
    pad_id = request.path_params["pad_id"]
    if token and secret and image_token_valid(secret, pad_id, token, time.time()):
        return Caller("a.image-reader", False)
    return None


@endpoint(READ, admit=_by_access_token)
async def get_image(request: Request) -> Response:
    """GET /api/pads/{id}/images/{hash}?access= -> the image's bytes."""
    pad_id, digest = request.path_params["pad_id"], request.path_params["hash"]
    record = None
    if DIGEST.fullmatch(digest):
        record = await request.app.state.images.store.get(pad_id, digest)
    if record is None:
        raise ApiError(404, "image_not_found", f"pad {pad_id!r} has no image {digest!r}")
    headers = {**IMAGE_HEADERS, "ETag": f'"{digest}"'}
    if request.headers.get("if-none-match", "").strip() in (f'"{digest}"', f'W/"{digest}"'):
        return Response(status_code=304, headers=headers)
    return Response(record.data, media_type=record.media_type, headers=headers)


routes = [
    Route("/api/pads/{pad_id}/images", upload_image, methods=["POST"]),
    Route("/api/pads/{pad_id}/images/{hash}", get_image, methods=["GET"]),
]
