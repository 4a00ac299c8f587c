"""Helpers that drive the demo's pad page like a person and read what it shows, and the
scenarios every editor's tests run (typing together, typing offline, pasting Word HTML),
each given a function that puts a caret into that editor."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx

from tests.browser.conftest import Pads
from tests.support.server import ServerProcess

EDITORS = ("textarea", "contenteditable")
SENTENCE = "The quick brown fox jumps over the lazy dog."
QUIET_SECONDS = 2.0

# What the editor shows, as model text (a "\n" after each line). The contenteditable is
# read the way the model reads it (its parser), so headings and lists count as lines.
SHOWN = """() => {
  const {editor, element, adapter} = window.policypad;
  const text = editor === 'textarea' ? element.value + '\\n' : adapter.read().text;
  return text.replaceAll('\\u00a0', ' ');
}"""
MODEL = "() => window.policypad.session.connection.ot.atext.text.replaceAll('\\u00a0', ' ')"
SETTLED = """() => {
  const {session} = window.policypad;
  const ot = session.connection.ot;
  return ot !== null && ot.synchronized && session.status === 'saved';
}"""
REV = "() => window.policypad.session.connection.ot.rev"
STATE = """() => {
  const {session} = window.policypad;
  const ot = session.connection.ot;
  const {status, connection} = session;
  return {status, rev: ot.rev, state: ot.state.name, unsaved: connection.unsaved};
}"""
# Watches a page's status claims: every status the session reports goes to window.statuses,
# and every 20 ms, and at each report, a status of 'saved' must mean that nothing is
# unacknowledged (the OT client) and nothing unread (the adapter's change flag); each time
# it does not, window.lies gets an entry.
WATCH_STATUS = """() => {
  const {session, adapter} = window.policypad;
  window.statuses = [];
  window.lies = [];
  const check = () => {
    if (session.status !== 'saved') return;
    const ot = session.connection.ot;
    const unread = adapter.hasChanges?.() === true;
    if (!ot.synchronized || unread) window.lies.push({synchronized: ot.synchronized, unread});
  };
  session.on('status', ({status}) => {
    window.statuses.push(status);
    queueMicrotask(check);
  });
  setInterval(check, 20);
}"""


def shown(page: Any) -> str:
    return page.evaluate(SHOWN)


def model(page: Any) -> str:
    return page.evaluate(MODEL)


def wait_until(
    condition: Callable[[], bool], timeout: float = 20.0, what: str | Callable[[], str] = ""
) -> None:
    """Wait for `condition`; on timeout fail saying `what` (or what it returns, then)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            said = what() if callable(what) else what
            raise AssertionError(f"timed out waiting for {said or condition}")
        time.sleep(0.05)


def converge(
    pages: Sequence[Any], server_text: Callable[[], str] | None = None, shown_too: bool = True
) -> str:
    """Wait until every page has sent everything, all are at one revision and hold one
    text (the server's too, if given), and show it (unless not `shown_too`); return it."""

    def together() -> bool:
        if not all(page.evaluate(SETTLED) for page in pages):
            return False
        if len({page.evaluate(REV) for page in pages}) != 1:
            return False
        texts = {model(page) for page in pages}
        if shown_too:
            texts |= {shown(page) for page in pages}
        if server_text is not None:
            texts.add(server_text().replace("\u00a0", " "))
        return len(texts) == 1

    try:
        wait_until(together, what="the pages to converge")
    except AssertionError:
        states = [
            page.evaluate(STATE) | {"shown": shown(page), "model": model(page)} for page in pages
        ]
        server = server_text() if server_text is not None else None
        raise AssertionError(f"the pages did not converge: {states}, server: {server!r}") from None
    return model(pages[0])


def open_pad(pads: Pads, editor: str, names: list[str], **content: str) -> tuple[str, list[Any]]:
    """Make a pad (by default SENTENCE and a second line) and open it in `editor`, one
    page per name."""
    pad_id = pads.create(**(content or {"text": f"{SENTENCE}\nA second line."}))
    return pad_id, [pads.open(pad_id, editor, name) for name in names]


def head_rev(server: ServerProcess, pad_id: str) -> int:
    """The pad's head revision on the server."""
    return int(httpx.get(f"{server.http}/api/pads/{pad_id}").json()["rev"])


def server_html(server: ServerProcess, pad_id: str) -> str:
    """The pad's content on the server, as the model's HTML."""
    return str(httpx.get(f"{server.http}/api/pads/{pad_id}/content").json()["html"])


def assert_quiet(server: ServerProcess, pad_id: str) -> None:
    """No revision reaches the server in the QUIET_SECONDS after typing settled: the
    editors do not answer the model's HTML with normalization edits."""
    before = head_rev(server, pad_id)
    time.sleep(QUIET_SECONDS)
    assert head_rev(server, pad_id) == before


# A fragment as Word puts it on the clipboard, and its text.
WORD_HTML = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w="urn:schemas-microsoft-com:office:word"><head><meta charset="utf-8">'
    '<meta name="Generator" content="Microsoft Word 15">'
    "<style>p.MsoNormal { margin: 0cm; font-family: Calibri; }</style></head><body>"
    "<!--StartFragment-->"
    '<p class="MsoNormal"><b><span style="font-family:Calibri">Pasted bold</span></b>'
    '<span style="mso-spacerun:yes"> </span>and plain<o:p></o:p></p>'
    '<p class="MsoNormal"><i>An italic line</i><o:p></o:p></p>'
    "<!--EndFragment--></body></html>"
)
WORD_TEXT = "Pasted bold and plain\nAn italic line"


def paste_of_word_html(
    pads: Pads,
    server: ServerProcess,
    editor: str,
    place: Callable[[Any, int], None],
    server_text: Callable[[str], str],
) -> tuple[str, list[Any]]:
    """Ann pastes WORD_HTML (a trusted Ctrl+V, which the editor handles as its own) into a
    new line after "First." (`place(page, offset)` puts her caret on the first line): the
    server keeps its bold and italic and nothing of Word's markup, and all stays quiet.
    Return the pad and the pages, for more checks."""
    pad_id, (ann, ben) = open_pad(pads, editor, ["Ann", "Ben"], html="<p>First.</p><p>Last.</p>")
    place(ann, len("First."))
    ann.keyboard.press("Enter")
    ann.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.http)
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
    assert_quiet(server, pad_id)
    return pad_id, [ann, ben]


def paste(page: Any, html: str, text: str) -> None:
    """Put html (and text) on the clipboard and press Ctrl+V: a trusted paste."""
    copy_to_clipboard(page, html, text)
    page.keyboard.press("Control+v")


def copy_to_clipboard(page: Any, html: str, text: str) -> None:
    """Put html (and text) on the page's clipboard, as a copy in another program does."""
    url = urlsplit(page.url)
    page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=f"{url.scheme}://{url.netloc}"
    )
    page.evaluate(
        """async ([html, text]) => {
          await navigator.clipboard.write([new ClipboardItem({
            'text/html': new Blob([html], {type: 'text/html'}),
            'text/plain': new Blob([text], {type: 'text/plain'}),
          })]);
        }""",
        [html, text],
    )


def focus_at(page: Any, offset: int) -> None:
    """Click into the editor and put the caret `offset` characters into the first line,
    with the keyboard (Home, then arrows), as a person would."""
    page.click(".pp-editor")
    page.keyboard.press("Control+Home")
    for _ in range(offset):
        page.keyboard.press("ArrowRight")


def type_together(pages: Sequence[Any], texts: Sequence[str]) -> None:
    """Each page types its text, one key at a time, in turns (real keyboard events)."""
    for index in range(max(len(text) for text in texts)):
        for page, text in zip(pages, texts, strict=True):
            if index < len(text):
                page.keyboard.type(text[index])


def caret(page: Any) -> dict[str, int] | None:
    return page.evaluate("() => window.policypad.adapter.getSelection()")


def caret_to(page: Any, line: int, column: int, click: Callable[[Any], None] | None = None) -> None:
    """Put the caret at `column` of line `line` (0-based) with the keyboard, after clicking
    into the editor (`click`, by default on the demo's .pp-editor)."""
    if click is None:
        page.click(".pp-editor")
    else:
        click(page)
    page.keyboard.press("Control+Home")
    for _ in range(line):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Home")
    for _ in range(column):
        page.keyboard.press("ArrowRight")


def select_right(page: Any, count: int) -> None:
    for _ in range(count):
        page.keyboard.press("Shift+ArrowRight")


def editor_html(page: Any) -> str:
    return page.evaluate("() => window.policypad.element.innerHTML")


def unsaved_shown(page: Any) -> bool:
    """The status line says how many changes wait unsaved, as its data-unsaved counts."""
    unsaved = int(page.get_attribute("#status", "data-unsaved") or 0)
    noun = "change" if unsaved == 1 else "changes"
    return unsaved > 0 and page.inner_text("#status") == f"Offline — {unsaved} unsaved {noun}"


def typing_offline_is_delivered_once(
    pads: Pads,
    editor: str,
    place: Callable[[Any, int], None],
    server_text: Callable[[str], str],
    min_unsaved: int = len("OFFLINE "),
) -> None:
    """Ann types while offline, Ben online; once Ann reconnects both texts are there once
    and Ann's session goes on at her caret. `place(page, offset)` puts a caret `offset`
    characters into the first line; `min_unsaved` is how many changes Ann's typing makes
    at least (one per keystroke, unless the editor reports keystrokes together)."""
    pad_id, (ann, ben) = open_pad(pads, editor, ["Ann", "Ben"])
    place(ann, 4)
    place(ben, len(SENTENCE))
    # Ann's network goes away: the open connection is dropped and new ones fail. (Under
    # the browser's offline emulation alone the dropped socket's close handshake can hang
    # for long: the route makes new connections fail at once, then emulation goes on.)
    network = {"up": False}
    ann.context.route_web_socket(
        re.compile(r"/ws/"),
        lambda route: route.connect_to_server() if network["up"] else route.close(),
    )
    ann.evaluate("() => window.policypad.session.connection.dropConnection()")
    wait_until(lambda: ann.get_attribute("#status", "data-status") == "offline", what="offline")
    ann.context.set_offline(True)
    ann.keyboard.type("OFFLINE ")
    ben.keyboard.type(" online")
    wait_until(
        lambda: int(ann.get_attribute("#status", "data-unsaved") or 0) >= min_unsaved,
        what=f"{min_unsaved} unsaved changes",
    )
    wait_until(lambda: model(ann).startswith("The OFFLINE quick"), what="Ann's typing kept")
    wait_until(lambda: unsaved_shown(ann), what="the unsaved changes shown")
    assert model(ben).startswith(SENTENCE + " online")
    ann.context.set_offline(False)
    network["up"] = True
    text = converge([ann, ben], lambda: server_text(pad_id))
    assert text == "The OFFLINE quick brown fox jumps over the lazy dog. online\nA second line.\n"
    assert ann.inner_text("#status") == "All changes saved"
    # and the session goes on: Ann's caret is where she left it
    ann.keyboard.type("again ")
    assert converge([ann, ben], lambda: server_text(pad_id)).startswith("The OFFLINE again quick")


def three_people_type_in_one_paragraph(
    pads: Pads, editor: str, place: Callable[[Any, int], None], server_text: Callable[[str], str]
) -> tuple[str, list[Any]]:
    """Three people type into the first line at once, each at their own caret (put there
    by `place(page, offset)`): each text lands at its caret, which stays after it. Return
    the pad and the pages, for more checks."""
    pad_id, pages = open_pad(pads, editor, ["Ann", "Ben", "Cid"])
    for page, offset in zip(pages, [4, 16, len(SENTENCE)], strict=True):  # "The |quick brown |"
        place(page, offset)
    type_together(pages, ["1" * 10, "2" * 10, "3" * 10])
    text = converge(pages, lambda: server_text(pad_id))
    assert text == (
        "The 1111111111quick brown 2222222222fox jumps over the lazy dog.3333333333"
        "\nA second line.\n"
    )
    # each caret is still right after what its owner typed
    expected = [4 + 10, 16 + 20, len(SENTENCE) + 30]
    assert [caret(page) for page in pages] == [{"start": e, "end": e} for e in expected]
    return pad_id, pages


def two_people_type_at_the_same_place(
    pads: Pads, editor: str, place: Callable[[Any, int], None], server_text: Callable[[str], str]
) -> None:
    """Two people type at one place at once: each one's keys land in their own order,
    none lost or doubled."""
    pad_id, pages = open_pad(pads, editor, ["Ann", "Ben"])
    for page in pages:
        place(page, 10)  # "The quick |brown"
    type_together(pages, ["abcdefghij", "ABCDEFGHIJ"])
    first_line = converge(pages, lambda: server_text(pad_id)).split("\n")[0]
    inserted = first_line[10:30]
    assert first_line == SENTENCE[:10] + inserted + SENTENCE[10:]
    assert "".join(c for c in inserted if c.islower()) == "abcdefghij"
    assert "".join(c for c in inserted if c.isupper()) == "ABCDEFGHIJ"
