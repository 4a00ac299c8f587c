"""Word's list paragraphs read as lists (policypad.document.office_lists and the parser);
the clipboard samples are tests/fixtures/office."""

from __future__ import annotations

from pathlib import Path

import pytest

from policypad.document import Document
from policypad.document.lines import Line
from policypad.document.office_lists import (
    OFFICE_KEY,
    OfficeItem,
    is_marker_style,
    list_definitions,
    list_item,
    marker_numbers,
    note_comment,
    resolve,
)

OFFICE = Path(__file__).parents[2] / "fixtures" / "office"


def sample(name: str) -> str:
    return (OFFICE / name).read_text(encoding="utf-8")


def test_a_mso_list_value_names_list_and_level() -> None:
    assert list_item("l0 level1 lfo1") == ("l0", 1)
    assert list_item(" L12 LEVEL3 lfo7 ") == ("l12", 3)
    assert list_item("l0 level12 lfo1") == ("l0", 8)  # the model's deepest level
    assert list_item("l0 level0 lfo1") == ("l0", 1)
    for value in (None, "", "ignore", "none", "skip", "level1 l0"):
        assert list_item(value) is None


def test_the_marker_element_and_comments() -> None:
    assert is_marker_style("ignore") and is_marker_style(" Ignore ")
    assert not is_marker_style(None) and not is_marker_style("l0 level1 lfo1")
    item = OfficeItem("l0", 1, None)
    note_comment(item, "[if !supportLists]")
    assert item.in_comment_marker
    note_comment(item, "something else")
    assert item.in_comment_marker
    note_comment(item, " [endif]")
    assert not item.in_comment_marker


def test_the_marker_is_its_first_word() -> None:
    item = OfficeItem("l3", 2, None, marker="\n1.2.\u00a0\u00a0\u00a0 ")
    assert item.encode() == "l3:2:1.2."
    assert OfficeItem("l0", 1, None).encode() == "l0:1:"


def test_list_definitions_from_word_style_sheets() -> None:
    style = """<!--
    @list l0 {mso-list-id:1140997432; mso-list-type:hybrid;}
    @list l0:level1
        {mso-level-number-format:bullet;
        mso-level-text:\\F0B7;}
    @list l0:level2 {mso-level-tab-stop:none;}
    @list L1:level1 {MSO-LEVEL-NUMBER-FORMAT: Roman-Upper;}
    @list l1:level1 lfo2 {mso-level-start-at:3;}
    -->"""
    assert list_definitions([style, "p {margin:0}"]) == {
        "l0:1": "bullet",
        "l0:2": "decimal",
        "l1:1": "roman-upper",
    }


@pytest.mark.parametrize(
    ("marker", "number_format", "numbers"),
    [
        ("·", None, None),
        ("o", None, None),  # Courier's "o" bullet, not the letter
        ("§", None, None),
        ("Ø", None, None),
        ("", None, None),
        ("3.", None, [3]),
        ("12)", None, [12]),
        ("(7)", None, [7]),
        ("1.2.", None, [2]),
        ("4", None, [4]),
        ("c)", None, [3, 100]),
        ("(b)", None, [2]),
        ("i.", None, [1, 9]),  # a list at "i." is roman more often than at letter 9
        ("iv.", None, [4]),
        ("XII.", None, [12]),
        ("aa.", None, [27]),
        ("i.", "alpha-lower", [9]),
        ("c.", "roman-lower", [100]),
        ("·", "bullet", None),
        ("1.", "image", None),
        ("", "decimal", []),
        ("1234567890.", None, None),  # no number this long: a bullet's text
    ],
)
def test_marker_numbers(marker: str, number_format: str | None, numbers: list[int] | None) -> None:
    assert marker_numbers(marker, number_format) == numbers


def office_line(text: str, marker: str, level: int = 1, **block: str) -> Line:
    attributes = {"list": "bullet", OFFICE_KEY: f"l0:{level}:{marker}", **block}
    if level > 1:
        attributes["indent"] = str(level)
    return ([(text, {})], attributes)


def blocks(lines: list[Line]) -> list[dict[str, str]]:
    return [block for _, block in resolve(lines, dict)]


def test_resolve_sets_type_and_start_where_render_would_show_another_number() -> None:
    lines = [
        office_line("a", "3."),
        office_line("b", "4."),
        office_line("c", "·", 2),
        office_line("d", "5."),
        ([("p", {})], {}),
        office_line("e", "6."),
        office_line("f", "o"),
    ]
    assert blocks(lines) == [
        {"list": "number", "start": "3"},
        {"list": "number"},
        {"list": "bullet", "indent": "2"},
        {"list": "number"},
        {},
        {"list": "number", "start": "6"},
        {"list": "bullet"},
    ]


def test_resolve_counts_lines_render_nests_in_empty_items() -> None:
    # render opens the level-2 list inside an empty item of a level-1 list, which counts
    lines = [office_line("deep", "1.", 2), office_line("next", "2.")]
    assert blocks(lines) == [{"list": "number", "indent": "2"}, {"list": "number"}]


def test_resolve_counts_each_table_cell_and_quote_on_its_own() -> None:
    cell = {"table": "t1", "row": "r1"}
    lines = [
        office_line("a", "1.", cell="c1", **cell),
        office_line("b", "2.", cell="c2", **cell),
        office_line("c", "2.", quote="true"),
    ]
    assert [block.get("start") for block in blocks(lines)] == [None, "2", "2"]


def test_resolve_asks_for_the_style_sheet_once_and_only_if_needed() -> None:
    asked: list[int] = []

    def definitions() -> dict[str, str]:
        asked.append(1)
        return {"l0:1": "bullet"}

    assert resolve([([], {"list": "number"})], definitions) == [([], {"list": "number"})]
    assert asked == []
    lines = resolve([office_line("a", "1."), office_line("b", "2.")], definitions)
    assert [block for _, block in lines] == [{"list": "bullet"}, {"list": "bullet"}]
    assert asked == [1]


def test_a_pasted_word_document_becomes_lists() -> None:
    document = Document.from_html(sample("word-continued.html"))
    assert document.to_html() == (
        "<ol><li>Collect the receipts<ul><li>hotel</li><li>meals</li></ul></li>"
        "<li>Fill in the claim form</li></ol><p>The form is on the intranet.</p>"
        '<ol start="3"><li>Send it to finance</li><li>Wait for the refund</li></ol>'
        "<p>Then:</p><ol><li>Archive the form</li><li>Tell your manager</li></ol>"
    )
    text = document.atext.text
    assert "·" not in text and "1." not in text and "A)" not in text


def test_markers_and_word_markup_leave_no_text() -> None:
    for name in ("word-bullets.html", "word-numbers.html", "word-fragment.html"):
        text = Document.from_html(sample(name)).atext.text
        for marker in ("·", "§", "o\u00a0", "3.", "a.", "ii.", "1.1.", "(c)", "iv."):
            assert marker not in text, (name, marker)


def test_a_paragraph_that_only_starts_with_a_number_stays_one() -> None:
    for name in ("word-bullets.html", "libreoffice-lists.html", "google-docs-lists.html"):
        lines = Document.from_html(sample(name)).lines()
        [line] = [line for line in lines if line[0] and line[0][0][0].startswith("1. Not")]
        assert line[1] == {}


@pytest.mark.parametrize("name", ["libreoffice-lists.html", "google-docs-lists.html"])
def test_libreoffice_and_google_docs_lists_match_words(name: str) -> None:
    """The same document copied from each application gives the same first lists."""
    word = Document.from_html(sample("word-bullets.html")).lines()
    other = Document.from_html(sample(name)).lines()
    assert other[: len(word)] == word
    numbered = [line for line in other if line[1].get("list") == "number"]
    assert numbered[0] == ([("Approval by the line manager", {})], {"list": "number", "start": "3"})
    assert [line for line in other if line[1].get("start") == "5"] == [
        ([("Send it to finance", {})], {"list": "number", "start": "5"})
    ]


def test_no_line_keeps_the_walks_key() -> None:
    for path in OFFICE.glob("*.html"):
        for _, block in Document.from_html(path.read_text(encoding="utf-8")).lines():
            assert OFFICE_KEY not in block
