"""policypad.pad.rewrite: writing a whole document back keeps everyone's authorship."""

from __future__ import annotations

from policypad.changeset import AttributePool, apply_to_atext
from policypad.document import Document
from policypad.document.lines import atext_to_lines, lines_to_atext
from policypad.pad.rewrite import changeset_to, without_authors


def _document(lines: list, pool: AttributePool) -> Document:
    return Document(lines_to_atext(lines, pool), pool)


def test_kept_text_keeps_its_authors_and_inserts_are_the_writers() -> None:
    pool = AttributePool()
    current = _document(
        [([("Alice's ", {"author": "a.alice"}), ("words", {"author": "a.bob", "bold": "true"})],
          {})], pool,
    )  # fmt: skip
    target = Document.from_html("<p>Alice's <i>words</i> and more</p>")
    changeset = changeset_to(current.atext, pool, target.atext, target.pool, "a.api")
    lines = atext_to_lines(apply_to_atext(changeset, current.atext, pool), pool)
    assert lines == [(
        [("Alice's ", {"author": "a.alice"}), ("words", {"author": "a.bob", "italic": "true"}),
         (" and more", {"author": "a.api"})],
        {},
    )]  # fmt: skip


def test_a_restore_gives_text_back_the_author_it_had() -> None:
    pool = AttributePool()
    old = _document([([("one two", {"author": "a.carol"})], {})], pool)
    current = _document([([("one", {"author": "a.carol"})], {})], pool)
    changeset = changeset_to(current.atext, pool, old.atext, pool, "a.api",
                             keep_target_authors=True)  # fmt: skip
    assert atext_to_lines(apply_to_atext(changeset, current.atext, pool), pool) == [
        ([("one two", {"author": "a.carol"})], {})
    ]


def test_without_authors_removes_only_authors() -> None:
    pool = AttributePool()
    document = _document([([("x", {"author": "a.z", "bold": "true"}), ("y", {})], {})], pool)
    assert atext_to_lines(without_authors(document.atext, pool), pool) == [
        ([("x", {"bold": "true"}), ("y", {})], {})
    ]
