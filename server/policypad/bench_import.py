"""`policypad bench etherpad`: how long a server takes to import an Etherpad pad with a
long history.

The pad is made here, in Etherpad's own export format, from a recorded editing trace
(automerge-paper by default): its edits, a few keystrokes to a revision as Etherpad's
client commits them, by three authors taking turns, with their names and a chat. It is
then posted to `POST /api/pads/import/etherpad` of a running server --repeat times (a new
pad each time), and the server's head text is checked against the trace's. The same
export is also replayed in this process, without storage, to show where the time goes.
"""

from __future__ import annotations

import argparse
import json
import time
import urllib.request
import uuid
from typing import Any

from policypad.bench_common import Rest, summary_ms
from policypad.bench_trace import DEFAULT_TRACE, find_trace, load_trace
from policypad.changeset import AttributePool, compose, make_splice, utf16
from policypad.changeset._base36 import format_base36
from policypad.etherpad import read_export, replay

AUTHORS = ("a.benchAnna", "a.benchBert", "a.benchCleo")


def synthetic_export(
    pad_id: str, start_text: str, edits: list[tuple[int, int, str]], revisions: int
) -> tuple[bytes, str]:
    """An `.etherpad` export of `revisions` revisions made of `edits` (positions in code
    points, as traces give them), and the text it ends with."""
    pool = AttributePool()
    text = start_text + "\n"
    records: dict[str, Any] = {}
    when = 1_700_000_000_000

    def add(rev: int, changeset: str, author: str) -> None:
        records[f"pad:{pad_id}:revs:{rev}"] = {
            "changeset": changeset, "meta": {"author": author, "timestamp": when + rev * 700},
        }  # fmt: skip

    first = make_splice("\n", 0, 0, start_text, [("author", AUTHORS[0])], pool)
    add(0, first, AUTHORS[0])
    per_revision = max(1, len(edits) // max(1, revisions - 1))
    for rev in range(1, revisions):
        author = AUTHORS[(rev // 20) % len(AUTHORS)]  # turns of 20 revisions each
        changeset = None
        for position, removed, inserted in edits[(rev - 1) * per_revision : rev * per_revision]:
            start = utf16.length(text[:position]) if not text.isascii() else position
            removed_units = utf16.length(text[position : position + removed])
            splice = make_splice(text, start, removed_units, inserted, [("author", author)], pool)
            text = text[:position] + inserted + text[position + removed :]
            changeset = splice if changeset is None else compose(changeset, splice, pool)
        add(rev, changeset or f"Z:{format_base36(utf16.length(text))}>0$", author)
    records[f"pad:{pad_id}"] = {
        "atext": {"text": text, "attribs": ""}, "pool": pool.to_jsonable(),
        "head": revisions - 1, "chatHead": 2, "publicStatus": False, "savedRevisions": [],
    }  # fmt: skip
    for number, author in enumerate(AUTHORS):
        records[f"globalAuthor:{author}"] = {"colorId": number * 7, "name": author[7:]}
        records[f"pad:{pad_id}:chat:{number}"] = {
            "text": f"{author[7:]} was here", "userId": author, "time": when + number * 9_000,
        }  # fmt: skip
    return json.dumps(records).encode(), text


def _post_import(url: str, api_key: str | None, pad_id: str, raw: bytes) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{url.rstrip('/')}/api/pads/import/etherpad?id={pad_id}", data=raw, method="POST"
    )
    request.add_header("content-type", "application/json")
    if api_key:
        request.add_header("Authorization", f"Bearer {api_key}")
    with urllib.request.urlopen(request, timeout=600) as response:
        return dict(json.loads(response.read()))


def run(args: argparse.Namespace) -> dict[str, Any]:
    start_text, edits, _ = load_trace(find_trace(args.trace), None)
    needed = (args.revisions - 1) * args.edits_per_revision
    raw, final_text = synthetic_export("bench", start_text, edits[:needed], args.revisions)
    started = time.perf_counter()
    pad = read_export(raw)
    for _ in replay(pad, AttributePool()):
        pass
    replay_s = time.perf_counter() - started
    rest = Rest(args.url, args.api_key)
    import_s = []
    matches = True
    for _ in range(args.repeat):
        pad_id = f"bench-import-{uuid.uuid4().hex[:10]}"
        started = time.perf_counter()
        answer = _post_import(args.url, args.api_key, pad_id, raw)
        import_s.append(time.perf_counter() - started)
        stored = rest.call("GET", f"/api/pads/{pad_id}/content?format=text")["text"]
        matches = matches and stored == final_text and answer["rev"] == args.revisions - 1
    return {
        "bench": "etherpad",
        "revisions": args.revisions,
        "edits": needed,
        "export_bytes": len(raw),
        "document_chars": len(final_text),
        "import_ms": summary_ms(import_s),
        "replay_in_process_ms": round(replay_s * 1000, 1),
        "text_matches": matches,
    }


def print_result(result: dict[str, Any]) -> None:
    figures = result["import_ms"]
    print(
        f"Etherpad pad of {result['revisions']} revisions ({result['edits']} edits, "
        f"{result['export_bytes'] / 1e6:.1f} MB export, {result['document_chars']} characters "
        f"at the end):\n"
        f"  POST /api/pads/import/etherpad: p50 {figures['p50']} ms, max {figures['max']} ms "
        f"({figures['samples']} imports)\n"
        f"  of which replaying it (no storage, in this process): "
        f"{result['replay_in_process_ms']} ms\n"
        f"  head text equals the trace's: {result['text_matches']}"
    )


def add_parser(kinds: Any, common: Any) -> None:
    parser = kinds.add_parser("etherpad", help="import an Etherpad pad with a long history")
    common(parser)
    parser.add_argument("--trace", default=DEFAULT_TRACE, help="trace file (.json.gz)")
    parser.add_argument("--revisions", type=int, default=5000, help="revisions in the pad")
    parser.add_argument("--edits-per-revision", type=int, default=5, help="keystrokes each")
    parser.add_argument("--repeat", type=int, default=3, help="imports to time")
