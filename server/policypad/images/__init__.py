"""Images kept with pads: a ``data:`` image pasted or imported, an uploaded file.

- `sniff` (sniff.py): what bytes are (PNG, JPEG, GIF, WebP; SVG and the rest refused),
  checked for structure;
- `ImageService` (service.py): check and keep images for a pad, or hand them to the
  host's own store (hook.py); rewrite the ``data:`` images of imported HTML or Markdown;
- `image_url` (urls.py): the same-server URL a document holds,
  ``/api/pads/{pad}/images/{sha256}``;
- `image_token` (access.py): what lets an ``<img>`` read a secured server's images.

The running server has one service, ``app.state.images``::

    stored = await app.state.images.store_image(pad_id, png_bytes)   # stored.url
    document = await app.state.images.document_from_html(pad_id, html, app.state.schema)
"""

from policypad.errors import ImageRefused
from policypad.images.access import image_token, image_token_valid
from policypad.images.hook import ImageStoreHook, load_hook
from policypad.images.service import ImageService, StoredImage
from policypad.images.sniff import ImageInfo, sniff
from policypad.images.urls import digest_of, image_url

__all__ = [
    "ImageInfo",
    "ImageRefused",
    "ImageService",
    "ImageStoreHook",
    "StoredImage",
    "digest_of",
    "image_token",
    "image_token_valid",
    "image_url",
    "load_hook",
    "sniff",
]
