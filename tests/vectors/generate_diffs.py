"""Writes tests/vectors/diffs.json: pairs of revisions with the merged lines and the HTML
both languages' diffs must produce.

    .venv/bin/python -m tests.vectors.generate_diffs

Each case is an old and a new HTML document (parsed here; the lines go in the case, so the
JavaScript side diffs the very same lines), covering every kind of change of issue 15:
text, formatting, links, images, blocks, lists and tables. The answers are the Python
diff's; CHECKED lists cases whose HTML is also written here by hand, and the script refuses
to write the file if the diff disagrees with one of them or if a view is not exact.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from policypad.document import Document, Schema
from policypad.document.changes import accept_lines, reject_lines
from policypad.document.diff import diff_html, diff_lines
from tests.vectors.generate_documents import jsonable

OUTPUT = Path(__file__).with_name("diffs.json")
LONG = "Policy owners review what changed between the approved version and now. " * 4
TABLE = "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr><tr><td>e</td><td>f</td></tr></table>"

INPUTS: list[tuple[str, str, str] | tuple[str, str, str, dict[str, Any]]] = [
    # -- nothing
    ("unchanged", "<h1>T</h1><p>a <b>b</b></p><ul><li>c</li></ul>" + TABLE, "<h1>T</h1><p>a <b>b</b></p><ul><li>c</li></ul>" + TABLE),
    # -- text
    ("word inserted", "<p>the cat sat</p>", "<p>the black cat sat</p>"),
    ("word deleted", "<p>the black cat sat</p>", "<p>the cat sat</p>"),
    ("word replaced", "<p>the cat sat</p>", "<p>the dog sat</p>"),
    ("letters added", "<p>one cat</p>", "<p>one cats</p>"),
    ("typo fixed", "<p>the colour red</p>", "<p>the color red</p>"),
    ("words rewritten", "<p>the quick brown fox</p>", "<p>the slow red fox</p>"),
    ("one word of a long passage", f"<p>{LONG}</p>", f"<p>{LONG.replace('approved', 'signed', 1)}</p>"),
    ("paragraph inserted", "<p>a</p><p>c</p>", "<p>a</p><p>b</p><p>c</p>"),
    ("paragraph deleted", "<p>a</p><p>b</p><p>c</p>", "<p>a</p><p>c</p>"),
    ("paragraph split", "<p>first part second part</p>", "<p>first part</p><p>second part</p>"),
    ("paragraphs joined", "<p>first part</p><p>second part</p>", "<p>first part second part</p>"),
    ("empty paragraph added", "<p>a</p>", "<p>a</p><p><br></p>"),
    ("emoji and nbsp", "<p>hi 😀 there&nbsp;you</p>", "<p>hi 😀😀 there you</p>"),
    ("text typed next to bold", "<p><b>a b</b></p>", "<p><b>a</b> new<b> b</b></p>"),
    # -- formatting
    ("bold added", "<p>hello world</p>", "<p>hello <b>world</b></p>"),
    ("bold removed", "<p>hello <b>world</b></p>", "<p>hello world</p>"),
    ("italics removed", "<p><i>all of it</i></p>", "<p>all of it</p>"),
    ("underline strike code sub sup", "<p>a b c d e</p>", "<p><u>a</u> <s>b</s> <code>c</code> <sub>d</sub> <sup>e</sup></p>"),
    ("class changed", '<p><span class="note">x</span></p>', '<p><span class="lead">x</span></p>', {"classes": ["note", "lead"]}),
    ("host attribute changed", '<p><span title="a">x</span></p>', '<p><span title="b">x</span></p>', {"attributes": ["title"]}),
    ("author only", '<p><span data-author="a.1">x</span></p>', '<p><span data-author="a.2">x</span></p>'),
    # -- links and images
    ("link added", "<p>see docs</p>", '<p>see <a href="https://e.org/docs">docs</a></p>'),
    ("link removed", '<p>see <a href="https://e.org/docs">docs</a></p>', "<p>see docs</p>"),
    ("link target changed", '<p><a href="https://a.org/x">go</a></p>', '<p><a href="https://b.org/y">go</a></p>'),
    ("link changed to javascript", '<p><a href="https://a.org/x">go</a></p>', '<p><a href="javascript:alert(1)">go</a></p>'),
    ("link text changed", '<p><a href="/a">old words</a></p>', '<p><a href="/a">new words</a></p>'),
    ("image source changed", '<p>x <img src="a.png" alt="A"></p>', '<p>x <img src="b.png" alt="A"></p>'),
    ("image alt changed", '<p><img src="a.png" alt="A"></p>', '<p><img src="a.png" alt="B"></p>'),
    ("image added", "<p>x</p>", '<p>x <img src="a.png"></p>'),
    ("image linked", '<p><img src="a.png"></p>', '<p><a href="/big"><img src="a.png"></a></p>'),
    ("rule added", "<p>a</p><p>b</p>", "<p>a</p><hr><p>b</p>"),
    ("rule removed", "<p>a</p><hr><p>b</p>", "<p>a</p><p>b</p>"),
    ("line break added", "<p>a b</p>", "<p>a<br>b</p>"),
    # -- blocks
    ("heading to paragraph", "<h1>Title</h1><p>x</p>", "<p>Title</p><p>x</p>"),
    ("paragraph to heading", "<p>Title</p>", "<h2>Title</h2>"),
    ("heading level", "<h1>Title</h1>", "<h3>Title</h3>"),
    ("alignment", "<p>a</p>", '<p style="text-align:center">a</p>'),
    ("quoted", "<p>a</p><p>b</p>", "<blockquote><p>a</p></blockquote><p>b</p>"),
    ("preformatted", "<p>a</p><p>b</p>", "<pre>a</pre><p>b</p>"),
    ("pre line deleted", "<pre>a\nb\nc</pre>", "<pre>a\nc</pre>"),
    ("block class", '<p class="lead">a</p>', '<p class="note">a</p>', {"classes": ["note", "lead"]}),
    # -- lists
    ("bullets to numbers", "<ul><li>a</li><li>b</li></ul>", "<ol><li>a</li><li>b</li></ol>"),
    ("only list item deleted", "<p>x</p><ul><li>only</li></ul>", "<p>x</p>"),
    ("list item inserted", "<ul><li>one</li><li>two</li></ul>", "<ul><li>one</li><li>new</li><li>two</li></ul>"),
    ("list item indented", "<ul><li>a</li><li>b</li></ul>", "<ul><li>a<ul><li>b</li></ul></li></ul>"),
    ("list to paragraphs", "<ul><li>a</li><li>b</li></ul>", "<p>a</p><p>b</p>"),
    ("paragraph to list item", "<p>a</p>", "<ul><li>a</li></ul>"),
    ("start number changed", '<ol start="3"><li>a</li></ol>', '<ol start="5"><li>a</li></ol>'),
    ("list item moved", "<ul><li>one</li><li>two</li><li>three</li></ul>", "<ul><li>two</li><li>three</li><li>one</li></ul>"),
    # -- tables
    ("row added", TABLE, TABLE.replace("<tr><td>c</td>", "<tr><td>x</td><td>y</td></tr><tr><td>c</td>")),
    ("row removed", TABLE, TABLE.replace("<tr><td>c</td><td>d</td></tr>", "")),
    ("rows removed", TABLE, "<table><tr><td>e</td><td>f</td></tr></table>"),
    ("column added", TABLE, TABLE.replace("</td></tr>", "</td><td>+</td></tr>")),
    ("column removed", TABLE, TABLE.replace("<td>b</td>", "").replace("<td>d</td>", "").replace("<td>f</td>", "")),
    ("cell changed", TABLE, TABLE.replace("<td>d</td>", "<td>D2</td>")),
    ("cell added", TABLE, TABLE.replace("<td>d</td>", "<td>d</td><td>d2</td>")),
    ("header row added", TABLE, TABLE.replace("<table>", "<table><thead><tr><th>A</th><th>B</th></tr></thead>")),
    ("header cell", TABLE, TABLE.replace("<td>a</td>", "<th>a</th>")),
    ("cell span", TABLE, TABLE.replace("<td>e</td><td>f</td>", '<td colspan="2">e</td>')),
    ("table added", "<p>x</p>", "<p>x</p>" + TABLE),
    ("table removed", "<p>x</p>" + TABLE + "<p>y</p>", "<p>x</p><p>y</p>"),
    ("row added to the second table", "<table><tr><td>1</td></tr></table><table><tr><td>2</td></tr></table>",
     "<table><tr><td>1</td></tr></table><table><tr><td>2</td></tr><tr><td>3</td></tr></table>"),
    ("list in a cell", "<table><tr><td><ul><li>a</li></ul></td></tr></table>", "<table><tr><td><ol><li>a</li><li>b</li></ol></td></tr></table>"),
]  # fmt: skip

# Hand-checked answers: (name, expected HTML).
CHECKED: dict[str, str] = {
    "word replaced": "<p>the <del>cat</del><ins>dog</ins> sat</p>",
    "letters added": "<p>one cat<ins>s</ins></p>",
    "words rewritten": "<p>the <del>quick brown</del><ins>slow red</ins> fox</p>",
    "bold added": '<p>hello <span data-pp-change="format" data-pp-before="{}" title="Formatted: Bold"><strong>world</strong></span></p>',
    "heading to paragraph": '<p data-pp-change="block" data-pp-before="{&quot;heading&quot;:&quot;1&quot;}" title="Formatted: Paragraph (was Heading 1)">Title</p><p>x</p>',
    "only list item deleted": '<p>x</p><ul><li data-pp-change="del"><del>only</del></li></ul>',
    "image source changed": '<p>x <del><img src="a.png" alt="A"></del><ins><img src="b.png" alt="A"></ins></p>',
    "link changed to javascript": '<p><span data-pp-change="format" data-pp-before="{&quot;link&quot;:&quot;https://a.org/x&quot;}" title="Formatted: No link (was https://a.org/x)">go</span></p>',
    "row removed": (
        "<table><tbody><tr><td><p>a</p></td><td><p>b</p></td></tr>"
        '<tr data-pp-change="del"><td data-pp-change="del"><p data-pp-change="del"><del>c</del></p></td>'
        '<td data-pp-change="del"><p data-pp-change="del"><del>d</del></p></td></tr>'
        "<tr><td><p>e</p></td><td><p>f</p></td></tr></tbody></table>"
    ),
    "text typed next to bold": "<p><strong>a</strong><ins> new</ins><strong> b</strong></p>",
}


def build() -> list[dict[str, Any]]:
    """Return every case; exits if a hand-checked answer disagrees or a view is not exact."""
    cases = []
    wrong = []
    for entry in INPUTS:
        name, old_html, new_html = entry[0], entry[1], entry[2]
        options = entry[3] if len(entry) > 3 else None  # type: ignore[misc]
        schema = Schema.from_options(options)
        old = Document.from_html(old_html, schema).lines()
        new = Document.from_html(new_html, schema).lines()
        merged = diff_lines(old, new)
        html = diff_html(old, new)
        if accept_lines(merged) != new or reject_lines(merged) != old:
            wrong.append(f"  {name}: a view is not exact")
        if name in CHECKED and html != CHECKED[name]:
            wrong.append(f"  {name}: diff {html!r}\n    hand {CHECKED[name]!r}")
        case: dict[str, Any] = {"name": name, "oldHtml": old_html, "newHtml": new_html}
        if options:
            case["options"] = options
        case["old"] = jsonable(old)
        case["new"] = jsonable(new)
        case["expect"] = {"merged": jsonable(merged), "html": html}
        cases.append(case)
    if wrong:
        raise SystemExit("the diff disagrees with hand-checked cases:\n" + "\n".join(wrong))
    missing = set(CHECKED) - {case["name"] for case in cases}
    if missing:
        raise SystemExit(f"hand-checked cases without input: {sorted(missing)}")
    return cases


def main() -> None:
    cases = build()
    OUTPUT.write_text(
        json.dumps({"cases": cases}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(cases)} cases to {OUTPUT}")


if __name__ == "__main__":
    main()
