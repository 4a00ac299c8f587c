"""create_app: the Starlette application with its storage, hubs, routes and static files."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from policypad.document import Schema
from policypad.hub import Hubs
from policypad.settings import Settings
from policypad.storage import RevisionStore
from policypad.web import rest
from policypad.web.websocket import pad_socket

logger = logging.getLogger("policypad")
REPOSITORY = Path(__file__).resolve().parents[3]

INDEX = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>PolicyPad</title></head>
<body><h1>PolicyPad</h1><p>The collaboration server is running. The REST API is described at
<a href="/api/openapi.json">/api/openapi.json</a>; clients connect to <code>/ws/{padId}</code>.</p>
</body></html>"""


def create_app(settings: Settings) -> Starlette:
    """Return the app; storage opens (and migrates) when the app starts."""
    store = RevisionStore(settings.db, settings.snapshot_interval)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await store.open()
        if settings.is_open:
            logger.warning("no POLICYPAD_SECRET: running OPEN, anyone can edit (local development)")
        app.state.hubs = Hubs(store, settings)
        try:
            yield
        finally:
            await app.state.hubs.close()
            await store.close()

    routes: list = [*rest.routes, WebSocketRoute("/ws/{pad_id}", pad_socket)]
    root = Path(settings.static_root) if settings.static_root else REPOSITORY
    for folder in ("client", "adapters", "demo"):
        if (root / folder).is_dir():
            routes.append(
                Mount(f"/static/{folder}", StaticFiles(directory=root / folder), name=folder)
            )
    if (root / "demo" / "index.html").is_file():
        routes.append(
            Route("/", lambda request: HTMLResponse((root / "demo" / "index.html").read_text()))
        )
    else:
        routes.append(Route("/", lambda request: HTMLResponse(INDEX)))
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.settings = settings
    app.state.store = store
    app.state.schema = Schema()
    return app
