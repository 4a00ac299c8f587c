"""What an image's bytes are: PNG, JPEG, GIF or WebP, told by their magic numbers and
checked for structure, never by what an upload claims.

The check walks each format's container (PNG chunks with their CRCs, JPEG segments and
entropy-coded scans, GIF blocks and sub-blocks, WebP's RIFF chunks and frame headers)
from the signature to the format's end marker, so a truncated or damaged file, or a
signature followed by something else (an HTML "polyglot"), is refused. The pixels are
not decoded: that is the viewer's work, and the server never needs them. SVG is refused
by name (it is a document that can run script), anything else as an unknown type.

Bytes after the end marker are refused, except after a JPEG's end: cameras append their
own data there (a second picture, vendor trailers), so `ImageInfo.length` says where the
image ends and the caller keeps only that much.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from policypad.errors import ImageRefused

MAX_IMAGE_PIXELS = 100_000_000
"""Largest width x height accepted: a tiny file can declare a picture whose decoding
would exhaust the memory of every browser that shows the pad."""

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ACCEPTED = "PNG, JPEG, GIF or WebP"


@dataclass(frozen=True)
class ImageInfo:
    """A recognized image: its media type, size in pixels, and how many bytes it is
    (`length` <= the bytes given; less only for a JPEG with a trailer)."""

    media_type: str
    width: int
    height: int
    length: int


def sniff(data: bytes) -> ImageInfo:
    """Return what `data` is, or raise ImageRefused (codes ``image_unknown_type``,
    ``image_svg``, ``image_corrupt``, ``image_too_large`` for the pixel count)."""
    if data.startswith(PNG_SIGNATURE):
        info = _png(data)
    elif data.startswith(b"\xff\xd8\xff"):
        info = _jpeg(data)
    elif data[:6] in (b"GIF87a", b"GIF89a"):
        info = _gif(data)
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        info = _webp(data)
    elif _looks_like_svg(data):
        raise ImageRefused("image_svg", "SVG images are not accepted: they can run script")
    else:
        raise ImageRefused("image_unknown_type", f"not a {ACCEPTED} image")
    if info.width * info.height > MAX_IMAGE_PIXELS:
        raise ImageRefused(
            "image_too_large",
            f"the image is {info.width}x{info.height} pixels; at most "
            f"{MAX_IMAGE_PIXELS:,} pixels are accepted",
        )
    return info


def _corrupt(kind: str, problem: str) -> ImageRefused:
    return ImageRefused("image_corrupt", f"a damaged or incomplete {kind} file: {problem}")


def _looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and b"<svg" in head


# -- PNG: signature, then chunks (length, type, data, CRC) from IHDR to IEND -------------

_PNG_DEPTHS = {0: {1, 2, 4, 8, 16}, 2: {8, 16}, 3: {1, 2, 4, 8}, 4: {8, 16}, 6: {8, 16}}


def _png(data: bytes) -> ImageInfo:
    position = len(PNG_SIGNATURE)
    width = height = 0
    seen: set[bytes] = set()
    while True:
        if position + 8 > len(data):
            raise _corrupt("PNG", "it ends before its IEND chunk")
        length, kind = struct.unpack_from(">I4s", data, position)
        if length > 0x7FFFFFFF or not kind.isalpha():
            raise _corrupt("PNG", f"a bad chunk header at byte {position}")
        end = position + 8 + length + 4
        if end > len(data):
            raise _corrupt("PNG", f"the {kind.decode()} chunk is cut off")
        body = data[position + 8 : end - 4]
        (crc,) = struct.unpack_from(">I", data, end - 4)
        if zlib.crc32(kind + body) != crc:
            raise _corrupt("PNG", f"the {kind.decode()} chunk's checksum is wrong")
        if not seen:
            if kind != b"IHDR" or length != 13:
                raise _corrupt("PNG", "it does not start with an IHDR chunk")
            width, height, depth, color, compression, filtering, interlace = struct.unpack(
                ">IIBBBBB", body
            )
            if not 0 < width <= 0x7FFFFFFF or not 0 < height <= 0x7FFFFFFF:
                raise _corrupt("PNG", f"a size of {width}x{height}")
            if depth not in _PNG_DEPTHS.get(color, ()) or compression or filtering:
                raise _corrupt("PNG", "an impossible pixel format")
            if interlace not in (0, 1):
                raise _corrupt("PNG", "an unknown interlace method")
        seen.add(kind)
        position = end
        if kind == b"IEND":
            break
    if b"IDAT" not in seen:
        raise _corrupt("PNG", "it holds no image data (IDAT)")
    if position != len(data):
        raise _corrupt("PNG", f"{len(data) - position} bytes follow its end")
    return ImageInfo("image/png", width, height, position)


# -- JPEG: SOI, marker segments, entropy-coded scans, EOI -----------------------------------

# start-of-frame markers (baseline, extended, progressive, lossless; Huffman or arithmetic)
_SOF = frozenset({*range(0xC0, 0xC4), *range(0xC5, 0xC8), *range(0xC9, 0xCC), *range(0xCD, 0xD0)})
_RST = frozenset(range(0xD0, 0xD8))
_SOS, _EOI = 0xDA, 0xD9


def _jpeg(data: bytes) -> ImageInfo:
    position = 2
    size: tuple[int, int] | None = None
    scans = 0
    while True:
        if position >= len(data) or data[position] != 0xFF:
            if position >= len(data):
                raise _corrupt("JPEG", "it ends before its end marker")
            raise _corrupt("JPEG", f"no marker where one belongs (byte {position})")
        while position < len(data) and data[position] == 0xFF:
            position += 1  # fill bytes
        if position >= len(data):
            raise _corrupt("JPEG", "it ends before its end marker")
        marker = data[position]
        position += 1
        if marker == _EOI:
            break
        if marker in _RST or marker == 0x01:
            continue  # markers without a length
        if marker in (0x00, 0xD8):
            raise _corrupt("JPEG", f"an unexpected marker at byte {position - 1}")
        if position + 2 > len(data):
            raise _corrupt("JPEG", "a segment is cut off")
        (length,) = struct.unpack_from(">H", data, position)
        if length < 2 or position + length > len(data):
            raise _corrupt("JPEG", "a segment is cut off")
        segment = data[position + 2 : position + length]
        position += length
        if marker in _SOF:
            if size is not None or len(segment) < 6:
                raise _corrupt("JPEG", "a bad frame header")
            _precision, height, width, components = struct.unpack_from(">BHHB", segment)
            if not width or not height or not 1 <= components <= 4:
                raise _corrupt("JPEG", f"a frame of {width}x{height} with {components} components")
            if len(segment) != 6 + 3 * components:
                raise _corrupt("JPEG", "a bad frame header")
            size = (width, height)
        elif marker == _SOS:
            if size is None:
                raise _corrupt("JPEG", "a scan before the frame header")
            position = _end_of_scan(data, position)
            scans += 1
    if size is None or scans == 0:
        raise _corrupt("JPEG", "it has no frame or no scan")
    return ImageInfo("image/jpeg", size[0], size[1], position)


def _end_of_scan(data: bytes, position: int) -> int:
    """Where the entropy-coded data starting at `position` ends: at the next marker that
    is neither a stuffed zero (FF 00) nor a restart marker."""
    while True:
        found = data.find(b"\xff", position)
        if found < 0 or found + 1 >= len(data):
            raise _corrupt("JPEG", "a scan is cut off")
        following = data[found + 1]
        if following == 0x00 or following in _RST or following == 0xFF:
            position = found + 1 if following == 0xFF else found + 2
            continue
        return found


# -- GIF: header, logical screen, blocks (images, extensions) up to the trailer ---------------


def _gif(data: bytes) -> ImageInfo:
    if len(data) < 13:
        raise _corrupt("GIF", "it ends inside its header")
    width, height, flags = struct.unpack_from("<HHB", data, 6)
    if not width or not height:
        raise _corrupt("GIF", f"a screen of {width}x{height}")
    position = 13 + (3 * (2 << (flags & 7)) if flags & 0x80 else 0)
    images = 0
    while True:
        if position >= len(data):
            raise _corrupt("GIF", "it ends before its trailer")
        block = data[position]
        if block == 0x3B:
            position += 1
            break
        if block == 0x2C:  # an image: descriptor, its colors, the LZW code size, data
            if position + 10 > len(data):
                raise _corrupt("GIF", "an image descriptor is cut off")
            image_flags = data[position + 9]
            position += 10
            if image_flags & 0x80:
                position += 3 * (2 << (image_flags & 7))
            if position >= len(data) or not 1 <= data[position] <= 11:
                raise _corrupt("GIF", "a bad LZW code size")
            position = _skip_sub_blocks(data, position + 1)
            images += 1
        elif block == 0x21:  # an extension: its label, then data
            position = _skip_sub_blocks(data, position + 2)
        else:
            raise _corrupt("GIF", f"an unknown block at byte {position}")
    if images == 0:
        raise _corrupt("GIF", "it holds no image")
    if position != len(data):
        raise _corrupt("GIF", f"{len(data) - position} bytes follow its end")
    return ImageInfo("image/gif", width, height, position)


def _skip_sub_blocks(data: bytes, position: int) -> int:
    while True:
        if position >= len(data):
            raise _corrupt("GIF", "a block is cut off")
        size = data[position]
        position += 1 + size
        if size == 0:
            return position


# -- WebP: a RIFF container of chunks; the image is VP8 (lossy), VP8L (lossless) or VP8X ---


def _webp(data: bytes) -> ImageInfo:
    (riff_size,) = struct.unpack_from("<I", data, 4)
    if riff_size + 8 > len(data):
        raise _corrupt("WebP", "it is shorter than its header says")
    if riff_size + 8 < len(data):
        raise _corrupt("WebP", f"{len(data) - riff_size - 8} bytes follow its end")
    chunks: list[tuple[bytes, bytes]] = []
    position = 12
    while position < len(data):
        if position + 8 > len(data):
            raise _corrupt("WebP", "a chunk header is cut off")
        kind, length = struct.unpack_from("<4sI", data, position)
        end = position + 8 + length
        if end > len(data):
            raise _corrupt("WebP", f"the {kind!r} chunk is cut off")
        chunks.append((kind, data[position + 8 : end]))
        position = end + (length & 1)  # chunks are padded to an even length
    if position != len(data) or not chunks:
        raise _corrupt("WebP", "its chunks do not fill it")
    first, body = chunks[0]
    frames = [(kind, chunk) for kind, chunk in chunks if kind in (b"VP8 ", b"VP8L")]
    if first == b"VP8X":
        if len(body) < 10:
            raise _corrupt("WebP", "a bad VP8X header")
        width = 1 + int.from_bytes(body[4:7], "little")
        height = 1 + int.from_bytes(body[7:10], "little")
        animated = bool(body[0] & 0x02) and any(kind == b"ANMF" for kind, _ in chunks)
        if not frames and not animated:
            raise _corrupt("WebP", "it holds no image")
        for kind, chunk in frames:
            _webp_frame(kind, chunk)
        return ImageInfo("image/webp", width, height, len(data))
    if first not in (b"VP8 ", b"VP8L") or len(chunks) != 1:
        raise _corrupt("WebP", "it does not start with an image")
    width, height = _webp_frame(first, body)
    return ImageInfo("image/webp", width, height, len(data))


def _webp_frame(kind: bytes, body: bytes) -> tuple[int, int]:
    """The size a VP8 or VP8L bitstream's header gives (checking its signature)."""
    if kind == b"VP8 ":
        # frame tag (3 bytes; bit 0 clear: a key frame), start code, 14-bit sizes
        if len(body) < 10 or body[0] & 1 or body[3:6] != b"\x9d\x01\x2a":
            raise _corrupt("WebP", "a bad VP8 frame header")
        width, height = struct.unpack_from("<HH", body, 6)
        width, height = width & 0x3FFF, height & 0x3FFF
    else:
        # signature 0x2F, then 14 bits width-1, 14 bits height-1, alpha, 3-bit version 0
        if len(body) < 5 or body[0] != 0x2F:
            raise _corrupt("WebP", "a bad VP8L header")
        (bits,) = struct.unpack_from("<I", body, 1)
        width, height = 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
        if bits >> 29:
            raise _corrupt("WebP", "an unknown VP8L version")
    if not width or not height:
        raise _corrupt("WebP", f"a frame of {width}x{height}")
    return width, height
