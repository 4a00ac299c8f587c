"""Minting the tokens a host application gives its users' browsers.

A token is an HS256 JWT signed with the server's `POLICYPAD_SECRET`::

    {"sub": "42", "name": "Ann", "pad": "policy-42", "perm": "edit", "exp": 1767225600}

`sub` is the user (authorship is stamped as ``a.<sub>``), `name` what others see,
`pad` one pad id or ``*``, `perm` ``edit`` or ``read``, `exp` when it stops working (also
for a session that is still connected). With ``"create": true`` the first `join` of a
pad that does not exist yet creates it (seeded from the joining editor's content, if it
sends some). Any JWT library mints the same token; see the README for other languages.
"""

from __future__ import annotations

import time

import jwt

from policypad.settings import MIN_SECRET_BYTES

PERMISSIONS = ("edit", "read")
DEFAULT_TTL_SECONDS = 3600


def mint(
    secret: str,
    sub: str,
    *,
    pad: str = "*",
    perm: str = "edit",
    name: str | None = None,
    ttl_seconds: float = DEFAULT_TTL_SECONDS,
    create: bool = False,
    now: float | None = None,
) -> str:
    """Return a token for user `sub` on `pad`, valid for `ttl_seconds`.

    Raises ValueError for a secret shorter than 32 bytes (the server refuses those too),
    an unknown `perm`, an empty `sub` or a non-positive TTL.
    """
    if len(secret.encode()) < MIN_SECRET_BYTES:
        raise ValueError(f"the secret must be at least {MIN_SECRET_BYTES} bytes long")
    if perm not in PERMISSIONS:
        raise ValueError(f"perm must be one of {', '.join(PERMISSIONS)}, not {perm!r}")
    if not sub:
        raise ValueError("sub (the user id) must not be empty")
    if ttl_seconds <= 0:
        raise ValueError("ttl_seconds must be positive")
    issued = time.time() if now is None else now
    claims: dict[str, object] = {
        "sub": sub,
        "pad": pad,
        "perm": perm,
        "iat": int(issued),
        "exp": int(issued + ttl_seconds),
    }
    if name:
        claims["name"] = name
    if create:
        claims["create"] = True
    return jwt.encode(claims, secret, algorithm="HS256")
