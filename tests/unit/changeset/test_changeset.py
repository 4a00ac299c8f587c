"""Parsing, packing and checking changesets (changeset.py, op.py, _base36.py)."""

from __future__ import annotations

import pytest

from policypad.changeset import (
    AttributePool,
    Changeset,
    ChangesetError,
    Op,
    check_rep,
    identity,
    is_identity,
    pack,
    unpack,
)
from policypad.changeset._base36 import format_base36, parse_base36
from policypad.errors import PolicyPadError


def test_unpack_gives_a_value_that_packs_back() -> None:
    parsed = unpack("Z:5g>1|5=2p=v*4*5+1$x")
    assert parsed == Changeset(
        196, 197, (Op("=", 97, 5, ""), Op("=", 31, 0, ""), Op("+", 1, 0, "*4*5")), "x"
    )
    assert parsed.pack() == "Z:5g>1|5=2p=v*4*5+1$x"
    assert str(parsed) == parsed.pack()
    assert unpack(parsed) is parsed


def test_pack_accepts_an_ops_string() -> None:
    assert pack(10, 7, "=2-3", "") == "Z:a<3=2-3$"


def test_identity() -> None:
    assert identity(35) == "Z:z>0$"
    assert is_identity("Z:z>0$")
    assert not is_identity("Z:z>0*0=1$")


def test_base36_round_trip() -> None:
    for number in [0, 1, 35, 36, 1295, 46655, 46656, 10**9]:
        assert parse_base36(format_base36(number)) == number
    assert format_base36(71) == "1z"
    with pytest.raises(ValueError):
        format_base36(-1)


def test_changeset_error_is_a_value_error_and_a_policypad_error() -> None:
    with pytest.raises(ChangesetError) as raised:
        unpack("nonsense")
    assert isinstance(raised.value, ValueError)
    assert isinstance(raised.value, PolicyPadError)


@pytest.mark.parametrize(
    ("changeset", "message"),
    [
        ("Y:1>0$", "bad changeset header"),
        ("Z:1>1+1", "no '.' before"),
        ("Z:3>1+1=1$x", "plain keep"),
        ("Z:3>0+1-1$x", "delete follows an insert"),
        ("Z:3>1=1=1+1$x", "should be merged"),
        ("Z:1>1+1$ab", "unconsumed char bank"),
        ("Z:3>1|1+1$x", "bad newline count"),
        ("Z:1>1+1$😀", "surrogate pair"),
        ("Z:3>2=4+2$ab", "length mismatch"),
        ("Z:3>2+1$ab", "length mismatch"),
    ],
)
def test_check_rep_says_what_is_wrong(changeset: str, message: str) -> None:
    with pytest.raises(ChangesetError, match=message):
        check_rep(changeset)


def test_check_rep_with_pool_knows_attribute_numbers_and_key_order() -> None:
    pool = AttributePool()
    pool.put_attrib(("bold", "true"))
    pool.put_attrib(("author", "a"))
    check_rep("Z:1>1*1*0+1$x", pool)
    with pytest.raises(ChangesetError, match="sorted"):
        check_rep("Z:1>1*0*1+1$x", pool)
    with pytest.raises(ChangesetError, match="unknown attribute number 2"):
        check_rep("Z:1>1*2+1$x", pool)


def test_check_rep_rejects_non_strings() -> None:
    with pytest.raises(ChangesetError, match="string"):
        check_rep(42)  # type: ignore[arg-type]
