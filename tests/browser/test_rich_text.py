"""Formatting in the contenteditable while someone else types, checked in real Chromium:
bold with Ctrl+B, a list, a heading and a link (document.execCommand, as a toolbar would),
and what the other window and the server end up with."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx

from tests.browser.conftest import Pads
from tests.browser.editing import caret_to, converge, editor_html, select_right
from tests.support.server import ServerProcess

START = (
    "<p>alpha beta gamma</p><p>list item</p><p>heading text</p><p>link here</p>"
    "<p>Ben types here</p>"
)


def without_authors(html: str) -> str:
    return re.sub(r'<span data-author="[^"]*">(.*?)</span>', r"\1", html)


def test_formatting_while_another_types(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    pad_id = pads.create(html=START)
    ann = pads.open(pad_id, "contenteditable", "Ann")
    ben = pads.open(pad_id, "contenteditable", "Ben")
    caret_to(ben, 4, len("Ben types here"))
    typed = iter("-now-and-then")

    def ben_types() -> None:
        for _ in range(3):
            key = next(typed, None)
            if key is not None:
                ben.keyboard.type(key)

    # bold with the keyboard
    caret_to(ann, 0, len("alpha "))
    select_right(ann, len("beta"))
    ben_types()
    ann.keyboard.press("Control+b")
    ben_types()
    # a list, a heading, a link: the commands a toolbar would run
    caret_to(ann, 1, 2)
    ann.evaluate("() => document.execCommand('insertUnorderedList')")
    ben_types()
    caret_to(ann, 2, 2)
    ann.evaluate("() => document.execCommand('formatBlock', false, 'h2')")
    ben_types()
    caret_to(ann, 3, 0)
    select_right(ann, len("link"))
    ann.evaluate("() => document.execCommand('createLink', false, 'https://example.org/')")
    ben_types()
    for key in typed:
        ben.keyboard.type(key)
    converge([ann, ben], lambda: server_text(pad_id))
    html = httpx.get(f"{server.http}/api/pads/{pad_id}/content").json()["html"]
    assert html == (
        "<p>alpha <strong>beta</strong> gamma</p><ul><li>list item</li></ul>"
        '<h2>heading text</h2><p><a href="https://example.org/">link</a> here</p>'
        "<p>Ben types here-now-and-then</p>"
    )
    # both windows show that document (the editor holds span data-author for the colors)
    assert without_authors(editor_html(ann)) == without_authors(editor_html(ben))
    assert "<strong>beta</strong>" in without_authors(editor_html(ben))
    # Ann's undo takes back her own formatting, newest first, and leaves Ben's typing
    for _ in range(4):
        ann.keyboard.press("Control+z")
    converge([ann, ben], lambda: server_text(pad_id))
    html = httpx.get(f"{server.http}/api/pads/{pad_id}/content").json()["html"]
    assert html == (
        "<p>alpha beta gamma</p><p>list item</p><p>heading text</p><p>link here</p>"
        "<p>Ben types here-now-and-then</p>"
    )
