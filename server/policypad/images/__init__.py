"""Images kept with pads: a ``data:`` image pasted or imported, an uploaded file.

- `sniff` (sniff.py): what bytes are (PNG, JPEG, GIF, WebP; SVG and the rest refused),
  checked for structure.
"""

from policypad.errors import ImageRefused
from policypad.images.sniff import ImageInfo, sniff

__all__ = ["ImageInfo", "ImageRefused", "sniff"]
