"""Document API, schema, text and Markdown in and out, diff_html."""

from __future__ import annotations

import pytest

from policypad.changeset import AttributePool, apply_to_atext, make_splice
from policypad.document import (
    EMBED_CHAR,
    Document,
    Schema,
    diff_html,
    from_html,
    from_markdown,
    from_text,
)
from policypad.document.lines import Line
from policypad.document.render import render_lines


def test_from_html_gives_atext_and_pool() -> None:
    document = from_html("<h1>Title</h1><p>a <b>b</b></p>")
    assert document.atext.text == "Title\na b\n"
    pairs = {document.pool.get_attrib(n) for n, _ in document.pool}
    assert ("heading", "1") in pairs and ("bold", "true") in pairs
    assert document.to_html() == "<h1>Title</h1><p>a <strong>b</strong></p>"


def test_standalone_page_escapes_its_title() -> None:
    page = from_text("hi").to_html_page(title="<x>")
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>&lt;x&gt;</title>" in page and "<p>hi</p>" in page


def test_text_in_and_out() -> None:
    document = from_text("one\n\nthree\r\nfour")
    assert document.atext.text == "one\n\nthree\nfour\n"
    assert document.to_text() == "one\n\nthree\nfour\n"
    assert from_text("a" + EMBED_CHAR + "b").atext.text == "ab\n"
    html = from_html('<p>a<br>b<img src="x.png" alt="pic"></p><hr>')
    assert html.to_text() == "a\nbpic\n---\n"


def test_markdown_in() -> None:
    document = from_markdown(
        "# Title\n\nSome *it* and **bold** `code` ~~gone~~ [link](https://e.org)\n\n"
        "1. one\n2. two\n   - sub\n\n> quoted\n\n```\ncode block\n```\n\n---\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n<script>alert(1)</script>\n"
    )
    html = document.to_html()
    assert html.startswith(
        "<h1>Title</h1><p>Some <em>it</em> and <strong>bold</strong> <code>code</code>"
    )
    assert '<s>gone</s> <a href="https://e.org">link</a>' in html
    assert "<ol><li>one</li><li>two<ul><li>sub</li></ul></li></ol>" in html
    assert "<blockquote><p>quoted</p></blockquote>" in html
    assert "<pre>\n<code>code block</code>\n</pre>" in html and "<hr>" in html
    assert "<th><p>a</p></th>" in html and "<td><p>2</p></td>" in html
    assert "<script" not in html and "&lt;script&gt;" in html


def test_markdown_round_trip_of_structure() -> None:
    source = from_html(
        "<h2>T</h2><p>x <strong>b</strong> <em>i</em> <a href='https://e.org'>l</a></p>"
        "<ul><li>a<ul><li>b</li></ul></li></ul><ol start='3'><li>c</li></ol>"
        "<table><tr><th>h</th></tr><tr><td>v</td></tr></table><pre>p  q</pre>"
    )
    markdown = source.to_markdown()
    assert "## T" in markdown and "**b**" in markdown and "3. c" in markdown
    back = from_markdown(markdown)
    assert back.to_text() == source.to_text()


def test_schema_classes_and_data_images() -> None:
    schema = Schema.from_options({"classes": ["note"], "allowDataImages": True})
    document = Document.from_html(
        '<p class="note x"><span class="note">a</span>'
        '<img src="data:image/gif;base64,R0lGOD=="></p>',
        schema,
    )
    assert document.to_html() == (
        '<p class="note"><span class="note">a</span><img src="data:image/gif;base64,R0lGOD=="></p>'
    )
    assert "img" not in from_html('<img src="data:image/gif;base64,R0lGOD==">').to_html()


def test_documents_compare_by_content() -> None:
    assert from_html("<p><b>a</b></p>") == from_html("<p><strong>a</strong></p>")
    assert from_html("<p>a</p>") != from_html("<h1>a</h1>")


def test_diff_marks_changes_inside_their_structure() -> None:
    old = from_html("<ul><li>one</li><li>two</li></ul><table><tr><td>1</td><td>2</td></tr></table>")
    new = from_html(
        "<ul><li>one</li><li>new</li><li>two</li></ul><table><tr><td>1</td><td>3</td></tr></table>"
    )
    html = diff_html(old, new)
    assert '<li data-pp-change="ins"><ins>new</ins></li>' in html
    assert "<td><p><del>2</del><ins>3</ins></p></td>" in html


def test_diff_of_revisions_sharing_a_pool() -> None:
    pool = AttributePool()
    old = Document.from_html("<p>hello world</p>", pool=pool)
    cs = make_splice(old.atext, 5, 6, " there", [("bold", "true")], pool)
    new_atext = apply_to_atext(cs, old.atext, pool)
    html = diff_html(old.atext, new_atext, pool)
    # the splice replaced " world" by a bold " there": the space is kept, made bold
    assert html == (
        '<p>hello<span data-pp-change="format" data-pp-before="{}" title="Formatted: Bold">'
        "<strong> </strong></span><del>world</del><ins><strong>there</strong></ins></p>"
    )
    with pytest.raises(ValueError):
        diff_html(old.atext, new_atext)


def test_host_allowed_attributes_round_trip_and_unsafe_ones_are_refused() -> None:
    schema = Schema.from_options({"attributes": ["title", "data-ref"]})
    document = Document.from_html(
        '<p title="t">a <span data-ref="r" onclick="x">b</span></p>', schema
    )
    assert document.to_html() == '<p title="t">a <span data-ref="r">b</span></p>'
    assert Document.from_html(document.to_html(), schema) == document
    for unsafe in ("onclick", "href", "style", "src", "Title", "data-author"):
        with pytest.raises(ValueError, match="cannot be allowed"):
            Schema.from_options({"attributes": [unsafe]})


def test_text_typed_by_two_authors_renders_as_one_run_unless_authors_are_shown() -> None:
    lines: list[Line] = [([
        ("neve", {"strike": "true", "author": "a.ann"}),
        ("r", {"strike": "true", "author": "a.bob"}),
        (" again", {"author": "a.bob"}),
    ], {})]  # fmt: skip
    assert render_lines(lines) == "<p><s>never</s> again</p>"
    shown = render_lines(lines, authors=True)
    assert shown == (
        '<p><span data-author="a.ann"><s>neve</s></span><span data-author="a.bob"><s>r</s>'
        '</span><span data-author="a.bob"> again</span></p>'
    )
