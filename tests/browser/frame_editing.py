"""What the TinyMCE and CKEditor 4 browser tests share: both edit in an iframe's body, so
the same scenarios run against either; each test module supplies its editor's toolbar.

The scenarios are the issue's list: two and three people typing into one paragraph, the
caret under remote edits, undo of one's own changes (toolbar button and keys), typing
offline, paste of Word HTML, and no normalization edits once everyone stops."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.browser import editing
from tests.browser.conftest import Pads
from tests.browser.editing import (
    SENTENCE,
    assert_quiet,
    caret,
    converge,
    model,
    select_right,
    server_html,
    type_together,
    wait_until,
)
from tests.support.server import ServerProcess

# what a page holds: the editor's body (window.policypad.adapter.element follows it)
BODY_HTML = "() => window.policypad.adapter.element.innerHTML"


@dataclass(frozen=True)
class Toolbar:
    """One editor as a person uses it: its iframe, and its toolbar's buttons."""

    editor: str
    frame: str
    undo: Callable[[Any], None]
    bold: Callable[[Any], None]
    bullets: Callable[[Any], None]
    heading: Callable[[Any, int], None]
    link: Callable[[Any, str], None]


def body_html(page: Any) -> str:
    return str(page.evaluate(BODY_HTML))


def click_into(page: Any, toolbar: Toolbar, selector: str = "body > *", text: str = "") -> None:
    """Click a block of the editor's body (the first, or the first holding `text`)."""
    blocks = page.frame_locator(toolbar.frame).locator(selector)
    (blocks.filter(has_text=text) if text else blocks).first.click()


def caret_to(page: Any, toolbar: Toolbar, line: int, column: int) -> None:
    """Put the caret at `column` of line `line` (0-based), with the keyboard."""
    editing.caret_to(page, line, column, lambda page: click_into(page, toolbar))


def open_pad(pads: Pads, toolbar: Toolbar, names: list[str], **content: str) -> tuple[str, list]:
    return editing.open_pad(pads, toolbar.editor, names, **content)


# -- scenarios ------------------------------------------------------------------------------


def place_in(toolbar: Toolbar) -> Callable[[Any, int], None]:
    """Put a caret `offset` characters into the first line of the editor, with the keyboard."""
    return lambda page, offset: caret_to(page, toolbar, 0, offset)


def three_people_type_in_one_paragraph(
    pads: Pads, toolbar: Toolbar, server_text: Callable[[str], str]
) -> None:
    editing.three_people_type_in_one_paragraph(pads, toolbar.editor, place_in(toolbar), server_text)


def two_people_type_at_the_same_place(
    pads: Pads, toolbar: Toolbar, server_text: Callable[[str], str]
) -> None:
    editing.two_people_type_at_the_same_place(pads, toolbar.editor, place_in(toolbar), server_text)


def caret_stays_in_place_under_remote_edits(
    pads: Pads, toolbar: Toolbar, server_text: Callable[[str], str]
) -> None:
    pad_id, (ann, ben) = open_pad(pads, toolbar, ["Ann", "Ben"])
    caret_to(ann, toolbar, 0, 20)  # "The quick brown fox |jumps"
    # Ben edits before Ann's caret in her paragraph, and in the next one
    caret_to(ben, toolbar, 0, 4)
    ben.keyboard.type("very ")
    ben.keyboard.press("ArrowDown")
    ben.keyboard.type("more ")
    converge([ann, ben])
    assert caret(ann) == {"start": 25, "end": 25}
    ann.keyboard.type("X")
    ben.keyboard.press("Control+Home")
    ben.keyboard.type(">> ")
    converge([ann, ben])
    assert caret(ann) == {"start": 29, "end": 29}
    ann.keyboard.type("Y")
    text = converge([ann, ben], lambda: server_text(pad_id))
    assert text.split("\n")[0] == ">> The very quick brown fox XYjumps over the lazy dog."
    assert "more" in text.split("\n")[1]


def undo_takes_back_only_own_changes(
    pads: Pads, toolbar: Toolbar, server_text: Callable[[str], str]
) -> None:
    pad_id, (ann, ben) = open_pad(pads, toolbar, ["Ann", "Ben"])
    caret_to(ann, toolbar, 0, 9)  # "The quick| brown"
    caret_to(ben, toolbar, 0, 0)
    type_together([ann, ben], ["-ann", "ben "])
    assert converge([ann, ben]).startswith("ben The quick-ann brown")
    # one step per keystroke: two with the toolbar's button, two with the keys
    toolbar.undo(ann)
    toolbar.undo(ann)
    wait_until(lambda: model(ann).startswith("ben The quick-a brown"), what="two undone")
    ann.keyboard.press("Control+z")
    ann.keyboard.press("Control+z")
    text = converge([ann, ben], lambda: server_text(pad_id))
    assert text == f"ben {SENTENCE}\nA second line.\n"
    # redo brings Ann's first keystroke back; Ben's undo takes back only his own
    ann.keyboard.press("Control+y")
    converge([ann, ben])
    ben.keyboard.press("Control+z")
    text = converge([ann, ben], lambda: server_text(pad_id))
    assert text.split("\n")[0] == "benThe quick- brown fox jumps over the lazy dog."
    # and typing goes on at each caret
    type_together([ann, ben], ["+", "!"])
    text = converge([ann, ben], lambda: server_text(pad_id))
    assert text.split("\n")[0] == "ben!The quick-+ brown fox jumps over the lazy dog."


def typing_offline_is_delivered_once(
    pads: Pads, toolbar: Toolbar, server_text: Callable[[str], str]
) -> None:
    editing.typing_offline_is_delivered_once(pads, toolbar.editor, place_in(toolbar), server_text)


def paste_of_word_html(
    pads: Pads, server: ServerProcess, toolbar: Toolbar, server_text: Callable[[str], str]
) -> None:
    _, (_, ben) = editing.paste_of_word_html(
        pads, server, toolbar.editor, place_in(toolbar), server_text
    )
    assert "<strong>Pasted bold</strong>" in body_html(ben)


FORMATTING_START = (
    "<p>alpha beta gamma</p><p>list item</p><p>heading text</p><p>link here</p>"
    "<table><tbody><tr><td>cell one</td><td>cell two</td></tr></tbody></table>"
    "<p>Ben types here</p>"
)


def formatting_while_another_types(
    pads: Pads, server: ServerProcess, toolbar: Toolbar, server_text: Callable[[str], str]
) -> None:
    pad_id, (ann, ben) = open_pad(pads, toolbar, ["Ann", "Ben"], html=FORMATTING_START)
    click_into(ben, toolbar, "p", "Ben types here")
    ben.keyboard.press("End")
    typed = iter("-now-and-then-again")

    def ben_types() -> None:
        for _ in range(3):
            key = next(typed, None)
            if key is not None:
                ben.keyboard.type(key)

    caret_to(ann, toolbar, 0, len("alpha "))
    select_right(ann, len("beta"))
    ben_types()
    toolbar.bold(ann)
    ben_types()
    caret_to(ann, toolbar, 1, 2)
    toolbar.bullets(ann)
    ben_types()
    caret_to(ann, toolbar, 2, 2)
    toolbar.heading(ann, 2)
    ben_types()
    caret_to(ann, toolbar, 3, 0)
    select_right(ann, len("link"))
    toolbar.link(ann, "https://example.org/")
    ben_types()
    click_into(ann, toolbar, "td", "cell two")
    ann.keyboard.press("End")
    ann.keyboard.type(" edited")
    for key in typed:
        ben.keyboard.type(key)
    text = converge([ann, ben], lambda: server_text(pad_id))
    assert text == (
        "alpha beta gamma\nlist item\nheading text\nlink here\ncell one\ncell two edited\n"
        "Ben types here-now-and-then-again\n"
    )
    html = server_html(server, pad_id)
    assert html.startswith(
        "<p>alpha <strong>beta</strong> gamma</p><ul><li>list item</li></ul>"
        '<h2>heading text</h2><p><a href="https://example.org/">link</a> here</p><table>'
    ), html
    assert "cell two edited</td>" in html or "cell two edited</p>" in html
    assert html.endswith("<p>Ben types here-now-and-then-again</p>")
    # Ben's editor shows Ann's formatting
    shown = body_html(ben)
    assert "<strong" in shown and "<h2" in shown and "<ul" in shown and "example.org" in shown
    assert_quiet(server, pad_id)
