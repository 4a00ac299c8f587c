"""`policypad import FILE...` and `policypad export`: document files to and from a running
PolicyPad, over its REST API (as `policypad import-etherpad` does), with a progress bar
on stderr.

Import posts each file to `POST /api/pads?id=<the file's name>` (a DOCX or ODT body);
a pad that exists is left alone, or with `--replace` gets the file as a new revision
(`PUT /api/pads/{id}/content`). Export fetches `GET /api/pads/{id}/export` for the pads
asked for (default: every pad that is not deleted) into a folder, one file each.
"""

from __future__ import annotations

import json
import re
import sys
import urllib.parse
from pathlib import Path
from typing import Any, TextIO

from policypad.etherpad_pull import PullError, _fetch
from policypad.formats import MEDIA_TYPES, format_of

_NOT_IN_ID = re.compile(r"[^A-Za-z0-9_.-]+")


class Progress:
    """A one-line progress bar, redrawn in place on a terminal and printed once per
    step elsewhere (a log keeps every line)."""

    def __init__(self, total: int, out: TextIO = sys.stderr, width: int = 30) -> None:
        self.total, self.out, self.width = total, out, width
        self.done = 0
        self.live = out.isatty()

    def step(self, label: str) -> None:
        self.done += 1
        filled = self.width * self.done // max(self.total, 1)
        line = f"[{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} {label}"
        if self.live:
            self.out.write("\r\x1b[K" + line[:200])
            if self.done == self.total:
                self.out.write("\n")
        else:
            self.out.write(line + "\n")
        self.out.flush()


def pad_id_for(path: Path) -> str:
    """A pad id from a file's name: its stem, with what an id cannot hold as '-'."""
    pad_id = _NOT_IN_ID.sub("-", path.stem).strip("-.")[:100]
    return pad_id or "document"


def _headers(api_key: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_key}"} if api_key else {}


def _reason(status: int, body: bytes) -> str:
    try:
        return str(json.loads(body)["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return f"the server answered {status}"


def import_files(
    server: str,
    api_key: str | None,
    files: list[Path],
    *,
    replace: bool = False,
    out: TextIO = sys.stdout,
    progress_out: TextIO = sys.stderr,
) -> dict[str, int]:
    """Import DOCX and ODT files as pads; returns counts of created, replaced, skipped
    (the pad existed) and failed files. Each file's outcome is printed to `out`."""
    base = server.rstrip("/")
    counts = {"created": 0, "replaced": 0, "skipped": 0, "failed": 0}
    progress = Progress(len(files), progress_out)
    for path in files:
        pad_id = pad_id_for(path)
        outcome = _import_one(base, api_key, path, pad_id, replace)
        counts[outcome[0]] += 1
        print(f"{path}: {outcome[1]}", file=out, flush=True)
        progress.step(path.name)
    print(
        f"done: {counts['created']} created, {counts['replaced']} replaced, "
        f"{counts['skipped']} skipped, {counts['failed']} failed",
        file=out,
        flush=True,
    )
    return counts


def _import_one(
    base: str, api_key: str | None, path: Path, pad_id: str, replace: bool
) -> tuple[str, str]:
    fmt = format_of(None, path.name)
    if fmt is None:
        return "failed", "not a .docx or .odt file"
    try:
        data = path.read_bytes()
    except OSError as error:
        return "failed", f"cannot read it: {error.strerror}"
    headers = {**_headers(api_key), "content-type": MEDIA_TYPES[fmt]}
    query = urllib.parse.urlencode({"id": pad_id})
    status, body = _fetch(f"{base}/api/pads?{query}", data=data, headers=headers, method="POST")
    if status == 201:
        return "created", f"pad {pad_id}"
    if status != 409:
        return "failed", _reason(status, body)
    if not replace:
        return "skipped", f"pad {pad_id} exists (--replace to write the file into it)"
    url = f"{base}/api/pads/{urllib.parse.quote(pad_id, safe='')}/content"
    status, body = _fetch(url, data=data, headers=headers, method="PUT")
    if status == 200:
        return "replaced", f"pad {pad_id}, revision {json.loads(body)['rev']}"
    return "failed", _reason(status, body)


def all_pads(server: str, api_key: str | None) -> list[str]:
    """Every pad of the server that is not deleted, by id (a page at a time)."""
    pads: list[str] = []
    after = ""
    while True:
        query = urllib.parse.urlencode({"after": after, "limit": 1000})
        status, body = _fetch(f"{server.rstrip('/')}/api/pads?{query}", headers=_headers(api_key))
        if status != 200:
            raise PullError(f"listing pads: {_reason(status, body)}")
        page: dict[str, Any] = json.loads(body)
        pads.extend(pad["id"] for pad in page["pads"] if not pad["deleted"])
        if not page["next"]:
            return pads
        after = page["next"]


def export_pads(
    server: str,
    api_key: str | None,
    fmt: str,
    folder: Path,
    *,
    pads: list[str] | None = None,
    rev: int | None = None,
    out: TextIO = sys.stdout,
    progress_out: TextIO = sys.stderr,
) -> dict[str, int]:
    """Write each pad (default: all) as `folder/<pad>.<fmt>`, at `rev` (default: head);
    returns counts of exported and failed pads."""
    ids = pads if pads else all_pads(server, api_key)
    folder.mkdir(parents=True, exist_ok=True)
    counts = {"exported": 0, "failed": 0}
    progress = Progress(len(ids), progress_out)
    for pad_id in ids:
        query = {"format": fmt} | ({"rev": str(rev)} if rev is not None else {})
        url = (
            f"{server.rstrip('/')}/api/pads/{urllib.parse.quote(pad_id, safe='')}/export?"
            + urllib.parse.urlencode(query)
        )
        status, body = _fetch(url, headers=_headers(api_key), timeout=600)
        if status == 200:
            target = folder / f"{pad_id_for(Path(pad_id + '.x'))}.{fmt}"
            target.write_bytes(body)
            counts["exported"] += 1
            print(f"{pad_id}: {target}", file=out, flush=True)
        else:
            counts["failed"] += 1
            print(f"{pad_id}: not exported: {_reason(status, body)}", file=out, flush=True)
        progress.step(pad_id)
    print(f"done: {counts['exported']} exported, {counts['failed']} failed", file=out, flush=True)
    return counts
