"""The paster's editor shows what the pad holds: hostile HTML pasted for real (the clipboard
and Ctrl+V, each editor's own paste handling) reaches neither the server nor the other
users, and leaves nothing in the paster's own editor either, in its body or in what the
editor itself hands to its page (getData, getContent, xhtml); the caret stays where the
paste left it, and undo never brings anything of it back.

The pages run without authorship spans (spans=0), as on a host page that does not ask for
them: the demo's periodic redraw with spans would hide the defect."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import Pads
from tests.browser.editing import converge, model, paste, server_html, wait_until
from tests.support.server import ServerProcess

HOSTILE = (
    '<p>Click <a href="javascript:alert(1)">evil link</a> and '
    '<a href="data:text/html,&lt;script&gt;alert(2)&lt;/script&gt;">data link</a> '
    '<b onmouseover="alert(3)">hover</b><script>alert(4)</script>'
    '<iframe src="javascript:alert(5)"></iframe><svg onload="alert(6)"><circle r="1"/></svg>'
    '<img src="https://example.org/pixel.png" onerror="alert(7)" alt="pic"> end</p>'
)
PLAIN = "Click evil link and data link hover end"
# what must not be left anywhere in an editor after the paste
MARKS = re.compile(
    r"javascript:|data:text|<script|<iframe|<svg|onload|onmouseover|onerror", re.IGNORECASE
)
# the editor's own HTML: what it hands to its page (getData and the like)
OWN_HTML = {
    "ckeditor4": "() => window.policypad.adapter.editor.getData()",
    "ckeditor5": "() => window.policypad.adapter.editor.getData()",
    "tinymce": "() => window.policypad.adapter.editor.getContent()",
    "wymeditor": "() => window.policypad.adapter.wym.xhtml()",
    "contenteditable": "() => window.policypad.element.innerHTML",
}
# the editable DOM the user sees (CKEditor 5's editing view, the others' bodies)
BODY = "() => (window.policypad.adapter.element ?? window.policypad.element).innerHTML"
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
    "contenteditable": lambda page: page.click(".pp-editor"),
}
END_OF_FIRST_LINE = """() => {
  const {adapter} = window.policypad;
  const at = adapter.read().text.indexOf('\\n');
  adapter.setSelection({start: at, end: at});
}"""


def leftovers(page: Any, editor: str) -> list[str]:
    """What of the hostile markup the page's editor still holds, in its body or its data."""
    found = MARKS.findall(page.evaluate(BODY)) + MARKS.findall(page.evaluate(OWN_HTML[editor]))
    return sorted(set(found))


@pytest.mark.parametrize(
    "editor", ["ckeditor4", "tinymce", "ckeditor5", "wymeditor", "contenteditable"]
)
def test_the_paster_sees_what_the_pad_holds(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str], editor: str
) -> None:
    pad_id = pads.create(html="<p>First.</p><p>Last.</p>")
    ann = pads.new_page(f"{server.http}/pads/{pad_id}/{editor}?name=Ann&spans=0")
    ben = pads.new_page(f"{server.http}/pads/{pad_id}/contenteditable?name=Ben&spans=0")
    FOCUS[editor](ann)
    ann.evaluate(END_OF_FIRST_LINE)
    ann.keyboard.press("Enter")
    paste(ann, HOSTILE, PLAIN)
    wait_until(lambda: "hover" in model(ann), what="the paste")
    # (the server's text shows the image by its alt text: the pages are compared alone)
    text = converge([ann, ben], shown_too=False)
    assert "Click evil link and data link hover" in text
    assert "pixel.png" in server_html(server, pad_id)
    wait_until(
        lambda: leftovers(ann, editor) == [], what=f"{editor} cleaned: {leftovers(ann, editor)}"
    )
    assert leftovers(ben, "contenteditable") == []
    # the caret is where the paste left it: typing goes on after the pasted text
    ann.keyboard.type("Z")
    text = converge([ann, ben], shown_too=False)
    assert "endZ" in text.replace("end Z", "endZ"), text
    # undoing the paste brings nothing of the hostile markup back
    for _ in range(8):
        if "Click" not in server_text(pad_id):
            break
        ann.keyboard.press("Control+z")
        converge([ann, ben], shown_too=False)
    assert server_text(pad_id).replace("\n\n", "\n") == "First.\nLast.\n"
    assert leftovers(ann, editor) == []
