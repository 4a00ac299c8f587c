"""The one error of file conversion, with the stable code the REST API answers with."""

from __future__ import annotations

from policypad.errors import PolicyPadError


class FormatError(PolicyPadError, ValueError):
    """A file cannot be read (or a document cannot be written) in a format.

    `code` is stable: ``bad_file`` (corrupt or not the format it claims),
    ``unsupported_format`` (a format PolicyPad does not read), ``file_too_large`` (its
    unpacked content is over the limits of `archive.py`).
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class MissingLibrary(ImportError):
    """A conversion needs a system library that is not installed (a Python package missing
    raises plain ImportError); `install` says what provides it."""

    def __init__(self, name: str, install: str, detail: str) -> None:
        super().__init__(f"{name} is not installed ({detail})", name=name)
        self.install = install
