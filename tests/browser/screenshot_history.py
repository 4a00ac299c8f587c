"""Make docs/timeslider.png and docs/timeslider-compare.png: a pad's history page (not a test).

    .venv/bin/python tests/browser/screenshot_history.py [FOLDER]

Starts `policypad serve` on a free port and Chromium; Alice (a contenteditable) and Bob (a
textarea) write a policy over a hundred revisions (typing, a word made bold, words replaced,
a heading made smaller), two of them get names through the REST API, then the history page
is taken at an early revision with the authors' colors on, and comparing the two named
versions (the structure-aware diff).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

PAD = "remote-work-policy"
HTML = (
    "<h1>Remote work policy</h1>"
    "<p>This policy explains how staff may work away from the office.</p>"
    "<h2>Who may work remotely</h2>"
    "<ul><li>Employees who have completed their probation period</li></ul>"
    "<h2>Equipment</h2>"
    "<p>The organisation provides a laptop.</p>"
)
SIZE = {"width": 1120, "height": 700}


def end_of(page: Any, selector: str) -> None:
    """Put the caret at the end of the element `selector` finds in the editor."""
    page.evaluate(
        """(selector) => {
          const range = document.createRange();
          range.selectNodeContents(document.querySelector(selector));
          range.collapse(false);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
        }""",
        selector,
    )


def head(server: ServerProcess) -> int:
    return int(httpx.get(f"{server.http}/api/pads/{PAD}").json()["rev"])


def settle(server: ServerProcess) -> int:
    """Wait until no revision came for a moment; return the head."""
    last = -1
    while (now := head(server)) != last:
        last = now
        time.sleep(0.5)
    return last


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    with tempfile.TemporaryDirectory() as workdir:
        server = ServerProcess(Path(workdir)).start()
        try:
            httpx.post(f"{server.http}/api/pads", json={"id": PAD, "html": HTML})
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

                def open_page(url: str) -> Any:
                    page = browser.new_context(viewport=SIZE).new_page()
                    page.goto(url)
                    page.wait_for_selector("body[data-ready=true]")
                    return page

                pad = f"{server.http}/pads/{PAD}"
                alice = open_page(f"{pad}/contenteditable?name=Alice&color=%23e6194b")
                bob = open_page(f"{pad}/textarea?name=Bob&color=%234363d8")
                alice.click(".pp-editor p")
                end_of(alice, ".pp-editor p")
                alice.keyboard.type(" Managers agree remote days in advance.", delay=25)
                draft = settle(server)
                bob.click(".pp-editor")
                bob.keyboard.press("Control+End")
                bob.keyboard.type(" On request, also a monitor.", delay=25)
                alice.click(".pp-editor li")
                end_of(alice, ".pp-editor li")
                alice.keyboard.press("Enter")
                alice.keyboard.type("Contractors, where their contract allows it", delay=25)
                # Alice makes "staff" bold
                alice.evaluate(
                    """() => {
                      const text = document.querySelector('.pp-editor p').firstChild;
                      const at = text.data.indexOf('staff');
                      getSelection().setBaseAndExtent(text, at, text, at + 5);
                    }"""
                )
                alice.keyboard.press("Control+b")
                # Bob strikes out "completed their " in his textarea
                bob.evaluate(
                    """() => {
                      const area = document.querySelector('.pp-editor');
                      const at = area.value.indexOf('completed their ');
                      area.focus();
                      area.setSelectionRange(at, at + 'completed their '.length);
                    }"""
                )
                bob.keyboard.press("Backspace")
                bob.keyboard.type("passed ", delay=25)
                # and Alice makes "Equipment" a smaller heading, as a toolbar's menu would
                alice.evaluate(
                    """() => {
                      const heading = [...document.querySelectorAll('.pp-editor h2')].pop();
                      getSelection().setBaseAndExtent(heading.firstChild, 0, heading.firstChild, 3);
                      document.execCommand('formatBlock', false, 'h3');
                    }"""
                )
                approved = settle(server)
                for rev, label in ((draft, "Draft for review"), (approved, "Approved 2026-03")):
                    httpx.post(f"{server.http}/api/pads/{PAD}/versions",
                               json={"rev": rev, "label": label})  # fmt: skip
                history = open_page(f"{pad}/history?authors=1#rev={approved - 12}")
                time.sleep(0.5)  # the authors' names, from the users on the pad
                history.screenshot(path=str(folder / "timeslider.png"))
                compare = open_page(f"{pad}/history#rev={approved}&compare={draft}")
                compare.wait_for_selector(".pp-history[data-compare]")
                time.sleep(0.5)
                compare.screenshot(path=str(folder / "timeslider-compare.png"))
                browser.close()
        finally:
            server.stop()
    for name in ("timeslider.png", "timeslider-compare.png"):
        print(f"wrote {folder / name} ({(folder / name).stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
