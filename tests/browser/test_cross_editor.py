"""Across editors: a WYMeditor, a TinyMCE, a CKEditor 4, a CKEditor 5 and a contenteditable
user on one pad type, delete, split lines, move the caret and use a toolbar button at the
same time (seeded random keys, in turns), then all end with the server's document (the
model's text and attributes, and the HTML it renders) and no normalization edits follow."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.browser.conftest import ROOT, Pads
from tests.browser.editing import QUIET_SECONDS, converge, head_rev, server_html
from tests.support.server import ServerProcess

# scripts/setup installs the editors: a missing one is a broken set-up, not a skip
if not all(
    (ROOT / path).exists()
    for path in (
        "vendor/wymeditor/jquery.wymeditor.js",
        "node_modules/tinymce",
        "node_modules/ckeditor4",
        "node_modules/ckeditor5",
    )
):
    raise RuntimeError("an editor is not installed (scripts/setup installs them)")

START = (
    "<h1>Policy title</h1><h2>Scope and purpose</h2>"
    "<p>This policy covers <strong>every</strong> office and <em>each</em> remote worker.</p>"
    "<ul><li>first rule of the list</li><li>second rule</li></ul>"
    '<p>See <a href="https://example.org/terms">the terms</a> for more details.</p>'
    "<p>Last paragraph of the policy.</p>"
)
WORDS = ("alpha", "beta", "gamma", "delta", "omega", "rule", "staff", "we")
MOVES = ("ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown")
ROUNDS = 24

# The model as lines: each line's runs (text, attributes by name) and its block attributes,
# so pages whose pools number attributes differently compare equal.
MODEL_LINES = """async () => {
  const {Document} = await import('/static/client/js/document.js');
  const ot = window.policypad.session.connection.ot;
  return JSON.stringify(Document.fromAText(ot.atext, ot.pool).toLines());
}"""
MODEL_HTML = """async () => {
  const {Document} = await import('/static/client/js/document.js');
  const ot = window.policypad.session.connection.ot;
  return Document.fromAText(ot.atext, ot.pool).toHTML();
}"""


@dataclass(frozen=True)
class Editor:
    """One editor as a person uses it: where to click into it and its bold button."""

    key: str
    focus: Callable[[Any], None]
    bold: Callable[[Any], None]


def click_frame(frame: str) -> Callable[[Any], None]:
    return lambda page: page.frame_locator(frame).locator("body > *").first.click()


EDITORS = (
    Editor(
        "wymeditor",
        click_frame("iframe.pp-wym-frame"),
        lambda page: page.click(".wym_tools_strong a"),
    ),
    Editor(
        "tinymce",
        click_frame("iframe.tox-edit-area__iframe"),
        lambda page: page.click('.tox-toolbar__group button[aria-label="Bold"]'),
    ),
    Editor(
        "ckeditor4",
        click_frame("iframe.cke_wysiwyg_frame"),
        lambda page: page.click("a.cke_button__bold"),
    ),
    Editor(
        "ckeditor5",
        lambda page: page.click(".ck-editor__editable"),
        lambda page: page.click('.ck-toolbar button[data-cke-tooltip-text^="Bold"]'),
    ),
    Editor(
        "contenteditable",
        lambda page: page.click(".pp-editor"),
        lambda page: page.keyboard.press("Control+b"),
    ),
)


def random_action(chooser: random.Random, editor: Editor, page: Any) -> None:
    """One thing a person does: type a word (now and then in bold, switched on and off with
    the toolbar at the caret), delete, split a line or move the caret."""
    roll = chooser.random()
    if roll < 0.07:
        editor.bold(page)
        page.keyboard.type(chooser.choice(WORDS))
        editor.bold(page)
        page.keyboard.type(" ")
    elif roll < 0.45:
        page.keyboard.type(chooser.choice(WORDS) + " ")
    elif roll < 0.6:
        for _ in range(chooser.randint(1, 3)):
            page.keyboard.press("Backspace")
    elif roll < 0.68:
        page.keyboard.press("Enter")
    else:
        for _ in range(chooser.randint(1, 4)):
            page.keyboard.press(chooser.choice(MOVES))


def bold_last_word(editor: Editor, page: Any) -> None:
    """Type a word, select it with the keyboard and make it bold with the toolbar."""
    page.keyboard.type(" bold")
    for _ in range(len("bold")):
        page.keyboard.press("Shift+ArrowLeft")
    editor.bold(page)
    page.keyboard.press("End")


def collect_errors(errors: list[str], key: str) -> Callable[[Any], None]:
    """A console listener that keeps the page's console errors in `errors`."""

    def listen(message: Any) -> None:
        if message.type == "error":
            errors.append(f"{key}: {message.text}")

    return listen


@pytest.mark.parametrize("seed", [1, 2])
def test_five_editors_edit_one_pad_and_end_with_one_document(
    pads: Pads, server: ServerProcess, seed: int
) -> None:
    pad_id = pads.create(html=START)
    pages = [pads.open(pad_id, editor.key, editor.key) for editor in EDITORS]
    console_errors: list[str] = []
    for editor, page in zip(EDITORS, pages, strict=True):
        page.on("console", collect_errors(console_errors, editor.key))
    chooser = random.Random(seed)
    for editor, page in zip(EDITORS, pages, strict=True):
        editor.focus(page)
        page.keyboard.press("Control+Home")
        for _ in range(chooser.randint(0, 6)):
            page.keyboard.press("ArrowDown")
    for round_number in range(ROUNDS):
        for editor, page in zip(EDITORS, pages, strict=True):
            if round_number == ROUNDS // 2:
                bold_last_word(editor, page)
            else:
                random_action(chooser, editor, page)

    def server_text() -> str:
        response = httpx.get(f"{server.http}/api/pads/{pad_id}/content?format=text")
        return str(response.json()["text"])

    text = converge(pages, server_text, shown_too=False)
    settled_at, settled_rev = time.monotonic(), head_rev(server, pad_id)
    assert pads.errors == [] and console_errors == [], pads.errors + console_errors
    # one model: text and attributes, and the HTML it renders is the server's
    models = {
        editor.key: page.evaluate(MODEL_LINES) for editor, page in zip(EDITORS, pages, strict=True)
    }
    assert len(set(models.values())) == 1, models
    lines = json.loads(models["tinymce"])
    assert (
        "".join("".join(run[0] for run in runs) + "\n" for runs, _ in lines).replace("\u00a0", " ")
        == text
    )
    html = server_html(server, pad_id)
    for editor, page in zip(EDITORS, pages, strict=True):
        assert page.evaluate(MODEL_HTML) == html, editor.key
    assert "<strong>" in html and "<h1>" in html and "<li>" in html
    # and quiet: no editor answers the model's HTML with normalization edits
    time.sleep(max(0.0, settled_at + QUIET_SECONDS - time.monotonic()))
    assert head_rev(server, pad_id) == settled_rev
    revs = {page.evaluate("() => window.policypad.session.connection.ot.rev") for page in pages}
    assert revs == {settled_rev}
