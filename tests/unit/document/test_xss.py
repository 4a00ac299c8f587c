"""Known XSS vectors (tests/vectors/xss.json): nothing executable survives, text does."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from policypad.document import Document
from tests.vectors.write_xss import expand

VECTORS = json.loads((Path(__file__).parents[2] / "vectors" / "xss.json").read_text())["vectors"]
ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "ul", "ol", "li", "table",
    "thead", "tbody", "tr", "td", "th", "a", "strong", "em", "u", "s", "code", "sub", "sup",
    "span", "img", "br", "hr", "html", "head", "body",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "span": {"class", "data-author"},
}
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def test_there_are_at_least_sixty_vectors() -> None:
    assert len(VECTORS) >= 60


@pytest.mark.parametrize("vector", VECTORS, ids=[vector["name"] for vector in VECTORS])
def test_nothing_executable_reaches_rendered_html(vector: dict) -> None:
    document = Document.from_html(expand(vector))
    html = document.to_html(authors=True)
    for node in LexborHTMLParser(html).root.traverse():
        tag = node.tag
        if tag.startswith("-"):
            continue
        assert tag in ALLOWED_TAGS, f"element <{tag}> in {html[:200]!r}"
        for name, value in node.attributes.items():
            allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | {"class"}
            if name == "style":
                assert re.fullmatch(r"text-align: (center|right|justify)", value or "")
                continue
            assert name in allowed, f"attribute {name} on <{tag}>"
            if name in ("href", "src"):
                probe = re.sub(r"[\x00-\x20\x7f]", "", value or "")
                scheme = SCHEME.match(probe)
                assert scheme is None or scheme.group(1).lower() in {"http", "https", "mailto"}, (
                    f"unsafe URL {value!r}"
                )
    if "text" in vector:
        assert vector["text"] in document.to_text()


def test_render_checks_again_what_an_atext_holds() -> None:
    """An AText can come from any client: values that become tags, URLs or numbers are
    checked at render time, not trusted."""
    hostile = [
        ([("a", {"link": "javascript:alert(1)"})], {"heading": "1><script>alert(1)</script"}),
        (
            [("\ufffc", {"embed": "image", "src": "javascript:alert(1)", "width": "1 onerror=x"})],
            {},
        ),
        (
            [("b", {"class": '" onclick="x'})],
            {"align": "center;background:url(x)", "bclass": '"><x'},
        ),
        ([("c", {})], {"list": "number", "start": "2><script>", "indent": "99"}),
        ([("d", {})], {"table": "t", "row": "r", "cell": "c", "colspan": "2 onclick=x"}),
    ]
    html = Document.from_lines(hostile).to_html(authors=True)
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html
    assert "onclick=" not in html.replace('class="&quot; onclick=&quot;x"', "")
    for node in LexborHTMLParser(html).root.traverse():
        assert node.tag in ALLOWED_TAGS or node.tag.startswith("-")
    assert "<p>a</p>" in html and "<ol><li>c</li></ol>" in html
