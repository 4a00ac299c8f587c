"""A change that cannot be applied is never silent: with a failure injected into an
adapter's write (a remote change) or read (a local one), the session says `resyncing`,
reloads the pad's head, rebuilds the editor, keeps every keystroke, and says `saved` again
only once the server has them all. A watcher in each page notes every moment the status
says `saved` while something is unacknowledged or unread (editing.WATCH_STATUS)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import Pads
from tests.browser.editing import WATCH_STATUS, converge, type_together, wait_until

# Fails the adapter's next `window.failures[method]` calls of `write` or `read`.
INJECT = """() => {
  const {adapter} = window.policypad;
  window.failures = {write: 0, read: 0};
  for (const method of ['write', 'read']) {
    const original = adapter[method].bind(adapter);
    adapter[method] = (...args) => {
      if (window.failures[method] > 0) {
        window.failures[method] -= 1;
        throw new Error(`injected failure of ${method}`);
      }
      return original(...args);
    };
  }
}"""
SELECT_END_OF_LINE = """(line) => {
  const {adapter} = window.policypad;
  const lines = adapter.read().text.split('\\n');
  let at = 0;
  for (let i = 0; i < line; i++) at += lines[i].length + 1;
  at += lines[line].length;
  adapter.setSelection({start: at, end: at});
}"""
FOCUS = {
    "contenteditable": lambda page: page.click(".pp-editor"),
    "ckeditor5": lambda page: page.click(".ck-editor__editable"),
    "tinymce": lambda page: (
        page.frame_locator("iframe.tox-edit-area__iframe").locator("body > *").first.click()
    ),
}
START = "<p>Ann types here.</p><p>Ben types here.</p>"


def open_two(pads: Pads, editor: str) -> tuple[str, Any, Any]:
    pad_id = pads.create(html=START)
    ann = pads.open(pad_id, editor, "Ann")
    ben = pads.open(pad_id, "contenteditable", "Ben")
    ann.evaluate(WATCH_STATUS)
    ann.evaluate(INJECT)
    for page, key, line in ((ann, editor, 0), (ben, "contenteditable", 1)):
        FOCUS[key](page)
        page.evaluate(SELECT_END_OF_LINE, line)
    return pad_id, ann, ben


def statuses(page: Any) -> list[str]:
    return list(page.evaluate("() => window.statuses"))


@pytest.mark.parametrize("editor", ["contenteditable", "ckeditor5", "tinymce"])
def test_a_remote_change_the_editor_cannot_take_resyncs(
    pads: Pads, server_text: Callable[[str], str], editor: str
) -> None:
    """Ann's editor throws on the next three remote changes while both type: her session
    resyncs, and every keystroke of both lands once, where it was typed."""
    pad_id, ann, ben = open_two(pads, editor)
    ann.evaluate("() => { window.failures.write = 3; }")
    type_together([ann, ben], ["abcdefghijkl", "mnopqrstuvwx"])
    text = converge([ann, ben], lambda: server_text(pad_id))
    assert text == "Ann types here.abcdefghijkl\nBen types here.mnopqrstuvwx\n"
    seen = statuses(ann)
    assert "resyncing" in seen and seen[-1] == "saved", seen
    assert ann.evaluate("() => window.failures.write") == 0
    # and the session goes on at Ann's caret
    type_together([ann, ben], ["-more", "-too"])
    text = converge([ann, ben], lambda: server_text(pad_id))
    assert text == "Ann types here.abcdefghijkl-more\nBen types here.mnopqrstuvwx-too\n"
    assert ann.evaluate("() => window.lies") == []


@pytest.mark.parametrize("editor", ["contenteditable", "ckeditor5"])
def test_a_local_change_that_cannot_be_read_is_never_called_saved(
    pads: Pads, server_text: Callable[[str], str], editor: str
) -> None:
    """Reading Ann's last keystroke fails: her status says so (`resyncing`, never `saved`
    while the server lacks it), and the keystroke reaches the server all the same."""
    pad_id, ann, ben = open_two(pads, editor)
    ann.keyboard.type("abc")
    converge([ann, ben], lambda: server_text(pad_id))
    ann.evaluate("() => { window.failures.read = 1; }")
    ann.keyboard.type("d")
    wait_until(lambda: "abcd" in server_text(pad_id), what="the keystroke read anyway")
    converge([ann, ben], lambda: server_text(pad_id))
    assert ann.evaluate("() => window.lies") == []
    seen = statuses(ann)
    assert "resyncing" in seen and seen[-1] == "saved", seen
    assert ann.get_attribute("#status", "data-status") == "saved"
