"""The OpenAPI document of the REST API (/api/openapi.json), made from the declarations in
`api_spec.py` (the shapes are msgspec structs: their JSON schemas come from msgspec)."""

from __future__ import annotations

import re
from typing import Any

import msgspec

from policypad.web.api_spec import ENDPOINTS, Endpoint, Error

_SECURITY = {
    "key": [{"apiKey": []}],
    "read": [{"apiKey": []}, {"padToken": []}],
    "edit": [{"apiKey": []}, {"padToken": []}],
    "anyone": [],
}
_ACCESS = {
    "key": "API key only.",
    "read": "API key, or a token for the pad.",
    "edit": "API key, or an edit token for the pad.",
    "anyone": "No credentials.",
}


_BYTES = {"type": "string", "format": "binary"}


def _schema(shape: type) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{shape.__name__}"}


def _parameters(endpoint: Endpoint) -> list[dict[str, Any]]:
    parameters = [
        {"name": name, "in": "path", "required": True,
         "schema": {"type": "integer" if name in ("rev", "number") else "string"}}
        for name in re.findall(r"\{(\w+)\}", endpoint.path)
    ]  # fmt: skip
    for query in endpoint.query:
        schema: dict[str, Any] = {"type": query.kind}
        if query.values:
            schema["enum"] = list(query.values)
        parameters.append({"name": query.name, "in": "query", "required": False,
                           "schema": schema})  # fmt: skip
    return parameters


def _operation(endpoint: Endpoint) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": "done"}
    if endpoint.answer is not None:
        answer["content"] = {endpoint.answer_media: {"schema": _schema(endpoint.answer)}}
    elif endpoint.files and endpoint.method == "GET":  # a file, in one of several types
        answer["content"] = {media: {"schema": _BYTES} for media in endpoint.files}
    elif endpoint.answer_media != "application/json":
        answer["content"] = {endpoint.answer_media: {"schema": _BYTES}}
    responses: dict[str, Any] = {str(endpoint.status): answer}
    for status in endpoint.errors:
        responses[str(status)] = {
            "description": "error",
            "content": {"application/json": {"schema": _schema(Error)}},
        }
    operation: dict[str, Any] = {
        "summary": endpoint.summary,
        "description": _ACCESS[endpoint.access],
        "security": _SECURITY[endpoint.access],
        "responses": responses,
    }
    parameters = _parameters(endpoint)
    if parameters:
        operation["parameters"] = parameters
    if endpoint.body is not None or endpoint.body_media != "application/json":
        schema = _schema(endpoint.body) if endpoint.body is not None else _BYTES
        content = {endpoint.body_media: {"schema": schema}}
        if endpoint.method != "GET":  # file bodies it also takes (a DOCX or ODT upload)
            content.update({media: {"schema": _BYTES} for media in endpoint.files})
        operation["requestBody"] = {"required": True, "content": content}
    return operation


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of every declared endpoint."""
    shapes = {Error}
    for endpoint in ENDPOINTS:
        shapes.update(shape for shape in (endpoint.answer, endpoint.body) if shape is not None)
    _, components = msgspec.json.schema_components(
        sorted(shapes, key=lambda shape: shape.__name__),
        ref_template="#/components/schemas/{name}",
    )
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in ENDPOINTS:
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = _operation(endpoint)
    return {
        "openapi": "3.1.0",
        "info": {"title": "PolicyPad", "version": "0.1.0"},
        "components": {
            "securitySchemes": {
                "apiKey": {"type": "http", "scheme": "bearer", "description": "POLICYPAD_API_KEY"},
                "padToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "a user's token for the pad (HS256)",
                },
            },
            "schemas": components,
        },
        "paths": paths,
    }


OPENAPI = openapi_document()
