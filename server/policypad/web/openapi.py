"""The OpenAPI description of the REST API, served at /api/openapi.json."""

from __future__ import annotations

from typing import Any

_ERROR = {
    "description": "error",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
_PAD = {"name": "pad_id", "in": "path", "required": True, "schema": {"type": "string"}}


def _query(name: str, kind: str = "integer", **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": {"type": kind, **extra}}


def _ok(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"description": description}
    if schema is not None:
        body["content"] = {"application/json": {"schema": schema}}
    return body


_DOCUMENT_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "html": {"type": "string"},
                    "text": {"type": "string"},
                    "markdown": {"type": "string"},
                },
            }
        }
    },
}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "PolicyPad", "version": "0.1.0"},
    "components": {
        "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {
                "type": "object",
                "properties": {
                    "error": {
                        "type": "object",
                        "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                    }
                },
            },
            "Revision": {
                "type": "object",
                "properties": {
                    "rev": {"type": "integer"},
                    "author": {"type": "string"},
                    "time": {"type": "integer"},
                    "changeset": {"type": "string"},
                    "added": {"type": "integer"},
                    "removed": {"type": "integer"},
                },
            },
        },
    },
    "security": [{"apiKey": []}],
    "paths": {
        "/api/pads": {
            "post": {
                "summary": "Create a pad (empty, or from text, HTML or Markdown)",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "id": {"type": "string"},
                                    "text": {"type": "string"},
                                    "html": {"type": "string"},
                                    "markdown": {"type": "string"},
                                },
                            }
                        }
                    },
                },
                "responses": {"201": _ok("created"), "409": _ERROR, "422": _ERROR},
            },
            "get": {
                "summary": "Pads by id, a page at a time (next: the `after` of the next page)",
                "parameters": [
                    _query("prefix", "string"),
                    _query("after", "string"),
                    _query("limit"),
                ],
                "responses": {"200": _ok("pads"), "422": _ERROR},
            },
        },
        "/api/pads/{pad_id}": {
            "parameters": [_PAD],
            "get": {
                "summary": "Head revision, times, authors",
                "responses": {"200": _ok("the pad"), "404": _ERROR},
            },
            "delete": {
                "summary": "Mark deleted (history kept)",
                "responses": {"204": _ok("deleted"), "404": _ERROR},
            },
        },
        "/api/pads/{pad_id}/revisions": {
            "parameters": [_PAD, _query("since"), _query("limit")],
            "get": {
                "summary": "Revisions, oldest first",
                "responses": {"200": _ok("revisions"), "404": _ERROR, "422": _ERROR},
            },
        },
        "/api/pads/{pad_id}/revisions/{rev}": {
            "parameters": [
                _PAD,
                {"name": "rev", "in": "path", "required": True, "schema": {"type": "integer"}},
            ],
            "get": {
                "summary": "One revision",
                "responses": {
                    "200": _ok("revision", {"$ref": "#/components/schemas/Revision"}),
                    "404": _ERROR,
                },
            },
        },
        "/api/pads/{pad_id}/content": {
            "parameters": [_PAD],
            "get": {
                "summary": "The document at a revision",
                "parameters": [
                    _query("rev"),
                    _query("format", "string", enum=["html", "text", "markdown", "atext"]),
                ],
                "responses": {"200": _ok("content"), "404": _ERROR, "422": _ERROR},
            },
            "put": {
                "summary": "Replace the content (one new revision, pushed to clients)",
                "requestBody": _DOCUMENT_BODY,
                "responses": {"200": _ok("new head"), "404": _ERROR, "422": _ERROR},
            },
        },
        "/api/pads/{pad_id}/diff": {
            "parameters": [_PAD, _query("from"), _query("to")],
            "get": {
                "summary": "Structure-aware HTML diff",
                "responses": {"200": _ok("diff"), "404": _ERROR, "422": _ERROR},
            },
        },
        "/api/pads/{pad_id}/restore": {
            "parameters": [_PAD],
            "post": {
                "summary": "New revision equal to an old one",
                "responses": {"200": _ok("new head"), "404": _ERROR, "422": _ERROR},
            },
        },
        "/api/pads/{pad_id}/chat": {
            "parameters": [_PAD, _query("since"), _query("limit")],
            "get": {
                "summary": "Chat messages",
                "responses": {"200": _ok("messages"), "404": _ERROR},
            },
        },
        "/api/pads/{pad_id}/versions": {
            "parameters": [_PAD],
            "get": {
                "summary": "Named versions, oldest first (a pad token may read them)",
                "responses": {"200": _ok("versions"), "404": _ERROR},
            },
            "post": {
                "summary": "Name a revision {rev, label, note?} (API key or edit token)",
                "responses": {
                    "201": _ok("the version"),
                    "403": _ERROR,
                    "404": _ERROR,
                    "409": _ERROR,
                    "422": _ERROR,
                },
            },
        },
        "/api/pads/{pad_id}/versions/at": {
            "parameters": [_PAD, _query("time")],
            "get": {
                "summary": "The version in effect at a time: the newest named at or before it",
                "responses": {"200": _ok("the version"), "404": _ERROR, "422": _ERROR},
            },
        },
        "/api/pads/{pad_id}/versions/{number}": {
            "parameters": [
                _PAD,
                {"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}},
            ],
            "delete": {
                "summary": "Remove a name (the revision stays)",
                "responses": {"204": _ok("removed"), "403": _ERROR, "404": _ERROR},
            },
        },
        "/api/pads/{pad_id}/users": {
            "parameters": [_PAD],
            "get": {
                "summary": "Users connected now",
                "responses": {"200": _ok("users"), "404": _ERROR},
            },
        },
    },
}
