"""Opening an uploaded DOCX or ODT (both are zip files) without trusting it.

A zip file states each member's unpacked size; a "zip bomb" states small sizes and
unpacks to gigabytes, or holds a million members. Before any library sees the file, its
directory is checked here: at most `MAX_MEMBERS` members, at most
`MAX_UNPACKED_BYTES` in all and no member packed more than `MAX_RATIO` times. Python's
zipfile stops reading a member at its stated size (and fails on a CRC mismatch), so the
stated sizes bound what any reader of the checked file unpacks.
"""

from __future__ import annotations

import io
import zipfile

from policypad.formats.errors import FormatError

MAX_MEMBERS = 2_000
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200
"""Unpacked bytes per packed byte of one member; XML packs about 10 times, a bomb 1000s."""
_RATIO_FROM_BYTES = 1024 * 1024
"""Members smaller than this unpacked are never refused for their ratio (a blank image
or a run of spaces packs very well and is harmless at that size)."""


def open_zip(data: bytes, what: str) -> zipfile.ZipFile:
    """The zip file `data`, checked as the module says; raises FormatError."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise FormatError("bad_file", f"this is not a {what} file (not a zip archive)") from None
    if len(members) > MAX_MEMBERS:
        raise FormatError("file_too_large", f"the {what} file holds over {MAX_MEMBERS} parts")
    total = 0
    for member in members:
        total += member.file_size
        if total > MAX_UNPACKED_BYTES:
            raise FormatError(
                "file_too_large",
                f"the {what} file unpacks to over {MAX_UNPACKED_BYTES // (1024 * 1024)} MB",
            )
        if member.file_size > _RATIO_FROM_BYTES and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise FormatError("file_too_large", f"{member.filename} unpacks suspiciously large")
        if member.flag_bits & 0x1:
            raise FormatError("bad_file", f"the {what} file is encrypted")
    return archive


def read_member(archive: zipfile.ZipFile, name: str, what: str) -> bytes:
    """One member's bytes; raises FormatError if it is missing or damaged."""
    try:
        return archive.read(name)
    except KeyError:
        raise FormatError("bad_file", f"this is not a {what} file (no {name})") from None
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError) as error:
        raise FormatError("bad_file", f"the {what} file is damaged: {error}") from None
