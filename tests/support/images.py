"""Real, tiny images made here, byte by byte, in the four formats PolicyPad keeps (no
imaging library): each is what its format's specification describes, and Chromium
decodes every one (tests/browser/test_images.py shows them)."""

from __future__ import annotations

import struct
import zlib

Color = tuple[int, int, int, int]


def png(width: int = 3, height: int = 2, rgba: Color = (200, 30, 30, 255)) -> bytes:
    """A PNG of one color: signature, IHDR, one IDAT (filter 0 rows), IEND."""
    rows = b"".join(b"\x00" + bytes(rgba) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(rows))
        + _png_chunk(b"IEND", b"")
    )


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def jpeg(width: int = 16, height: int = 8) -> bytes:
    """A baseline grayscale JPEG, mid-gray: every 8x8 block has DC difference 0 and no AC
    coefficients, coded with one-symbol Huffman tables (one bit each)."""
    blocks = ((width + 7) // 8) * ((height + 7) // 8)
    bits = "00" * blocks  # DC category 0 ("0"), then end of block ("0")
    bits += "1" * (-len(bits) % 8)  # padded with ones, as the standard says
    scan = bytes(int(bits[i : i + 8], 2) for i in range(0, len(bits), 8))
    one_symbol_table = bytes([1] + [0] * 15) + b"\x00"
    return b"".join(
        [
            b"\xff\xd8",
            _jpeg_segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
            _jpeg_segment(0xDB, b"\x00" + bytes([1] * 64)),
            _jpeg_segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"),
            _jpeg_segment(0xC4, b"\x00" + one_symbol_table),  # DC table 0
            _jpeg_segment(0xC4, b"\x10" + one_symbol_table),  # AC table 0
            _jpeg_segment(0xDA, b"\x01\x01\x00\x00\x3f\x00"),
            scan,
            b"\xff\xd9",
        ]
    )


def _jpeg_segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def gif(width: int = 2, height: int = 2) -> bytes:
    """A GIF89a of one color (index 1 of a 4-color table), its LZW data written as
    literals with a clear code after every two, so the code size stays 3 bits."""
    codes: list[int] = []
    for index in range(width * height):
        if index % 2 == 0:
            codes.append(4)  # clear
        codes.append(1)
    codes.append(5)  # end of information
    value = sum(code << (3 * n) for n, code in enumerate(codes))
    data = value.to_bytes((3 * len(codes) + 7) // 8, "little")
    sub_blocks = b"".join(
        bytes([len(data[i : i + 255])]) + data[i : i + 255] for i in range(0, len(data), 255)
    )
    colors = b"\x00\x00\x00" + b"\x20\x80\xd0" + b"\xff\xff\xff" * 2
    return (
        b"GIF89a"
        + struct.pack("<HHBBB", width, height, 0x81, 0, 0)
        + colors
        + b"\x2c"
        + struct.pack("<HHHHB", 0, 0, width, height, 0)
        + b"\x02"
        + sub_blocks
        + b"\x00\x3b"
    )


def webp(width: int = 2, height: int = 3, argb: Color = (255, 40, 160, 90)) -> bytes:
    """A lossless WebP (VP8L) of one color: no transforms, no color cache, five simple
    prefix codes of one symbol each (which take no bits), so the pixels need no data."""
    alpha, red, green, blue = argb
    writer = _BitWriter()
    writer.write(0x2F, 8)
    writer.write(width - 1, 14)
    writer.write(height - 1, 14)
    writer.write(1 if alpha != 255 else 0, 1)
    writer.write(0, 3)  # version
    writer.write(0, 1)  # no transform
    writer.write(0, 1)  # no color cache
    writer.write(0, 1)  # no meta prefix codes
    for symbol in (green, red, blue, alpha, 0):  # green, red, blue, alpha, distance
        writer.write(1, 1)  # a simple code
        writer.write(0, 1)  # of one symbol
        if symbol < 2:
            writer.write(0, 1)
            writer.write(symbol, 1)
        else:
            writer.write(1, 1)
            writer.write(symbol, 8)
    body = writer.bytes()
    chunk = b"VP8L" + struct.pack("<I", len(body)) + body + b"\x00" * (len(body) & 1)
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


class _BitWriter:
    """Bits packed from the least significant end of each byte, as VP8L reads them."""

    def __init__(self) -> None:
        self.value = 0
        self.count = 0

    def write(self, value: int, bits: int) -> None:
        self.value |= value << self.count
        self.count += bits

    def bytes(self) -> bytes:
        return self.value.to_bytes((self.count + 7) // 8, "little")


SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
