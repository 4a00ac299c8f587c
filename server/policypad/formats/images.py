"""Where an exported document's images come from: the one seam to the image store.

The model holds an image as its URL. To put the image itself into a DOCX, ODT or PDF,
an exporter asks `image_bytes(pad_id, src)`: the bytes, or None, and then it writes the
image's alt text in its place. `image_bytes` answers `data:` URLs. Images stored by the
server (served at /api/pads/{id}/images/{hash}) live in the database, which a conversion
thread cannot wait on: the REST export reads them first (`web.documents.images_for`) and
hands the exporter an `ImageSource` that answers them too.
Other URLs are never fetched: an export must not make the server reach the network.
Imports need no seam of their own: a file's pictures come as `data:` URLs in its HTML,
and the REST upload keeps them for the pad as pasted ones are (policypad.images).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable

ImageSource = Callable[[str], bytes | None]
"""An image's URL -> its bytes, or None (the exporter then writes the alt text)."""

_DATA_URL = re.compile(r"data:image/(png|jpeg|gif);base64,([A-Za-z0-9+/=\s]*)", re.IGNORECASE)
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
               (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"))  # fmt: skip


def media_type(image: bytes) -> str | None:
    """The type of an image from its first bytes (PNG, JPEG, GIF or WebP), else None."""
    if image[:4] == b"RIFF" and image[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for magic, kind in _SIGNATURES if image.startswith(magic)), None)


def data_url_bytes(src: str) -> bytes | None:
    """The image a `data:` URL holds, if it is a PNG, JPEG or GIF; else None."""
    match = _DATA_URL.fullmatch(src.strip())
    if match is None:
        return None
    try:
        image = base64.b64decode(match.group(2), validate=False)
    except (binascii.Error, ValueError):
        return None
    return image if media_type(image) is not None else None


def image_bytes(pad_id: str, src: str) -> bytes | None:
    """The bytes of the image `src` in pad `pad_id`, or None if they cannot be had."""
    return data_url_bytes(src)


def source_for(pad_id: str) -> ImageSource:
    """`image_bytes` for one pad, as the exporters take it."""
    return lambda src: image_bytes(pad_id, src)
