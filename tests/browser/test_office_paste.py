"""A Word list pasted for real (the clipboard and Ctrl+V) into a contenteditable, TinyMCE
and WYMeditor becomes a real list in the pad, with its levels, types and start number, and
another user's editor shows it. Left to themselves these editors (and the browser) turn
Word's list paragraphs into paragraphs starting with "1." or "o": the session takes such
a paste over and reads it with the model's parser (client/js/document/office-lists.js)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from policypad.document import Document
from tests.browser.conftest import Pads
from tests.browser.editing import converge, model, paste, server_html, wait_until
from tests.browser.test_paste import BODY, END_OF_FIRST_LINE, FOCUS
from tests.support.images import png
from tests.support.server import ServerProcess

# Word's clipboard: a numbered list with bullet sub-items, a paragraph, the list going on
# at 3, and a second list (see tests/fixtures/office/README.md)
WORD = (Path(__file__).parents[1] / "fixtures" / "office" / "word-continued.html").read_text(
    encoding="utf-8"
)
WORD_TEXT = "Collect the receipts\nhotel\nmeals\nFill in the claim form"
PASTED = (
    "<ol><li>Collect the receipts<ul><li>hotel</li><li>meals</li></ul></li>"
    "<li>Fill in the claim form</li></ol><p>The form is on the intranet.</p>"
    '<ol start="3"><li>Send it to finance</li><li>Wait for the refund</li></ol>'
    "<p>Then:</p><ol><li>Archive the form</li><li>Tell your manager</li></ol>"
)
NUMBER = {"list": "number"}
LINES = [
    ([("First.", {})], {}),
    ([("Collect the receipts", {})], NUMBER),
    ([("hotel", {})], {"list": "bullet", "indent": "2"}),
    ([("meals", {})], {"list": "bullet", "indent": "2"}),
    ([("Fill in the claim form", {})], NUMBER),
    ([("The form is on the intranet.", {})], {}),
    ([("Send it to finance", {})], {"list": "number", "start": "3"}),
    ([("Wait for the refund", {})], NUMBER),
    ([("Then:", {})], {}),
    ([("Archive the form", {})], NUMBER),
    ([("Tell your manager", {})], NUMBER),
    ([("Last.", {})], {}),
]
# the other user watches in another editor
WATCHER = {"contenteditable": "tinymce", "tinymce": "wymeditor", "wymeditor": "contenteditable"}


def _ann_on_a_new_line(pads: Pads, server: ServerProcess, editor: str) -> tuple[str, Any, Any]:
    """A pad "First." / "Last."; Ann in `editor` with her caret on a new line after
    "First.", Ben watching in another editor."""
    pad_id = pads.create(html="<p>First.</p><p>Last.</p>")
    ann = pads.new_page(f"{server.http}/pads/{pad_id}/{editor}?name=Ann&spans=0")
    ben = pads.new_page(f"{server.http}/pads/{pad_id}/{WATCHER[editor]}?name=Ben&spans=0")
    FOCUS[editor](ann)
    ann.evaluate(END_OF_FIRST_LINE)
    ann.keyboard.press("Enter")
    return pad_id, ann, ben


@pytest.mark.parametrize("editor", ["contenteditable", "tinymce", "wymeditor"])
def test_a_pasted_word_list_is_a_real_list_for_everyone(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str], editor: str
) -> None:
    pad_id, ann, ben = _ann_on_a_new_line(pads, server, editor)
    paste(ann, WORD, WORD_TEXT)
    wait_until(lambda: "Tell your manager" in model(ann), what="the paste")
    converge([ann, ben], lambda: server_text(pad_id))

    # the server's model: real lists, their levels, types and start, no Word markers
    html = server_html(server, pad_id)
    assert html == f"<p>First.</p>{PASTED}<p>Last.</p>"
    assert Document.from_html(html).lines() == LINES
    # both editors show those lists
    for page in (ann, ben):
        assert Document.from_html(page.evaluate(BODY)).lines() == LINES

    # the caret is after the pasted lists, and undo takes the paste back in one step
    ann.keyboard.type("Z")
    assert "Tell your managerZ\nLast." in converge([ann, ben], lambda: server_text(pad_id))
    ann.keyboard.press("Control+z")
    converge([ann, ben], lambda: server_text(pad_id))
    ann.keyboard.press("Control+z")
    assert converge([ann, ben], lambda: server_text(pad_id)) == "First.\n\nLast.\n"


def test_other_pastes_stay_the_editors(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    """HTML without Word's list paragraphs is the editor's own paste, as before."""
    pad_id = pads.create(html="<p>First.</p><p>Last.</p>")
    ann = pads.new_page(f"{server.http}/pads/{pad_id}/tinymce?name=Ann&spans=0")
    FOCUS["tinymce"](ann)
    ann.evaluate(END_OF_FIRST_LINE)
    paste(ann, "<p>1. plain <b>bold</b></p>", "1. plain bold")
    wait_until(lambda: "bold" in model(ann), what="the paste")
    assert "1. plain bold" in converge([ann], lambda: server_text(pad_id))
    html = server_html(server, pad_id)
    assert "<strong>bold</strong>" in html and "<ol>" not in html


@pytest.mark.parametrize("editor", ["contenteditable", "tinymce", "wymeditor"])
def test_a_picture_in_a_pasted_word_list_is_stored_for_everyone(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str], editor: str
) -> None:
    """The session's own reading of a Word list paste keeps a pasted picture as any paste
    does: uploaded, the pad holding its URL (never the data), inside its list item."""
    picture = png(30, 12, (200, 60, 30, 255))
    source = f"data:image/png;base64,{base64.b64encode(picture).decode()}"
    word = WORD.replace(
        "Collect the receipts<o:p>",
        f'Collect the receipts <img src="{source}" alt="a receipt"><o:p>',
        1,
    )
    assert word != WORD
    pad_id, ann, ben = _ann_on_a_new_line(pads, server, editor)
    paste(ann, word, WORD_TEXT)
    url = f"/api/pads/{pad_id}/images/{hashlib.sha256(picture).hexdigest()}"
    wait_until(lambda: url in server_html(server, pad_id), what="the picture in the pad")
    converge([ann, ben], shown_too=False)
    html = server_html(server, pad_id)
    assert "data:" not in html
    assert f'<ol><li>Collect the receipts <img src="{url}" alt="a receipt"' in html, html
    assert "<li>Tell your manager</li></ol><p>Last.</p>" in html, html
