"""What every REST endpoint shares: who is calling, JSON errors, body and parameter checks.

A caller proves itself with ``Authorization: Bearer <credential>``: the API key (the
host's back end: everything), or a user's pad token (the browser of a user, for the
timeslider and named versions: `read` endpoints with any token for the pad, `edit` ones
with an `edit` token). An open server (no secret, no key) lets everyone in.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from policypad.auth import api_key_matches, identify
from policypad.errors import ProtocolError, StorageError
from policypad.protocol import MAX_INT
from policypad.web.origins import origin_allowed

logger = logging.getLogger(__name__)
API_AUTHOR = "a.api"
KEY, READ, EDIT = "key", "read", "edit"
"""Who an endpoint admits: the API key only; any token for the pad; an edit token."""


@dataclass(frozen=True)
class Caller:
    """Who made a request: the host's back end (API key) or a user with a pad token."""

    author: str
    can_edit: bool


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(error: ApiError) -> JSONResponse:
    return JSONResponse({"error": {"code": error.code, "message": error.message}}, error.status)


Handler = Callable[[Request], Awaitable[Response]]


def endpoint(
    access: str = KEY, admit: Callable[[Request], Caller | None] | None = None
) -> Callable[[Handler], Handler]:
    """Wrap a handler: origin and credential checks (see the module), JSON errors. The
    handler finds the caller in ``request.state.caller``. `admit`, if given, may admit a
    caller by other means first (an image's access token); None: the usual checks."""

    def wrap(handler: Handler) -> Handler:
        async def wrapped(request: Request) -> Response:
            settings = request.app.state.settings
            origin, host = request.headers.get("origin"), request.headers.get("host")
            if not origin_allowed(origin, host, settings):
                return error_response(
                    ApiError(403, "origin_not_allowed", "this page's origin may not use the API")
                )
            try:
                admitted = admit(request) if admit is not None else None
                request.state.caller = admitted or _caller(request, access)
                return await handler(request)
            except ApiError as error:
                return error_response(error)
            except StorageError as error:
                logger.error("pad %s: %s", request.path_params.get("pad_id"), error)
                return error_response(
                    ApiError(503, "storage_failed", "the database refused the write; try again")
                )

        wrapped.__name__ = handler.__name__
        wrapped.__doc__ = handler.__doc__
        return wrapped

    return wrap


def _caller(request: Request, access: str) -> Caller:
    settings = request.app.state.settings
    header = request.headers.get("authorization")
    if not settings.api_key or (header and api_key_matches(header, settings.api_key)):
        return Caller(API_AUTHOR, True)
    wanted = "Authorization: Bearer <API key>"
    if access == KEY or not settings.secret:
        raise ApiError(401, "unauthorized", f"{wanted} required")
    if not header or not header.startswith("Bearer "):
        raise ApiError(401, "unauthorized", f"{wanted} or <a token for this pad> required")
    try:
        identity = identify(
            header[len("Bearer ") :], settings.secret, request.path_params.get("pad_id", ""), "rest"
        )
    except ProtocolError as error:
        raise ApiError(401, "unauthorized", error.message) from None
    if access == EDIT and not identity.can_edit:
        raise ApiError(403, "read_only", "this token may only read")
    return Caller(f"a.{identity.user_id}", identity.can_edit)


async def json_body(request: Request) -> dict[str, Any]:
    # JSON (or no type): a browser sends text/plain or a form across sites without a
    # preflight, so those are refused (the Origin check refuses other sites' pages too)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in ("", "application/json"):
        raise ApiError(415, "bad_content_type", "send the body as application/json")
    raw = await request.body()
    if len(raw) > request.app.state.settings.max_request_bytes:
        raise ApiError(413, "too_large", "the body is too large")
    try:
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise ApiError(422, "bad_json", "the body must be JSON") from None
    if not isinstance(body, dict):
        raise ApiError(422, "bad_request", "the body must be a JSON object")
    return body


def int_param(request: Request, name: str, default: int | None, minimum: int = 0) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(422, "bad_parameter", f"{name} must be an integer") from None
    if not minimum <= value <= MAX_INT:
        raise ApiError(422, "bad_parameter", f"{name} must be from {minimum} to {MAX_INT}")
    return value


async def stored_pad(request: Request) -> Any:
    """The pad's row. The pad is loaded first: a load sets a damaged history right (see
    RevisionStore.load), so what the API answers is always consistent."""
    pad_id = request.path_params["pad_id"]
    if await request.app.state.hubs.get(pad_id) is None:
        raise ApiError(404, "pad_not_found", f"no pad {pad_id!r}")
    stored = await request.app.state.store.pad(pad_id)
    if stored is None:
        raise ApiError(404, "pad_not_found", f"no pad {pad_id!r}")
    return stored
