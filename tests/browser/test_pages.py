"""The demo's pages and the classic-script bundles, in real Chromium."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.browser.conftest import Pads
from tests.browser.editing import EDITORS, converge, focus_at, model, wait_until
from tests.support.server import ServerProcess


def test_start_page_creates_a_pad_and_opens_it(pads: Pads, server: ServerProcess) -> None:
    page = pads.new_page(f"{server.http}/", wait_ready=False)
    pad_id = f"made-{page.evaluate('() => Date.now()')}"
    page.fill("#create-id", pad_id)
    page.fill("#create-content", "# Policy\n\nFirst **rule**.")
    page.select_option("#create-format", "markdown")
    page.select_option("#create-editor", "contenteditable")
    page.click("#create-form button")
    page.wait_for_url(f"**/pads/{pad_id}/contenteditable")
    page.wait_for_selector("body[data-ready=true]")
    html = page.evaluate("() => window.policypad.element.innerHTML")
    assert "<h1>" in html and "<strong>" in html and "rule" in html
    assert page.inner_text("#status") == "Connected"
    # the same pad in the textarea, from the editor links
    page.click("#editors a[href*='/textarea']")
    page.wait_for_selector("body[data-ready=true]")
    assert page.input_value(".pp-editor") == "Policy\nFirst rule."
    # opening a pad that does not exist says so
    page.goto(f"{server.http}/")
    page.fill("#open-id", "no-such-pad")
    page.click("#open-form button")
    page.wait_for_selector("#open-error:not([hidden])")
    assert "no-such-pad" in page.inner_text("#open-error")


@pytest.mark.parametrize("editor", EDITORS)
def test_bundle_attaches_with_one_script_tag(
    pads: Pads, server: ServerProcess, editor: str, server_text: Callable[[str], str]
) -> None:
    bundle = httpx.get(f"{server.http}/static/bundles/policypad-{editor}.js")
    assert bundle.status_code == 200 and "PolicyPad" in bundle.text
    pad_id = pads.create(text="shared line")
    embedded = pads.new_page(f"{server.http}/static/demo/embed.html?pad={pad_id}&editor={editor}")
    assert embedded.evaluate("() => typeof window.PolicyPad.attach") == "function"
    # no module was loaded: everything came in the bundle
    scripts = embedded.evaluate(
        "() => performance.getEntriesByType('resource').map((e) => e.name)"
        ".filter((n) => n.endsWith('.js'))"
    )
    assert [s.rsplit("/", 1)[1] for s in scripts] == [f"policypad-{editor}.js"]
    demo = pads.open(pad_id, editor, "Dee")
    embedded.click("#editor")
    embedded.keyboard.press("Control+End")
    embedded.keyboard.type(" plus")
    focus_at(demo, 0)
    demo.keyboard.type(">")
    assert converge([embedded, demo], lambda: server_text(pad_id)) == ">shared line plus\n"


def test_authorship_colors_switch_on_and_off_without_changing_the_pad(pads: Pads) -> None:
    pad_id = pads.create(text="plain start")
    ann = pads.open(pad_id, "contenteditable", "Ann", color="#e6194b")
    ben = pads.open(pad_id, "textarea", "Ben", color="#4363d8")
    focus_at(ann, 0)
    ann.keyboard.type("Ann ")
    focus_at(ben, len("Ann plain start"))
    ben.keyboard.type(" Ben")
    converge([ann, ben])
    rev = ann.evaluate("() => window.policypad.session.connection.ot.rev")
    background = (
        "(author) => getComputedStyle(document.querySelector("
        '`.pp-editor [data-author="${author}"]`)).backgroundColor'
    )
    ann_author = ann.evaluate("() => window.policypad.session.you.author")
    ben_author = ben.evaluate("() => window.policypad.session.you.author")
    wait_until(lambda: ann.locator(f'.pp-editor [data-author="{ben_author}"]').count() == 1)
    assert ann.evaluate(background, ben_author) == "rgba(0, 0, 0, 0)"
    ann.check("#show-authors")
    # each author's text in their color (mixed with white), Ann's red and Ben's blue
    red = ann.evaluate(background, ann_author)
    blue = ann.evaluate(background, ben_author)
    assert red.startswith("color(srgb 0.9") and blue.startswith("color(srgb 0.2")
    # the textarea shows the same colors on a backdrop behind its text
    ben.check("#show-authors")
    ben.wait_for_selector(f'.pp-backdrop [data-author="{ann_author}"]', state="attached")
    assert ben.locator(f'.pp-backdrop [data-author="{ann_author}"]').inner_text() == "Ann "
    ann.uncheck("#show-authors")
    assert ann.evaluate(background, ben_author) == "rgba(0, 0, 0, 0)"
    # nothing of this was an edit
    assert ann.evaluate("() => window.policypad.session.connection.ot.rev") == rev
    assert model(ann) == model(ben) == "Ann plain start Ben\n"
