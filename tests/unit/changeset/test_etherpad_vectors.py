"""Etherpad's own answers (tests/vectors/etherpad_engine.json), met by the Python engine.

Etherpad's Changeset module answered these seeded cases (tests/vectors/
generate_etherpad.py records how); the JavaScript suite checks the same file
(tests/js/changeset_etherpad.test.mjs). An answer is JSON data, so equal data is
the same changeset, attribs string and pool, byte for byte.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.vectors.runner import run_case

RECORDED = json.loads(
    (Path(__file__).parents[2] / "vectors" / "etherpad_engine.json").read_text(encoding="utf-8")
)
CASES: list[dict[str, Any]] = RECORDED["cases"]


def test_the_answers_name_their_source_and_cover_each_operation() -> None:
    source = RECORDED["etherpad"]
    assert source["repository"] == "https://github.com/ether/etherpad-lite"
    assert len(source["commit"]) == 40  # a commit, so the answers can be asked again
    counts = Counter(case["op"] for case in CASES)
    # the two operations issue 17 found apart from Etherpad's get the most cases
    assert counts["make_splice"] >= 500
    assert counts["character_range_follow"] >= 500
    for op in ("builder", "compose", "follow", "apply_to_atext", "compose_attributes"):
        assert counts[op] >= 100, op
    assert len({case["name"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_etherpad_answer(case: dict[str, Any]) -> None:
    assert run_case(case) == case["expect"]
