"""Easysync changesets: Etherpad's wire format and its algebra, with no I/O.

A changeset describes one edit of a text (see changeset.py for the format);
an AText is a text with its attributes (atext.py); an AttributePool numbers the
attributes both cite (pool.py). Lengths and positions count UTF-16 code units.
Every function that takes a changeset accepts the wire string or a parsed
`Changeset`, and returns the wire string.
"""

from __future__ import annotations

from policypad.changeset.apply import apply_to_text
from policypad.changeset.atext import AText, apply_to_atext, make_atext
from policypad.changeset.attributes import compose_attributes, follow_attributes
from policypad.changeset.builder import Builder, make_attribute_change, make_splice
from policypad.changeset.changeset import (
    Changeset,
    check_rep,
    identity,
    is_identity,
    pack,
    unpack,
)
from policypad.changeset.compose import compose
from policypad.changeset.diff import changeset_from_atexts, changeset_from_texts
from policypad.changeset.follow import follow
from policypad.changeset.inverse import inverse
from policypad.changeset.op import Op
from policypad.changeset.pool import AttributePool
from policypad.changeset.ranges import character_range_follow
from policypad.changeset.transfer import move_attribs_to_pool, move_to_pool
from policypad.errors import ChangesetError

__all__ = [
    "AText",
    "AttributePool",
    "Builder",
    "Changeset",
    "ChangesetError",
    "Op",
    "apply_to_atext",
    "apply_to_text",
    "changeset_from_atexts",
    "changeset_from_texts",
    "character_range_follow",
    "check_rep",
    "compose",
    "compose_attributes",
    "follow",
    "follow_attributes",
    "identity",
    "inverse",
    "is_identity",
    "make_atext",
    "make_attribute_change",
    "make_splice",
    "move_attribs_to_pool",
    "move_to_pool",
    "pack",
    "unpack",
]
