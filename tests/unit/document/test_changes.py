"""The marks of a merged document: canonical JSON of attributes, what counts as visible,
and the two views."""

from __future__ import annotations

from policypad.document.changes import (
    DIFF,
    DIFF_BEFORE,
    accept_lines,
    decode_attributes,
    encode_attributes,
    is_visible_block_change,
    is_visible_inline_change,
    reject_lines,
    without_marks,
)
from policypad.document.lines import Line


def test_attributes_encode_canonically() -> None:
    assert encode_attributes({"link": '/é?a=1&b="2"', "bold": "true"}) == (
        '{"bold":"true","link":"/é?a=1&b=\\"2\\""}'
    )
    assert encode_attributes({}) == "{}"
    assert decode_attributes(encode_attributes({"a": "\n\x01"})) == {"a": "\n\x01"}


def test_only_objects_of_strings_decode() -> None:
    for text in (None, "", "[", "[]", '{"a": 1}', '{"a": null}', "true"):
        assert decode_attributes(text) is None
    assert decode_attributes('{"a":"b"}') == {"a": "b"}


def test_author_alone_and_table_ids_alone_are_invisible() -> None:
    assert not is_visible_inline_change({"author": "a"}, {"author": "b"})
    assert is_visible_inline_change({"author": "a"}, {"author": "b", "bold": "true"})
    assert is_visible_inline_change({"link": "/a"}, {"link": "/b"})
    assert not is_visible_block_change({"table": "t1", "row": "r2"}, {"table": "t3", "row": "r1"})
    assert is_visible_block_change({"table": "t1"}, {})
    assert is_visible_block_change({"list": "bullet"}, {"list": "number"})


def test_marks_come_off() -> None:
    attributes = {"bold": "true"}
    assert without_marks(attributes) is attributes
    assert without_marks({"bold": "true", DIFF: "format", DIFF_BEFORE: "{}"}) == attributes


MERGED: list[Line] = [
    ([("kept ", {}), ("old", {DIFF: "del"}), ("new", {DIFF: "ins"})], {}),
    ([("bold", {"bold": "true", DIFF: "format", DIFF_BEFORE: "{}"})], {}),
    ([("gone", {DIFF: "del"})], {"list": "bullet", DIFF: "del"}),
    ([("added", {DIFF: "ins"})], {DIFF: "ins"}),
    ([("title", {})], {"heading": "2", DIFF: "block", DIFF_BEFORE: '{"heading":"1"}'}),
    (
        [("cell", {})],
        {
            "table": "t1",
            "row": "r1",
            "cell": "c1",
            DIFF_BEFORE: '{"table":"t9","row":"r9","cell":"c9"}',
        },
    ),
]


def test_accepting_keeps_the_new_revision() -> None:
    assert accept_lines(MERGED) == [
        ([("kept new", {})], {}),
        ([("bold", {"bold": "true"})], {}),
        ([("added", {})], {}),
        ([("title", {})], {"heading": "2"}),
        ([("cell", {})], {"table": "t1", "row": "r1", "cell": "c1"}),
    ]


def test_rejecting_puts_the_old_revision_back() -> None:
    assert reject_lines(MERGED) == [
        ([("kept old", {})], {}),
        ([("bold", {})], {}),
        ([("gone", {})], {"list": "bullet"}),
        ([("title", {})], {"heading": "1"}),
        ([("cell", {})], {"table": "t9", "row": "r9", "cell": "c9"}),
    ]
