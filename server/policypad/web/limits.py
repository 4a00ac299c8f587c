"""ASGI middleware for what every HTTP request must respect: a body size limit, and
JSON (never a traceback or plain text) when the API fails unexpectedly."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("policypad")


class BodyTooLarge(Exception):
    pass


def _json_error(status: int, code: str, message: str) -> tuple[Message, Message]:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    start: Message = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    return start, {"type": "http.response.body", "body": body}


@dataclass(frozen=True)
class PathLimit:
    """A body limit of its own for the paths `pattern` matches (from their start), and
    the error code of a body over it."""

    pattern: re.Pattern[str]
    max_bytes: int
    code: str = "too_large"
    what: str = "request bodies"
    """What the error says is limited."""


_ANY = re.compile("")


class BodyLimitMiddleware:
    """Answers 413 to a request body over `max_bytes` (or, under a path prefix of
    `larger`, on a path of `limits`, or under /api with a media type of `by_type`, its
    own limit: file imports, images, uploaded documents), declared or streamed, before
    the application reads it whole."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        larger: dict[str, int] | None = None,
        limits: Sequence[PathLimit] = (),
        by_type: dict[str, int] | None = None,
    ):
        self.app = app
        self.max_bytes = max_bytes
        self.larger = larger or {}
        self.limits = tuple(limits)
        self.by_type = {media.encode(): size for media, size in (by_type or {}).items()}

    def _limit(self, scope: Scope) -> PathLimit:
        path = scope["path"]
        for limit in self.limits:
            if limit.pattern.match(path):
                return limit
        if self.by_type and path.startswith("/api/"):
            for name, value in scope["headers"]:
                if name == b"content-type":
                    size = self.by_type.get(value.split(b";")[0].strip().lower())
                    if size is not None:
                        return PathLimit(_ANY, size, "too_large", "document files")
        for prefix, size in self.larger.items():
            if path.startswith(prefix):
                return PathLimit(_ANY, size)
        return PathLimit(_ANY, self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > limit.max_bytes:
                await self._refuse(send, limit)
                return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit.max_bytes:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send, limit)

    async def _refuse(self, send: Send, limit: PathLimit) -> None:
        text = f"{limit.what} are limited to {limit.max_bytes} bytes"
        for message in _json_error(413, limit.code, text):
            await send(message)


_ROUTING_ERRORS = {
    404: ("not_found", "no such API path"),
    405: ("method_not_allowed", "this API path does not take that method"),
}


class JsonErrorsMiddleware:
    """Under /api every answer is JSON: the router's plain-text 404 and 405 become the
    API's error body, and an unexpected exception a JSON 500 (logged here, once)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api"):
            await self.app(scope, receive, send)
            return
        started = False
        replaced = False

        async def tracking_send(message: Message) -> None:
            nonlocal started, replaced
            if message["type"] == "http.response.start":
                started = True
                headers = dict(message.get("headers", []))
                is_json = headers.get(b"content-type", b"").startswith(b"application/json")
                if message["status"] in _ROUTING_ERRORS and not is_json:
                    replaced = True
                    start, body = _json_error(
                        message["status"], *_ROUTING_ERRORS[message["status"]]
                    )
                    if message["status"] == 405 and b"allow" in headers:
                        start["headers"].append((b"allow", headers[b"allow"]))
                    await send(start)
                    await send(body)
                    return
            if replaced:
                return  # the router's own body, replaced above
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except BodyTooLarge:
            raise
        except Exception:
            logger.exception("request %s %s failed", scope["method"], scope["path"])
            if started:
                raise
            for message in _json_error(500, "internal", "the server failed; nothing was changed"):
                await send(message)
