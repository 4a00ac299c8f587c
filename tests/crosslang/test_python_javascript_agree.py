"""Python and JavaScript engines give identical answers on thousands of seeded cases.

The cases are generated here (tests.vectors.generate.random_cases), answered by both
engines (node runs tests/js/run_cases.mjs), and compared exactly.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.vectors.generate import hand_cases, random_cases
from tests.vectors.runner import run_case

ROOT = Path(__file__).resolve().parents[2]
CASE_COUNT = 3000


def test_python_and_javascript_agree(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node is not None, "node is required (scripts/setup installs it)"
    cases = hand_cases() + random_cases(seed=7, count=CASE_COUNT)
    for case in cases:
        case.pop("expect", None)
    cases_file = tmp_path / "cases.json"
    results_file = tmp_path / "results.json"
    cases_file.write_text(json.dumps(cases), encoding="utf-8")
    subprocess.run(
        [node, str(ROOT / "tests/js/run_cases.mjs"), str(cases_file), str(results_file)],
        check=True,
        cwd=ROOT,
        timeout=300,
    )
    javascript = json.loads(results_file.read_text(encoding="utf-8"))
    assert len(javascript) == len(cases)
    disagreements = [
        (case["name"], python_answer, js_answer)
        for case, js_answer in zip(cases, javascript, strict=True)
        if (python_answer := run_case(case)) != js_answer
    ]
    assert not disagreements, f"{len(disagreements)} disagreements, first: {disagreements[:3]}"
