"""Helpers that drive the demo's pad page like a person and read what it shows."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

EDITORS = ("textarea", "contenteditable")

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


def shown(page: Any) -> str:
    return page.evaluate(SHOWN)


def model(page: Any) -> str:
    return page.evaluate(MODEL)


def wait_until(condition: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
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


def caret_to(page: Any, line: int, column: int) -> None:
    """Put the caret at `column` of line `line` (0-based) with the keyboard."""
    page.click(".pp-editor")
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
