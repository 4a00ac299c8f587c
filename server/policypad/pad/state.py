"""A pad's in-memory head: text, pool, revision number, and recent changesets."""

from __future__ import annotations

from dataclasses import dataclass, field

from policypad.changeset import AText, AttributePool, ChangesetError, apply_to_atext, unpack
from policypad.document.schema import DEFAULT_SCHEMA, Schema
from policypad.errors import ProtocolError
from policypad.pad.commit import rebase_commit


@dataclass
class PadState:
    """The head of one pad and the changesets a rebase may need.

    `recent` maps revision numbers to their changesets for revisions after
    `recent_from` (inclusive); older bases are loaded by the caller.
    """

    pad_id: str
    atext: AText
    pool: AttributePool
    head_rev: int
    recent: dict[int, str] = field(default_factory=dict)
    deleted: bool = False

    def length_at(self, rev: int, changesets: dict[int, str]) -> int:
        """Return the text length at revision `rev` given the changesets after it."""
        if rev == self.head_rev:
            return self.atext.length
        return unpack(changesets[rev + 1]).old_len

    def prepare(
        self,
        base_rev: int,
        changeset: str,
        client_pool: AttributePool,
        author: str,
        later: dict[int, str],
        schema: Schema = DEFAULT_SCHEMA,
    ) -> tuple[str, AText]:
        """Return (changeset to store as head+1, the new head text) without changing state.

        `later` holds the changesets of revisions base_rev+1..head. Raises ProtocolError.
        """
        if not isinstance(base_rev, int) or isinstance(base_rev, bool) or base_rev < 0:
            raise ProtocolError("bad_message", "baseRev must be a non-negative integer")
        if base_rev > self.head_rev:
            raise ProtocolError(
                "future_rev", f"baseRev {base_rev} is ahead of the pad's head {self.head_rev}"
            )
        chain = [later[rev] for rev in range(base_rev + 1, self.head_rev + 1)]
        base_length = self.length_at(base_rev, later)
        rebased = rebase_commit(
            changeset, client_pool, self.pool, base_length, chain, author, schema
        )
        try:
            new_atext = apply_to_atext(rebased, self.atext, self.pool)
        except ChangesetError as error:
            raise ProtocolError("bad_changeset", str(error)) from None
        return rebased, new_atext

    def advance(self, changeset: str, atext: AText, keep: int = 1000) -> int:
        """Make `atext` the head as revision head+1 (after `prepare`); return its number."""
        self.head_rev += 1
        self.atext = atext
        self.recent[self.head_rev] = changeset
        # revisions go in oldest first, so the oldest is the first key: no sort (sorting
        # 10,000 keys on each commit of a long busy pad cost more than the commit)
        while len(self.recent) > keep:
            del self.recent[next(iter(self.recent))]
        return self.head_rev
