"""policypad.etherpad: reading an export's authors (the replay itself is checked against a
real Etherpad's revisions in tests/integration/test_etherpad_import.py)."""

from __future__ import annotations

import pytest

from policypad.etherpad import ETHERPAD_COLORS, author_color, read_export


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
