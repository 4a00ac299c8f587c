"""Python and JavaScript diffs give the same merged lines and HTML on seeded random pairs.

The pairs come from tests/support/randompairs.py (every kind of block and edit), plus a
few large ones that use up the diff's work budget, so that the coarse path agrees too.
node runs tests/js/run_diffs.mjs; the answers are compared exactly.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

from policypad.document import _sequences
from policypad.document.diff import _Differ, diff_html, diff_lines
from policypad.document.lines import Line
from tests.support import randompairs
from tests.vectors.generate_documents import jsonable

ROOT = Path(__file__).resolve().parents[2]
PAIR_COUNT = 1500
LARGE_PAIR_COUNT = 4


def large_pair(rng: random.Random) -> tuple[list[Line], list[Line]]:
    """Two long documents of few distinct words, four lines in five different: few lines
    or words are unique, so the sequence diff has to spend its budget."""

    def line() -> Line:
        return ([(" ".join(rng.choice("ab") for _ in range(rng.randint(1, 30))), {})], {})

    old = [line() for _ in range(800)]
    return old, [kept if rng.random() < 0.2 else line() for kept in old]


def test_large_pairs_use_up_the_budget() -> None:
    """The large pairs reach the coarse path (else they would test nothing more)."""
    old, new = large_pair(random.Random(0))
    differ = _Differ(new)
    differ.diff(old, new, "document", None)
    assert differ.budget.cells < _sequences.SMALL_CELLS


def test_python_and_javascript_diffs_agree(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node is not None, "node is required (scripts/setup installs it)"
    pairs = [randompairs.pair(random.Random(seed)) for seed in range(PAIR_COUNT)]
    pairs += [large_pair(random.Random(seed)) for seed in range(LARGE_PAIR_COUNT)]
    cases_file = tmp_path / "cases.json"
    results_file = tmp_path / "results.json"
    cases_file.write_text(
        json.dumps([{"old": jsonable(old), "new": jsonable(new)} for old, new in pairs]),
        encoding="utf-8",
    )
    subprocess.run(
        [node, str(ROOT / "tests/js/run_diffs.mjs"), str(cases_file), str(results_file)],
        check=True,
        cwd=ROOT,
        timeout=300,
    )
    javascript = json.loads(results_file.read_text(encoding="utf-8"))
    assert len(javascript) == len(pairs)
    disagreements = [
        (seed, answer)
        for seed, ((old, new), answer) in enumerate(zip(pairs, javascript, strict=True))
        if answer != {"merged": jsonable(diff_lines(old, new)), "html": diff_html(old, new)}
    ]
    assert not disagreements, f"{len(disagreements)} disagreements, first: {disagreements[:1]}"
