"""`policypad bench history`: what a timeslider asks of a long pad, timed."""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable
from typing import Any

from policypad.bench_common import (
    Rest,
    summary_ms,
)

# -- history: what a timeslider asks of a long pad ------------------------------------------


def _timed(call: Callable[[], Any], samples: int) -> tuple[list[float], Any]:
    seconds: list[float] = []
    result = None
    for _ in range(samples):
        started = time.perf_counter()
        result = call()
        seconds.append(time.perf_counter() - started)
    return seconds, result


def run_history(args: argparse.Namespace) -> dict[str, Any]:
    """Time the history API on a long pad (made by `bench trace`, e.g. --batch 2 for the
    automerge-paper trace: about 130,000 revisions of a 105 KB document)."""
    rest = Rest(args.url, args.api_key)
    pad = args.pad
    head = rest.call("GET", f"/api/pads/{pad}")["rev"]
    rng = random.Random(args.seed)
    timeline_s, timeline = _timed(lambda: rest.call("GET", f"/api/pads/{pad}/timeline"), 5)
    timeline_bytes = len(json.dumps(timeline))
    content_s: list[float] = []
    for _ in range(args.samples):
        rev = rng.randrange(head + 1)
        started = time.perf_counter()
        rest.call("GET", f"/api/pads/{pad}/content?rev={rev}&format=atext")
        content_s.append(time.perf_counter() - started)
    page_s: list[float] = []
    for _ in range(min(args.samples, 20)):
        since = rng.randrange(head + 1)
        started = time.perf_counter()
        rest.call("GET", f"/api/pads/{pad}/revisions?since={since}&limit=1000")
        page_s.append(time.perf_counter() - started)
    diff_s: list[float] = []
    for _ in range(args.samples):
        first, second = sorted(rng.sample(range(head + 1), 2))
        started = time.perf_counter()
        rest.call("GET", f"/api/pads/{pad}/diff?from={first}&to={second}", timeout=120)
        diff_s.append(time.perf_counter() - started)
    existing = rest.call("GET", f"/api/pads/{pad}/versions")["versions"]
    for number in range(len(existing), 20):
        rest.call("POST", f"/api/pads/{pad}/versions",
                  {"rev": rng.randrange(head + 1), "label": f"bench version {number}"})  # fmt: skip
    versions_s, listed = _timed(lambda: rest.call("GET", f"/api/pads/{pad}/versions"), 50)
    moment = listed["versions"][-1]["time"]
    at_s, _ = _timed(lambda: rest.call("GET", f"/api/pads/{pad}/versions/at?time={moment}"), 50)
    return {
        "bench": "history",
        "pad": pad,
        "head_rev": head,
        "timeline_ms": summary_ms(timeline_s),
        "timeline_bytes": timeline_bytes,
        "content_at_rev_ms": summary_ms(content_s),
        "revisions_page_ms": summary_ms(page_s),
        "diff_ms": summary_ms(diff_s),
        "versions_ms": summary_ms(versions_s),
        "version_at_ms": summary_ms(at_s),
    }


def print_history(result: dict[str, Any]) -> None:
    def line(name: str, key: str) -> str:
        figures = result[key]
        return (
            f"  {name}: p50 {figures['p50']} ms, p95 {figures['p95']} ms, max {figures['max']} ms"
        )

    print("\n".join([
        f"history of pad {result['pad']} ({result['head_rev']} revisions):",
        line("timeline (every revision's time and author)", "timeline_ms")
        + f", {result['timeline_bytes'] / 1e6:.1f} MB",
        line("content at a random revision (atext)", "content_at_rev_ms"),
        line("a page of 1,000 revisions", "revisions_page_ms"),
        line("diff between two random revisions", "diff_ms"),
        line("named versions (20)", "versions_ms"),
        line("the version in effect at a time", "version_at_ms"),
    ]))  # fmt: skip
