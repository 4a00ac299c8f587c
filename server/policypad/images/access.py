"""Image access tokens: how an ``<img>`` shows an image of a server that has a secret.

A browser sends no Authorization header for an ``<img>``, and the host page's cookies are
not the server's, so the image URL itself carries the right to read: a token
``{expires}.{mac}`` naming one pad and a time, signed with a key derived from
``POLICYPAD_SECRET`` (so it can never pass for a JWT, nor a JWT for it). It lets its
bearer read that pad's images until it expires, and nothing else.

The server gives one to every session that joins the pad (any token, read or edit) in
its ``joined`` message. Expiry times are whole periods, so every session of a pad gets
the same token for a while: the URLs an editor shows stay the same across reconnects
and page loads, and the browser's cache keeps working. A token lasts one to two periods.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

PERIOD_SECONDS = 12 * 3600
"""Expiry times are multiples of this; a token lasts between one and two of them."""
_KEY_LABEL = b"policypad image access v1"


def image_token(secret: str, pad_id: str, now_seconds: float) -> str:
    """A token to read the images of `pad_id`, valid for one to two periods from now."""
    expires = (int(now_seconds) // PERIOD_SECONDS + 2) * PERIOD_SECONDS
    return f"{expires}.{_mac(secret, pad_id, expires)}"


def image_token_valid(secret: str, pad_id: str, token: str, now_seconds: float) -> bool:
    """Whether `token` lets its bearer read the images of `pad_id` now."""
    expires, _, mac = token.partition(".")
    if not expires.isdigit() or len(expires) > 12 or int(expires) <= now_seconds:
        return False
    return hmac.compare_digest(mac, _mac(secret, pad_id, int(expires)))


def _mac(secret: str, pad_id: str, expires: int) -> str:
    key = hmac.new(secret.encode(), _KEY_LABEL, hashlib.sha256).digest()
    digest = hmac.new(key, f"{pad_id}\n{expires}".encode(), hashlib.sha256).digest()[:18]
    return base64.urlsafe_b64encode(digest).decode()
