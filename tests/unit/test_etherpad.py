"""policypad.etherpad: reading an export's authors (the replay itself is checked against a
real Etherpad's revisions in tests/integration/test_etherpad_import.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policypad.bench_import import synthetic_export
from policypad.changeset import AttributePool, apply_to_atext, make_atext
from policypad.document.lines import lines_to_atext
from policypad.etherpad import ETHERPAD_COLORS, author_color, read_export, replay

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "etherpad"


@pytest.mark.parametrize(
    ("color_id", "color"),
    [
        (0, "#ffc7c7"),
        (63, "#b3b3e6"),
        ("#A0B1C2", "#a0b1c2"),  # picked by the author
        (64, None),
        (-1, None),
        (True, None),
        ("red", None),
        ("#fff", None),
        (None, None),
        ("#a0b1c2;x", None),
    ],
)
def test_an_authors_color_comes_from_etherpads_palette_or_their_pick(
    color_id: object, color: str | None
) -> None:
    assert author_color(color_id) == color


def test_the_palette_has_etherpads_64_colors() -> None:
    assert len(ETHERPAD_COLORS) == 64
    assert all(len(color) == 7 and color.startswith("#") for color in ETHERPAD_COLORS)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff\xfe", "not JSON"),
        (b"[1]", "not a JSON object"),
        (b"{}", "exactly one pad:<id> record"),
        (b'{"pad:a": {"pool": {"numToAttrib": {}, "nextNum": 0}, "head": 1}}', "KeyError"),
        (b'{"pad:a": {}, "pad:b": {}}', "exactly one pad:<id> record"),
    ],
)
def test_a_damaged_export_says_what_is_wrong(raw: bytes, reason: str) -> None:
    with pytest.raises(ValueError, match="not an Etherpad export") as error:
        read_export(raw)
    assert reason in str(error.value)


@pytest.mark.parametrize("name", ["ep-simple", "ep-unicode"])
def test_each_replayed_change_turns_one_document_into_the_next(name: str) -> None:
    """Only the changed stretch of lines is diffed: applied in turn, the changesets give
    exactly each revision's document, attributes included."""
    raw = (FIXTURES / f"{name}.etherpad").read_bytes()
    pool = AttributePool()
    atext = make_atext("\n")
    count = 0
    for replayed in replay(read_export(raw), pool):
        atext = apply_to_atext(replayed.changeset, atext, pool)
        assert atext == lines_to_atext(replayed.lines, pool), replayed.revision
        count += 1
    assert count == len(read_export(raw).revisions)


def test_the_benchmarks_export_replays_to_its_text() -> None:
    """`policypad bench etherpad` builds its pad from a trace; what it builds is a valid
    export that ends at the trace's text (checked here on a small made-up trace)."""
    edits = [(0, 0, "Hello"), (5, 0, " world"), (0, 1, "J"), (11, 0, "\nnext 😀 line"),
             (6, 5, ""), (18, 0, "!")]  # fmt: skip
    raw, text = synthetic_export("small", "", edits, revisions=7)
    assert text == "Jello \nnext 😀 line!\n"
    replayed = list(replay(read_export(raw), AttributePool()))
    assert len(replayed) == 7
    assert lines_to_atext(replayed[-1].lines, AttributePool()).text == text
