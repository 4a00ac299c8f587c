"""Exceptions raised by PolicyPad.

One root, so a caller can catch everything PolicyPad raises on purpose::

    PolicyPadError
     └── ChangesetError      (also a ValueError) a changeset, attribution, pool or
                             text that is malformed, non-canonical or does not fit
"""

from __future__ import annotations


class PolicyPadError(Exception):
    """Root of every exception PolicyPad raises on purpose."""


class ChangesetError(PolicyPadError, ValueError):
    """A changeset (or attribution, pool, text) is invalid, non-canonical or mismatched.

    The message says what was expected and what was found.
    """
