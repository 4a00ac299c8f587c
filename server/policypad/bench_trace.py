"""`policypad bench trace`: a recorded editing trace pushed through the server, then
old revisions rebuilt (see policypad.bench)."""

from __future__ import annotations

import argparse
import gzip
import json
import random
import statistics
import time
from pathlib import Path
from typing import Any

from policypad.bench_clients import (
    BenchClient,
    utf16_length,
)
from policypad.bench_common import (
    Rest,
    check_loopback,
    summary_ms,
)
from policypad.changeset import (
    AttributePool,
    compose,
    make_splice,
)

# -- bench trace ------------------------------------------------------------------------

DEFAULT_TRACE = "../shared/data/traces/automerge-paper.json.gz"


def find_trace(name: str) -> Path:
    """The trace file: as given, or (for the default) beside this checkout."""
    path = Path(name)
    if path.is_file() or name != DEFAULT_TRACE:
        return path
    beside = Path(__file__).resolve().parents[3] / "shared/data/traces/automerge-paper.json.gz"
    return beside if beside.is_file() else path


def load_trace(path: Path, limit: int | None) -> tuple[str, list[tuple[int, int, str]], str]:
    """(start text, edits as (position, delete count, insert), end text) of a trace."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        trace = json.load(handle)
    edits = [
        (int(patch[0]), int(patch[1]), str(patch[2]))
        for txn in trace["txns"]
        for patch in txn["patches"]
    ]
    if limit is not None:
        edits = edits[:limit]
    return trace["startContent"], edits, trace["endContent"]


def _utf16_offset(text: str, code_points: int) -> int:
    return code_points if text.isascii() else utf16_length(text[:code_points])


def _compose_all(changesets: list[str], pool: AttributePool) -> str:
    """Compose in a balanced tree (cheaper than left to right for long runs)."""
    while len(changesets) > 1:
        changesets = [
            compose(changesets[i], changesets[i + 1], pool) if i + 1 < len(changesets)
            else changesets[i]
            for i in range(0, len(changesets), 2)
        ]  # fmt: skip
    return changesets[0]


async def run_trace(args: argparse.Namespace) -> dict[str, Any]:
    parts = check_loopback(args.url)
    ws_url = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}"
    rest = Rest(args.url, args.api_key)
    path = find_trace(args.trace)
    start_text, edits, end_text = load_trace(path, args.limit)
    print(f"trace {path.name}: {len(edits)} edits, commits of {args.batch}")
    pad_id = rest.create_pad(None, start_text)
    client = BenchClient(ws_url, pad_id, name="trace", token=args.token, commit_interval=0)
    await client.connect()
    # the commits a fast typist's client would send: batches of edits, composed
    pool = AttributePool()
    text = client.text  # the trace's text plus the pad's final newline
    t0 = time.perf_counter()
    batches = []
    for first in range(0, len(edits), args.batch):
        changesets = []
        for position, ndel, insert in edits[first : first + args.batch]:
            start = _utf16_offset(text, position)
            removed = utf16_length(text[position : position + ndel])
            changesets.append(make_splice(text, start, removed, insert))
            text = text[:position] + insert + text[position + ndel :]
        batches.append(_compose_all(changesets, pool))
    prepare = time.perf_counter() - t0
    # push them, each acknowledged before the next
    round_trips: list[float] = []
    started = time.perf_counter()
    for batch in batches:
        t1 = time.perf_counter()
        client.state.edit(batch)
        client._maybe_commit()
        if not await client.wait_until(lambda: client.idle, args.timeout):
            raise RuntimeError(f"no ack within {args.timeout} s (errors: {client.timings.errors})")
        round_trips.append(time.perf_counter() - t1)
    total = time.perf_counter() - started
    commits = len(round_trips)
    await client.close()
    head = rest.call("GET", f"/api/pads/{pad_id}")["rev"]
    server_text = rest.call("GET", f"/api/pads/{pad_id}/content?format=text")["text"]
    matches = server_text == text and (args.limit is not None or text == end_text + "\n")

    rng = random.Random(args.seed)
    revisions = sorted(rng.sample(range(head), min(args.samples, head))) if head else []
    rebuild: list[float] = []
    for rev in revisions:
        t0 = time.perf_counter()
        body = rest.call("GET", f"/api/pads/{pad_id}/content?rev={rev}&format=atext")
        rebuild.append(time.perf_counter() - t0)
        assert body["rev"] == rev
    result = {
        "bench": "trace",
        "trace": path.name,
        "pad": pad_id,
        "edits": len(edits),
        "commits": commits,
        "head_rev": head,
        "final_chars": len(text),
        "total_seconds": round(total, 2),
        "revisions_per_second": round(commits / total, 1),
        "edits_per_second": round(len(edits) / total),
        "client_prepare_seconds": round(prepare, 2),
        "round_trip_ms": summary_ms(round_trips),
        "text_matches": matches,
        "rate_limited": client.rate_limited,
        "rebuild_ms": {
            "samples": len(rebuild),
            "revisions": revisions,
            "median": round(statistics.median(rebuild) * 1000, 1) if rebuild else None,
            "max": round(max(rebuild) * 1000, 1) if rebuild else None,
        },
    }
    return result


def print_trace(result: dict[str, Any]) -> None:
    r, b = result["round_trip_ms"], result["rebuild_ms"]
    lines = [
        f"pushed {result['edits']} edits as {result['commits']} revisions in "
        f"{result['total_seconds']} s: {result['revisions_per_second']} revisions/s "
        f"({result['edits_per_second']} edits/s); per commit round trip p50 {r['p50']} ms, "
        f"p95 {r['p95']} ms, max {r['max']} ms",
        f"  (composing the commits beforehand, in the client: "
        f"{result['client_prepare_seconds']} s)",
        f"  final text {result['final_chars']} chars; server text matches: "
        f"{result['text_matches']}; commits refused by the rate limit and resent: "
        f"{result['rate_limited']}",
        f"rebuild at {b['samples']} random revisions (GET content?rev=N&format=atext): "
        f"median {b['median']} ms, max {b['max']} ms",
    ]
    print("\n".join(lines))
