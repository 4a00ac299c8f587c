"""The Starlette application: WebSocket protocol, REST API, static files."""

from policypad.web.app import create_app

__all__ = ["create_app"]
