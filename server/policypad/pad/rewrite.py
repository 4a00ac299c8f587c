"""A server-side write (REST `PUT content`, restore): the changeset that turns the pad's
text into a whole new document, keeping everyone's authorship.

A document written back (HTML, Markdown, text) carries no authors, so a plain diff
would take the author off every character it keeps. Here the diff compares both sides
without authors: kept text keeps its authors, changes only the formatting the new
document changes, and inserted text is stamped with the writer's author (or, for a
restore, keeps the author it had in the old revision)::

    current (authors)  ──strip──> current'  ─┐
                                             ├─ diff ─> stamp inserts ─> changeset
    target             ──strip──> target'  ──┘
"""

from __future__ import annotations

from policypad.changeset import AText, AttributePool, changeset_from_atexts, make_atext
from policypad.changeset.assembler import OpAssembler
from policypad.changeset.attributes import attribs_to_pairs, pairs_to_attribs
from policypad.changeset.op import Op, parse_ops
from policypad.changeset.transfer import move_attribs_to_pool
from policypad.pad.commit import stamp_author

AUTHOR = "author"


def changeset_to(
    current: AText,
    pool: AttributePool,
    target: AText,
    target_pool: AttributePool,
    author: str,
    *,
    keep_target_authors: bool = False,
) -> str:
    """Return the changeset (citing `pool`) that turns `current` into `target`.

    Unchanged text keeps its attributes, authors included. Inserted text is by
    `author`, or with `keep_target_authors` by whoever `target` says wrote it.
    """
    moved = make_atext(target.text, move_attribs_to_pool(target.attribs, target_pool, pool))
    if keep_target_authors:
        return changeset_from_atexts(current, moved, pool, keep_final_newline=True)
    changeset = changeset_from_atexts(
        without_authors(current, pool), without_authors(moved, pool), pool,
        keep_final_newline=True,
    )  # fmt: skip
    return stamp_author(changeset, author, pool)


def without_authors(atext: AText, pool: AttributePool) -> AText:
    """`atext` with no `author` attribute anywhere."""
    assembler = OpAssembler()
    for op in parse_ops(atext.attribs):
        pairs = attribs_to_pairs(op.attribs, pool) if op.attribs else []
        kept = [pair for pair in pairs if pair[0] != AUTHOR]
        attribs = op.attribs if len(kept) == len(pairs) else pairs_to_attribs(kept, pool)
        assembler.append(Op(op.opcode, op.chars, op.lines, attribs))
    return make_atext(atext.text, assembler.to_string())
