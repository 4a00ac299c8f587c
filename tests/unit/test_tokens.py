"""policypad.tokens.mint: the tokens a host gives its users."""

from __future__ import annotations

import jwt
import pytest

from policypad.auth import identify
from policypad.tokens import mint

SECRET = "a-secret-of-thirty-two-bytes-at-least!"


def test_a_minted_token_is_what_the_server_accepts() -> None:
    token = mint(SECRET, "42", pad="policy-1", name="Ann", ttl_seconds=60, now=1_000_000_000)
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_exp": False})
    assert claims == {"sub": "42", "pad": "policy-1", "perm": "edit", "name": "Ann",
                      "iat": 1_000_000_000, "exp": 1_000_000_060}  # fmt: skip
    identity = identify(mint(SECRET, "42", pad="policy-1", create=True), SECRET, "policy-1", "c")
    assert identity.user_id == "42" and identity.can_edit and identity.can_create
    reader = identify(mint(SECRET, "7", perm="read", create=True), SECRET, "any", "c")
    assert not reader.can_edit and not reader.can_create and reader.name == "7"


@pytest.mark.parametrize(
    "arguments",
    [{"secret": "short"}, {"perm": "admin"}, {"sub": ""}, {"ttl_seconds": 0}],
)
def test_mint_refuses_what_the_server_would(arguments: dict) -> None:
    values = {"secret": SECRET, "sub": "u", **arguments}
    secret, sub = values.pop("secret"), values.pop("sub")
    with pytest.raises(ValueError):
        mint(secret, sub, **values)
