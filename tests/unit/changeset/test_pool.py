"""The attribute pool (pool.py) and moving between pools (transfer.py)."""

from __future__ import annotations

import pytest

from policypad.changeset import AttributePool, ChangesetError, move_attribs_to_pool, move_to_pool


def test_put_attrib_numbers_new_pairs_and_finds_known_ones() -> None:
    pool = AttributePool()
    assert pool.put_attrib(("bold", "true")) == 0
    assert pool.put_attrib(["author", "a"]) == 1
    assert pool.put_attrib(("bold", "true")) == 0
    assert pool.put_attrib(("italic", "true"), lookup_only=True) == -1
    assert len(pool) == 2
    assert pool.get_attrib(1) == ("author", "a")
    assert pool.get_attrib_key(0) == "bold"
    assert pool.get_attrib_value(0) == "true"
    with pytest.raises(ChangesetError, match="not in the pool"):
        pool.get_attrib(7)


def test_json_form_round_trips_and_matches_etherpad() -> None:
    pool = AttributePool()
    pool.put_attrib(("author", "a.1"))
    pool.put_attrib(("bold", "true"))
    data = pool.to_jsonable()
    assert data == {"numToAttrib": {"0": ["author", "a.1"], "1": ["bold", "true"]}, "nextNum": 2}
    assert AttributePool.from_jsonable(data) == pool
    copy = pool.copy()
    copy.put_attrib(("italic", "true"))
    assert copy != pool


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"numToAttrib": []},
        {"numToAttrib": {"x": ["a", "b"]}},
        {"numToAttrib": {"0": ["a"]}},
        {"numToAttrib": {"0": ["a", 1]}},
        {"numToAttrib": {"0": ["a", "b"], "1": ["a", "b"]}},
        {"numToAttrib": {}, "nextNum": "3"},
    ],
)
def test_from_jsonable_rejects_malformed_pools(data: dict) -> None:
    with pytest.raises(ChangesetError):
        AttributePool.from_jsonable(data)


def test_next_num_never_reuses_a_number() -> None:
    pool = AttributePool.from_jsonable({"numToAttrib": {"5": ["a", "b"]}, "nextNum": 0})
    assert pool.put_attrib(("c", "d")) == 6


def test_move_to_pool_renumbers_and_keeps_key_order() -> None:
    source = AttributePool()
    source.put_attrib(("x", "1"))
    author = source.put_attrib(("author", "a"))
    bold = source.put_attrib(("bold", "true"))
    target = AttributePool()
    target.put_attrib(("bold", "true"))
    moved = move_to_pool(f"Z:1>1*{author}*{bold}+1$x", source, target)
    assert moved == "Z:1>1*1*0+1$x"
    assert target.get_attrib(1) == ("author", "a")
    assert move_attribs_to_pool("*2", source, target) == "*0"
