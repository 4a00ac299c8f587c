"""Editors that show less than the model (DESIGN.md's projection rule, EDITORS.md's lists):
for each editor and each construct it cannot show, three people type at once inside it,
before it and after it, each at a caret put where the editor shows a place; every letter
lands exactly once, in typing order, where its typist put it, and the construct survives
on the server.

The carets are put by the editor's own offsets (its adapter's, counted in the text the
editor shows), never through the session's map: a map that is wrong one way and right back
could not hide behind itself."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.browser.conftest import Pads
from tests.browser.editing import converge, server_html, type_together, wait_until
from tests.support.server import ServerProcess

# The text an editor shows, as its adapter counts it (a textarea's value, a rich editor's
# text as read from it), with no-break spaces as spaces.
SHOWN_TEXT = """() => {
  const {adapter} = window.policypad;
  const text = adapter.kind === 'text' ? `${adapter.read()}\\n` : adapter.read().text;
  return text.replaceAll('\\u00a0', ' ');
}"""
SELECT = """(at) => {
  const {adapter, element} = window.policypad;
  if (adapter.kind === 'text') element.setSelectionRange(at, at);
  else adapter.setSelection({start: at, end: at});
}"""
FOCUS = {
    "ckeditor5": lambda page: page.click(".ck-editor__editable"),
    "ckeditor4": lambda page: (
        page.frame_locator("iframe.cke_wysiwyg_frame").locator("body > *").first.click()
    ),
    "tinymce": lambda page: (
        page.frame_locator("iframe.tox-edit-area__iframe").locator("body > *").first.click()
    ),
    "wymeditor": lambda page: (
        page.frame_locator("iframe.pp-wym-frame").locator("body > *").first.click()
    ),
    "textarea": lambda page: page.click(".pp-editor"),
}


@dataclass(frozen=True)
class Spot:
    """Where one typist types: before the first `anchor` of the pad's text (after `after`,
    if given, to tell equal anchors apart), what, and a key pressed first (e.g. bold on)."""

    anchor: str
    typed: str
    after: str = ""
    first: str = ""

    def model_offset(self, text: str) -> int:
        start = text.index(self.after) + len(self.after) if self.after else 0
        return text.index(self.anchor, start)


@dataclass(frozen=True)
class Round:
    """Three typists at once, and what the server's HTML must still hold afterwards."""

    spots: tuple[Spot, Spot, Spot]
    survives: tuple[str, ...] = field(default_factory=tuple)


def place(page: Any, editor: str, spot: Spot) -> None:
    """Put the caret before the spot's anchor as the editor shows it, by the editor's own
    offsets (the adapter's), and press its first key."""
    FOCUS[editor](page)
    shown = page.evaluate(SHOWN_TEXT)
    at = spot.model_offset(shown)
    page.evaluate(SELECT, at)
    if spot.first:
        page.keyboard.press(spot.first)


def expected_text(text: str, spots: tuple[Spot, ...]) -> str:
    """The pad's text with each typist's letters before their anchor, in typing order."""
    for spot in sorted(spots, key=lambda spot: spot.model_offset(text), reverse=True):
        at = spot.model_offset(text)
        text = text[:at] + spot.typed + text[at:]
    return text


def joined(html: str) -> str:
    """HTML with runs of one inline format joined (the model splits them where authors
    differ) and no-break spaces as spaces (browsers type them beside other spaces)."""
    return re.sub(r"</(u|s|strong|em)><\1>", "", html).replace("&nbsp;", " ")


def type_around(
    pads: Pads,
    server_text: Callable[[str], str],
    editor: str,
    html: str,
    rounds: list[tuple[Spot, Spot, Spot]],
) -> str:
    """Open the pad three times in `editor`; in each round the three type at once, each at
    their spot; the text must then be the text before with each one's letters at their
    spot. Return the pad."""
    pad_id = pads.create(html=html)
    pages = [pads.open(pad_id, editor, name) for name in ("Ann", "Ben", "Cid")]
    for number, spots in enumerate(rounds):
        before = converge(pages, lambda: server_text(pad_id), shown_too=False)
        for page, spot in zip(pages, spots, strict=True):
            place(page, editor, spot)
        type_together(pages, [spot.typed for spot in spots])
        text = converge(pages, lambda: server_text(pad_id), shown_too=False)
        assert text == expected_text(before, spots), f"round {number}"
    # every editor shows the same text, and what it shows is the model's, but for what the
    # editor cannot show
    assert len({page.evaluate(SHOWN_TEXT) for page in pages}) == 1
    return pad_id


def test_ckeditor5_pre_and_headings(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    """CKEditor 5 without a code block shows the pre as one paragraph, a character shorter
    than the model, its spaces as no-break spaces: typing in it, before it, after it and
    in the paragraph after it (the issue's CKFIVE TYPES HERE) lands where each typist put
    it, and the pre and the headings stay."""
    pad_id = type_around(
        pads,
        server_text,
        "ckeditor5",
        "<h1>Head one</h1><pre>PRE  LINE\n  INDENTED</pre>"
        "<p>Some text before. CKFIVE TYPES HERE.</p><h5>Five small</h5><h6>Six smaller</h6>",
        [
            (Spot("TYPES", "ckfiveonetwo"), Spot("PRE", "benbefore"), Spot("Some", "cidafter")),
            (
                Spot("NE", "insidepre", after="PRE  LI"),
                Spot("INDENTED", "second"),
                Spot("HERE", "last"),
            ),
            (Spot("small", "hfive"), Spot("one", "hone"), Spot("smaller", "hsix")),
        ],
    )
    assert joined(server_html(server, pad_id)) == (
        "<h1>Head honeone</h1><pre>\nbenbeforePRE  LIinsidepreNE\n  secondINDENTED\n</pre>"
        "<p>cidafterSome text before. CKFIVE ckfiveonetwoTYPES lastHERE.</p>"
        "<h5>Five hfivesmall</h5><h6>Six hsixsmaller</h6>"
    )


def test_wymeditor_underline_strike_and_alignment(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    """WYMeditor's own markup has no <u>, <s> or alignment (its xhtml() drops them, text
    kept): in its body they are as the model renders them, and typing inside, before and
    after them lands where each typist put it, and keeps them."""
    pad_id = type_around(
        pads,
        server_text,
        "wymeditor",
        "<p>Plain <u>UNDER line</u> and <s>STRUCK out</s> end.</p>"
        '<p style="text-align:center">Centered TEXT here</p>',
        [
            (Spot("line", "inunder"), Spot("Plain", "bstart"), Spot("out", "cstrike")),
            (Spot("TEXT", "mid"), Spot("end", "bend"), Spot("here", "chere")),
        ],
    )
    assert joined(server_html(server, pad_id)) == (
        "<p>bstartPlain <u>UNDER inunderline</u> and <s>STRUCK cstrikeout</s> bendend.</p>"
        '<p style="text-align: center">Centered midTEXT cherehere</p>'
    )


def test_textarea_formatting(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    """A textarea shows no formatting: typing inside bold text, a link, a heading and a
    list item lands where each typist put it, and the formatting around it stays."""
    pad_id = type_around(
        pads,
        server_text,
        "textarea",
        "<h2>Title here</h2><p>Some <strong>BOLD words</strong> and "
        '<a href="https://example.org/">LINK text</a> end.</p><ul><li>item ONE</li></ul>',
        [
            (Spot("words", "abold"), Spot("Some", "bsome"), Spot("text", "clink")),
            (Spot("here", "ahead"), Spot("ONE", "blist"), Spot("end", "cend")),
        ],
    )
    assert joined(server_html(server, pad_id)) == (
        "<h2>Title aheadhere</h2><p>bsomeSome <strong>BOLD </strong>abold<strong>words</strong>"
        ' and <a href="https://example.org/">LINK </a>clink<a href="https://example.org/">text</a>'
        " cendend.</p><ul><li>item blistONE</li></ul>"
    )


def fillers(editor: str) -> list[tuple[Spot, Spot, Spot]]:
    """Rounds in which the first typist turns bold (then italic) on at a collapsed caret
    and types: the editor puts its caret fillers (U+FEFF, U+200B) into the text there."""
    return [
        (
            Spot("gamma", "abold", first="Control+b"),
            Spot("beta", "bplain"),
            Spot("delta", "cplain"),
        ),
        (
            Spot("line", "aitalic", first="Control+i"),
            Spot("Second", "bsecond"),
            Spot("here", "chere"),
        ),
    ]


FILLER_PAD = "<p>Alpha beta gamma delta.</p><p>Second line here.</p>"


def test_tinymce_caret_fillers(pads: Pads, server_text: Callable[[str], str]) -> None:
    """TinyMCE's caret container (U+FEFF) never reaches the model, nor shifts a caret."""
    pad_id = type_around(pads, server_text, "tinymce", FILLER_PAD, fillers("tinymce"))
    assert "\ufeff" not in server_text(pad_id)


def test_ckeditor4_caret_fillers_and_alignment(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    """CKEditor 4's filling characters (seven U+200B) never reach the model, nor shift a
    caret; the alignment it drops stays in the model."""
    pad_id = type_around(
        pads,
        server_text,
        "ckeditor4",
        FILLER_PAD + '<p style="text-align:center">Centered TEXT here</p>',
        [
            *fillers("ckeditor4"),
            (Spot("TEXT", "mid"), Spot("Centered", "bcenter"), Spot("here", "cend", after="TEXT")),
        ],
    )
    assert "\u200b" not in server_text(pad_id)
    assert joined(server_html(server, pad_id)).endswith(
        '<p style="text-align: center">bcenterCentered midTEXT cendhere</p>'
    )


CARET_BOX = """(client) => {
  const bar = document.querySelector(`.pp-remote[data-client-id="${client}"] .pp-remote-caret`);
  return bar === null ? null : bar.getBoundingClientRect().left;
}"""
RANGE_BOX = """(at) => {
  const rects = window.policypad.adapter.rangeAt(at).getClientRects();
  return rects[rects.length - 1].left;
}"""


def test_ckeditor5_draws_a_remote_caret_where_it_is(
    pads: Pads, server_text: Callable[[str], str]
) -> None:
    """Ann's caret, after a pre, is drawn over Ben's CKEditor 5 where that text shows:
    the model's offset goes through the map into the editor's own."""
    pad_id = pads.create(
        html="<pre>PRE  LINE\n  INDENTED</pre><p>Some text. CKFIVE TYPES HERE.</p>"
    )
    ann = pads.open(pad_id, "contenteditable", "Ann")
    ben = pads.open(pad_id, "ckeditor5", "Ben")
    ann.click(".pp-editor")
    at = server_text(pad_id).index("TYPES")
    ann.evaluate(SELECT, at)
    ann_id = ann.evaluate("() => window.policypad.session.you.clientId")
    mark = f'.pp-remote[data-client-id="{ann_id}"]'
    ben.wait_for_selector(f"{mark} .pp-remote-caret")
    wait_until(lambda: ben.get_attribute(mark, "data-start") == str(at), what="Ann's caret")
    shown_at = ben.evaluate(SHOWN_TEXT).index("TYPES")
    assert shown_at == at - 1  # the pre's newline shows as nothing of its own
    expected = ben.evaluate(RANGE_BOX, shown_at)
    wait_until(
        lambda: abs(ben.evaluate(CARET_BOX, ann_id) - expected) < 1.5, what="the caret drawn"
    )
