"""`policypad import-etherpad`: pulls pads out of a running Etherpad (its HTTP API and
its `.etherpad` export) into a running PolicyPad (its REST API), with progress. It can be
run again at any time: pads PolicyPad already has are skipped, never touched."""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, TextIO

ETHERPAD_API = "1.3.0"


class PullError(Exception):
    """Etherpad or PolicyPad answered something other than expected."""


def _fetch(
    url: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    timeout: float = 120,
) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, OSError) as error:
        raise PullError(f"{url.split('?')[0]}: {error}") from None


def etherpad_pads(url: str, apikey: str) -> list[str]:
    """Every pad id of an Etherpad (listAllPads)."""
    query = urllib.parse.urlencode({"apikey": apikey})
    status, body = _fetch(f"{url.rstrip('/')}/api/{ETHERPAD_API}/listAllPads?{query}")
    try:
        answer = json.loads(body)
    except json.JSONDecodeError:
        raise PullError(f"Etherpad answered {status} and no JSON to listAllPads") from None
    if status != 200 or answer.get("code") != 0:
        raise PullError(f"Etherpad refused listAllPads: {answer.get('message', status)}")
    return [str(pad) for pad in answer["data"]["padIDs"]]


def pull(
    etherpad: str,
    apikey: str,
    policypad: str,
    api_key: str | None,
    pads: list[str] | None = None,
    out: TextIO = sys.stdout,
) -> dict[str, int]:
    """Import `pads` (default: all of them) from Etherpad into PolicyPad; returns counts
    of imported, skipped (already in PolicyPad) and failed pads."""
    ids = pads if pads else etherpad_pads(etherpad, apikey)
    auth = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    base = policypad.rstrip("/")
    counts = {"imported": 0, "skipped": 0, "failed": 0}
    for number, pad in enumerate(ids, start=1):
        prefix = f"[{number}/{len(ids)}] {pad}:"
        status, _ = _fetch(f"{base}/api/pads/{urllib.parse.quote(pad, safe='')}", headers=auth)
        if status == 200:
            counts["skipped"] += 1
            print(f"{prefix} already in PolicyPad, skipped", file=out, flush=True)
            continue
        status, exported = _fetch(
            f"{etherpad.rstrip('/')}/p/{urllib.parse.quote(pad, safe='')}/export/etherpad"
        )
        if status != 200:
            counts["failed"] += 1
            print(f"{prefix} Etherpad's export answered {status}", file=out, flush=True)
            continue
        query = urllib.parse.urlencode({"id": pad})
        status, body = _fetch(
            f"{base}/api/pads/import/etherpad?{query}",
            data=exported,
            headers={**auth, "content-type": "application/json"},
            method="POST",
        )
        answer: dict[str, Any] = json.loads(body) if body.startswith(b"{") else {}
        if status == 201:
            counts["imported"] += 1
            print(
                f"{prefix} imported: {answer['rev'] + 1} revisions, {answer['authors']} "
                f"authors, {answer['chat']} chat messages",
                file=out,
                flush=True,
            )
        elif status == 409:
            counts["skipped"] += 1
            print(f"{prefix} already in PolicyPad, skipped", file=out, flush=True)
        else:
            counts["failed"] += 1
            reason = answer.get("error", {}).get("message", status)
            print(f"{prefix} not imported: {reason}", file=out, flush=True)
    print(
        f"done: {counts['imported']} imported, {counts['skipped']} skipped, "
        f"{counts['failed']} failed",
        file=out,
        flush=True,
    )
    return counts
