"""The timeslider in Chromium: a pad written by Ann in a contenteditable and Bob in a
textarea, then its history page (/pads/{pad}/history) driven like a person: scrub with the
keys and the mouse, step, play and pause, jump to a date and time, compare two revisions
and two named versions, deep links, download, restore. Every revision shown is checked
against the server's document at that revision, line by line with its authors.

The demo's page loads the widget's bundle; then a host page on another origin imports its
ES modules, from a server with a secret: a read-only token reads the history but is told it
may not restore; an edit token (a token function) restores, as its user.
"""

from __future__ import annotations

import functools
import http.server
import io
import json
import threading
import time
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from policypad.tokens import mint
from tests.browser.conftest import Pads
from tests.browser.editing import MODEL, converge, head_rev, wait_until
from tests.support.server import ServerProcess, free_port

ANN, BOB = "#e6194b", "#4363d8"
START = "<h1>Travel policy</h1><p>Book the cheapest fare.</p>"
READY = "body[data-ready=true]"

# What the history page shows, and the server's document at that revision rendered by the
# client's renderer (authors included): the same HTML if the page composed that revision right.
SHOWN_AND_STORED = """async (rev) => {
  const {Document} = await import('/static/client/js/document.js');
  const {AttributePool, makeAText} = await import('/static/client/js/changeset.js');
  const pad = decodeURIComponent(location.pathname.split('/')[2]);
  const body = await (await fetch(`/api/pads/${pad}/content?rev=${rev}&format=atext`)).json();
  const stored = Document.fromAText(makeAText(body.atext.text, body.atext.attribs),
    AttributePool.fromJsonable(body.pool));
  const shown = document.querySelector('.pp-history-document').innerHTML.replaceAll('<!---->', '');
  return [shown, stored.toHTML({authors: true})];
}"""
# Select a word in the first paragraph of a contenteditable.
SELECT_WORD = """(word) => {
  const text = document.querySelector('.pp-editor p').firstChild;
  const at = text.data.indexOf(word);
  getSelection().setBaseAndExtent(text, at, text, at + word.length);
}"""
# The compare view as the diff rendered it: without what the widget adds to each change so
# that the list of changes beside it finds it (data-pp-note, tabindex).
SHOWN_DIFF = """() => {
  const view = document.querySelector('.pp-history-document').cloneNode(true);
  for (const marked of view.querySelectorAll('[data-pp-note]')) {
    marked.removeAttribute('data-pp-note');
    marked.removeAttribute('tabindex');
  }
  return view.innerHTML;
}"""
# A color as the page's style sheets write it (rgb(...)).
CSS_COLOR = """(color) => {
  const span = document.createElement('span');
  span.style.color = color;
  return span.style.color;
}"""
# A time as the page's datetime-local input takes it (the page's own time zone).
LOCAL_INPUT = """(time) => {
  const date = new Date(time), pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T`
    + `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}"""


def shown_rev(page: Any) -> int | None:
    value = page.get_attribute(".pp-history", "data-shown-rev")
    return None if value is None else int(value)


def compared(page: Any) -> int | None:
    value = page.get_attribute(".pp-history", "data-compare")
    return None if value is None else int(value)


def wait_shown(page: Any, rev: int, compare: int | None = None) -> None:
    """Wait until the page shows `rev` (compared with `compare`), then check that what it
    shows is the server's document at `rev` (when it is not comparing)."""
    wait_until(lambda: (shown_rev(page), compared(page)) == (rev, compare),
               what=f"revision {rev} (compare {compare}); shown {shown_rev(page)}")  # fmt: skip
    if compare is None:
        shown, stored = page.evaluate(SHOWN_AND_STORED, rev)
        assert shown == stored, f"revision {rev}: shown {shown}, stored {stored}"


def timeline(server: ServerProcess, pad: str) -> tuple[list[int], list[str]]:
    """Every revision's time and author, from the REST API."""
    body = httpx.get(f"{server.http}/api/pads/{pad}/timeline").json()
    times, at = [], body["start"]
    for delta in body["times"]:
        at += delta
        times.append(at)
    return times, [body["authors"][index] for index in body["by"]]


def text_at(server: ServerProcess, pad: str, rev: int, form: str = "text") -> str:
    response = httpx.get(f"{server.http}/api/pads/{pad}/content?rev={rev}&format={form}")
    return str(response.json()[form])


def diff_html(server: ServerProcess, pad: str, start: int, end: int) -> str:
    return str(httpx.get(f"{server.http}/api/pads/{pad}/diff?from={start}&to={end}").json()["html"])


def name_version(server: ServerProcess, pad: str, rev: int, label: str) -> None:
    body = {"rev": rev, "label": label}
    response = httpx.post(f"{server.http}/api/pads/{pad}/versions", json=body)
    assert response.status_code == 201, response.text


def test_a_pad_written_in_two_editors_through_its_timeslider(
    pads: Pads, server: ServerProcess, tmp_path: Path
) -> None:
    pad = pads.create(html=START)
    ann = pads.open(pad, "contenteditable", "Ann", ANN)
    bob = pads.open(pad, "textarea", "Bob", BOB)
    # Ann types at the end of the paragraph, a key at a time (a revision or so a key)
    ann.click(".pp-editor p")
    ann.keyboard.press("Control+End")
    ann.keyboard.type(" Ann was here.", delay=40)
    converge([ann, bob], lambda: text_at(server, pad, head_rev(server, pad)))
    drafted = head_rev(server, pad)
    # Bob adds a line in his textarea
    bob.click(".pp-editor")
    bob.keyboard.press("Control+End")
    bob.keyboard.press("Enter")
    bob.keyboard.type("Bob adds a line.", delay=40)
    converge([ann, bob], lambda: text_at(server, pad, head_rev(server, pad)))
    approved = head_rev(server, pad)
    # a second later, Ann writes once more: the revisions before are a date to go back to
    time.sleep(1.2)
    ann.keyboard.type(" Later.", delay=40)
    # and makes "cheapest" bold: a formatting change the compare view must mark
    ann.evaluate(SELECT_WORD, "cheapest")
    ann.keyboard.press("Control+b")

    def bold_stored() -> bool:
        return "<strong>cheapest</strong>" in text_at(server, pad, head_rev(server, pad), "html")

    wait_until(bold_stored, what="the bold word stored")
    converge([ann, bob], lambda: text_at(server, pad, head_rev(server, pad)))
    head = head_rev(server, pad)
    times, authors = timeline(server, pad)
    assert len(times) == head + 1 and head > approved > drafted > 0
    assert len(set(authors)) == 3  # the API's first revision, Ann's and Bob's
    name_version(server, pad, drafted, "Draft")
    name_version(server, pad, approved, "Approved")

    page = pads.new_page(f"{server.http}/pads/{pad}/history")
    wait_shown(page, head)
    # the authors with their own colors and names (from the users on the pad)
    for name, color in (("Ann", ANN), ("Bob", BOB)):
        item = page.locator(".pp-history-authors li", has_text=name)
        wait_until(lambda item=item: item.count() == 1, what=f"{name} in the authors")
        swatch = item.locator(".pp-history-swatch").evaluate("(node) => node.style.backgroundColor")
        assert swatch == page.evaluate(CSS_COLOR, color)
    assert page.locator(".pp-history-mark").count() == 2

    # scrub with the keys: Home, arrows, End (the slider has the focus)
    slider = page.locator(".pp-history-slider")
    slider.focus()
    page.keyboard.press("Home")
    wait_shown(page, 0)
    for rev in (1, 2, 3):
        page.keyboard.press("ArrowRight")
        wait_shown(page, rev)
    assert "Revision 3 of" in str(slider.get_attribute("aria-valuetext"))
    page.keyboard.press("End")
    wait_shown(page, head)
    # the buttons come next with Tab, and Enter presses them
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert focused == "First revision"
    page.keyboard.press("Enter")
    wait_shown(page, 0)
    # and with the mouse: drag the thumb to the middle of the track
    box = slider.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] - 8, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    middle = int(slider.input_value())
    assert 0 < middle < head
    wait_shown(page, middle)

    # step back and forward with the buttons
    page.click("button[data-action=back]")
    wait_shown(page, middle - 1)
    page.click("button[data-action=forward]")
    page.click("button[data-action=forward]")
    wait_shown(page, middle + 1)

    # play from the start, pause with Space: it stopped where it was, before the end
    page.click("button[data-action=first]")
    wait_shown(page, 0)
    page.select_option(".pp-history-speed", "2")
    slider.focus()
    page.keyboard.press(" ")
    wait_until(lambda: page.get_attribute(".pp-history", "data-playing") == "true", what="playing")
    wait_until(lambda: (shown_rev(page) or 0) >= 2, what="play moved on")
    page.keyboard.press(" ")
    assert page.get_attribute(".pp-history", "data-playing") == "false"
    paused = int(slider.input_value())
    assert 2 <= paused < head
    time.sleep(1.2)
    wait_shown(page, paused)

    # jump to a date and time: the whole second after the approved revision, before Ann's
    # later typing, shows the newest revision stored by then
    moment = (times[approved] // 1000 + 1) * 1000
    assert times[approved + 1] > moment
    expected = max(rev for rev, at in enumerate(times) if at <= moment)
    page.fill(".pp-history-date", page.evaluate(LOCAL_INPUT, moment))
    page.click(".pp-history-jump button")
    wait_shown(page, expected)
    assert expected == approved

    # compare two revisions: the draft with the head
    page.click("button[data-action=last]")
    wait_shown(page, head)
    page.select_option(".pp-history-compare", "revision")
    page.fill(".pp-history-compare-rev", str(drafted))
    page.press(".pp-history-compare-rev", "Enter")
    wait_shown(page, head, drafted)
    # the browser's diff (document/diff.js) gives the server's (Python) HTML, mark for mark
    assert page.evaluate(SHOWN_DIFF) == diff_html(server, pad, drafted, head)
    inserted = page.locator(".pp-history-document :is(ins, [data-pp-change=ins])").all_inner_texts()
    assert "Bob adds a line." in inserted and " Later." in inserted
    bold = page.locator(".pp-history-document [data-pp-change=format]")
    assert bold.all_inner_texts() == ["cheapest"]
    assert bold.get_attribute("title") == "Formatted: Bold"
    # nothing else is marked: the lines Ann and Bob ended with Enter are not "reformatted"
    assert page.locator(".pp-history-document [data-pp-change=block]").count() == 0
    changes = page.inner_text(".pp-history-changes")
    assert "2 insertions, 0 deletions, 1 formatting change" in changes
    assert "Formatted: Bold" in changes

    # compare two named versions: show "Approved", compare it with "Draft"
    page.click(".pp-history-version >> text=Approved")
    wait_shown(page, approved, drafted)
    page.select_option(".pp-history-compare", label=f"version “Draft” ({drafted})")
    wait_shown(page, approved, drafted)
    assert page.evaluate(SHOWN_DIFF) == diff_html(server, pad, drafted, approved)
    assert page.get_attribute(".pp-history-version >> text=Approved", "aria-current") == "true"

    # deep links: the address holds the view; opened elsewhere it shows the same
    # (the page's own location: Playwright's page.url may miss a replaceState)
    view = f"rev={approved}&compare={drafted}"
    wait_until(lambda: view in page.evaluate("() => location.href"), what=f"{view} in the address")
    link = page.evaluate("() => location.href")
    other = pads.new_page(link)
    wait_shown(other, approved, drafted)
    third = pads.new_page(f"{server.http}/pads/{pad}/history?rev=3")
    wait_shown(third, 3)

    # download the revision shown, as Markdown
    page.select_option(".pp-history-compare", "off")
    wait_shown(page, approved)
    page.select_option(".pp-history-format", "markdown")
    with page.expect_download() as download:
        page.click("button[data-action=export]")
    saved = tmp_path / "export.md"
    download.value.save_as(saved)
    assert download.value.suggested_filename == f"{pad}-revision-{approved}.md"
    assert saved.read_text() == text_at(server, pad, approved, "markdown")
    # and as Word: the server writes the file of that revision, not the head's
    page.select_option(".pp-history-format", "docx")
    with page.expect_download() as download:
        page.click("button[data-action=export]")
    saved = tmp_path / "export.docx"
    download.value.save_as(saved)
    assert download.value.suggested_filename == f"{pad}-revision-{approved}.docx"
    exported = httpx.get(f"{server.http}/api/pads/{pad}/export?format=docx&rev={approved}")
    with zipfile.ZipFile(saved) as docx, zipfile.ZipFile(io.BytesIO(exported.content)) as stored:
        body = docx.read("word/document.xml").decode()
        assert body == stored.read("word/document.xml").decode()
    assert "Bob adds a line." in body and "Later." not in body

    # restore the draft: a new head equal to it, which the editors show
    page.click(".pp-history-version >> text=Draft")
    wait_shown(page, drafted)
    page.click("button[data-action=restore]")
    restored = head + 1
    wait_shown(page, restored)
    assert f"restored as revision {restored}" in page.inner_text(".pp-history-message")
    assert head_rev(server, pad) == restored
    assert text_at(server, pad, restored, "html") == text_at(server, pad, drafted, "html")
    draft = text_at(server, pad, drafted)
    wait_until(lambda: ann.evaluate(MODEL) == draft, what="Ann's editor shows the restored draft")
    assert page.locator(".pp-history-authors li", has_text="Ann").count() == 1


SECRET = "history-test-secret-long-enough-to-sign-tokens"
API_KEY = "history-test-api-key-long-enough-to-be-a-key"
AUTH = {"Authorization": f"Bearer {API_KEY}"}
HOST_PAGE = """<!DOCTYPE html><meta charset="utf-8"><title>Policy history</title>
<div id="history"></div>
<script type="module">
  import {{ history }} from '{server}/static/client/js/history.js';
  const errors = [];
  const slider = history(document.getElementById('history'), {{
    server: '{server}', pad: '{pad}', {token},
  }});
  slider.on('error', (error) => errors.push(error.code));
  window.host = {{slider, errors}};
  slider.ready.then(() => {{ document.body.dataset.ready = 'true'; }});
</script>
"""


@pytest.fixture(scope="module")
def host_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A host application's origin: a folder of pages served on a port of their own."""
    folder = tmp_path_factory.mktemp("history-host")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", folder
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def secured_server(
    host_site: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory, bundles: None
) -> Iterator[ServerProcess]:
    origin, _ = host_site
    server = ServerProcess(
        tmp_path_factory.mktemp("history-secured"),
        env={"POLICYPAD_SECRET": SECRET, "POLICYPAD_API_KEY": API_KEY,
             "POLICYPAD_ALLOWED_ORIGINS": origin},
    ).start()  # fmt: skip
    yield server
    server.stop()


def test_a_host_page_restores_with_an_edit_token_only(
    host_site: tuple[str, Path], secured_server: ServerProcess, pads: Pads
) -> None:
    origin, folder = host_site
    pad = f"h-{uuid.uuid4().hex[:8]}"
    base = f"{secured_server.http}/api/pads"
    created = httpx.post(base, json={"id": pad, "text": "First words."}, headers=AUTH)
    assert created.status_code == 201, created.text
    for words in ("Second words.", "Third words."):
        httpx.put(f"{base}/{pad}/content", json={"text": words}, headers=AUTH).raise_for_status()

    def open_with(name: str, token: str) -> Any:
        html = HOST_PAGE.format(server=secured_server.http, pad=pad, token=token)
        (folder / f"{name}.html").write_text(html)
        return pads.new_page(f"{origin}/{name}.html")

    # a reader sees the history, and is told why restoring is refused
    reader = open_with("reader", f"token: {json.dumps(mint(SECRET, 'rita', pad=pad, perm='read'))}")
    wait_until(lambda: shown_rev(reader) == 2, what="the head shown")
    assert "Third words." in reader.inner_text(".pp-history-document")
    reader.click("button[data-action=first]")
    wait_until(lambda: shown_rev(reader) == 0, what="the first revision")
    reader.click("button[data-action=restore]")
    message = reader.locator(".pp-history-message")
    wait_until(lambda: "only read" in message.inner_text(), what="the read-only message")
    assert "restoring a revision needs the right to edit" in message.inner_text()
    assert reader.evaluate("() => window.host.errors") == ["read_only"]
    assert httpx.get(f"{base}/{pad}", headers=AUTH).json()["rev"] == 2

    # an editor's token, from a function as a host hands them out, restores as its user
    editor_token = json.dumps(mint(SECRET, "ed", name="Ed Editor", pad=pad))
    editor = open_with("editor", f"token: () => Promise.resolve({editor_token})")
    wait_until(lambda: shown_rev(editor) == 2, what="the head shown")
    assert editor.evaluate("() => window.host.slider.restore(0)") == 3
    stored = httpx.get(f"{base}/{pad}/content?format=text", headers=AUTH).json()["text"]
    assert stored == "First words.\n"
    times = httpx.get(f"{base}/{pad}/timeline", headers=AUTH).json()
    assert times["authors"][times["by"][3]] == "a.ed"
    # the token names its user: the new revision's author is shown by that name
    assert editor.locator(".pp-history-authors li", has_text="Ed Editor").count() == 1
