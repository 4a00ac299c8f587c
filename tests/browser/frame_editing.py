"""What the TinyMCE and CKEditor 4 browser tests share: both edit in an iframe's body, so
the same scenarios run against either; each test module supplies its editor's toolbar.

The scenarios are the issue's list: two and three people typing into one paragraph, the
caret under remote edits, undo of one's own changes (toolbar button and keys), typing
offline, paste of Word HTML, and no normalization edits once everyone stops."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from tests.browser.conftest import Pads
from tests.browser.editing import caret, converge, model, type_together, wait_until
from tests.support.server import ServerProcess

SENTENCE = "The quick brown fox jumps over the lazy dog."
QUIET_SECONDS = 2.0
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


def head_rev(server: ServerProcess, pad_id: str) -> int:
    return int(httpx.get(f"{server.http}/api/pads/{pad_id}").json()["rev"])


def server_html(server: ServerProcess, pad_id: str) -> str:
    return str(httpx.get(f"{server.http}/api/pads/{pad_id}/content").json()["html"])


def assert_quiet(server: ServerProcess, pad_id: str) -> None:
    """No revision reaches the server in the QUIET_SECONDS after typing settled: the editor
    does not answer the model's HTML with normalization edits."""
    before = head_rev(server, pad_id)
    time.sleep(QUIET_SECONDS)
    assert head_rev(server, pad_id) == before


def body_html(page: Any) -> str:
    return str(page.evaluate(BODY_HTML))


def click_into(page: Any, toolbar: Toolbar, selector: str = "body > *", text: str = "") -> None:
    """Click a block of the editor's body (the first, or the first holding `text`)."""
    blocks = page.frame_locator(toolbar.frame).locator(selector)
    (blocks.filter(has_text=text) if text else blocks).first.click()


def caret_to(page: Any, toolbar: Toolbar, line: int, column: int) -> None:
    """Put the caret at `column` of line `line` (0-based), with the keyboard."""
    click_into(page, toolbar)
    page.keyboard.press("Control+Home")
    for _ in range(line):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Home")
    for _ in range(column):
        page.keyboard.press("ArrowRight")


def select_right(page: Any, count: int) -> None:
    for _ in range(count):
        page.keyboard.press("Shift+ArrowRight")


def open_pad(pads: Pads, toolbar: Toolbar, names: list[str], **content: str) -> tuple[str, list]:
    pad_id = pads.create(**(content or {"text": f"{SENTENCE}\nA second line."}))
    return pad_id, [pads.open(pad_id, toolbar.editor, name) for name in names]


# -- scenarios ------------------------------------------------------------------------------


def three_people_type_in_one_paragraph(
    pads: Pads, toolbar: Toolbar, server_text: Callable[[str], str]
) -> None:
    pad_id, pages = open_pad(pads, toolbar, ["Ann", "Ben", "Cid"])
    for page, offset in zip(pages, [4, 16, len(SENTENCE)], strict=True):
        caret_to(page, toolbar, 0, offset)
    type_together(pages, ["1" * 10, "2" * 10, "3" * 10])
    text = converge(pages, lambda: server_text(pad_id))
    assert text == (
        "The 1111111111quick brown 2222222222fox jumps over the lazy dog.3333333333"
        "\nA second line.\n"
    )
    # each caret is still right after what its owner typed
    expected = [4 + 10, 16 + 20, len(SENTENCE) + 30]
    assert [caret(page) for page in pages] == [{"start": e, "end": e} for e in expected]


def two_people_type_at_the_same_place(
    pads: Pads, toolbar: Toolbar, server_text: Callable[[str], str]
) -> None:
    pad_id, pages = open_pad(pads, toolbar, ["Ann", "Ben"])
    for page in pages:
        caret_to(page, toolbar, 0, 10)  # "The quick |brown"
    type_together(pages, ["abcdefghij", "ABCDEFGHIJ"])
    first_line = converge(pages, lambda: server_text(pad_id)).split("\n")[0]
    inserted = first_line[10:30]
    assert first_line == SENTENCE[:10] + inserted + SENTENCE[10:]
    # each one's keys in their own order, none lost or doubled
    assert "".join(c for c in inserted if c.islower()) == "abcdefghij"
    assert "".join(c for c in inserted if c.isupper()) == "ABCDEFGHIJ"


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
    pad_id, (ann, ben) = open_pad(pads, toolbar, ["Ann", "Ben"])
    caret_to(ann, toolbar, 0, 4)
    caret_to(ben, toolbar, 0, len(SENTENCE))
    # Ann's network goes away: new connections fail, and the open one is dropped
    ann.context.set_offline(True)
    ann.evaluate("() => window.policypad.session.connection.dropConnection()")
    wait_until(lambda: ann.get_attribute("#status", "data-status") == "offline")
    ann.keyboard.type("OFFLINE ")
    ben.keyboard.type(" online")
    wait_until(lambda: int(ann.get_attribute("#status", "data-unsaved") or 0) >= 8)
    assert model(ben).startswith(SENTENCE + " online")
    ann.context.set_offline(False)
    text = converge([ann, ben], lambda: server_text(pad_id))
    assert text == "The OFFLINE quick brown fox jumps over the lazy dog. online\nA second line.\n"
    assert ann.inner_text("#status") == "All changes saved"
    # the session goes on where Ann's caret was
    ann.keyboard.type("again ")
    assert converge([ann, ben], lambda: server_text(pad_id)).startswith("The OFFLINE again quick")


WORD_HTML = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w="urn:schemas-microsoft-com:office:word"><head><meta charset="utf-8">'
    "<style>p.MsoNormal { margin: 0cm; font-family: Calibri; }</style></head><body>"
    "<!--StartFragment-->"
    '<p class="MsoNormal"><b><span style="font-family:Calibri">Pasted bold</span></b>'
    '<span style="mso-spacerun:yes"> </span>and plain<o:p></o:p></p>'
    '<p class="MsoNormal"><i>An italic line</i><o:p></o:p></p>'
    "<!--EndFragment--></body></html>"
)
WORD_TEXT = "Pasted bold and plain\nAn italic line"


def paste_of_word_html(
    pads: Pads, server: ServerProcess, toolbar: Toolbar, server_text: Callable[[str], str]
) -> None:
    pad_id, (ann, ben) = open_pad(pads, toolbar, ["Ann", "Ben"], html="<p>First.</p><p>Last.</p>")
    ann.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.http)
    caret_to(ann, toolbar, 0, len("First."))
    ann.keyboard.press("Enter")
    ann.evaluate(
        """async ([html, text]) => {
          const item = new ClipboardItem({
            'text/html': new Blob([html], {type: 'text/html'}),
            'text/plain': new Blob([text], {type: 'text/plain'}),
          });
          await navigator.clipboard.write([item]);
        }""",
        [WORD_HTML, WORD_TEXT],
    )
    ann.keyboard.press("Control+v")
    wait_until(lambda: "An italic line" in model(ann), what="the paste")
    text = converge([ann, ben], lambda: server_text(pad_id))
    assert text == "First.\nPasted bold and plain\nAn italic line\nLast.\n"
    html = server_html(server, pad_id)
    assert "<strong>Pasted bold</strong>" in html
    assert "<em>An italic line</em>" in html
    assert "Mso" not in html and "style" not in html and "o:p" not in html
    assert "<strong>Pasted bold</strong>" in body_html(ben)
    assert_quiet(server, pad_id)


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
