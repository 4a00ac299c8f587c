"""Where a stored image lives: ``/api/pads/{pad}/images/{sha256 hex}``, on the server that
stores it. The document model holds this path (a same-server URL, which its image rule
allows as it allows any relative URL); a browser page on another origin puts the
server's address in front of it (client/js/images.js)."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

DIGEST = re.compile(r"[0-9a-f]{64}")
"""A content address: the sha256 of an image's bytes, in lower-case hex."""


def digest_of(data: bytes) -> str:
    """The content address of `data`."""
    return hashlib.sha256(data).hexdigest()


def image_url(pad_id: str, digest: str) -> str:
    """The URL the document model holds for the image `digest` of pad `pad_id`."""
    return f"/api/pads/{quote(pad_id, safe='')}/images/{digest}"
