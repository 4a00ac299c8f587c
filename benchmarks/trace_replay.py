"""Replays a real editing trace through the changeset engine and prints timings.

    .venv/bin/python benchmarks/trace_replay.py [TRACE.json.gz]

Phases (each printed as total seconds and microseconds per edit):
  floor    the trace as plain string splicing: the least any engine can do;
  engine   per edit: make_splice on the current document, check_rep, then
           apply_to_atext with an author attribute;
  compose  the engine's changesets composed in runs of 1,000 consecutive edits
           (pairwise, as a balanced tree).
Traces count positions in code points; the ones used here are ASCII, where code
points and UTF-16 units agree (the script checks).
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from pathlib import Path

from policypad.changeset import (
    AttributePool,
    apply_to_text,
    check_rep,
    compose,
    make_atext,
    make_splice,
)
from policypad.changeset.atext import apply_to_atext

DEFAULT_TRACE = Path(__file__).resolve().parents[2] / "shared/data/traces/automerge-paper.json.gz"
COMPOSE_RUN = 1000


def load_edits(path: Path) -> tuple[str, list[tuple[int, int, str]], str]:
    """Return (start text, edits as (position, delete count, insert), end text)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        trace = json.load(handle)
    edits = [tuple(patch) for txn in trace["txns"] for patch in txn["patches"]]
    start, end = trace["startContent"], trace["endContent"]
    if not (start + end).isascii() or not all(edit[2].isascii() for edit in edits):
        raise SystemExit("this benchmark replays ASCII traces (code points = UTF-16 units)")
    return start, edits, end  # type: ignore[return-value]


def run_floor(start: str, edits: list[tuple[int, int, str]]) -> str:
    text = start
    for position, ndel, ins in edits:
        text = text[:position] + ins + text[position + ndel :]
    return text


def run_engine(
    start: str, edits: list[tuple[int, int, str]]
) -> tuple[str, list[str], AttributePool]:
    pool = AttributePool()
    author = [("author", "a1")]
    atext = make_atext(start if start.endswith("\n") else start + "\n")
    changesets = []
    for position, ndel, ins in edits:
        cs = make_splice(atext, position, ndel, ins, author, pool)
        check_rep(cs)
        atext = apply_to_atext(cs, atext, pool)
        changesets.append(cs)
    return atext.text, changesets, pool


def run_compose(changesets: list[str], pool: AttributePool) -> list[str]:
    composed = []
    for begin in range(0, len(changesets), COMPOSE_RUN):
        run = changesets[begin : begin + COMPOSE_RUN]
        # Pairwise, as a balanced tree: a left fold would re-walk an ever-growing
        # changeset 1,000 times.
        while len(run) > 1:
            paired = [compose(run[i], run[i + 1], pool) for i in range(0, len(run) - 1, 2)]
            if len(run) % 2:
                paired.append(run[-1])
            run = paired
        composed.append(run[0])
    return composed


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_TRACE
    start, edits, end = load_edits(path)
    count = len(edits)
    figures = {"lang": "python", "edits": count}

    began = time.perf_counter()
    floor_text = run_floor(start, edits)
    figures["floor_s"] = time.perf_counter() - began
    assert floor_text == end, "the floor replay does not reproduce the trace's end text"

    began = time.perf_counter()
    final_text, changesets, pool = run_engine(start, edits)
    figures["engine_s"] = time.perf_counter() - began
    assert final_text.rstrip("\n") == end.rstrip("\n"), "engine replay diverged from the trace"

    began = time.perf_counter()
    composed = run_compose(changesets, pool)
    figures["compose_s"] = time.perf_counter() - began
    text = start if start.endswith("\n") else start + "\n"
    for cs in composed:
        text = apply_to_text(cs, text)
    assert text == final_text, "composed runs do not reproduce the replay"

    for phase in ("floor", "engine", "compose"):
        seconds = figures[f"{phase}_s"]
        print(f"python {phase:8s} {seconds:7.3f} s  {seconds / count * 1e6:6.2f} µs/edit")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
