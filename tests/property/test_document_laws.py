"""Laws of the document model (docs/document-model.md), checked with Hypothesis.

parse(render(x)) == x for normalized documents x: random lines of every kind
(paragraphs, headings, lists with nesting, quotes, pre, rules, tables) with random
inline formatting, links, authors and embeds.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policypad.document import Document, Schema
from policypad.document.lines import Attributes, Line, Run, merge_runs
from policypad.document.schema import EMBED_CHAR

SCHEMA = Schema.from_options({"classes": ["note", "lead"]})
WORDS = st.sampled_from(["a", "bb", "ccc", "x&y", "<tag>", '"q"', "é", "😀", "a\u00a0b", "1"])
FLAGS = st.sampled_from(["bold", "italic", "underline", "strike", "code", "sub", "sup"])


@st.composite
def inline_attributes(draw: st.DrawFn) -> Attributes:
    attributes = {flag: "true" for flag in draw(st.sets(FLAGS, max_size=3))}
    if draw(st.booleans()) and draw(st.booleans()):
        attributes["link"] = draw(
            st.sampled_from(["https://e.org/a?b=1&c=2", "/rel", "mailto:x@e.org"])
        )
    if draw(st.booleans()) and draw(st.booleans()):
        attributes["author"] = draw(st.sampled_from(["a.1", "a.2"]))
    if draw(st.booleans()) and draw(st.booleans()):
        attributes["class"] = draw(st.sampled_from(["note", "lead", "lead note"]))
    return attributes


@st.composite
def runs(draw: st.DrawFn, pre: bool = False) -> list[Run]:
    out: list[Run] = []
    for index in range(draw(st.integers(0, 4))):
        attributes = draw(inline_attributes())
        kind = draw(st.sampled_from(["text", "text", "text", "image", "br"]))
        if kind == "image" and not pre:
            out.append(
                (
                    EMBED_CHAR,
                    {
                        **attributes,
                        "embed": "image",
                        "src": "https://e.org/i.png",
                        **({"alt": "pic"} if draw(st.booleans()) else {}),
                    },
                )
            )
        elif kind == "br" and not pre and index:
            out.append((EMBED_CHAR, {**attributes, "embed": "br"}))
        else:
            words = draw(st.lists(WORDS, min_size=1, max_size=3))
            separator = "  " if pre and draw(st.booleans()) else " "
            text = separator.join(words)
            if out and out[-1][0] != EMBED_CHAR and not out[-1][0].endswith(" "):
                text = " " + text if draw(st.booleans()) else text
            out.append((text, attributes))
    merged = merge_runs(out)
    while merged and merged[-1][1].get("embed") == "br":
        merged.pop()
    return merge_runs(merged)


@st.composite
def block_line(draw: st.DrawFn, previous: Line | None) -> list[Line]:
    kind = draw(st.sampled_from(["p", "heading", "list", "list", "pre", "hr", "quote", "table"]))
    block: Attributes = {}
    if draw(st.booleans()) and draw(st.booleans()):
        block["align"] = draw(st.sampled_from(["center", "right", "justify"]))
    if draw(st.booleans()) and draw(st.booleans()):
        block["bclass"] = "note"
    if kind == "heading":
        block["heading"] = str(draw(st.integers(1, 6)))
    elif kind == "list":
        block["list"] = draw(st.sampled_from(["bullet", "number"]))
        level = draw(st.integers(1, 3))
        if level > 1:
            block["indent"] = str(level)
        first = previous is None or "list" not in previous[1]
        if first and level == 1 and block["list"] == "number" and draw(st.booleans()):
            block["start"] = str(draw(st.integers(2, 9)))
        if draw(st.booleans()) and draw(st.booleans()):
            block["heading"] = "2"
    elif kind == "pre":
        return [(draw(runs(pre=True)), {"pre": "true"})]
    elif kind == "hr":
        return [([(EMBED_CHAR, {"embed": "hr"})], {})]
    elif kind == "quote":
        block["quote"] = "true"
    elif kind == "table":
        return draw(table(draw(st.uuids()).hex))
    return [(draw(runs()), block)]


@st.composite
def table(draw: st.DrawFn, name: str) -> list[Line]:
    lines: list[Line] = []
    head = draw(st.booleans())
    for row in range(draw(st.integers(1, 3))):
        for _ in range(draw(st.integers(1, 3))):
            cell: Attributes = {
                "table": name,
                "row": f"{name}r{row}",
                "cell": f"{name}c{len(lines)}",
            }
            if head and row == 0:
                cell.update(head="true", th="true")
            if draw(st.booleans()) and draw(st.booleans()):
                cell["colspan"] = "2"
            for _ in range(draw(st.integers(1, 2))):
                extra = {"heading": "3"} if draw(st.booleans()) and draw(st.booleans()) else {}
                lines.append((draw(runs()), {**cell, **extra}))
    return lines


@st.composite
def documents(draw: st.DrawFn) -> list[Line]:
    lines: list[Line] = []
    for _ in range(draw(st.integers(1, 8))):
        lines.extend(draw(block_line(lines[-1] if lines else None)))
    return _canonical_ids(lines)


def _canonical_ids(lines: list[Line]) -> list[Line]:
    """Number tables, rows and cells as parse does: t1, r1, c1, ... in order."""
    counters = {"table": 0, "row": 0, "cell": 0}
    seen: dict[tuple[str, str], str] = {}
    previous: dict[str, str | None] = {"table": None, "row": None, "cell": None}
    out: list[Line] = []
    for runs_, block in lines:
        block = dict(block)
        for key, prefix in (("table", "t"), ("row", "r"), ("cell", "c")):
            if key not in block:
                previous[key] = None
                continue
            original = (key, block[key])
            if previous[key] != block[key] or original not in seen:
                counters[key] += 1
                seen[original] = f"{prefix}{counters[key]}"
            previous[key] = block[key]
            block[key] = seen[original]
        out.append((runs_, block))
    return out


@settings(max_examples=400, deadline=None)
@given(documents())
def test_parse_of_render_is_identity(lines: list[Line]) -> None:
    """parse(render(x)) == x for every normalized document."""
    html = Document.from_lines(lines).to_html(authors=True)
    assert Document.from_html(html, SCHEMA).lines() == lines, html
