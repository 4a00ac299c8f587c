"""The operator's endpoints: /healthz (the process answers), /readyz (the database is
reachable and its schema current), /metrics (Prometheus)."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from policypad.auth import api_key_matches


async def healthz(request: Request) -> Response:
    """GET /healthz: 200 while the process serves requests."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """GET /readyz: 200 if the database answers and its migrations are current, else 503."""
    problem = await request.app.state.store.readiness_problem()
    if problem is not None:
        return JSONResponse({"status": "unavailable", "problem": problem}, 503)
    return JSONResponse({"status": "ready"})


async def metrics(request: Request) -> Response:
    """GET /metrics: Prometheus text format (behind the API key, when one is set)."""
    if not api_key_matches(
        request.headers.get("authorization"), request.app.state.settings.api_key
    ):
        return JSONResponse(
            {"error": {"code": "unauthorized", "message": "Authorization: Bearer <API key>"}}, 401
        )
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


routes = [
    Route("/healthz", healthz),
    Route("/readyz", readyz),
    Route("/metrics", metrics),
]
