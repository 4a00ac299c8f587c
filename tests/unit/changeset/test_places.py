"""apply_to_atext applies a changeset that edits several places one place at a time:
the result is what applying it whole gives (`_apply_parsed`, the way one place goes)."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policypad.changeset import (
    AttributePool,
    Builder,
    apply_to_atext,
    check_rep,
    make_atext,
    unpack,
)
from policypad.changeset.atext import _apply_parsed
from policypad.changeset.places import split_places
from policypad.errors import ChangesetError
from tests.support.randomdocs import make_pool, random_atext, random_changeset

TEXT = "".join(f"line {n} of the pad\n" for n in range(20))


def _two_places() -> str:
    builder = Builder(len(TEXT))
    builder.keep_text(TEXT[:167])
    builder.insert("a")
    builder.keep_text(TEXT[167:300])
    builder.remove_text(TEXT[300:301])
    builder.insert("bc")
    return builder.to_string()


def test_a_changeset_splits_into_one_part_per_place() -> None:
    changeset = _two_places()
    assert changeset == "Z:aa>2|9=4i=5+1|7=3j=6-1+2$abc"
    parts = split_places(unpack(changeset))
    assert parts is not None
    assert [part.pack() for part in parts] == ["Z:aa>1|9=4i=5+1$a", "Z:ab>1|g=87=6-1+2$bc"]
    pool = AttributePool()
    whole = _apply_parsed(unpack(changeset), make_atext(TEXT), pool)
    assert apply_to_atext(changeset, make_atext(TEXT), pool) == whole
    assert whole.text == TEXT[:167] + "a" + TEXT[167:300] + "bc" + TEXT[301:]


@pytest.mark.parametrize(
    "changeset",
    [
        "Z:aa>1|9=4i=5+1$a",  # one place
        "Z:aa>2|9=4i=5+1|7=3j=6-1+2$aé",  # a non-ASCII insert: bank units differ
    ],
)
def test_what_is_applied_whole(changeset: str) -> None:
    assert split_places(unpack(changeset)) is None


def test_a_bad_changeset_raises_as_applied_whole() -> None:
    pool = AttributePool()
    # the second place runs past the end of the text
    bad = "Z:aa>2|9=4i=5+1|7=3j=6-z+2$abc"
    with pytest.raises(ChangesetError) as whole:
        _apply_parsed(unpack(bad), make_atext(TEXT), pool)
    with pytest.raises(ChangesetError) as by_place:
        apply_to_atext(bad, make_atext(TEXT), pool)
    assert str(by_place.value) == str(whole.value)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_place_by_place_equals_whole(seed: int) -> None:
    """Place by place == whole, text and attributes, and every part is a valid changeset."""
    rng = random.Random(seed)
    pool = make_pool()
    doc = random_atext(rng, pool, max_pieces=12)
    for _ in range(3):
        changeset = random_changeset(rng, doc.text, pool, attributes=rng.random() < 0.5)
        for part in split_places(unpack(changeset)) or []:
            check_rep(part.pack(), pool)
        whole = _apply_parsed(unpack(changeset), doc, pool)
        by_place = apply_to_atext(changeset, doc, pool)
        assert by_place == whole
        assert by_place.to_jsonable() == whole.to_jsonable()
        doc = whole
