"""The shared vectors (tests/vectors/changesets.json), run by the Python engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.vectors.runner import run_case

CASES = json.loads(
    (Path(__file__).parents[2] / "vectors" / "changesets.json").read_text(encoding="utf-8")
)["cases"]


def test_the_file_has_enough_cases() -> None:
    assert len(CASES) >= 300
    assert len({case["name"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_vector(case: dict) -> None:
    assert run_case(case) == case["expect"]
