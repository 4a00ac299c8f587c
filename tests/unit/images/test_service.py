"""ImageService on a real SQLite file: images checked, then stored content-addressed for
their pad, all or none; data: images of imported HTML and Markdown become stored URLs;
a host's hook gets the checked bytes instead."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from policypad.document import Document, Schema
from policypad.errors import ImageRefused
from policypad.images import ImageService, digest_of, image_url
from policypad.storage.images import ImageStore
from policypad.storage.store import RevisionStore
from tests.support import images

pytestmark = pytest.mark.asyncio
SCHEMA = Schema()


@pytest_asyncio.fixture
async def store(tmp_path: Path) -> AsyncIterator[RevisionStore]:
    revision_store = RevisionStore(f"sqlite+aiosqlite:///{tmp_path / 'pads.sqlite3'}")
    await revision_store.open()
    yield revision_store
    await revision_store.close()


def service(store: RevisionStore, **options: object) -> ImageService:
    return ImageService(
        ImageStore(store),
        max_bytes=options.pop("max_bytes", 10_000),  # type: ignore[arg-type]
        schema=SCHEMA,
        clock=lambda: 1_800_000_000.0,
        **options,
    )  # type: ignore[arg-type]


def data_url(data: bytes, claimed: str = "image/png") -> str:
    return f"data:{claimed};base64,{base64.b64encode(data).decode()}"


async def test_an_image_is_stored_for_its_pad_under_its_hash(store: RevisionStore) -> None:
    images_ = service(store)
    data = images.webp()
    stored = await images_.store_image("pad-1", data)
    assert stored.url == f"/api/pads/pad-1/images/{digest_of(data)}"
    assert stored.url == image_url("pad-1", stored.hash)
    assert (stored.media_type, stored.size_bytes, stored.width, stored.height) == (
        "image/webp", len(data), 2, 3,
    )  # fmt: skip
    record = await images_.store.get("pad-1", stored.hash)
    assert record is not None and record.data == data and record.media_type == "image/webp"
    assert await images_.store.get("pad-2", stored.hash) is None  # it belongs to pad-1
    again = await images_.store_image("pad-1", data)  # the same bytes: nothing new
    assert again == stored


async def test_the_size_limit_and_refusals(store: RevisionStore) -> None:
    limit = len(images.png()) + 100
    images_ = service(store, max_bytes=limit)
    assert (await images_.store_image("p", images.png())).media_type == "image/png"
    for data, code in [
        (images.jpeg(400, 400), "image_too_large"),
        (images.SVG, "image_svg"),
        (images.png()[:-3], "image_corrupt"),
        (b"<html>", "image_unknown_type"),
    ]:
        with pytest.raises(ImageRefused) as caught:
            await images_.store_image("p", data)
        assert caught.value.code == code, data[:20]
    assert len(images.jpeg(400, 400)) > limit


async def test_a_jpeg_is_stored_without_its_trailer(store: RevisionStore) -> None:
    data = images.jpeg()
    stored = await service(store).store_image("p", data + b"trailer")
    assert stored.hash == digest_of(data) and stored.size_bytes == len(data)


async def test_data_images_of_imported_html_become_stored_urls(store: RevisionStore) -> None:
    images_ = service(store)
    png, gif = images.png(), images.gif()
    html = (f'<p>a <img src="{data_url(png, "image/gif")}" alt="chart"> b</p>'
            f'<p><img src=" {data_url(gif)} "><img src="https://example.com/x.png">'
            f'<img src="{data_url(png)}" width="4"></p>')  # fmt: skip
    document = await images_.document_from_html("pad-9", html, SCHEMA)
    png_url, gif_url = image_url("pad-9", digest_of(png)), image_url("pad-9", digest_of(gif))
    assert document.to_html() == (
        f'<p>a <img src="{png_url}" alt="chart"> b</p>'
        f'<p><img src="{gif_url}"><img src="https://example.com/x.png">'
        f'<img src="{png_url}" width="4"></p>'
    )
    assert (await images_.store.get("pad-9", digest_of(gif))) is not None
    markdown = await images_.document_from_markdown("pad-9", f"x ![alt]({data_url(gif)})", SCHEMA)
    assert markdown.to_html() == f'<p>x <img src="{gif_url}" alt="alt"></p>'


async def test_one_bad_image_keeps_none_and_says_which(store: RevisionStore) -> None:
    images_ = service(store)
    good = images.png()
    html = f'<p><img src="{data_url(good)}"><img src="{data_url(images.SVG, "image/png")}"></p>'
    with pytest.raises(ImageRefused, match="image 2 of 2: SVG") as caught:
        await images_.document_from_html("pad-3", html, SCHEMA)
    assert caught.value.code == "image_svg"
    assert await images_.store.get("pad-3", digest_of(good)) is None
    with pytest.raises(ImageRefused) as caught:
        await images_.document_from_html("pad-3", '<img src="data:image/png;base64,@@">', SCHEMA)
    assert caught.value.code == "bad_data_url"


async def test_html_without_data_images_parses_as_before(store: RevisionStore) -> None:
    html = '<h1>T</h1><p><img src="/x.png" alt="a"><img src="javascript:alert(1)" alt="b"></p>'
    document = await service(store).document_from_html("p", html, SCHEMA)
    assert document == Document.from_html(html, SCHEMA)


async def test_a_hook_gets_the_checked_bytes_and_gives_the_url(store: RevisionStore) -> None:
    kept: list[tuple[str, bytes, str]] = []

    async def keep(pad_id: str, data: bytes, media_type: str) -> str:
        kept.append((pad_id, data, media_type))
        return f"https://cdn.example.com/{len(kept)}.img"

    images_ = service(store, hook=keep)
    stored = await images_.store_image("p", images.jpeg() + b"trailer")
    assert stored.url == "https://cdn.example.com/1.img" and stored.media_type == "image/jpeg"
    assert kept == [("p", images.jpeg(), "image/jpeg")]
    assert await images_.store.get("p", stored.hash) is None  # the host keeps it, not us
    with pytest.raises(ImageRefused):
        await images_.store_image("p", images.SVG)
    assert len(kept) == 1  # refused images never reach the hook


async def test_a_failing_or_unsafe_hook_is_an_error(store: RevisionStore) -> None:
    async def failing(pad_id: str, data: bytes, media_type: str) -> str:
        raise OSError("bucket unreachable")

    async def unsafe(pad_id: str, data: bytes, media_type: str) -> str:
        return "javascript:alert(1)"

    for hook in (failing, unsafe):
        with pytest.raises(ImageRefused) as caught:
            await service(store, hook=hook).store_image("p", images.png())
        assert caught.value.code == "image_store_failed"
