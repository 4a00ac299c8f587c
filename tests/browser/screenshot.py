"""Make docs/demo.png: the demo's pad page with two people editing (not a test).

    .venv/bin/python tests/browser/screenshot.py [OUTPUT]

Starts `policypad serve` on a free port and Chromium, opens one pad as Alice and as Bob,
has each type and chat, Bob select a word, and takes Alice's window (Bob's caret and
selection drawn over her editor, authorship colors on).
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
    "<p>This policy explains how <strong>staff</strong> may work away from the office, and "
    "what the organisation provides to make that safe and fair.</p>"
    "<h2>Who may work remotely</h2>"
    "<ul><li>Employees who have completed their probation period</li>"
    "<li>Contractors, where their contract allows it</li></ul>"
    "<h2>Equipment</h2>"
    "<p>The organisation provides a laptop and, on request, a monitor. Equipment remains "
    "the property of the organisation.</p>"
)
CARET_AT_END_OF_FIRST_PARAGRAPH = """() => {
  const range = document.createRange();
  range.selectNodeContents(document.querySelector('.pp-editor p'));
  range.collapse(false);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
}"""
SELECT_A_WORD = """() => {
  const paragraph = document.querySelectorAll('.pp-editor p')[1];
  const text = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT).nextNode();
  getSelection().setBaseAndExtent(text, 4, text, 16);
}"""


def main() -> None:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "demo.png"
    with tempfile.TemporaryDirectory() as workdir:
        server = ServerProcess(Path(workdir)).start()
        try:
            httpx.post(f"{server.http}/api/pads", json={"id": PAD, "html": HTML})
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

                def open_as(name: str, color: str) -> Any:
                    context = browser.new_context(viewport={"width": 1120, "height": 640})
                    page = context.new_page()
                    page.goto(
                        f"{server.http}/pads/{PAD}/contenteditable"
                        f"?name={name}&color=%23{color}&authors=1"
                    )
                    page.wait_for_selector("body[data-ready=true]")
                    return page

                alice = open_as("Alice", "e6194b")
                bob = open_as("Bob", "4363d8")
                alice.click(".pp-editor p")
                alice.evaluate(CARET_AT_END_OF_FIRST_PARAGRAPH)
                alice.keyboard.type(" Managers agree remote days in advance.", delay=5)
                bob.click(".pp-editor li >> nth=1")
                bob.keyboard.press("End")
                bob.keyboard.press("Enter")
                bob.keyboard.type("Interns, with their mentor's agreement", delay=5)
                time.sleep(0.6)
                bob.click(".pp-editor p >> nth=1")
                bob.evaluate(SELECT_A_WORD)
                alice.fill("#chat-input", "I added the line about agreeing days.")
                alice.press("#chat-input", "Enter")
                bob.fill("#chat-input", "Thanks! I added interns to the list.")
                bob.press("#chat-input", "Enter")
                alice.click(".pp-editor h1")
                alice.keyboard.press("End")
                time.sleep(1.2)  # presence, and the authorship redraw after typing stops
                alice.screenshot(path=str(output))
                browser.close()
        finally:
            server.stop()
    print(f"wrote {output} ({output.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
