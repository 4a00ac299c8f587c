"""The timeslider on a long pad, in Chromium: time to open it, and to move to random revisions.

    .venv/bin/python benchmarks/timeslider_browser_bench.py --url http://127.0.0.1:9001 --pad ID

Make the long pad first (about 5 minutes): start a server with
``POLICYPAD_COMMITS_PER_SECOND=100000 policypad serve`` and run ``policypad bench trace --url
... --batch 2``, which pushes the automerge-paper trace as about 130,000 revisions of a 105 KB
document and prints the pad's id.

What is timed, in the page (headless Chromium, the demo's history page /pads/{pad}/history):

- open: from the navigation's start to the first revision drawn (the timeline fetched and
  decoded, the newest snapshot and its page fetched, composed and drawn), as
  ``performance.now()`` reads it when the widget's ``ready`` resolves; then the same for a
  deep link to a random revision;
- a move: ``await slider.goTo(rev)`` for a random revision, then a read of the document's
  height (which makes the browser lay the document out): the document at that revision
  composed, drawn into the page and laid out. Cold: on a page that preloads nothing
  (``?preload=0``), so most moves fetch a snapshot and a page; warm: once the widget has
  preloaded the history (its default), for random revisions and for single steps;
- a comparison: ``await slider.compare(a, b)`` for two random revisions, then the same
  read: both revisions composed, diffed in the page (the structure-aware diff,
  client/js/document/diff.js), the merged document drawn and laid out.

Prints the figures and one JSON line. Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OPENED = """() => window.policypad.slider.ready.then(() => performance.now())"""
MOVE = """async (rev) => {
  const {slider} = window.policypad;
  const started = performance.now();
  await slider.goTo(rev);
  void document.querySelector('.pp-history-document').offsetHeight;  // lay it out
  return performance.now() - started;
}"""
COMPARE = """async ([a, b]) => {
  const {slider} = window.policypad;
  const started = performance.now();
  await slider.compare(a, b);
  void document.querySelector('.pp-history-document').offsetHeight;  // lay it out
  return performance.now() - started;
}"""
PRELOADED = """() => window.policypad.slider.preloaded.then(() => performance.now())"""
STATS = "() => ({...window.policypad.slider.cache.stats})"
SHOWN_CHARS = "() => document.querySelector('.pp-history-document').innerText.length"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "samples": len(values),
        "p50": round(statistics.median(values), 1),
        "p95": round(percentile(values, 0.95), 1),
        "max": round(max(values), 1),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    page_url = f"{args.url}/pads/{args.pad}/history"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        version = browser.version

        def fresh(url: str) -> Any:
            context = browser.new_context(viewport={"width": 1200, "height": 800})
            context.set_default_timeout(120_000)
            page = context.new_page()
            page.goto(url)
            page.wait_for_function("() => window.policypad !== undefined")
            return page

        opens, deep = [], []
        for _ in range(args.opens):
            page = fresh(page_url)
            opens.append(page.evaluate(OPENED))
            head = int(page.get_attribute(".pp-history", "data-shown-rev") or 0)
            page.context.close()
            page = fresh(f"{page_url}#rev={rng.randrange(head + 1)}")
            deep.append(page.evaluate(OPENED))
            page.context.close()

        # cold: nothing preloaded, every move to a new region fetches its snapshot and page
        page = fresh(f"{page_url}?preload=0")
        page.evaluate(OPENED)
        head = int(page.get_attribute(".pp-history", "data-shown-rev") or 0)
        cold = [page.evaluate(MOVE, rng.randrange(head + 1)) for _ in range(args.cold)]
        cold_stats = page.evaluate(STATS)
        page.context.close()
        page = fresh(page_url)
        page.evaluate(OPENED)
        started = time.perf_counter()
        preloaded_at = page.evaluate(PRELOADED)
        waited = time.perf_counter() - started
        warm = [page.evaluate(MOVE, rng.randrange(head + 1)) for _ in range(args.samples)]
        step = []
        for _ in range(args.samples // 4):
            rev = rng.randrange(head)
            page.evaluate(MOVE, rev)
            step.append(page.evaluate(MOVE, rev + 1))
        stats = page.evaluate(STATS)
        text_chars = page.evaluate(SHOWN_CHARS)
        pairs = [(rng.randrange(head + 1), rng.randrange(head + 1)) for _ in range(args.compares)]
        compare = [page.evaluate(COMPARE, [a, b]) for a, b in pairs]
        browser.close()
    return {
        "bench": "timeslider",
        "pad": args.pad,
        "revisions": head + 1,
        "chromium": version,
        "machine": f"{platform.machine()}, {_cores()} cores",
        "open_ms": summary(opens),
        "deep_link_open_ms": summary(deep),
        "cold_move_ms": summary(cold),
        "cold_fetches": cold_stats,
        "preloaded_after_s": round(preloaded_at / 1000, 1),
        "preload_wait_s": round(waited, 1),
        "warm_move_ms": summary(warm),
        "step_ms": summary(step),
        "compare_ms": summary(compare),
        "fetches": stats,
        "document_chars": text_chars,
    }


def _cores() -> int:
    import os

    return os.cpu_count() or 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the server, http://127.0.0.1:PORT")
    parser.add_argument("--pad", required=True, help="a long pad (policypad bench trace --batch 2)")
    parser.add_argument("--samples", type=int, default=200, help="warm moves to random revisions")
    parser.add_argument("--cold", type=int, default=50, help="moves right after opening")
    parser.add_argument("--opens", type=int, default=5, help="times the page is opened")
    parser.add_argument("--compares", type=int, default=50, help="random pairs compared")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    result = run(parser.parse_args())
    line = "  {}: p50 {p50} ms, p95 {p95} ms, max {max} ms ({samples} samples)"
    print(
        f"timeslider on pad {result['pad']}: {result['revisions']:,} revisions, "
        f"{result['document_chars']:,} characters shown at the end; "
        f"Chromium {result['chromium']}, {result['machine']}"
    )
    print(line.format("open (navigation to the head drawn)", **result["open_ms"]))
    print(line.format("open a deep link (#rev=random)", **result["deep_link_open_ms"]))
    print(line.format("move right after opening (cold)", **result["cold_move_ms"]))
    print(f"  history preloaded {result['preloaded_after_s']} s after the navigation")
    print(line.format("move to a random revision (warm)", **result["warm_move_ms"]))
    print(line.format("step forward one revision", **result["step_ms"]))
    print(line.format("compare two random revisions", **result["compare_ms"]))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
