"""A pasted screenshot is kept (issue 17): a real PNG pasted as a `data:` image in the
clipboard's HTML (a trusted Ctrl+V, each editor's own paste handling) is uploaded to the
pad, the pad holds its URL (never the data), and every other user's editor loads it from
the server; in all five rich editors. An image the server refuses (SVG, a damaged PNG, one
over the size limit) is left out with a message the user sees, and the text pasted with it
is kept."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.browser.conftest import Pads
from tests.browser.editing import converge, model, paste, server_html, wait_until
from tests.browser.test_paste import END_OF_FIRST_LINE, FOCUS
from tests.support.images import SVG, jpeg, png
from tests.support.server import ServerProcess

# a screenshot-sized picture would do as well; this one is big enough to see its size
SCREENSHOT = png(48, 20, (30, 120, 200, 255))
DIGEST = hashlib.sha256(SCREENSHOT).hexdigest()
# the loaded images in the editable root the user sees, with their natural widths
LOADED = """() => [...(window.policypad.adapter.element ?? window.policypad.element)
  .querySelectorAll('img')].map((img) => ({src: img.getAttribute('src'),
    width: img.complete ? img.naturalWidth : 0}))"""


def data_url(data: bytes, media_type: str) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def loaded(page: Any) -> list[dict[str, Any]]:
    return list(page.evaluate(LOADED))


@pytest.mark.parametrize(
    "editor", ["contenteditable", "tinymce", "wymeditor", "ckeditor4", "ckeditor5"]
)
def test_a_pasted_screenshot_is_kept_and_everyone_sees_it(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str], editor: str
) -> None:
    pad_id = pads.create(html="<p>First.</p><p>Last.</p>")
    ann = pads.new_page(f"{server.http}/pads/{pad_id}/{editor}?name=Ann&spans=0")
    ben = pads.new_page(f"{server.http}/pads/{pad_id}/{editor}?name=Ben&spans=0")
    FOCUS[editor](ann)
    ann.evaluate(END_OF_FIRST_LINE)
    ann.keyboard.press("Enter")
    html = f'<p>See <img src="{data_url(SCREENSHOT, "image/png")}" alt="screenshot"> here</p>'
    paste(ann, html, "See here")
    url = f"/api/pads/{pad_id}/images/{DIGEST}"
    wait_until(lambda: url in server_html(server, pad_id), what="the image in the pad")
    # (the server's text shows the image by its alt text: the pages are compared alone)
    text = converge([ann, ben], shown_too=False)
    assert "See \ufffc here" in text.replace("\u00a0", " "), text
    assert "See screenshot here" in server_text(pad_id).replace("\u00a0", " ")
    stored = server_html(server, pad_id)
    # (an editor may add the picture's width and height)
    assert f'<img src="{url}" alt="screenshot"' in stored
    assert "data:" not in stored

    # the image is served as what its bytes are, with the headers that keep it inert
    response = httpx.get(f"{server.http}{url}")
    assert response.status_code == 200
    assert response.content == SCREENSHOT
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in response.headers["content-security-policy"]

    # both editors load it from the server: the paster's too, no longer from the data
    for page in (ben, ann):
        wait_until(
            lambda page=page: [image["width"] for image in loaded(page)] == [48],
            what=f"the image loaded in {editor}: {loaded(page)}",
        )
        (image,) = loaded(page)
        assert image["src"].startswith(f"{server.http}{url}"), image
    # and the next user to open the pad too
    cid = pads.new_page(f"{server.http}/pads/{pad_id}/{editor}?name=Cid&spans=0")
    wait_until(lambda: [image["width"] for image in loaded(cid)] == [48], what="Cid's image")
    # showing it is not an edit
    rev = httpx.get(f"{server.http}/api/pads/{pad_id}").json()["rev"]
    converge([ann, ben, cid], shown_too=False)
    assert httpx.get(f"{server.http}/api/pads/{pad_id}").json()["rev"] == rev


def test_a_refused_image_is_left_out_with_a_message_and_the_text_kept(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    pad_id = pads.create(html="<p>First.</p><p>Last.</p>")
    ann = pads.new_page(f"{server.http}/pads/{pad_id}/contenteditable?name=Ann&spans=0")
    ben = pads.new_page(f"{server.http}/pads/{pad_id}/contenteditable?name=Ben&spans=0")
    ann.evaluate(
        """() => { window.imageErrors = [];
          window.policypad.session.on('error', (e) => window.imageErrors.push(e.code)); }"""
    )
    FOCUS["contenteditable"](ann)
    ann.evaluate(END_OF_FIRST_LINE)
    ann.keyboard.press("Enter")
    html = (
        f'<p>Drawing <img src="{data_url(SVG, "image/svg+xml")}" alt="a drawing"> and '
        f'<img src="{data_url(SCREENSHOT[:-20], "image/png")}" alt="a cut picture"> end</p>'
    )
    paste(ann, html, "Drawing and end")
    wait_until(
        lambda: sorted(ann.evaluate("() => window.imageErrors")) == ["image_corrupt", "image_svg"],
        what="both refusals",
    )
    text = converge([ann, ben], lambda: server_text(pad_id))
    # the images' alt text stands in for them, the pasted text around them is kept
    assert "Drawing a drawing and a cut picture end" in text.replace("\u00a0", " "), text
    stored = server_html(server, pad_id)
    assert "<img" not in stored and "data:" not in stored
    assert loaded(ann) == [] and loaded(ben) == []
    # the page says why
    message = ann.inner_text("#error")
    assert "was not kept" in message, message
    assert "Drawing" in model(ann)


def test_a_refused_image_brought_back_by_redo_comes_back_as_its_alt_text(
    pads: Pads, server: ServerProcess, server_text: Callable[[str], str]
) -> None:
    """Ann pastes a drawing and takes the paste back (undo) before its upload ends; the
    server refuses the drawing; her redo brings the paste back. The picture comes back as
    its alt text, as at the refusal: its placeholder (no URL; the server refuses it, and
    the commit with it) never leaves her page, and nothing she typed is lost."""
    pad_id = pads.create(html="<p>First.</p><p>Last.</p>")
    ann = pads.new_page(f"{server.http}/pads/{pad_id}/contenteditable?name=Ann&spans=0")
    ben = pads.new_page(f"{server.http}/pads/{pad_id}/contenteditable?name=Ben&spans=0")
    ann.evaluate(
        """() => { window.sessionErrors = [];
          window.policypad.session.on('error', (e) => window.sessionErrors.push(e.code)); }"""
    )
    uploads: list[Any] = []
    ann.route("**/api/pads/*/images", lambda route: uploads.append(route))  # held back
    FOCUS["contenteditable"](ann)
    ann.evaluate(END_OF_FIRST_LINE)
    ann.keyboard.press("Enter")
    paste(ann, f'<p>Drawing <img src="{data_url(SVG, "image/svg+xml")}" alt="a drawing"> end</p>',
          "Drawing end")  # fmt: skip
    # (the route's handler runs while the test is in a call to the page)
    wait_until(lambda: ann.evaluate("() => true") and bool(uploads), what="the upload")
    wait_until(lambda: "Drawing" in model(ann), what="the paste in Ann's model")
    ann.evaluate("() => window.policypad.session.undo()")
    wait_until(lambda: "Drawing" not in model(ann), what="the paste undone")
    uploads[0].continue_()
    errors = "() => window.sessionErrors"
    wait_until(lambda: ann.evaluate(errors) == ["image_svg"], what=lambda: ann.evaluate(errors))
    ann.evaluate("() => window.policypad.session.redo()")
    text = converge([ann, ben], lambda: server_text(pad_id))
    assert "Drawing a drawing end" in text.replace("\u00a0", " "), text
    assert ann.evaluate(errors) == ["image_svg"]
    stored = server_html(server, pad_id)
    assert "<img" not in stored and "pending-image" not in stored
    assert loaded(ann) == [] and loaded(ben) == []


@pytest.fixture(scope="module")
def small_images_server(
    tmp_path_factory: pytest.TempPathFactory, bundles: None
) -> Iterator[ServerProcess]:
    env = {"POLICYPAD_MAX_IMAGE_BYTES": "2000"}
    process = ServerProcess(tmp_path_factory.mktemp("small-images"), env=env).start()
    yield process
    process.stop()


def test_an_image_over_the_size_limit_is_refused_and_the_rest_kept(
    small_images_server: ServerProcess, browser: Any
) -> None:
    server = small_images_server
    pads = Pads(server, browser)
    try:
        pad_id = pads.create(html="<p>First.</p><p>Last.</p>")
        ann = pads.new_page(f"{server.http}/pads/{pad_id}/contenteditable?name=Ann&spans=0")
        ben = pads.new_page(f"{server.http}/pads/{pad_id}/contenteditable?name=Ben&spans=0")
        ann.evaluate(
            """() => { window.imageErrors = [];
              window.policypad.session.on('error', (e) => window.imageErrors.push(e.code)); }"""
        )
        FOCUS["contenteditable"](ann)
        ann.evaluate(END_OF_FIRST_LINE)
        ann.keyboard.press("Enter")
        small, large = jpeg(64, 64), jpeg(1200, 400)
        assert len(small) <= 2000 < len(large)
        html = (
            f'<p>Small <img src="{data_url(small, "image/jpeg")}" alt="thumb"> and '
            f'<img src="{data_url(large, "image/jpeg")}" alt="poster"> end</p>'
        )
        paste(ann, html, "Small and end")
        wait_until(
            lambda: ann.evaluate("() => window.imageErrors") == ["image_too_large"],
            what="the refusal",
        )
        assert "limited to 2000 bytes" in ann.inner_text("#error")
        digest = hashlib.sha256(small).hexdigest()
        wait_until(
            lambda: [image["width"] for image in loaded(ben)] == [64], what="Ben sees the small one"
        )
        text = converge([ann, ben], shown_too=False)
        assert "Small \ufffc and poster end" in text.replace("\u00a0", " "), text
        assert f"/api/pads/{pad_id}/images/{digest}" in server_html(server, pad_id)
    finally:
        pads.close()
    assert pads.errors == [], pads.errors
