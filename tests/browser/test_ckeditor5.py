"""CKEditor 5 on a pad, in real Chromium windows through the demo page: typing together,
toolbar formatting, carets under remote edits, undo of own changes, offline typing, paste
of Word HTML, and no normalization edits once typing stops."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from tests.browser import editing
from tests.browser.conftest import ROOT, Pads
from tests.browser.editing import (
    SENTENCE,
    assert_quiet,
    caret,
    converge,
    head_rev,
    model,
    server_html,
    shown,
    type_together,
    wait_until,
)
from tests.support.server import ServerProcess

CK = "ckeditor5"
EDITABLE = ".ck-editor__editable"

# scripts/setup installs the editors: a missing one is a broken set-up, not a skip
if not (ROOT / "node_modules" / "ckeditor5" / "dist" / "browser" / "ckeditor5.js").is_file():
    raise RuntimeError("npm ckeditor5 is not installed (scripts/setup installs it)")


def open_pad(pads: Pads, names: list[str], **content: str) -> tuple[str, list[Any]]:
    return editing.open_pad(pads, CK, names, **content)


def caret_to(page: Any, line: int, column: int) -> None:
    """Click into the editor and put the caret at `column` of the `line`-th line (0-based).
    The caret is placed through the adapter: Chromium's ArrowDown through CKEditor's lists
    and tables does not step one line at a time."""
    page.click(EDITABLE)
    lines = model(page).split("\n")
    offset = sum(len(text) + 1 for text in lines[:line]) + column
    page.evaluate("(at) => window.policypad.adapter.setSelection({start: at, end: at})", offset)
    wait_until(lambda: caret_line(page) == (line, column), what=f"caret at {line}:{column}")


def caret_line(page: Any) -> tuple[int, int]:
    """The caret as (line, column) of the model text ((-1, -1) before the editor has it)."""
    at = caret(page)
    if at is None:
        return -1, -1
    before = model(page)[: at["start"]]
    return before.count("\n"), len(before) - (before.rfind("\n") + 1)


def toolbar(page: Any, label: str) -> None:
    page.click(f'.ck-toolbar button[data-cke-tooltip-text^="{label}"]')


def place(page: Any, offset: int) -> None:
    caret_to(page, 0, offset)


def test_three_people_type_in_one_paragraph(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    pad_id, pages = editing.three_people_type_in_one_paragraph(pads, CK, place, server_text)
    # every editor's own data holds that text too (not only what the adapter reads)
    for page in pages:
        assert "1111111111quick brown 2222222222fox" in page.evaluate(
            "() => window.policypad.adapter.editor.getData()"
        )
    assert_quiet(server, pad_id)


def test_two_people_type_at_the_same_place(pads: Pads, server_text: Callable[[str], str]) -> None:
    editing.two_people_type_at_the_same_place(pads, CK, place, server_text)


START = (
    "<p>alpha beta gamma</p><p>list item</p><p>heading text</p><p>link here</p>"
    "<table><tbody><tr><td><p>cell one</p></td><td><p>cell two</p></td></tr></tbody></table>"
    "<p>Ben types here</p>"
)


def test_toolbar_formatting_while_another_types(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    pad_id, (ann, ben) = open_pad(pads, ["Ann", "Ben"], html=START)
    ben.click(EDITABLE)
    ben.keyboard.press("Control+End")  # after "Ben types here" (arrows go by table rows)
    typed = iter("-now-and-then-more")

    def ben_types() -> None:
        for key in [next(typed, "") for _ in range(3)]:
            if key:
                ben.keyboard.type(key)

    # bold from the toolbar
    caret_to(ann, 0, len("alpha "))
    for _ in range(len("beta")):
        ann.keyboard.press("Shift+ArrowRight")
    ben_types()
    toolbar(ann, "Bold")
    ben_types()
    # a bulleted list
    caret_to(ann, 1, 2)
    toolbar(ann, "Bulleted List")
    ben_types()
    # a heading, from the heading drop-down
    caret_to(ann, 2, 2)
    ann.click(".ck-heading-dropdown button.ck-dropdown__button")
    ann.click(".ck-heading-dropdown .ck-list button:has-text('Heading 2')")
    ben_types()
    # a link, from the link form (the URL field only)
    caret_to(ann, 3, 0)
    for _ in range(len("link")):
        ann.keyboard.press("Shift+ArrowRight")
    toolbar(ann, "Link")
    url_field = ann.locator(".ck-link-form input").last
    url_field.fill("https://example.org/")
    url_field.press("Enter")
    ben_types()
    # a table cell's text
    caret_to(ann, 4, len("cell one"))
    ann.keyboard.type("!")
    for key in typed:
        ben.keyboard.type(key)
    converge([ann, ben], lambda: server_text(pad_id))
    html = server_html(server, pad_id)
    assert html == (
        "<p>alpha <strong>beta</strong> gamma</p><ul><li>list item</li></ul>"
        '<h2>heading text</h2><p><a href="https://example.org/">link</a> here</p>'
        "<table><tbody><tr><td><p>cell one!</p></td><td><p>cell two</p></td></tr></tbody>"
        "</table><p>Ben types here-now-and-then-more</p>"
    )
    # Ben's editor shows it with CKEditor's own markup
    data = ben.evaluate("() => window.policypad.adapter.editor.getData()")
    assert "<strong>beta</strong>" in data and "<h2>heading text</h2>" in data
    assert '<a href="https://example.org/">link</a>' in data and "cell one!" in data
    assert_quiet(server, pad_id)


def test_caret_stays_in_place_under_remote_edits(
    pads: Pads, server_text: Callable[[str], str]
) -> None:
    pad_id, (ann, ben) = open_pad(pads, ["Ann", "Ben"])
    caret_to(ann, 0, 20)  # "The quick brown fox |jumps"
    # Ben edits before Ann's caret in her line, and on the next line
    caret_to(ben, 0, 4)
    ben.keyboard.type("very ")
    ben.keyboard.press("ArrowDown")
    ben.keyboard.type("more ")
    converge([ann, ben])
    assert caret(ann) == {"start": 25, "end": 25}
    ann.keyboard.type("X")
    ben.keyboard.press("Control+Home")
    ben.keyboard.type(">> ")
    converge([ann, ben])
    ann.keyboard.type("Y")
    text = converge([ann, ben], lambda: server_text(pad_id))
    assert text.split("\n")[0] == ">> The very quick brown fox XYjumps over the lazy dog."
    assert "more" in text.split("\n")[1]
    # Ben sees Ann's caret drawn over his editor, where she is
    ann_id = ann.evaluate("() => window.policypad.session.you.clientId")
    mark = f'.pp-remote[data-client-id="{ann_id}"]'
    ben.wait_for_selector(f"{mark} .pp-remote-caret")
    wait_until(lambda: ben.get_attribute(mark, "data-start") == "30", what="Ann's caret")
    box = ben.locator(f"{mark} .pp-remote-caret").bounding_box()
    assert box is not None and box["height"] > 0


def test_undo_takes_back_only_my_own_changes(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    pad_id, (ann, ben) = open_pad(pads, ["Ann", "Ben"])
    caret_to(ann, 0, 9)  # "The quick| brown"
    caret_to(ben, 0, 0)
    type_together([ann, ben], ["-ann", "ben "])
    assert converge([ann, ben]).startswith("ben The quick-ann brown")
    # two steps with Ctrl+Z, two with the toolbar's undo button
    ann.keyboard.press("Control+z")
    ann.keyboard.press("Control+z")
    converge([ann, ben])
    toolbar(ann, "Undo")
    toolbar(ann, "Undo")
    text = converge([ann, ben], lambda: server_text(pad_id))
    assert text == f"ben {SENTENCE}\nA second line.\n"
    # redo (toolbar) brings Ann's first keystroke back; Ben's undo takes back only his own
    toolbar(ann, "Redo")
    converge([ann, ben])
    ben.keyboard.press("Control+z")
    text = converge([ann, ben], lambda: server_text(pad_id))
    assert text.split("\n")[0] == "benThe quick- brown fox jumps over the lazy dog."
    # CKEditor's own undo stack never took the remote changes: undoing everything Ann can
    # leaves Ben's typing in place
    for _ in range(3):
        ann.keyboard.press("Control+z")
    text = converge([ann, ben], lambda: server_text(pad_id))
    assert text.split("\n")[0] == "benThe quick brown fox jumps over the lazy dog."
    assert_quiet(server, pad_id)


def test_typing_offline_is_delivered_once_after_reconnecting(
    pads: Pads, server_text: Callable[[str], str]
) -> None:
    editing.typing_offline_is_delivered_once(pads, CK, place, server_text)


def test_paste_of_word_html(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    editing.paste_of_word_html(pads, server, CK, place, server_text)


def test_no_normalization_edits_for_what_ckeditor_rewrites(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    """A pad with an h1, an h5, <i>, <b> and a nested list, which CKEditor 5 writes otherwise
    (data-list-item-id, <i> for italic, &nbsp; in empty cells): opening it and typing in it
    sends only the typing, and the model keeps what the editor does not show."""
    source = (
        "<h1>Title</h1><h5>Small heading</h5><p>one <i>two</i> <b>three</b></p>"
        "<ul><li>a</li><li>b<ul><li>c</li></ul></li></ul><ol><li>first</li></ol>"
        "<table><tbody><tr><td><p>x</p></td><td><p><br></p></td></tr></tbody></table>"
        '<p style="text-align:center">centered</p>'
    )
    pad_id, (ann, ben) = open_pad(pads, ["Ann", "Ben"], html=source)
    before = server_html(server, pad_id)
    assert head_rev(server, pad_id) == 0
    caret_to(ann, 2, 0)
    ann.keyboard.type("zero ")
    caret_to(ben, 5, 1)  # in "c", the nested item
    ben.keyboard.type("!")
    converge([ann, ben], lambda: server_text(pad_id))
    after = server_html(server, pad_id)
    assert after == before.replace("<p>one", "<p>zero one").replace("<li>c</li>", "<li>c!</li>")
    assert_quiet(server, pad_id)


KEYS = [
    *"abc xyz",
    "Enter",
    "Backspace",
    "Delete",
    "ArrowLeft",
    "ArrowRight",
    "ArrowUp",
    "ArrowDown",
    "End",
    "Shift+ArrowLeft",
    "Control+b",
    "Control+i",
    "Control+z",
    "Control+y",
]


def test_random_keys_beside_a_contenteditable_converge_and_settle(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    """Typing, deleting, splitting lines, bold, italic, undo and redo in turns, in CKEditor 5
    and in the contenteditable (which writes <em> and <strong> where CKEditor writes <i>),
    seeded so a failure replays: both end with the server's text and then stay quiet."""
    pad_id = pads.create(
        html="<p>one <i>two</i> three</p><ul><li>item a</li><li>item b</li></ul><p>four</p>"
    )
    ann = pads.open(pad_id, CK, "Ann")
    ben = pads.open(pad_id, "contenteditable", "Ben")
    ann.click(EDITABLE)
    ben.click(".pp-editor")
    chooser = random.Random(5)
    for _ in range(40):
        for page in (ann, ben):
            key = chooser.choice(KEYS)
            if len(key) == 1:
                page.keyboard.type(key)
            else:
                page.keyboard.press(key)
    # CKEditor shows a line holding only a no-break space (a browser's typed space) as an
    # empty line: there only the model must agree
    text = converge([ann, ben], lambda: server_text(pad_id), shown_too=False)
    assert model(ann) == model(ben) == shown(ben) == text
    assert without_blank_spaces(shown(ann)) == without_blank_spaces(text)
    assert_quiet(server, pad_id)


def without_blank_spaces(text: str) -> str:
    return "\n".join(line if line.strip() else "" for line in text.split("\n"))


# A bare connection in a page of its own (a demo page, no editor): edits the pad
# by changesets, as another user's client would send them.
WRITER = """async ({server, pad}) => {
  const {PadConnection} = await import('/static/client/js/connection.js');
  const {makeSplice} = await import('/static/client/js/changeset.js');
  const url = server.replace(/^http/, 'ws');
  const writer = new PadConnection({url, padId: pad, name: 'Writer'});
  await writer.start();
  window.writer = {
    connection: writer,
    splice(at, remove, text, attributes = null) {
      writer.localChange(makeSplice(writer.ot.atext, at, remove, text, attributes, writer.ot.pool));
    },
  };
}"""

# Counts CKEditor's data pipeline parses (the full way of a remote change) in the page.
COUNT_PARSES = """() => {
  const data = window.policypad.adapter.editor.data;
  const parse = data.parse.bind(data);
  window.parses = 0;
  data.parse = (...args) => { window.parses += 1; return parse(...args); };
}"""

# The lines the adapter holds (and the session's projection) against the editor read afresh.
READ_AFRESH = """() => {
  const {adapter, session} = window.policypad;
  const kept = JSON.stringify(adapter.read().toLines());
  adapter._lines = new WeakMap();
  adapter._document = null;
  const fresh = JSON.stringify(adapter.read().toLines());
  return {kept: kept === fresh, projection: JSON.stringify(session._projection.lines) === fresh};
}"""


def test_remote_text_changes_go_in_place_and_keep_formatting_and_caret(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    """Remote text changes inside formatted text go into CKEditor 5's model in place, without
    its data pipeline: plain text another user puts inside a bold run or a link stays plain,
    bold text stays bold, a deletion in an italic run keeps the rest italic; Ann's caret after
    them moves, her caret where text is inserted stays before it; and the lines the adapter
    keeps without reading the editor again are what reading it gives. Changes that alter the
    blocks or the white space (a split line, a double space) go the full way, and come out
    right too."""
    source = (
        '<p>one <strong>bold run</strong> and <a href="https://example.org/">a link</a> end</p>'
        "<ul><li>item <em>one</em></li><li>item two</li></ul><p>last line</p>"
    )
    pad_id = pads.create(html=source)
    ann = pads.open(pad_id, CK, "Ann")
    ann.evaluate(COUNT_PARSES)
    context = pads.browser.new_context()
    try:
        writer = context.new_page()
        writer.goto(f"{server.http}/static/demo/pad.html")
        writer.evaluate(WRITER, {"server": server.http, "pad": pad_id})

        def splice(before: str, remove: int, text: str, attributes: Any = None) -> None:
            """The writer changes the text just before the first `before`."""
            at = model(ann).index(before)
            writer.evaluate(
                "([at, n, text, attributes]) => window.writer.splice(at, n, text, attributes)",
                [at, remove, text, attributes],
            )
            wait_until(
                lambda: writer.evaluate("() => window.writer.connection.ot.synchronized"),
                what="the writer's change",
            )
            wait_until(
                lambda: model(ann) == writer.evaluate("() => window.writer.connection.text"),
                what="Ann to get the change",
            )

        caret_to(ann, 0, len("one bold run and a link e"))
        start = caret(ann)["start"]  # type: ignore[index]
        splice("ld run", 0, "xx")  # plain, inside the bold run
        splice("ink", 0, "yy")  # plain, inside the link
        splice("un and", 0, "B", [["bold", "true"]])  # bold, inside the bold run
        splice("ne\n", 1, "")  # a deletion in the list item's italic "one"
        assert caret(ann) == {"start": start + 5, "end": start + 5}
        splice("nd\n", 0, "zz")  # plain, just at Ann's caret: it stays before the text
        assert caret(ann) == {"start": start + 5, "end": start + 5}
        assert ann.evaluate("() => window.parses") == 0
        data = ann.evaluate("() => window.policypad.adapter.editor.getData()")
        assert (
            "<p>one <strong>bo</strong>xx<strong>ld rBun</strong> and "
            '<a href="https://example.org/">a l</a>yy<a href="https://example.org/">ink</a>'
            " ezznd</p>"
        ) in data
        assert ">item <i>oe</i></li>" in data
        assert ann.evaluate(READ_AFRESH) == {"kept": True, "projection": True}
        # the full way: a line split, a double space, a heading
        splice("item two", 0, "new line\n")
        splice("t line", 1, "t ")
        assert ann.evaluate("() => window.parses") >= 2
        assert ann.evaluate(READ_AFRESH) == {"kept": True, "projection": True}
        ann.keyboard.type("!")
        # CKEditor shows the double space as one: only the model holds it
        text = converge([ann], lambda: server_text(pad_id), shown_too=False)
        assert text.split("\n")[1:] == ["item oe", "new line", "item two", "last  line", ""]
        assert text.split("\n")[0] == "one boxxld rBun and a lyyink e!zznd"
    finally:
        context.close()
    assert_quiet(server, pad_id)
