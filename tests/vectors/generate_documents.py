"""Writes tests/vectors/documents.json: HTML inputs with the lines and HTML both languages
must produce.

    .venv/bin/python -m tests.vectors.generate_documents

Inputs cover every construct of docs/document-model.md and the typical output of
WYMeditor, TinyMCE 6, CKEditor 4 and 5, and pasted Word HTML. The answers are the
Python parser's; CHECKED lists cases whose answer is also written here by hand, and
the script refuses to write the file if the parser disagrees with one of them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from policypad.document import Document, Schema
from policypad.document.lines import Line

OUTPUT = Path(__file__).with_name("documents.json")
OFFICE = Path(__file__).parents[1] / "fixtures" / "office"
E = "\ufffc"


def office(name: str) -> str:
    """A clipboard sample of tests/fixtures/office (see its README)."""
    return (OFFICE / name).read_text(encoding="utf-8")


def word_item(marker: str, text: str, style: str = "mso-list:l0 level1 lfo1") -> str:
    """A Word list paragraph as Word writes it: the marker fenced by conditional comments
    and in a `mso-list:Ignore` span."""
    return (
        f"<p class=MsoListParagraph style='text-indent:-18.0pt;{style}'><![if !supportLists]>"
        f"<span style='mso-list:Ignore'>{marker}<span style='font:7.0pt \"Times New Roman\"'>"
        f"&nbsp;&nbsp;&nbsp; </span></span><![endif]>{text}<o:p></o:p></p>"
    )


INPUTS: list[tuple[str, str] | tuple[str, str, dict[str, Any]]] = [
    # -- text and whitespace
    ("empty input", ""),
    ("bare text", "hello"),
    ("whitespace only", "  \n\t "),
    ("collapsed spaces", "<p>  a   b \n c  </p>"),
    ("nbsp kept", "<p>a&nbsp;&nbsp;b</p>"),
    ("entities decoded", "<p>&lt;b&gt; &amp; &quot;q&quot; &#39;s&#39; &eacute;</p>"),
    ("emoji", "<p>hi 😀 there</p>"),
    ("tabs and CR", "<p>a\tb\r\nc</p>"),
    ("text between blocks", "<p>a</p>  b  <p>c</p>"),
    ("space across tags", "<p>a <b> b</b> c</p>"),
    ("br separated bare lines", "one<br>two<br><br>four"),
    ("br inside paragraph", "<p>a<br>b</p>"),
    ("trailing br dropped", "<p>a<br></p>"),
    ("two trailing brs keep one", "<p>a<br><br></p>"),
    ("empty paragraph br", "<p><br></p>"),
    ("empty paragraph", "<p></p>"),
    ("nbsp paragraph", "<p>&nbsp;</p>"),
    ("div blocks", "<div>a</div><div>b</div>"),
    ("nested divs", "<div><div>a</div>b<div>c</div></div>"),
    ("mixed bare and blocks", "x<p>y</p>z"),
    ("space before br", "<p>a <br> b</p>"),
    # -- inline formatting
    ("bold b and strong", "<p><b>a</b><strong>b</strong></p>"),
    ("italic i em cite", "<p><i>a</i><em>b</em><cite>c</cite></p>"),
    ("underline u ins", "<p><u>a</u><ins>b</ins></p>"),
    ("strike s strike del", "<p><s>a</s><strike>b</strike><del>c</del></p>"),
    ("code kbd samp tt", "<p><code>a</code><kbd>b</kbd><samp>c</samp><tt>d</tt></p>"),
    ("sub and sup", "<p>H<sub>2</sub>O x<sup>2</sup></p>"),
    ("nested formatting", "<p><b>a<i>b<u>c</u></i></b></p>"),
    ("misnested formatting", "<p>a<b>b<i>c</b>d</i>e</p>"),
    ("style bold span", '<p><span style="font-weight: bold">a</span></p>'),
    ("style weight 700", '<p><span style="font-weight:700">a</span></p>'),
    ("style weight normal unbolds", '<p><b>a<span style="font-weight: normal">b</span></b></p>'),
    (
        "google docs b normal",
        '<b style="font-weight:normal;"><span style="font-weight:700">x</span>y</b>',
    ),
    ("style italic", '<p><span style="font-style: italic">a</span></p>'),
    (
        "style underline and strike",
        '<p><span style="text-decoration: underline line-through">a</span></p>',
    ),
    ("style text-decoration-line", '<p><span style="text-decoration-line: underline">a</span></p>'),
    (
        "style vertical-align",
        '<p><span style="vertical-align: super">a</span><span style="vertical-align: sub">b</span></p>',
    ),
    ("style important", '<p><span style="font-weight: bold !important">a</span></p>'),
    ("font tag transparent", '<p><font color="red" face="Arial">a</font></p>'),
    ("unknown inline tag", "<p><blink>a</blink><marquee>b</marquee></p>"),
    ("span classes dropped by default", '<p><span class="note">a</span></p>'),
    (
        "span classes allowed",
        '<p><span class="note evil other">a</span></p>',
        {"classes": ["note", "other"]},
    ),
    ("block class allowed", '<p class="lead x">a</p>', {"classes": ["lead"]}),
    (
        "allowed attributes on blocks and text",
        '<p lang="fr" title="t" onclick="x()">Bonjour <span data-ref="r1" title="hi" hidden>x</span></p>',
        {"attributes": ["title", "lang", "data-ref"]},
    ),
    (
        "allowed attributes reset in nested lists and tables",
        '<ul><li lang="de">a<ul><li>b</li></ul></li></ul><div title="d"><table><tr><td>c</td></tr></table></div>',
        {"attributes": ["title", "lang"]},
    ),
    ("attributes not allowed by default", '<p lang="fr" title="t"><span title="x">a</span></p>'),
    (
        "allowed attribute on a link and bold",
        '<p><a href="/x" title="go"><b title="b">a</b></a></p>',
        {"attributes": ["title"]},
    ),
    ("data-author span", '<p><span data-author="a.1">a</span>b</p>'),
    # -- links
    ("http link", '<p><a href="http://example.com/x?y=1&amp;z=2">a</a></p>'),
    ("https link", '<p><a href="https://example.com">a</a></p>'),
    ("mailto link", '<p><a href="mailto:x@example.com">a</a></p>'),
    (
        "relative link",
        '<p><a href="/docs/a.html">a</a> <a href="b.html">b</a> <a href="#top">c</a> <a href="?q=1">d</a></p>',
    ),
    ("link trimmed", '<p><a href="  https://example.com  ">a</a></p>'),
    ("javascript link dropped", '<p><a href="javascript:alert(1)">a</a></p>'),
    ("obfuscated javascript link", '<p><a href=" java\tscript:alert(1)">a</a></p>'),
    ("data link dropped", '<p><a href="data:text/html,&lt;script&gt;">a</a></p>'),
    ("vbscript link dropped", '<p><a href="VBScript:msgbox(1)">a</a></p>'),
    ("anchor without href", '<p><a name="x">a</a></p>'),
    ("bold link", '<p><a href="https://e.org"><b>a</b></a></p>'),
    # -- headings and blocks
    ("headings 1 to 6", "".join(f"<h{n}>H{n}</h{n}>" for n in range(1, 7))),
    ("heading with inline", "<h2>a <em>b</em></h2>"),
    ("empty heading", "<h3></h3>"),
    ("blockquote paragraphs", "<blockquote><p>a</p><p>b</p></blockquote>"),
    ("blockquote bare text", "<blockquote>a</blockquote>"),
    ("nested blockquote", "<blockquote><blockquote>a</blockquote></blockquote>"),
    ("pre", "<pre>a\n  b\n\nc</pre>"),
    ("pre leading newline", "<pre>\nx</pre>"),
    ("pre with inline", "<pre><b>a</b>  b</pre>"),
    ("empty pre", "<pre></pre>"),
    ("pre code (ckeditor 5)", '<pre><code class="language-plaintext">x = 1\ny = 2</code></pre>'),
    ("consecutive pres", "<pre>a</pre><pre>b</pre>"),
    ("hr", "<p>a</p><hr><p>b</p>"),
    ("hr inside paragraph", "<p>a<hr>b</p>"),
    ("align attribute", '<p align="center">a</p><p align="left">b</p>'),
    ("text-align style", '<p style="text-align: right;">a</p><p style="text-align:justify">b</p>'),
    (
        "align inherited",
        '<div style="text-align:center"><p>a</p><p style="text-align:left">b</p></div>',
    ),
    ("heading aligned", '<h2 style="text-align:center">a</h2>'),
    ("center tag", "<center>a</center>"),
    (
        "address figcaption",
        "<address>a</address><figure><img src='a.png'><figcaption>cap</figcaption></figure>",
    ),
    ("dl dt dd", "<dl><dt>term</dt><dd>def</dd></dl>"),
    ("section article", "<section><article><p>a</p></article></section>"),
    # -- lists
    ("bullet list", "<ul><li>a</li><li>b</li></ul>"),
    ("ordered list", "<ol><li>a</li><li>b</li></ol>"),
    ("ordered list start", '<ol start="4"><li>a</li><li>b</li></ol>'),
    ("ordered list start 1", '<ol start="1"><li>a</li></ol>'),
    ("nested list valid", "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>"),
    ("nested list invalid (ul in ul)", "<ul><li>a</li><ul><li>b</li></ul><li>c</li></ul>"),
    ("three levels", "<ul><li>a<ol><li>b<ul><li>c</li></ul></li></ol></li></ul>"),
    ("indent jump", "<ul><li><ul><li>deep</li></ul></li></ul>"),
    ("empty list item", "<ul><li></li><li>b</li></ul>"),
    ("list item br", "<ul><li><br></li></ul>"),
    ("li with paragraphs (wymeditor)", "<ul><li><p>a</p><p>b</p></li></ul>"),
    ("li text then paragraph", "<ul><li>a<p>b</p>c</li></ul>"),
    ("li with heading", "<ul><li><h2>a</h2></li></ul>"),
    ("text directly in ul", "<ul>a<li>b</li></ul>"),
    ("bullet then numbered", "<ul><li>a</li></ul><ol><li>b</li></ol>"),
    ("list after paragraph", "<p>x</p><ul><li>a</li></ul><p>y</p>"),
    (
        "ckeditor5 list ids",
        '<ul><li data-list-item-id="e1">a</li><li data-list-item-id="e2">b</li></ul>',
    ),
    ("list item aligned", '<ol><li style="text-align:center">a</li></ol>'),
    ("list in blockquote", "<blockquote><ul><li>a</li></ul></blockquote>"),
    ("li content after nested list", "<ul><li>a<ul><li>b</li></ul>c</li></ul>"),
    ("ordered nested start", '<ol><li>a<ol start="3"><li>b</li></ol></li></ol>'),
    # -- tables
    ("simple table", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>"),
    (
        "table thead tbody th",
        "<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>",
    ),
    (
        "table tfoot",
        "<table><tbody><tr><td>1</td></tr></tbody><tfoot><tr><td>sum</td></tr></tfoot></table>",
    ),
    (
        "colspan rowspan",
        '<table><tr><td colspan="2">a</td></tr><tr><td rowspan="2">b</td><td>c</td></tr><tr><td>d</td></tr></table>',
    ),
    ("colspan 1 dropped", '<table><tr><td colspan="1" rowspan="x">a</td></tr></table>'),
    ("empty cells", "<table><tr><td></td><td><br></td></tr></table>"),
    ("cell with paragraphs", "<table><tr><td><p>a</p><p>b</p></td></tr></table>"),
    ("cell with list", "<table><tr><td><ul><li>a</li><li>b</li></ul></td></tr></table>"),
    ("cell with heading", "<table><tr><td><h3>a</h3></td></tr></table>"),
    ("two tables", "<table><tr><td>a</td></tr></table><table><tr><td>b</td></tr></table>"),
    ("table caption", "<table><caption>Cap</caption><tr><td>a</td></tr></table>"),
    (
        "nested table flattened",
        "<table><tr><td>a<table><tr><td>b</td></tr></table></td></tr></table>",
    ),
    ("text in table outside cells", "<table>x<tr><td>a</td></tr></table>"),
    ("table in list item", "<ul><li>a<table><tr><td>b</td></tr></table></li></ul>"),
    (
        "table cell aligned",
        '<table><tr><td style="text-align:center">a</td><td align="right">b</td></tr></table>',
    ),
    (
        "tinymce table",
        '<table style="border-collapse: collapse; width: 100%;" border="1"><colgroup><col style="width: 50%;"><col style="width: 50%;"></colgroup><tbody><tr><td>a</td><td>b</td></tr></tbody></table>',
    ),
    (
        "ckeditor5 figure table",
        '<figure class="table"><table><tbody><tr><td>a</td></tr></tbody></table></figure>',
    ),
    # -- embeds
    ("image", '<p><img src="https://e.org/a.png" alt="A" width="10" height="20"></p>'),
    ("image relative", '<p>x<img src="a.png">y</p>'),
    ("image bad size", '<p><img src="a.png" width="10px" height=" 7 "></p>'),
    ("image javascript src", '<p><img src="javascript:alert(1)" alt="alt text"></p>'),
    ("image data src dropped", '<p><img src="data:image/png;base64,iVBORw0KGgo=" alt="d"></p>'),
    (
        "image data src allowed",
        '<p><img src="data:image/png;base64,iVBORw0KGgo="></p>',
        {"allowDataImages": True},
    ),
    (
        "image data svg refused",
        '<p><img src="data:image/svg+xml;base64,PHN2Zz4=" alt="s"></p>',
        {"allowDataImages": True},
    ),
    ("image in link", '<p><a href="https://e.org"><img src="a.png"></a></p>'),
    ("bold image", '<p><b><img src="a.png"></b></p>'),
    ("image only block", '<img src="a.png">'),
    # -- hostile and odd markup
    ("script dropped", "<p>a<script>alert(1)</script>b</p>"),
    ("style dropped", "<style>p{color:red}</style><p>a</p>"),
    ("comment dropped", "<p>a<!-- secret -->b</p>"),
    ("iframe dropped", '<p>a<iframe src="https://e.org">x</iframe>b</p>'),
    ("object embed dropped", '<object data="x.swf"><embed src="x.swf"></object><p>a</p>'),
    ("svg dropped", "<p>a<svg><script>alert(1)</script><text>t</text></svg>b</p>"),
    ("math dropped", "<p>a<math><mi>x</mi></math>b</p>"),
    ("event handlers dropped", '<p onclick="alert(1)">a<b onmouseover="x()">b</b></p>'),
    (
        "form controls dropped",
        '<p>a<input value="v"><button>b</button><select><option>o</option></select><textarea>t</textarea>c</p>',
    ),
    ("noscript dropped", "<p>a<noscript>n</noscript>b</p>"),
    ("template dropped", "<template><p>t</p></template><p>a</p>"),
    (
        "head content dropped",
        "<html><head><title>T</title><meta charset=utf-8></head><body><p>a</p></body></html>",
    ),
    ("unclosed tags", "<p>a<b>b<p>c"),
    ("stray end tags", "</p>a</b></div>b"),
    ("css expression dropped", '<p style="width: expression(alert(1)); font-weight: bold">a</p>'),
    # -- editors' output
    (
        "wymeditor xhtml",
        "<p>Intro <strong>bold</strong> and <em>it</em>.</p><ul><li>one</li><li>two<br />three</li></ul><h2>Head</h2>",
    ),
    ("wymeditor bare text", "some text<br />more text"),
    ("wymeditor nested p", "<p><p>pasted</p></p>"),
    (
        "tinymce 6",
        '<p>Hello <strong>world</strong></p>\n<p style="text-align: center;">centered</p>\n<ol>\n<li>one</li>\n<li>two\n<ul>\n<li>sub</li>\n</ul>\n</li>\n</ol>',
    ),
    ("tinymce empty", "<p>&nbsp;</p>"),
    (
        "ckeditor 4",
        '<p>Text <strong>bold</strong> <s>gone</s></p>\n\n<p style="margin-left:40px">indented</p>\n\n<blockquote>\n<p>quote</p>\n</blockquote>\n',
    ),
    (
        "ckeditor 5",
        "<h2>Title</h2><p><i>it</i> <strong>b</strong></p><ul><li>a<ul><li>b</li></ul></li></ul><blockquote><p>q</p></blockquote>",
    ),
    ("ckeditor 5 link", '<p><a href="https://ckeditor.com">CK</a></p>'),
    (
        "word paste",
        '<p class="MsoNormal" style="margin:0cm;mso-line-height-alt:12pt"><b><span lang="EN-US" style="mso-bidi-font-weight:normal">Bold<o:p></o:p></span></b></p><p class="MsoNormal"><i>It</i><o:p>&nbsp;</o:p></p>',
    ),
    (
        "word list paste",
        '<p class="MsoListParagraphCxSpFirst" style="text-indent:-18.0pt;mso-list:l0 level1 lfo1"><![if !supportLists]><span style="font-family:Symbol">·<span style="font:7.0pt">&nbsp;&nbsp;</span></span><![endif]>Item one<o:p></o:p></p>',
    ),
    (
        "word conditional comments",
        "<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]--><p>a</p>",
    ),
    (
        "google docs wrapper",
        '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1"><p dir="ltr"><span style="font-weight:700;">B</span><span style="font-style:italic;">I</span></p></b>',
    ),
    ("long attribute value", '<p title="' + "x" * 5000 + '">a</p>'),
    # -- lists from office applications' clipboards (tests/fixtures/office)
    ("word bullets, three levels", office("word-bullets.html")),
    ("word numbers from 3, letters, roman", office("word-numbers.html")),
    ("word list continued after a paragraph", office("word-continued.html")),
    ("word fragment without style sheet", office("word-fragment.html")),
    ("libreoffice lists", office("libreoffice-lists.html")),
    ("google docs lists", office("google-docs-lists.html")),
    (
        "word list marker in Ignore span only",
        "<p style='mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>1.<span>&nbsp; </span>"
        "</span>One</p><p style='mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>2.</span>"
        "Two</p>",
    ),
    ("word paragraph starting with a number", "<p class=MsoNormal>1. Not a list<o:p></o:p></p>"),
    ("word list from 3 without style sheet", word_item("3.", "Three") + word_item("4.", "Four")),
    (
        "word numbers continued after a paragraph",
        word_item("1.", "One") + "<p class=MsoNormal>Between</p>" + word_item("2.", "Two"),
    ),
    (
        "word letters and roman without style sheet",
        word_item("1.", "One")
        + word_item("c)", "Letter c", "mso-list:l0 level2 lfo1")
        + word_item("iv.", "Roman four", "mso-list:l0 level3 lfo1")
        + word_item("(b)", "Letter b", "mso-list:l1 level1 lfo2"),
    ),
    (
        "word letters read by the style sheet",
        "<style><!-- @list l0:level1 {mso-level-number-format:alpha-lower;} --></style>"
        + word_item("i.", "Ninth"),
    ),
    (
        "word bullet format read by the style sheet",
        "<style>@list l0:level1\n\t{mso-level-number-format:bullet;\n\tmso-level-text:\\F0D8;}</style>"
        + word_item("1.", "An arrow bullet"),
    ),
    ("word roman i without style sheet", word_item("i.", "First") + word_item("ii.", "Second")),
    (
        "word heading list item",
        word_item("1.", "Scope").replace("<p ", "<h1 ").replace("</p>", "</h1>"),
    ),
    (
        "word empty list item",
        word_item("·", "") + word_item("·", "<o:p>&nbsp;</o:p>"),
    ),
    (
        "word list in a table cell",
        "<table><tr><td>"
        + word_item("·", "In a cell")
        + word_item("o", "deeper", "mso-list:l0 level2 lfo1")
        + "</td><td>"
        + word_item("1.", "Other cell")
        + "</td></tr></table>",
    ),
    (
        "word list levels past 8",
        word_item("·", "Deep", "mso-list:l0 level12 lfo1")
        + word_item("·", "Zero", "mso-list:l0 level0 lfo1"),
    ),
    (
        "word mso-list none, skip, Ignore outside a list",
        "<p style='mso-list:none'>None</p><p style='mso-list:skip'>Skip</p>"
        "<p><span style='mso-list:Ignore'>1.</span> Kept</p>",
    ),
    (
        "word picture bullet",
        "<p style='mso-list:l0 level1 lfo1'><![if !supportLists]><span style='mso-list:Ignore'>"
        '<img width=9 height=9 src="https://example.com/bullet.gif" alt="*"><span>&nbsp;</span>'
        "</span><![endif]>Pictured</p>",
    ),
    (
        "word list paragraph inside a real list",
        "<ul><li>" + word_item("·", "Already a list") + "</li></ul>"
        "<ol start=2><li style='mso-list:l1 level1 lfo2'><![if !supportLists]>"
        "<span style='mso-list:Ignore'>2.</span><![endif]>Item with its number</li></ol>",
    ),
    (
        "word marker with formatting and a break",
        "<p style='mso-list:l0 level1 lfo1'><![if !supportLists]><b><span style='mso-list:Ignore'>"
        "5.<br></span></b><![endif]><b>Bold</b> item</p>",
    ),
    (
        "word legal numbering",
        word_item("1.", "Scope")
        + word_item("1.1.", "Employees", "mso-list:l0 level2 lfo1")
        + word_item("1.2.", "Contractors", "mso-list:l0 level2 lfo1")
        + word_item("2.", "Rules"),
    ),
    (
        "word number restarting in mid-list",
        word_item("1.", "One")
        + word_item("2.", "Two")
        + word_item("7.", "Seven")
        + word_item("1.", "One again"),
    ),
]

# Hand-checked answers: (name, expected lines).
CHECKED: dict[str, list[Line]] = {
    "empty input": [([], {})],
    "bare text": [([("hello", {})], {})],
    "collapsed spaces": [([("a b c", {})], {})],
    "br separated bare lines": [
        ([("one", {})], {}),
        ([("two", {})], {}),
        ([], {}),
        ([("four", {})], {}),
    ],
    "br inside paragraph": [([("a", {}), (E, {"embed": "br"}), ("b", {})], {})],
    "trailing br dropped": [([("a", {})], {})],
    "empty paragraph br": [([], {})],
    "misnested formatting": [
        (
            [
                ("a", {}),
                ("b", {"bold": "true"}),
                ("c", {"bold": "true", "italic": "true"}),
                ("d", {"italic": "true"}),
                ("e", {}),
            ],
            {},
        )
    ],
    "javascript link dropped": [([("a", {})], {})],
    "ordered list start": [
        ([("a", {})], {"list": "number", "start": "4"}),
        ([("b", {})], {"list": "number"}),
    ],
    "nested list invalid (ul in ul)": [
        ([("a", {})], {"list": "bullet"}),
        ([("b", {})], {"list": "bullet", "indent": "2"}),
        ([("c", {})], {"list": "bullet"}),
    ],
    "li with paragraphs (wymeditor)": [
        ([("a", {}), (E, {"embed": "br"}), ("b", {})], {"list": "bullet"})
    ],
    "pre": [
        ([("a", {})], {"pre": "true"}),
        ([("  b", {})], {"pre": "true"}),
        ([], {"pre": "true"}),
        ([("c", {})], {"pre": "true"}),
    ],
    "table thead tbody th": [
        ([("A", {})], {"table": "t1", "head": "true", "row": "r1", "cell": "c1", "th": "true"}),
        ([("B", {})], {"table": "t1", "head": "true", "row": "r1", "cell": "c2", "th": "true"}),
        ([("1", {})], {"table": "t1", "row": "r2", "cell": "c3"}),
        ([("2", {})], {"table": "t1", "row": "r2", "cell": "c4"}),
    ],
    "script dropped": [([("ab", {})], {})],
    "word list paste": [([("Item one", {})], {"list": "bullet"})],
    "word paragraph starting with a number": [([("1. Not a list", {})], {})],
    "word numbers continued after a paragraph": [
        ([("One", {})], {"list": "number"}),
        ([("Between", {})], {}),
        ([("Two", {})], {"list": "number", "start": "2"}),
    ],
    "word letters read by the style sheet": [
        ([("Ninth", {})], {"list": "number", "start": "9"}),
    ],
    "word roman i without style sheet": [
        ([("First", {})], {"list": "number"}),
        ([("Second", {})], {"list": "number"}),
    ],
    "word bullet format read by the style sheet": [
        ([("An arrow bullet", {})], {"list": "bullet"}),
    ],
    "image javascript src": [([("alt text", {})], {})],
}


def jsonable(lines: list[Line]) -> list[Any]:
    """The JSON form of lines: [[[text, attrs], ...], block]."""
    return [[[[text, attributes] for text, attributes in runs], block] for runs, block in lines]


def build() -> list[dict[str, Any]]:
    """Return every case; exits if a hand-checked answer disagrees with the parser."""
    cases = []
    wrong = []
    for entry in INPUTS:
        name, html = entry[0], entry[1]
        options = entry[2] if len(entry) > 2 else None  # type: ignore[misc]
        document = Document.from_html(html, Schema.from_options(options))
        lines = document.lines()
        if name in CHECKED and lines != CHECKED[name]:
            wrong.append(f"  {name}: parser {lines!r}\n    hand {CHECKED[name]!r}")
        case: dict[str, Any] = {"name": name, "html": html}
        if options:
            case["options"] = options
        case["expect"] = {"lines": jsonable(lines), "html": document.to_html()}
        cases.append(case)
    if wrong:
        raise SystemExit("the parser disagrees with hand-checked cases:\n" + "\n".join(wrong))
    missing = set(CHECKED) - {case["name"] for case in cases}
    if missing:
        raise SystemExit(f"hand-checked cases without input: {sorted(missing)}")
    return cases


def main() -> None:
    cases = build()
    OUTPUT.write_text(json.dumps({"cases": cases}, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases to {OUTPUT}")


if __name__ == "__main__":
    main()
