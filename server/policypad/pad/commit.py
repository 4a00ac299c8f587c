"""Committing a client's changeset: check it, rebase it over later revisions, stamp it.

A client made its changeset on the text at `base_rev`; meanwhile revisions
base_rev+1..head were committed. The changeset is rebased over each of them with
`follow`, committed text first where both insert at one place::

    base ── r1 ── r2 ── head ── new
      \\                        /
       client cs ─ follow(r1) ─ follow(r2) ─ ...
"""

from __future__ import annotations

from dataclasses import dataclass

from policypad.changeset import AttributePool, ChangesetError, check_rep, move_to_pool
from policypad.changeset.assembler import canonical_ops
from policypad.changeset.attributes import pairs_to_attribs
from policypad.changeset.changeset import Changeset, pack, parse_fresh, unpack
from policypad.changeset.follow import follow_chain
from policypad.changeset.op import INSERT, REMOVE, Op, attrib_numbers
from policypad.document.schema import DEFAULT_SCHEMA, Schema
from policypad.errors import ProtocolError


@dataclass(frozen=True, slots=True)
class Revision:
    """One stored revision of a pad."""

    rev: int
    changeset: str
    author: str
    time_ms: int
    client_id: str | None = None
    seq: int | None = None


def stamp_author(cs: str, author: str, pool: AttributePool) -> str:
    """Return `cs` with every insert attributed to `author` and no other author change.

    Clients cannot be trusted with authorship: any `author` pair they send is removed,
    and the sender's is put on the text they insert.
    """
    parsed = unpack(cs)
    pool.put_attrib(("author", author))
    ops: list[Op] = []
    for op in parsed.ops:
        pairs = [pool.get_attrib(num) for num in attrib_numbers(op.attribs)]
        kept = [pair for pair in pairs if pair[0] != "author"]
        if op.opcode == INSERT:
            kept.append(("author", author))
        if len(kept) != len(pairs) or op.opcode == INSERT:
            attribs = pairs_to_attribs(kept, pool)
            op = Op(op.opcode, op.chars, op.lines, attribs)
        ops.append(op)
    return pack(parsed.old_len, parsed.new_len, canonical_ops(ops), parsed.char_bank)


def rebase_commit(
    changeset: str,
    client_pool: AttributePool,
    pad_pool: AttributePool,
    base_length: int,
    later: list[str],
    author: str,
    schema: Schema = DEFAULT_SCHEMA,
) -> str:
    """Return the client's changeset ready to apply at head, in the pad's pool.

    `base_length` is the text length at the client's base revision and `later` the
    changesets committed since, in order. Every attribute the changeset cites must be
    one the pad's `schema` allows. Raises ProtocolError (bad_changeset, bad_attribute,
    length_mismatch) when the changeset cannot be committed; nothing of a refused
    changeset stays in memory (it is parsed outside the parse cache).
    """
    if not isinstance(changeset, str):
        raise ProtocolError("bad_changeset", "changeset must be a string")
    try:
        parsed = check_rep(parse_fresh(changeset)[0], client_pool)
    except ChangesetError as error:
        raise ProtocolError("bad_changeset", str(error)) from None
    if "\x00" in parsed.char_bank:
        # no document holds U+0000 (PostgreSQL text cannot store it)
        raise ProtocolError("bad_changeset", "inserted text holds U+0000")
    if parsed.old_len != base_length:
        raise ProtocolError(
            "length_mismatch",
            f"the changeset applies to {parsed.old_len} units, "
            f"the text at its base revision has {base_length}",
        )
    if deletes_final_newline(parsed):
        raise ProtocolError(
            "bad_changeset",
            "the changeset deletes the text's final newline (keep it, and delete the "
            "newline before the removed lines instead)",
        )
    check_attributes(parsed, client_pool, schema)
    moved = move_to_pool(parsed, client_pool, pad_pool)
    stamped = stamp_author(moved, author, pad_pool)
    if not later:
        return stamped
    # one walk over the revisions since its base: a keystroke 500 revisions behind is
    # moved as numbers past the keystrokes apart from it (see follow_chain)
    try:
        rebased = follow_chain(later, unpack(stamped), pad_pool)
    except ChangesetError as error:
        # valid alone, but not for the text at its base (its keeps cross newlines where
        # that text has none): found while rebasing it over what came since
        raise ProtocolError("bad_changeset", f"does not fit its base revision: {error}") from None
    return rebased.pack()


def deletes_final_newline(parsed: Changeset) -> bool:
    """Whether `parsed` deletes the last unit of its old text (the final newline).

    Merged with a concurrent insert in the lines it removes, such a change would leave
    a text without its final newline, which no client can apply; every changeset a
    client or the server makes keeps it (see changeset.diff.keeping_final_newline).
    """
    covered = 0
    last = None
    for op in parsed.ops:
        if op.opcode != INSERT:
            covered += op.chars
            last = op.opcode
    # ops end early when the rest is kept unchanged
    return covered == parsed.old_len and last == REMOVE


def check_attributes(parsed: Changeset, pool: AttributePool, schema: Schema) -> None:
    """Raise ProtocolError("bad_attribute") if `parsed` cites an attribute `schema` does
    not allow: what a parse of HTML would drop must not enter the pad by a changeset."""
    numbers = {num for op in parsed.ops for num in attrib_numbers(op.attribs)}
    for num in sorted(numbers):
        key, value = pool.get_attrib(num)
        if not schema.allows(key, value):
            raise ProtocolError(
                "bad_attribute", f"attribute {[key, value[:100]]!r} is not allowed on this pad"
            )
