"""A paste larger than one message may be (a whole document into the editor) is saved:
the client sends it as several commits, each within the limit the server's `joined`
gave, and the other users get all of it. Before, the server refused the commit (or
closed the connection, again after every reconnect) and nothing after it was saved."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.browser.conftest import Pads
from tests.browser.editing import converge, head_rev, open_pad, paste
from tests.browser.test_paste import END_OF_FIRST_LINE, FOCUS
from tests.support.server import ServerProcess

LIMIT = 65_536


@pytest.fixture(scope="module")
def small_messages_server(
    tmp_path_factory: pytest.TempPathFactory, bundles: None
) -> Iterator[ServerProcess]:
    env = {"POLICYPAD_MAX_MESSAGE_BYTES": str(LIMIT)}
    process = ServerProcess(tmp_path_factory.mktemp("small-messages"), env=env).start()
    yield process
    process.stop()


def test_a_paste_larger_than_a_message_is_saved_in_parts(
    small_messages_server: ServerProcess, browser: Any
) -> None:
    server = small_messages_server
    pads = Pads(server, browser)
    try:
        html = "<p>First.</p><p>Last.</p>"
        pad_id, (ann, ben) = open_pad(pads, "contenteditable", ["Ann", "Ben"], html=html)
        FOCUS["contenteditable"](ann)
        ann.evaluate(END_OF_FIRST_LINE)
        line = "Paragraph {} of a long report, with <b>bold</b> words in it."
        paragraphs = [line.format(number) for number in range(2500)]
        html = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
        assert len(html) > 2 * LIMIT
        paste(ann, html, "\n".join(paragraphs).replace("<b>", "").replace("</b>", ""))
        content = f"{server.http}/api/pads/{pad_id}/content?format=text"
        text = converge([ann, ben], lambda: httpx.get(content).json()["text"], shown_too=False)
        assert "Paragraph 0 of a long report, with bold words" in text
        assert "Paragraph 2499 of a long report" in text and text.endswith("Last.\n")
        assert text.count("of a long report") == 2500
        rev = head_rev(server, pad_id)
        assert rev >= 3, f"one commit of {len(html)} characters of HTML? rev {rev}"
    finally:
        pads.close()
    assert pads.errors == [], pads.errors
