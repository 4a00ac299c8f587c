"""The structure-aware diff (diff.py, _run_diff.py, _notes.py and render's marks): every
kind of change the issue names, each checked in both views and in the HTML it renders."""

from __future__ import annotations

import pytest

from policypad.document import _sequences, from_html
from policypad.document._notes import describe_block, format_note
from policypad.document.changes import DIFF, accept_lines, reject_lines
from policypad.document.diff import diff_html, diff_lines
from policypad.document.lines import Line
from policypad.document.render import render_lines
from policypad.document.schema import EMBED_CHAR


def lines(html: str) -> list[Line]:
    return from_html(html).lines()


def both(old: list[Line], new: list[Line]) -> str:
    """The diff's HTML, after checking that both views give the revisions back."""
    merged = diff_lines(old, new)
    assert accept_lines(merged) == new
    assert reject_lines(merged) == old
    return diff_html(old, new)


def test_an_unchanged_document_renders_as_itself() -> None:
    document = lines(
        "<h1>T</h1><ul><li>a</li></ul><table><tr><td>1</td></tr></table><pre>x\ny</pre>"
    )
    assert diff_lines(document, document) == document
    assert diff_html(document, document) == from_html("<h1>T</h1>").to_html() + diff_html(
        document[1:], document[1:]
    )


def test_bold_added_and_italics_removed_are_formatting_marks() -> None:
    html = both(lines("<p>hello world <i>again</i></p>"), lines("<p>hello <b>world</b> again</p>"))
    assert html == (
        '<p>hello <span data-pp-change="format" data-pp-before="{}" title="Formatted: Bold">'
        "<strong>world</strong></span> "
        '<span data-pp-change="format" data-pp-before="{&quot;italic&quot;:&quot;true&quot;}"'
        ' title="Formatted: Not italic">again</span></p>'
    )


@pytest.mark.parametrize(
    ("old", "new", "tag", "note"),
    [
        ("<h1>Title</h1>", "<p>Title</p>", "p", "Formatted: Paragraph (was Heading 1)"),
        ("<p>Title</p>", "<h2>Title</h2>", "h2", "Formatted: Heading 2 (was Paragraph)"),
        ("<h1>Title</h1>", "<h3>Title</h3>", "h3", "Formatted: Heading 3 (was Heading 1)"),
        (
            "<p>Title</p>",
            '<p style="text-align:center">Title</p>',
            "p",
            "Formatted: Paragraph, centered (was Paragraph)",
        ),
        (
            "<p>Title</p>",
            "<blockquote><p>Title</p></blockquote>",
            "p",
            "Formatted: Paragraph, quoted (was Paragraph)",
        ),
    ],
)
def test_block_changes_mark_the_block(old: str, new: str, tag: str, note: str) -> None:
    html = both(lines(old), lines(new))
    assert f"<{tag}" in html and 'data-pp-change="block"' in html and f'title="{note}"' in html
    assert "<ins>" not in html and "<del>" not in html


def test_a_paragraph_made_preformatted_marks_its_line_in_the_pre() -> None:
    html = both(lines("<p>a</p><p>b</p>"), lines("<pre>a</pre><p>b</p>"))
    assert html == (
        '<pre>\n<span data-pp-change="block" data-pp-before="{}" '
        'title="Formatted: Preformatted (was Paragraph)">a\n</span></pre><p>b</p>'
    )


def test_bullets_made_numbers_stay_a_list_in_both_views() -> None:
    old, new = lines("<ul><li>a</li><li>b</li></ul>"), lines("<ol><li>a</li><li>b</li></ol>")
    html = both(old, new)
    assert html.startswith(
        '<ol><li data-pp-change="block" data-pp-before="{&quot;list&quot;:&quot;bullet&quot;}"'
    )
    assert "Numbered list item (was Bulleted list item)" in html


def test_the_only_list_item_deleted_stays_in_its_list() -> None:
    html = both(lines("<p>x</p><ul><li>only</li></ul>"), lines("<p>x</p>"))
    assert html == '<p>x</p><ul><li data-pp-change="del"><del>only</del></li></ul>'


def test_a_changed_link_shows_its_old_and_new_targets() -> None:
    html = both(
        lines('<p><a href="https://a.org/x">go</a></p>'),
        lines('<p><a href="https://b.org/y">go</a></p>'),
    )
    assert html == (
        '<p><span data-pp-change="format" data-pp-before="{&quot;link&quot;:&quot;https://a.org/x&quot;}"'
        ' title="Formatted: Link https://b.org/y (was https://a.org/x)"><a href="https://b.org/y">go</a></span></p>'
    )


def test_a_link_changed_to_javascript_renders_no_link_and_keeps_the_old_one() -> None:
    """A javascript: link never renders: neither as the new target nor in data-pp-before."""
    old: list[Line] = [([("go", {"link": "https://a.org"})], {})]
    new: list[Line] = [([("go", {"link": "javascript:alert(1)"})], {})]
    html = both(old, new)
    assert "javascript" not in html
    assert 'data-pp-before="{&quot;link&quot;:&quot;https://a.org&quot;}"' in html
    assert "No link (was https://a.org)" in html
    back = both(new, old)
    assert "javascript" not in back and 'data-pp-before="{}"' in back


def test_a_changed_image_shows_the_old_and_the_new_image() -> None:
    html = both(
        lines('<p>x <img src="a.png" alt="A"></p>'), lines('<p>x <img src="b.png" alt="A"></p>')
    )
    assert (
        html == '<p>x <del><img src="a.png" alt="A"></del><ins><img src="b.png" alt="A"></ins></p>'
    )


def test_a_removed_row_stays_a_row_of_its_table() -> None:
    old = lines("<table><tr><td>a</td></tr><tr><td>b</td></tr><tr><td>c</td></tr></table>")
    new = lines("<table><tr><td>a</td></tr><tr><td>c</td></tr></table>")
    assert both(old, new) == (
        "<table><tbody><tr><td><p>a</p></td></tr>"
        '<tr data-pp-change="del"><td data-pp-change="del">'
        '<p data-pp-change="del"><del>b</del></p></td></tr>'
        "<tr><td><p>c</p></td></tr></tbody></table>"
    )


def test_a_new_column_is_a_new_cell_in_every_row() -> None:
    old = lines("<table><thead><tr><th>A</th></tr></thead><tr><td>1</td></tr></table>")
    new = lines(
        "<table><thead><tr><th>A</th><th>B</th></tr></thead><tr><td>1</td><td>2</td></tr></table>"
    )
    assert both(old, new) == (
        '<table><thead><tr><th><p>A</p></th><th data-pp-change="ins">'
        '<p data-pp-change="ins"><ins>B</ins></p></th></tr></thead>'
        '<tbody><tr><td><p>1</p></td><td data-pp-change="ins">'
        '<p data-pp-change="ins"><ins>2</ins></p></td></tr></tbody></table>'
    )


def test_a_removed_column_leaves_deleted_cells_in_their_rows() -> None:
    old = lines(
        "<table><tr><td>1</td><td>2</td><td>3</td></tr><tr><td>4</td><td>5</td><td>6</td></tr></table>"
    )
    new = lines("<table><tr><td>1</td><td>3</td></tr><tr><td>4</td><td>6</td></tr></table>")
    html = both(old, new)
    assert html.count("<tr>") == 2
    assert html.count('<td data-pp-change="del">') == 2


def test_a_changed_cell_is_marked_inside_it() -> None:
    html = both(
        lines("<table><tr><td>1</td><td>2</td></tr></table>"),
        lines("<table><tr><td>1</td><td>3</td></tr></table>"),
    )
    assert "<td><p><del>2</del><ins>3</ins></p></td>" in html


def test_a_changed_word_does_not_mark_its_paragraph() -> None:
    text = "Policy owners review what changed between the approved version and now. " * 5
    html = both(lines(f"<p>{text}</p>"), lines(f"<p>{text.replace('approved', 'signed', 1)}</p>"))
    assert html.count("<del>") == 1 and html.count("<ins>") == 1
    assert "<del>approved</del><ins>signed</ins>" in html


def test_a_word_grown_or_fixed_marks_only_its_letters() -> None:
    assert both(lines("<p>one cat</p>"), lines("<p>one cats</p>")) == "<p>one cat<ins>s</ins></p>"
    assert (
        both(lines("<p>the colour</p>"), lines("<p>the color</p>"))
        == "<p>the colo<del>u</del>r</p>"
    )
    assert (
        both(lines("<p>go further</p>"), lines("<p>go four</p>"))
        == "<p>go <del>further</del><ins>four</ins></p>"
    )


def test_typed_text_keeps_the_formatting_around_it() -> None:
    """Plain text typed after a bold word before a bold space: the slide marks the typed
    text, not the space as unbolded."""
    old: list[Line] = [([("a b", {"bold": "true"})], {})]
    new: list[Line] = [([("a", {"bold": "true"}), (" new", {}), (" b", {"bold": "true"})], {})]
    assert both(old, new) == "<p><strong>a</strong><ins> new</ins><strong> b</strong></p>"


def test_another_author_is_no_change() -> None:
    old: list[Line] = [([("text", {"author": "a.1"})], {})]
    new: list[Line] = [([("text", {"author": "a.2"})], {})]
    merged = diff_lines(old, new)
    assert DIFF not in merged[0][0][0][1]
    assert diff_html(old, new) == "<p>text</p>"
    assert reject_lines(merged) == old


def test_enter_pressed_at_a_lines_end_marks_only_the_new_line() -> None:
    """The newline typed is the typist's: the line it ends now has their author as a block
    attribute, which a reader does not see (the timeslider showed "Formatted: Paragraph
    (was Paragraph)" on it)."""
    old: list[Line] = [([("Book.", {})], {})]
    new: list[Line] = [([("Book.", {})], {"author": "a.bob"}), ([("Bob", {"author": "a.bob"})], {})]
    assert both(old, new) == '<p>Book.</p><p data-pp-change="ins"><ins>Bob</ins></p>'
    # a heading made a paragraph by someone else still is a change
    old = [([("Title", {})], {"heading": "1", "author": "a.ann"})]
    new = [([("Title", {})], {"author": "a.bob"})]
    assert 'data-pp-change="block"' in both(old, new)


def test_empty_lines_inserted_and_deleted_are_marked_on_their_element() -> None:
    assert (
        both(lines("<p>a</p>"), lines("<p>a</p><p><br></p>"))
        == '<p>a</p><p data-pp-change="ins"><br></p>'
    )
    assert both(lines("<hr><p>a</p>"), lines("<p>a</p>")) == '<hr data-pp-change="del"><p>a</p>'


def test_a_deleted_pre_line_takes_its_newline_with_it() -> None:
    assert both(lines("<pre>a\nb\nc</pre>"), lines("<pre>a\nc</pre>")) == (
        '<pre>\na\n<span data-pp-change="del"><del>b</del>\n</span>c\n</pre>'
    )


def test_a_hosts_own_title_wins_over_the_note() -> None:
    old: list[Line] = [([("a", {})], {"@title": "mine"})]
    new: list[Line] = [([("a", {})], {"@title": "mine", "heading": "2"})]
    html = diff_html(old, new)
    assert html.count("title=") == 1 and 'title="mine"' in html


def test_values_in_marks_are_escaped() -> None:
    old: list[Line] = [([("x", {"link": 'https://e.org/?a="<b>"&c'})], {})]
    new: list[Line] = [([("x", {})], {})]
    html = both(old, new)
    assert '"<b>"' not in html
    assert "&quot;https://e.org/?a=\\&quot;&lt;b&gt;\\&quot;&amp;c&quot;" in html


def test_a_spent_budget_gives_a_coarser_diff_still_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    words = ["x", "y"] * 40
    changed = [*words]
    changed[5], changed[70] = "w", "v"
    old: list[Line] = [([(" ".join(words), {})], {})]
    new: list[Line] = [([(" ".join(changed), {})], {})]
    fine = diff_lines(old, new)
    assert len([run for run in fine[0][0] if DIFF in run[1]]) == 4
    monkeypatch.setattr(_sequences, "WORK_CELLS", 0)
    coarse = diff_lines(old, new)
    assert coarse != fine
    assert accept_lines(coarse) == new and reject_lines(coarse) == old


def test_embeds_compare_with_their_attributes() -> None:
    image = {"embed": "image", "src": "a.png"}
    old: list[Line] = [([(EMBED_CHAR, image)], {})]
    new: list[Line] = [([(EMBED_CHAR, {**image, "width": "10"})], {})]
    marks = [a.get(DIFF) for a in (run[1] for run in diff_lines(old, new)[0][0])]
    assert marks == ["del", "ins"]


def test_notes_name_what_changed() -> None:
    assert format_note({}, {"bold": "true", "sup": "true"}) == "Formatted: Bold, Superscript"
    assert (
        format_note({"class": "a", "@lang": "en"}, {"@lang": "fr"})
        == "Formatted: No class (was a), lang fr (was en)"
    )
    assert format_note({"link": "/a"}, {}) == "Formatted: No link (was /a)"
    assert format_note({}, {}) == "Formatted"
    assert describe_block({"list": "number", "indent": "2", "start": "3", "align": "justify"}) == (
        "Numbered list item, level 2, starting at 3, justified"
    )
    assert describe_block(
        {"table": "t", "th": "true", "head": "true", "colspan": "2", "heading": "7"}
    ) == ("Paragraph, in a table, header cell, header row, colspan 2")


def test_marks_render_only_from_the_model_and_safely() -> None:
    """Render trusts no mark: an unknown `diff` value writes nothing, `diff-before` that is
    not JSON of strings counts as empty, unsafe names and links are left out, and every
    value is escaped."""
    hostile: list[Line] = [
        ([("a", {"diff": '"><script>alert(1)</script>'})], {"diff": "x onmouseover=alert(1)"}),
        ([("b", {"diff": "format", "diff-before": "not json"})], {}),
        (
            [
                (
                    "c",
                    {
                        "diff": "format",
                        "diff-before": '{"@onclick":"x","link":"javascript:x","class":"\\"><i>"}',
                    },
                )
            ],
            {"diff": "block", "diff-before": '{"heading":"\\"><script>","@onload":"y"}'},
        ),
    ]
    html = render_lines(hostile)
    assert "<script" not in html and "onmouseover" not in html and "onclick" not in html
    assert "javascript" not in html and "onload" not in html
    assert html.startswith("<p>a</p><p>")
    assert 'data-pp-before="{}"' in html
    assert "&quot;&gt;&lt;i&gt;" in html and "&quot;&gt;&lt;script&gt;" in html
