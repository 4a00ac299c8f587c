"""WYMeditor 1.0.0-b7 on a pad, in real Chromium windows through the demo page: concurrent
typing, its toolbar (bold, list, heading, link, image, table, table cells) while someone
else types, carets under remote edits, undo of own changes only, offline typing, pasting
Word HTML, and no normalization edits once typing stops (also beside a contenteditable
user whose underline WYMeditor cannot show)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Error as PlaywrightError

from tests.browser import editing
from tests.browser.conftest import ROOT, Pads
from tests.browser.editing import (
    SENTENCE,
    assert_quiet,
    caret,
    converge,
    focus_at,
    server_html,
    type_together,
    wait_until,
)
from tests.support.server import ServerProcess

WYM = "wymeditor"
FRAME = "iframe.pp-wym-frame"

# scripts/setup installs the editors: a missing one is a broken set-up, not a skip
if not (ROOT / "vendor" / "wymeditor" / "jquery.wymeditor.js").is_file():
    raise RuntimeError(
        "WYMeditor is not installed (scripts/setup fetches it into vendor/wymeditor)"
    )


def open_pad(pads: Pads, names: list[str], **content: str) -> tuple[str, list[Any]]:
    return editing.open_pad(pads, WYM, names, **content)


def click_text(page: Any, selector: str, text: str) -> None:
    """Click the block of the editor (in its iframe) holding `text`, then go to its end."""
    page.frame_locator(FRAME).locator(selector, has_text=text).first.click()
    page.keyboard.press("End")


def tool(page: Any, name: str) -> None:
    """Click one of WYMeditor's toolbar buttons (`wym_tools_{name}`)."""
    page.click(f".wym_tools_{name} a")


def open_dialog(pads: Pads, page: Any, name: str) -> Any:
    """Click the toolbar button that opens one of WYMeditor's dialogs (a popup window)."""
    with page.expect_popup() as opened:
        tool(page, name)
    dialog = opened.value
    dialog.on("pageerror", lambda error: pads.errors.append(f"{name} dialog: {error}"))
    return dialog


def submit(dialog: Any) -> None:
    """Press a dialog's Submit. WYMeditor closes the dialog's window in the click's own
    handler, which can end the page before Playwright hears that the click is done; a
    closed dialog was submitted (nothing else closes it)."""
    try:
        dialog.click(".wym_submit")
    except PlaywrightError:
        if not dialog.is_closed():
            raise


def test_three_people_type_in_one_paragraph(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    pad_id, pages = editing.three_people_type_in_one_paragraph(pads, WYM, focus_at, server_text)
    # two of them at the same place: each one's keys in order, none lost or doubled
    for page in pages[:2]:
        focus_at(page, 4)
    type_together(pages[:2], ["abcdef", "ABCDEF"])
    text = converge(pages, lambda: server_text(pad_id))
    inserted = text[4 : 4 + 12]
    assert text == (
        f"The {inserted}1111111111quick brown 2222222222fox jumps over the lazy dog.3333333333"
        "\nA second line.\n"
    )
    assert "".join(c for c in inserted if c.islower()) == "abcdef"
    assert "".join(c for c in inserted if c.isupper()) == "ABCDEF"
    assert_quiet(server, pad_id)


def test_toolbar_formatting_while_another_types(pads: Pads, server: ServerProcess) -> None:
    pad_id, (ann, ben) = open_pad(
        pads,
        ["Ann", "Ben"],
        html=(
            "<p>alpha beta gamma</p><p>list item</p><p>heading text</p><p>link here</p>"
            "<table><tr><td>cell one</td><td>cell two</td></tr></table><p>Ben types here</p>"
        ),
    )
    click_text(ben, "p", "Ben types here")
    typed = iter("-now-and-then-and-again-and-on")

    def ben_types() -> None:
        for _ in range(3):
            key = next(typed, None)
            if key is not None:
                ben.keyboard.type(key)

    # bold from the toolbar, on a selection
    click_text(ann, "p", "alpha beta gamma")
    for _ in range(len(" gamma")):
        ann.keyboard.press("ArrowLeft")
    for _ in range(len("beta")):
        ann.keyboard.press("Shift+ArrowLeft")
    ben_types()
    tool(ann, "strong")
    ben_types()
    # a bulleted list
    click_text(ann, "p", "list item")
    tool(ann, "unordered_list")
    ben_types()
    # a heading, from the containers menu (it opens on hover)
    click_text(ann, "p", "heading text")
    ann.hover(".wym_containers h2")
    ann.click(".wym_containers_h2 a")
    ben_types()
    # a link, from its dialog (a popup window)
    click_text(ann, "p", "link here")
    for _ in range(len(" here")):
        ann.keyboard.press("ArrowLeft")
    for _ in range(len("link")):
        ann.keyboard.press("Shift+ArrowLeft")
    dialog = open_dialog(pads, ann, "link")
    dialog.fill(".wym_href", "https://example.org/policy")
    ben_types()
    submit(dialog)
    # a table cell
    click_text(ann, "td", "cell two")
    ann.keyboard.type(" edited")
    ben_types()
    # an image, and a new table after the list, from their dialogs
    click_text(ann, "p", "alpha")
    dialog = open_dialog(pads, ann, "image")
    dialog.fill(".wym_src", "https://example.org/logo.png")
    dialog.fill(".wym_alt", "Logo")
    ben_types()
    submit(dialog)
    click_text(ann, "li", "list item")
    dialog = open_dialog(pads, ann, "table")
    dialog.fill(".wym_rows", "1")
    dialog.fill(".wym_cols", "2")
    ben_types()
    submit(dialog)
    for key in typed:
        ben.keyboard.type(key)
    # (the server's text shows the image by its alt text: compare the HTML)
    converge([ann, ben])
    assert server_html(server, pad_id) == (
        '<p>alpha <strong>beta</strong> gamma<img src="https://example.org/logo.png" alt="Logo">'
        "</p><ul><li>list item</li></ul>"
        "<table><tbody><tr><td><p><br></p></td><td><p><br></p></td></tr></tbody></table>"
        '<h2>heading text</h2><p><a href="https://example.org/policy">link</a> here</p>'
        "<table><tbody><tr><td><p>cell one</p></td><td><p>cell two edited</p></td></tr>"
        "</tbody></table>"
        "<p>Ben types here-now-and-then-and-again-and-on</p>"
    )
    assert ben.frame_locator(FRAME).locator("strong", has_text="beta").count() == 1
    assert ben.frame_locator(FRAME).locator("h2", has_text="heading text").count() == 1
    assert ben.frame_locator(FRAME).locator("a[href='https://example.org/policy']").count() == 1
    assert ben.frame_locator(FRAME).locator("img[alt=Logo]").count() == 1
    assert_quiet(server, pad_id)


# How far the drawn remote caret is from the left edge of the first glyph of `word` in the
# editor's iframe, in page pixels (the layer must add the iframe's own offset).
DRAWN_CARET_OFFSET = """(word) => {
  const frame = document.querySelector('iframe.pp-wym-frame');
  const doc = frame.contentDocument;
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
  let node = walker.nextNode();
  while (node !== null && !node.data.includes(word)) node = walker.nextNode();
  const range = doc.createRange();
  const at = node.data.indexOf(word);
  range.setStart(node, at);
  range.setEnd(node, at + 1);
  const glyph = range.getClientRects()[0];
  const box = frame.getBoundingClientRect();
  const bar = document.querySelector('.pp-remote .pp-remote-caret').getBoundingClientRect();
  return {
    x: bar.left + bar.width / 2 - (box.left + frame.clientLeft + glyph.left),
    y: bar.top - (box.top + frame.clientTop + glyph.top),
  };
}"""


def test_caret_stays_in_place_under_remote_edits(
    pads: Pads, server_text: Callable[[str], str]
) -> None:
    pad_id, (ann, ben) = open_pad(pads, ["Ann", "Ben"])
    focus_at(ann, 20)  # "The quick brown fox |jumps"
    focus_at(ben, 4)
    ben.keyboard.type("very ")
    ben.keyboard.press("ArrowDown")
    ben.keyboard.type("more ")
    converge([ann, ben])
    assert caret(ann) == {"start": 25, "end": 25}
    # Ben sees Ann's caret drawn over his editor's iframe, at the "j" of "jumps"
    mark = ".pp-remote .pp-remote-caret"
    ben.wait_for_selector(mark)
    wait_until(lambda: ben.get_attribute(".pp-remote", "data-start") == "25", what="Ann's caret")
    offset = ben.evaluate(DRAWN_CARET_OFFSET, "jumps")
    assert abs(offset["x"]) <= 2 and abs(offset["y"]) <= 4, offset
    ann.keyboard.type("X")
    ben.keyboard.press("Control+Home")
    ben.keyboard.type(">> ")
    converge([ann, ben])
    ann.keyboard.type("Y")
    text = converge([ann, ben], lambda: server_text(pad_id))
    assert text.split("\n")[0] == ">> The very quick brown fox XYjumps over the lazy dog."
    assert "more" in text.split("\n")[1]


def test_undo_takes_back_only_my_own_changes(pads: Pads, server_text: Callable[[str], str]) -> None:
    pad_id, (ann, ben) = open_pad(pads, ["Ann", "Ben"])
    focus_at(ann, 9)  # "The quick| brown"
    focus_at(ben, 0)
    type_together([ann, ben], ["-ann", "ben "])
    assert converge([ann, ben]).startswith("ben The quick-ann brown")
    # the keys, then the toolbar button: one step per keystroke, only Ann's (the browser's
    # native undo, which the button would run, takes back a whole run of typing at once)
    ann.keyboard.press("Control+z")
    ann.keyboard.press("Control+z")
    tool(ann, "undo")
    text = converge([ann, ben])
    assert text.split("\n")[0] == "ben The quick- brown fox jumps over the lazy dog."
    tool(ann, "undo")
    text = converge([ann, ben], lambda: server_text(pad_id))
    assert text == f"ben {SENTENCE}\nA second line.\n"
    # redo: Ctrl+Y, Ctrl+Shift+Z and the toolbar button
    ann.keyboard.press("Control+y")
    ann.keyboard.press("Control+Shift+z")
    tool(ann, "redo")
    text = converge([ann, ben], lambda: server_text(pad_id))
    assert text.split("\n")[0] == "ben The quick-an brown fox jumps over the lazy dog."
    # Ben's undo takes back only his own; a bold from the toolbar is undone as one step
    ben.keyboard.press("Control+z")
    converge([ann, ben])
    focus_at(ann, 0)
    for _ in range(3):
        ann.keyboard.press("Shift+ArrowRight")
    tool(ann, "strong")
    converge([ann, ben])
    assert ben.frame_locator(FRAME).locator("strong").count() == 1
    ann.keyboard.press("Control+z")
    text = converge([ann, ben], lambda: server_text(pad_id))
    assert text.split("\n")[0] == "benThe quick-an brown fox jumps over the lazy dog."
    assert ben.frame_locator(FRAME).locator("strong").count() == 0


def test_typing_offline_is_delivered_once_after_reconnecting(
    pads: Pads, server_text: Callable[[str], str]
) -> None:
    # WYMeditor's keystrokes may reach the session together: one change at least
    editing.typing_offline_is_delivered_once(pads, WYM, focus_at, server_text, min_unsaved=1)


def test_paste_of_word_html(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    # the caret goes to the end of "First." by a click on it (and End)
    editing.paste_of_word_html(
        pads, server, WYM, lambda page, _: click_text(page, "p", "First."), server_text
    )


def test_no_normalization_edits_beside_a_contenteditable_with_underline(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    pad_id = pads.create(html="<p>plain <u>underlined</u> text</p><p>second line</p>")
    ann = pads.open(pad_id, WYM, "Ann")
    ben = pads.open(pad_id, "contenteditable", "Ben")
    # Ben underlines more (WYMeditor has no underline); Ann types and bolds beside it
    ben.click(".pp-editor")
    ben.keyboard.press("Control+End")
    for _ in range(len("line")):
        ben.keyboard.press("Shift+ArrowLeft")
    ben.keyboard.press("Control+u")
    click_text(ann, "p", "plain underlined text")
    ann.keyboard.type(" typed")
    for _ in range(len("typed")):
        ann.keyboard.press("Shift+ArrowLeft")
    tool(ann, "strong")
    converge([ann, ben], lambda: server_text(pad_id))
    expected = "<p>plain <u>underlined</u> text <strong>typed</strong></p><p>second <u>line</u></p>"
    assert server_html(server, pad_id) == expected
    assert_quiet(server, pad_id)
    # another round of typing in WYMeditor, and it stays quiet with the underline kept
    ann.keyboard.press("End")
    ann.keyboard.type("!")
    converge([ann, ben], lambda: server_text(pad_id))
    assert_quiet(server, pad_id)
    assert server_html(server, pad_id) == expected.replace("</strong></p>", "!</strong></p>")


def test_enter_after_a_heading_makes_a_paragraph(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    """Enter at the end of a heading: Chromium makes a div there by default, which
    WYMeditor's keyup handler turns into a paragraph and then reads as if it were still
    there (a TypeError on every such Enter). The adapter asks for paragraphs instead."""
    pad_id, (ann, ben) = open_pad(pads, ["Ann", "Ben"], html="<h5>Five</h5><p>After.</p>")
    click_text(ann, "h5", "Five")
    ann.keyboard.press("Enter")
    ann.keyboard.type("new line")
    converge([ann, ben], lambda: server_text(pad_id))
    assert server_html(server, pad_id) == "<h5>Five</h5><p>new line</p><p>After.</p>"
