"""A host's own image store, as a test server names it (POLICYPAD_IMAGE_STORE=
tests.support.image_hook:store): each image goes into the folder named by
POLICYPAD_TEST_IMAGE_DIR, and the document gets a URL of the host's."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}


async def store(pad_id: str, data: bytes, media_type: str) -> str:
    name = f"{pad_id}-{hashlib.sha256(data).hexdigest()[:16]}.{EXTENSIONS[media_type]}"
    (Path(os.environ["POLICYPAD_TEST_IMAGE_DIR"]) / name).write_bytes(data)
    return f"https://cdn.example.test/{name}"


def blocking_store(pad_id: str, data: bytes, media_type: str) -> str:
    """Not async: a name the server refuses at start."""
    return "https://cdn.example.test/x"
