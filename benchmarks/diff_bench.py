"""Times the structure-aware diff between random revisions of a real editing trace, in
Python and in JavaScript, and prints p50/p95.

    .venv/bin/python benchmarks/diff_bench.py [TRACE.json.gz] [--pairs N] [--revisions N]

The trace (default: automerge-paper, a 105 KB LaTeX paper written in 259,778 edits) is
replayed as plain string splicing; the document is taken at `--revisions` random points of
it (one paragraph per line, as a pad holding the text would be), and `--pairs` random
pairs of those revisions are diffed: `diff_html(old, new)` in Python (the REST diff), then
`diffHtml(old, new)` in node on the same pairs (benchmarks/diff_bench.mjs). Each figure is
wall-clock milliseconds per diff, lines in and HTML out; Python's CPU time is printed too,
since a shared machine stretches wall-clock time.

With `--worst`, it also times three diffs made to be hard, from the trace's final text:
its lines shuffled, half the words of every line reversed, every tenth character
replaced (CPU milliseconds, Python).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from policypad.document.diff import diff_html
from policypad.document.text import lines_from_text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from trace_replay import DEFAULT_TRACE, load_edits


def revisions(path: Path, count: int, rng: random.Random) -> dict[int, str]:
    """The trace's text after `count` random numbers of edits (and at its end)."""
    start, edits, end = load_edits(path)
    wanted = set(rng.sample(range(1, len(edits)), count - 1)) | {len(edits)}
    texts = {}
    text = start
    for number, (position, ndel, insert) in enumerate(edits, 1):
        text = text[:position] + insert + text[position + ndel :]
        if number in wanted:
            texts[number] = text
    assert texts[len(edits)] == end, "the replay does not reproduce the trace"
    return texts


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    pick = lambda fraction: ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]  # noqa: E731
    return {"p50": round(pick(0.5), 1), "p95": round(pick(0.95), 1), "max": round(ordered[-1], 1)}


def worst_cases(text: str, rng: random.Random) -> dict[str, float]:
    """CPU milliseconds of diffs made to be hard (see the module docstring)."""
    lines = text.split("\n")
    shuffled = lines[:]
    rng.shuffle(shuffled)
    halved = [
        " ".join(w[::-1] if rng.random() < 0.5 else w for w in line.split(" ")) for line in lines
    ]
    tenth = "".join("x" if rng.random() < 0.1 else c for c in text)
    cases = {"lines shuffled": "\n".join(shuffled), "half the words reversed": "\n".join(halved),
             "every tenth character replaced": tenth}  # fmt: skip
    old = lines_from_text(text)
    timings = {}
    for name, changed in cases.items():
        new = lines_from_text(changed)
        began = time.process_time()
        diff_html(old, new)
        timings[name] = round((time.process_time() - began) * 1000, 1)
    return timings


def run_node(
    node: str, texts: dict[int, str], numbers: list[int], pairs: list[tuple[int, int]]
) -> list[float]:
    """Milliseconds per diff of the same pairs in JavaScript (benchmarks/diff_bench.mjs)."""
    index = {number: position for position, number in enumerate(numbers)}
    with tempfile.TemporaryDirectory() as directory:
        data = Path(directory) / "pairs.json"
        data.write_text(
            json.dumps(
                {
                    "texts": [texts[n] for n in numbers],
                    "pairs": [[index[a], index[b]] for a, b in pairs],
                }
            )
        )
        script = Path(__file__).with_name("diff_bench.mjs")
        result = subprocess.run(
            [node, str(script), str(data)], check=True, capture_output=True, text=True
        )
    return json.loads(result.stdout)["ms"]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trace", nargs="?", default=str(DEFAULT_TRACE))
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--revisions", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--worst", action="store_true", help="also time hard diffs")
    args = parser.parse_args(argv[1:])
    rng = random.Random(args.seed)
    texts = revisions(Path(args.trace), args.revisions, rng)
    numbers = sorted(texts)
    pairs = [tuple(rng.sample(numbers, 2)) for _ in range(args.pairs)]
    documents = {number: lines_from_text(texts[number]) for number in numbers}
    sizes = [len(texts[number].encode()) for number in numbers]
    print(
        f"{Path(args.trace).name}: {len(numbers)} revisions ({min(sizes):,}-{max(sizes):,} bytes),"
        f" {len(pairs)} random pairs"
    )
    for old, new in pairs[:5]:  # warm-up
        diff_html(documents[old], documents[new])
    wall, cpu = [], []
    for old, new in pairs:
        began, began_cpu = time.perf_counter(), time.process_time()
        diff_html(documents[old], documents[new])
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    figures: dict[str, dict[str, float]] = {
        "python": percentiles(wall),
        "python_cpu": percentiles(cpu),
    }
    node = shutil.which("node")
    if node is not None:
        figures["javascript"] = percentiles(run_node(node, texts, numbers, pairs))
    for name, values in figures.items():
        print(
            f"{name:12s} p50 {values['p50']:7.1f} ms  p95 {values['p95']:7.1f} ms"
            f"  max {values['max']:7.1f} ms"
        )
    if args.worst:
        figures["worst_cpu_ms"] = worst_cases(texts[numbers[-1]], rng)
        for name, ms in figures["worst_cpu_ms"].items():
            print(f"{name:32s} {ms:7.1f} ms CPU")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
