"""Moving changesets and attributions from one attribute pool to another."""

from __future__ import annotations

import re

from policypad.changeset._base36 import format_base36
from policypad.changeset.changeset import ChangesetLike, pack, unpack
from policypad.changeset.op import format_ops
from policypad.changeset.pool import AttributePool

_ATTRIB_RE = re.compile(r"\*([0-9a-z]+)")


def move_attribs_to_pool(attribs: str, old_pool: AttributePool, new_pool: AttributePool) -> str:
    """Return an attribs or ops string with its numbers renumbered into `new_pool`.

    Distinct pairs keep distinct numbers and attribute order is by key, so a
    canonical input stays canonical.
    """

    def renumber(match: re.Match[str]) -> str:
        pair = old_pool.get_attrib(int(match.group(1), 36))
        return "*" + format_base36(new_pool.put_attrib(pair))

    return _ATTRIB_RE.sub(renumber, attribs)


def move_to_pool(cs: ChangesetLike, old_pool: AttributePool, new_pool: AttributePool) -> str:
    """Return `cs` citing `new_pool`'s numbers for the attributes it cites in `old_pool`."""
    parsed = unpack(cs)
    ops = move_attribs_to_pool(format_ops(parsed.ops), old_pool, new_pool)
    return pack(parsed.old_len, parsed.new_len, ops, parsed.char_bank)
