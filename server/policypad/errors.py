"""Exceptions raised by PolicyPad.

One root, so a caller can catch everything PolicyPad raises on purpose::

    PolicyPadError
     ├── ChangesetError      (also a ValueError) a changeset, attribution, pool or
     │                       text that is malformed, non-canonical or does not fit
     └── ProtocolError       a client's message cannot be honoured; carries the
                             stable `code` sent back in the `error` message
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
    bad_pool, future_rev, stale_rev, length_mismatch, rate_limited, unauthorized,
    read_only, pad_not_found, pad_deleted, internal.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
