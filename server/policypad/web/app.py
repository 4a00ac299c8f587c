"""create_app: the Starlette application with its storage, hubs, routes and static files."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from policypad.document import Schema
from policypad.fanout import NoFanout, RedisFanout
from policypad.hubs import Hubs
from policypad.images import ImageService, load_hook
from policypad.settings import Settings
from policypad.storage import RevisionStore
from policypad.storage.images import ImageStore
from policypad.web import documents, health, images, imports, rest, versions
from policypad.web.limits import BodyLimitMiddleware, JsonErrorsMiddleware, PathLimit
from policypad.web.origins import cors_options, describe_allowed
from policypad.web.websocket import RawSendMiddleware, pad_socket

logger = logging.getLogger("policypad")
REPOSITORY = Path(__file__).resolve().parents[3]
PACKAGED = Path(__file__).resolve().parents[1] / "static"

INDEX = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>PolicyPad</title></head>
<body><h1>PolicyPad</h1><p>The collaboration server is running. The REST API is described at
<a href="/api/openapi.json">/api/openapi.json</a>; clients connect to <code>/ws/{padId}</code>.</p>
</body></html>"""

BUNDLES = Path("client") / "dist"
"""Where `npm run build` writes the bundled classic scripts (served at /static/bundles/)."""
DIFF_MATCH_PATCH = Path("client") / "js" / "vendor" / "diff-match-patch.js"
NO_CACHE = {"Cache-Control": "no-cache"}
EDITORS = {
    "tinymce": Path("node_modules") / "tinymce",
    "ckeditor4": Path("node_modules") / "ckeditor4",
    "ckeditor5": Path("node_modules") / "ckeditor5" / "dist" / "browser",
    "jquery": Path("node_modules") / "jquery" / "dist",
    "jquery-migrate": Path("node_modules") / "jquery-migrate" / "dist",
    "wymeditor": Path("vendor") / "wymeditor",
}
"""The editors the demo offers (and their jQuery), installed by scripts/setup, never
committed: served at /static/vendor/{name}/ when present."""


def _static_routes(root: Path) -> list:
    """What a browser needs from the repository: ES modules, bundles, the vendored diff
    library, and the demo pages (each only if present)."""
    routes: list = []
    for folder in ("client", "adapters", "demo"):
        if (root / folder).is_dir():
            routes.append(
                Mount(f"/static/{folder}", StaticFiles(directory=root / folder), name=folder)
            )

    # Pages written for an import map of the bare 'diff-match-patch' still find it here;
    # the client itself imports ./vendor/diff-match-patch.js (written by `npm run build`).
    async def diff_match_patch(request: Request) -> FileResponse | PlainTextResponse:
        source = root / DIFF_MATCH_PATCH
        if not source.is_file():
            return PlainTextResponse("diff-match-patch is not built: run npm run build", 404)
        return FileResponse(source, media_type="text/javascript", headers=NO_CACHE)

    # Built on demand by `npm run build`, so looked up per request (not a StaticFiles mount,
    # which refuses a directory missing at start).
    async def bundle(request: Request) -> FileResponse | PlainTextResponse:
        name = request.path_params["name"]
        path = root / BUNDLES / name
        if "/" in name or name.startswith(".") or not path.is_file():
            return PlainTextResponse(f"no bundle {name!r}: run `npm run build`", 404)
        return FileResponse(path, headers=NO_CACHE)

    routes.append(Route("/static/vendor/diff-match-patch.js", diff_match_patch))
    for name, folder in EDITORS.items():
        if (root / folder).is_dir():
            routes.append(
                Mount(f"/static/vendor/{name}", StaticFiles(directory=root / folder), name=name)
            )
    routes.append(Route("/static/bundles/{name}", bundle))

    demo = root / "demo"
    if (demo / "index.html").is_file():
        routes.append(Route("/", lambda request: HTMLResponse((demo / "index.html").read_text())))
    else:
        routes.append(Route("/", lambda request: HTMLResponse(INDEX)))
    if (demo / "history.html").is_file():
        # the pad's timeslider (before the editors' route, which would take "history")
        routes.append(
            Route(
                "/pads/{pad_id}/history",
                lambda request: HTMLResponse((demo / "history.html").read_text()),
            )
        )
    if (demo / "pad.html").is_file():
        # one page per pad and editor; the page reads both from its address
        routes.append(
            Route(
                "/pads/{pad_id}",
                lambda request: RedirectResponse(
                    f"/pads/{quote(request.path_params['pad_id'], safe='')}/contenteditable"
                ),
            )
        )
        routes.append(
            Route(
                "/pads/{pad_id}/{editor}",
                lambda request: HTMLResponse((demo / "pad.html").read_text()),
            )
        )
    return routes


def _safe_url(url: str) -> str:
    """A URL without its password, for the log."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def static_root(settings: Settings) -> Path:
    """Where the browser files come from: the setting, else the installed package's own
    copy (a wheel carries them, see build_backend.py), else this checkout."""
    if settings.static_root:
        return Path(settings.static_root)
    if (PACKAGED / "client").is_dir():
        return PACKAGED
    return REPOSITORY


def schema_of(settings: Settings) -> Schema:
    """The document model's allow-lists, as the host configured them."""
    return Schema(
        frozenset(settings.allowed_classes),
        settings.allow_data_images,
        frozenset(settings.allowed_attributes),
    )


def create_app(settings: Settings) -> Starlette:
    """Return the app; storage opens (and migrates) when the app starts."""
    store = RevisionStore(
        settings.db, settings.snapshot_interval, settings.sqlite_busy_timeout_seconds
    )
    schema = schema_of(settings)
    image_service = ImageService(
        ImageStore(store),
        max_bytes=settings.max_image_bytes,
        schema=schema,
        hook=load_hook(settings.image_store) if settings.image_store else None,
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await store.open()
        if settings.is_open:
            logger.warning("no POLICYPAD_SECRET: running OPEN, anyone can edit (local development)")
        logger.info(describe_allowed(settings))
        logger.info("host names answered: %s", ", ".join(settings.hosts))
        fanout = RedisFanout(settings.redis) if settings.redis else NoFanout()
        app.state.hubs = Hubs(store, settings, schema, fanout)
        await app.state.hubs.start()
        if settings.redis:
            logger.info("sharing pads with other processes through %s", _safe_url(settings.redis))
        try:
            yield
        finally:
            pads = len(app.state.hubs)
            await app.state.hubs.close()
            await store.close()
            logger.info("stopped: queued writes of %d open pads stored", pads)

    root = static_root(settings)
    routes: list = [
        *imports.routes,
        *rest.routes,
        *documents.routes,
        *images.routes,
        *versions.routes,
        *health.routes,
        WebSocketRoute("/ws/{pad_id}", pad_socket),
        *_static_routes(root),
    ]
    middleware = [
        Middleware(RawSendMiddleware),
        Middleware(TrustedHostMiddleware, allowed_hosts=list(settings.hosts)),
        Middleware(CORSMiddleware, **cors_options(settings)),
        Middleware(
            BodyLimitMiddleware,
            max_bytes=settings.max_request_bytes,
            larger={"/api/pads/import/": settings.max_import_bytes},
            limits=[
                PathLimit(
                    re.compile(r"/api/pads/[^/]+/images/?$"),
                    settings.max_image_bytes,
                    "image_too_large",
                    "images",
                )
            ],
            by_type={media: settings.max_import_bytes for media in documents.FILE_TYPES},
        ),
        Middleware(JsonErrorsMiddleware),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
    app.state.settings = settings
    app.state.store = store
    app.state.schema = schema
    app.state.images = image_service
    return app
