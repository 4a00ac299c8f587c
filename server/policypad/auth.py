"""Who a client is: JWT tokens for editors, an API key for the host's back end."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

import jwt

from policypad.errors import ProtocolError
from policypad.session import open_user_id

MAX_SUBJECT_CHARS = 190
"""Longest user id a token may name (the author column holds "a." + it)."""


@dataclass(frozen=True)
class Identity:
    """A client's identity: user id, display name, whether it may edit, until when."""

    user_id: str
    name: str | None
    """The name others see: the token's (or its subject's); None when the server is
    open (then the client names itself)."""
    can_edit: bool
    expires_at: float | None = None
    """The token's `exp` (seconds since the epoch); None without tokens."""
    authenticated: bool = True
    can_create: bool = False
    """May create the pad by joining it (the token's `"create": true` with `edit`)."""


def identify(token: object, secret: str | None, pad_id: str, client_id: str) -> Identity:
    """Return the identity a token grants on `pad_id`.

    Without a secret the server is open: everyone may edit, and the user id is derived
    from the client's secret id (so the author id others see does not reveal it). With
    one, the token must be an HS256 JWT with `sub`, `pad` (the id or "*"), `perm`
    (`edit` or `read`) and `exp`; the name is the token's `name`, else its `sub` (a
    client cannot choose the name others see). Raises ProtocolError("unauthorized").
    """
    if not secret:
        return Identity(
            open_user_id(client_id), None, True, None, authenticated=False, can_create=True
        )
    if not isinstance(token, str) or not token:
        raise ProtocolError("unauthorized", "a token is required")
    try:
        claims = jwt.decode(
            token, secret, algorithms=["HS256"], options={"require": ["sub", "exp", "pad", "perm"]}
        )
    except jwt.ExpiredSignatureError:
        raise ProtocolError("unauthorized", "the token has expired") from None
    except jwt.InvalidTokenError as error:
        raise ProtocolError("unauthorized", f"invalid token: {error}") from None
    if claims["pad"] not in ("*", pad_id):
        raise ProtocolError("unauthorized", "the token is for another pad")
    subject = str(claims["sub"])
    if not 0 < len(subject) <= MAX_SUBJECT_CHARS or "\x00" in subject:
        raise ProtocolError(
            "unauthorized", f"the token's sub must be 1 to {MAX_SUBJECT_CHARS} characters"
        )
    if claims["perm"] not in ("edit", "read"):
        raise ProtocolError("unauthorized", "the token's perm must be edit or read")
    name = claims.get("name")
    return Identity(
        subject,
        name if isinstance(name, str) and name.strip() else subject,
        claims["perm"] == "edit",
        float(claims["exp"]),
        can_create=claims.get("create") is True and claims["perm"] == "edit",
    )


def api_key_matches(header: str | None, api_key: str | None) -> bool:
    """Return whether an Authorization header carries the API key (always, if none is set)."""
    if not api_key:
        return True
    if not header or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header[len("Bearer ") :].encode(), api_key.encode())
