"""The calls this back end makes to the PolicyPad server's REST API, with its API key.

Plain urllib: four JSON calls do not need another dependency.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from policypad.contrib.django.conf import config

FORMATS = ("html", "text", "markdown")
"""How a field holds its document; the REST API takes and gives each."""
MAX_REVISIONS_NAMED = 1000
"""Revisions read to name who changed a pad since a revision (the API's page limit)."""


class PadServerError(Exception):
    """The PolicyPad server could not be reached, or refused a request."""

    def __init__(self, message: str, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code = status, code


class PadApi:
    """The REST API at `base_url` (``API_URL`` in the settings), called with `api_key`."""

    def __init__(self, base_url: str, api_key: str, timeout_seconds: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout_seconds = timeout_seconds

    @classmethod
    def from_settings(cls) -> PadApi:
        settings = config()
        return cls(settings.api_url, settings.api_key, settings.timeout_seconds)

    def create(self, pad_id: str, content: str, format: str = "html") -> bool:
        """Create the pad from `content`; False if it exists (it is left as it is)."""
        _check_format(format)
        try:
            self._call("POST", "/api/pads", {"id": pad_id, format: content})
        except PadServerError as error:
            if error.status == 409 and error.code == "pad_exists":
                return False
            raise
        return True

    def head(self, pad_id: str) -> int:
        """The pad's newest revision."""
        return int(self._call("GET", f"/api/pads/{_quote(pad_id)}")["rev"])

    def content(self, pad_id: str, rev: int, format: str = "html") -> str:
        """The document at revision `rev`."""
        _check_format(format)
        query = urllib.parse.urlencode({"rev": rev, "format": format})
        return str(self._call("GET", f"/api/pads/{_quote(pad_id)}/content?{query}")[format])

    def authors_since(self, pad_id: str, rev: int) -> list[str]:
        """The authors (``a.<user id>``) of revisions `rev` and later, first one first."""
        query = urllib.parse.urlencode({"since": rev, "limit": MAX_REVISIONS_NAMED})
        found = self._call("GET", f"/api/pads/{_quote(pad_id)}/revisions?{query}")
        return list(dict.fromkeys(revision["author"] for revision in found["revisions"]))

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        request = urllib.request.Request(
            self.base_url + path, method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {self.api_key}", "Accept": "application/json",
                     "Content-Type": "application/json"},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            code, message = _error_of(error)
            raise PadServerError(
                f"{method} {path}: {error.code} {message}", status=error.code, code=code
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise PadServerError(f"{self.base_url} did not answer: {reason}") from None


def _quote(pad_id: str) -> str:
    return urllib.parse.quote(pad_id, safe="")


def _check_format(format: str) -> None:
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")


def _error_of(error: urllib.error.HTTPError) -> tuple[str | None, str]:
    """The API's ``{"error": {"code", "message"}}``, or the status line if it is not that."""
    try:
        detail = json.loads(error.read())["error"]
        return str(detail["code"]), str(detail["message"])
    except (ValueError, KeyError, TypeError):
        return None, str(error.reason)
