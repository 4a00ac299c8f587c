"""sniff: the four formats told by their bytes and checked for structure; SVG, unknown
types, truncated, damaged and polyglot files refused with their codes."""

from __future__ import annotations

import struct
import zlib

import pytest

from policypad.errors import ImageRefused
from policypad.images.sniff import MAX_IMAGE_PIXELS, sniff
from tests.support import images

FORMATS = {
    "png": (images.png(5, 4), "image/png", (5, 4)),
    "jpeg": (images.jpeg(24, 16), "image/jpeg", (24, 16)),
    "gif": (images.gif(3, 7), "image/gif", (3, 7)),
    "webp": (images.webp(9, 2), "image/webp", (9, 2)),
}


def refused(data: bytes) -> str:
    with pytest.raises(ImageRefused) as caught:
        sniff(data)
    return caught.value.code


@pytest.mark.parametrize("name", FORMATS)
def test_each_format_is_known_by_its_bytes_with_its_size(name: str) -> None:
    data, media_type, (width, height) = FORMATS[name]
    info = sniff(data)
    assert (info.media_type, info.width, info.height, info.length) == (
        media_type, width, height, len(data),
    )  # fmt: skip


@pytest.mark.parametrize("name", FORMATS)
def test_every_truncation_is_refused(name: str) -> None:
    data = FORMATS[name][0]
    for length in range(len(data)):
        assert refused(data[:length]) in ("image_corrupt", "image_unknown_type"), length


@pytest.mark.parametrize("name", ["png", "gif", "webp"])
def test_bytes_after_the_end_are_refused(name: str) -> None:
    data = FORMATS[name][0]
    assert refused(data + b"<html><script>alert(1)</script></html>") == "image_corrupt"


def test_a_jpeg_trailer_is_left_out_not_refused() -> None:
    """Cameras write data after a JPEG's end (a second picture, vendor trailers): the
    image is what comes before it."""
    data = images.jpeg()
    info = sniff(data + b"SEFT trailer data" + images.jpeg())
    assert info.media_type == "image/jpeg" and info.length == len(data)


def test_a_signature_followed_by_html_is_refused() -> None:
    html = b"<html><body><script>alert(document.domain)</script></body></html>"
    assert refused(b"\x89PNG\r\n\x1a\n" + html) == "image_corrupt"
    assert refused(b"\xff\xd8\xff" + html) == "image_corrupt"
    assert refused(b"GIF89a" + html) == "image_corrupt"
    assert refused(b"GIF89a/*\x00\x00*/=1;alert(1);//" + html) == "image_corrupt"
    assert refused(b"RIFF\x40\x00\x00\x00WEBP" + html) == "image_corrupt"


def test_a_png_with_a_damaged_byte_fails_its_checksum() -> None:
    data = bytearray(images.png())
    data[40] ^= 0x01  # inside the IDAT chunk
    with pytest.raises(ImageRefused, match="checksum"):
        sniff(bytes(data))


def test_a_png_must_start_with_its_header_and_hold_data() -> None:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    signature = b"\x89PNG\r\n\x1a\n"
    assert refused(signature + chunk(b"IHDR", header) + chunk(b"IEND", b"")) == "image_corrupt"
    no_header = signature + chunk(b"IDAT", zlib.compress(b"\x00" * 5)) + chunk(b"IEND", b"")
    assert refused(no_header) == "image_corrupt"
    bad_depth = struct.pack(">IIBBBBB", 1, 1, 3, 6, 0, 0, 0)
    idat = chunk(b"IDAT", zlib.compress(b"\x00" * 5))
    assert refused(signature + chunk(b"IHDR", bad_depth) + idat + chunk(b"IEND", b"")) == (
        "image_corrupt"
    )


def test_a_picture_of_too_many_pixels_is_refused() -> None:
    """A small file may declare a picture no browser could hold."""
    side = int(MAX_IMAGE_PIXELS**0.5) + 1
    data = images.png(1, 1)
    header = struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0)
    body = b"IHDR" + header
    huge = data[:8] + struct.pack(">I", 13) + body + struct.pack(">I", zlib.crc32(body)) + data[33:]
    with pytest.raises(ImageRefused, match="pixels") as caught:
        sniff(huge)
    assert caught.value.code == "image_too_large"


@pytest.mark.parametrize(
    "svg",
    [
        images.SVG,
        b'\xef\xbb\xbf  <svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b"<!DOCTYPE svg><SVG></SVG>",
    ],
)
def test_svg_is_refused_by_name(svg: bytes) -> None:
    with pytest.raises(ImageRefused, match="SVG") as caught:
        sniff(svg)
    assert caught.value.code == "image_svg"


@pytest.mark.parametrize(
    "data",
    [b"", b"<html><img src=x onerror=alert(1)></html>", b"%PDF-1.7\n", b"BM\x00\x00",
     b"\x00\x00\x00\x1cftypavif", b"\x1f\x8b\x08\x00", b"GIF88a"],
)  # fmt: skip
def test_anything_else_is_an_unknown_type(data: bytes) -> None:
    assert refused(data) == "image_unknown_type"


def test_jpeg_structure_is_walked() -> None:
    data = images.jpeg()
    without_scan = data[: data.index(b"\xff\xda")] + b"\xff\xd9"
    assert refused(without_scan) == "image_corrupt"
    sof = data.index(b"\xff\xc0")
    zero_width = data[: sof + 7] + b"\x00\x00" + data[sof + 9 :]
    assert refused(zero_width) == "image_corrupt"
    twice_started = data[:2] + b"\xff\xd8" + data[2:]
    assert refused(twice_started) == "image_corrupt"


def test_gif_and_webp_headers_are_checked() -> None:
    gif = bytearray(images.gif())
    gif[6:8] = b"\x00\x00"  # width 0
    assert refused(bytes(gif)) == "image_corrupt"
    no_image = images.gif()[:25] + b"\x3b"  # header and 4 colors, then the trailer
    with pytest.raises(ImageRefused, match="no image"):
        sniff(no_image)
    webp = bytearray(images.webp())
    webp[20] = 0x2E  # not the VP8L signature
    assert refused(bytes(webp)) == "image_corrupt"
