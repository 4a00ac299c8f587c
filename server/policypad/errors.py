"""Exceptions raised by PolicyPad.

One root, so a caller can catch everything PolicyPad raises on purpose::

    PolicyPadError
     ├── ChangesetError      (also a ValueError) a changeset, attribution, pool or
     │                       text that is malformed, non-canonical or does not fit
     ├── ProtocolError       a client's message cannot be honoured; carries the
     │                       stable `code` sent back in the `error` message
     ├── StorageError        the database refused or lost a write
     │    └── RevisionGapError  a revision would not follow the stored head (the one
     │                          before it was never stored): refused, so numbers
     │                          stay gap-free
     ├── RevisionNotFound    (also a LookupError) no such revision of the pad
     └── ImageRefused        (also a ValueError) bytes that are not an image PolicyPad
                             keeps (unknown type, SVG, corrupt, too large); carries a
                             stable `code`
"""

from __future__ import annotations


class PolicyPadError(Exception):
    """Root of every exception PolicyPad raises on purpose."""


class ChangesetError(PolicyPadError, ValueError):
    """A changeset (or attribution, pool, text) is invalid, non-canonical or mismatched.

    The message says what was expected and what was found.
    """


class ProtocolError(PolicyPadError):
    """A client's request cannot be honoured; `code` is the stable code sent to it.

    Codes: bad_json, bad_message, unknown_type, too_large, not_joined, bad_changeset,
    bad_attribute, bad_pool, future_rev, length_mismatch, rate_limited, unauthorized,
    token_expired, read_only, pad_not_found, pad_deleted, storage_failed, internal.
    """

    def __init__(self, code: str, message: str, seq: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.seq = seq
        """The seq of the commit refused, when it could be read."""


class StorageError(PolicyPadError):
    """A write to the database failed or was refused; nothing of it was stored."""


class RevisionGapError(StorageError):
    """A revision does not follow the pad's stored head, so it is not stored."""


class RevisionNotFound(PolicyPadError, LookupError):
    """The pad has no such revision (beyond its head, or lost with a damaged history)."""


class ImageRefused(PolicyPadError, ValueError):
    """An image is not kept; `code` says why, the message what was found.

    Codes: image_unknown_type, image_svg, image_corrupt, image_too_large, bad_data_url,
    image_store_failed (the host's own image store failed or gave a URL the document
    model refuses).
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
