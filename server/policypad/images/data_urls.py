"""The bytes of a ``data:`` URL (RFC 2397, as browsers read it: base64 or percent-encoded).
The media type the URL claims is ignored: what the bytes are is for `sniff` to say."""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import unquote_to_bytes

from policypad.errors import ImageRefused

_WHITESPACE = re.compile(r"[\t\n\f\r ]+")


def is_data_url(url: str) -> bool:
    """Whether `url` is a ``data:`` URL (as a browser reads it: spaces and case aside)."""
    return _WHITESPACE.sub("", url[:16]).lower().startswith("data:")


def decode_data_url(url: str) -> bytes:
    """The bytes `url` carries. Raises ImageRefused(``bad_data_url``) if it is not a data
    URL or its data cannot be decoded."""
    if not is_data_url(url):
        raise ImageRefused("bad_data_url", "not a data: URL")
    header, comma, payload = url.strip().partition(",")
    if not comma:
        raise ImageRefused("bad_data_url", "a data: URL without a comma before its data")
    if _WHITESPACE.sub("", header).lower().endswith(";base64"):
        # the forgiving base64 of browsers: whitespace ignored, padding optional
        text = _WHITESPACE.sub("", unquote_to_bytes(payload).decode("latin-1"))
        if len(text) % 4 == 1:
            raise ImageRefused("bad_data_url", "a data: URL whose base64 is cut off")
        try:
            return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
        except (binascii.Error, ValueError):
            raise ImageRefused("bad_data_url", "a data: URL with invalid base64") from None
    return unquote_to_bytes(payload)
