"""ImageService: what PolicyPad does with an image it is given, in one place.

Every image, whether uploaded by an editor, found as a ``data:`` image in imported HTML
or Markdown or in a joining editor's seed, or handed over by other Python code (a DOCX
import), goes through `store_images`: its size is checked, its bytes are sniffed (the
type a sender claims is never used), and only when every image given at once passes is
any of them stored, in one transaction, for the pad; then the document gets its URL. A
host that keeps images itself names a hook (see hook.py): checked the same way, the
images go to it instead, and the document gets the URL it returns.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from policypad.document import Document, Schema
from policypad.document.lines import Line
from policypad.document.markdown import lines_from_markdown
from policypad.document.parse import parse_html
from policypad.errors import ImageRefused
from policypad.images.data_urls import decode_data_url
from policypad.images.document import (
    data_image_sources,
    keeping_data_images,
    replace_image_sources,
)
from policypad.images.hook import ImageStoreHook
from policypad.images.sniff import ImageInfo, sniff
from policypad.images.urls import digest_of, image_url
from policypad.storage.images import ImageRecord, ImageStore

logger = logging.getLogger(__name__)

SNIFF_IN_THREAD_BYTES = 256 * 1024
"""Images larger than this are checked in a worker thread (checksums of megabytes)."""


@dataclass(frozen=True)
class StoredImage:
    """An image kept: the URL the document holds, its content address (sha256 hex), what
    its bytes are, how many bytes it is, its size in pixels."""

    url: str
    hash: str
    media_type: str
    size_bytes: int
    width: int
    height: int


class ImageService:
    """Checks and keeps images for pads (see the module). `max_bytes` is the largest
    image; `schema` is the pads' document schema (a hook's URL must pass it)."""

    def __init__(
        self,
        store: ImageStore,
        *,
        max_bytes: int,
        schema: Schema,
        hook: ImageStoreHook | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.max_bytes = max_bytes
        self.schema = schema
        self.hook = hook
        self._clock = clock

    def check(self, data: bytes) -> tuple[bytes, ImageInfo]:
        """The image's bytes (a JPEG less its trailer, see sniff.py) and what they are.
        Raises ImageRefused: ``image_too_large`` beyond `max_bytes`, else as `sniff`."""
        if len(data) > self.max_bytes:
            raise ImageRefused(
                "image_too_large",
                f"the image is {len(data):,} bytes; images are limited to {self.max_bytes:,}",
            )
        info = sniff(data)
        return data[: info.length], info

    async def store_image(self, pad_id: str, data: bytes) -> StoredImage:
        """Check `data` and keep it for `pad_id`; return where the document finds it."""
        (stored,) = await self.store_images(pad_id, [data])
        return stored

    async def store_images(self, pad_id: str, images: Sequence[bytes]) -> list[StoredImage]:
        """Check every one of `images`, then keep them all for `pad_id` (nothing is kept
        if one is refused: the ImageRefused says which, "image 2 of 3: ...")."""
        checked = []
        for number, data in enumerate(images, start=1):
            try:
                if len(data) > SNIFF_IN_THREAD_BYTES:
                    checked.append(await asyncio.to_thread(self.check, data))
                else:
                    checked.append(self.check(data))
            except ImageRefused as refused:
                if len(images) > 1:
                    refused = ImageRefused(
                        refused.code, f"image {number} of {len(images)}: {refused.message}"
                    )
                raise refused from None
        if self.hook is not None:
            return [await self._to_hook(pad_id, data, info) for data, info in checked]
        records = [
            ImageRecord(digest_of(data), info.media_type, info.width, info.height, data)
            for data, info in checked
        ]
        await self.store.put(pad_id, records, int(self._clock() * 1000))
        return [
            StoredImage(image_url(pad_id, record.hash), record.hash, record.media_type,
                        len(record.data), record.width, record.height)
            for record in records
        ]  # fmt: skip

    async def _to_hook(self, pad_id: str, data: bytes, info: ImageInfo) -> StoredImage:
        assert self.hook is not None
        try:
            url = await self.hook(pad_id, data, info.media_type)
        except ImageRefused:
            raise  # the host's own refusal, with its code and message
        except Exception:
            logger.exception("the image store hook failed", extra={"pad": pad_id})
            raise ImageRefused("image_store_failed", "the image store failed") from None
        if not isinstance(url, str) or self.schema.image_source(url) != url:
            logger.error("the image store hook gave %r, not a URL a document may hold", url)
            raise ImageRefused("image_store_failed", "the image store gave no usable URL")
        return StoredImage(
            url, digest_of(data), info.media_type, len(data), info.width, info.height
        )

    async def store_data_images(self, pad_id: str, lines: list[Line]) -> list[Line]:
        """`lines` (parsed with `keeping_data_images`) with every ``data:`` image kept
        for `pad_id` and its source replaced by the stored URL. Raises ImageRefused
        (also ``bad_data_url``), keeping nothing, if one cannot be kept."""
        sources = data_image_sources(lines)
        if not sources:
            return lines
        images = []
        for number, source in enumerate(sources, start=1):
            try:
                images.append(decode_data_url(source))
            except ImageRefused as refused:
                raise ImageRefused(
                    refused.code, f"image {number} of {len(sources)}: {refused.message}"
                ) from None
        stored = await self.store_images(pad_id, images)
        return replace_image_sources(
            lines, {source: image.url for source, image in zip(sources, stored, strict=True)}
        )

    async def document_from_html(self, pad_id: str, html: str, schema: Schema) -> Document:
        """Parse `html` (as `Document.from_html` with `schema`), its ``data:`` images kept
        for `pad_id`. Raises ImageRefused, or ValueError for markup nested too deep."""
        lines = await asyncio.to_thread(parse_html, html, keeping_data_images(schema))
        return Document.from_lines(await self.store_data_images(pad_id, lines))

    async def document_from_markdown(self, pad_id: str, markdown: str, schema: Schema) -> Document:
        """As `document_from_html`, for Markdown."""
        lines = await asyncio.to_thread(lines_from_markdown, markdown, keeping_data_images(schema))
        return Document.from_lines(await self.store_data_images(pad_id, lines))
