"""A host's own image store: a setting names an async function ``module:function`` that
PolicyPad calls, instead of keeping the image itself, with the pad id, the bytes (checked:
a PNG, JPEG, GIF or WebP within the size limit) and their media type; it returns the URL
the document will hold (an http(s) or a relative URL)::

    # myapp/images.py, with POLICYPAD_IMAGE_STORE=myapp.images:store
    async def store(pad_id: str, data: bytes, media_type: str) -> str:
        key = await bucket.put(data, content_type=media_type)
        return f"https://cdn.example.com/{key}"
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Awaitable, Callable

ImageStoreHook = Callable[[str, bytes, str], Awaitable[str]]


def load_hook(name: str) -> ImageStoreHook:
    """Import the function `name` (``package.module:function``). Raises ValueError, saying
    what is wrong, for a name that is not one, cannot be imported, or is not async."""
    module_name, colon, attribute = name.partition(":")
    if not colon or not module_name or not attribute:
        raise ValueError(f"image store {name!r}: give it as package.module:function")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise ValueError(f"image store {name!r}: cannot import {module_name}: {error}") from None
    found: object = module
    for part in attribute.split("."):
        found = getattr(found, part, None)
    if not callable(found):
        raise ValueError(f"image store {name!r}: {module_name} has no function {attribute}")
    if not inspect.iscoroutinefunction(found):
        raise ValueError(f"image store {name!r}: {attribute} must be an async function")
    return found  # type: ignore[return-value]
