"""The README's "Embed it" section, run as written: a host application's pages, built from
its snippets word for word (only the server's address and the pad id are replaced), served
from an origin of their own, with the editors from the host's own copies and tokens from
the host's back end (the README's Python lines), against a server with a secret, an API
key and that origin allowed.

For each editor's bundle, and for the ES modules (TinyMCE through its adapter, no import
map): the first visitor's join creates the pad from what the editor holds, a second
visitor, whose editor holds the page's content too, joins the pad as it is (nothing is
seeded twice, nothing overwritten), both type, and both editors and the server end with
one document; each page draws the other user's caret. A page on an origin the server does
not list gets no session, and creates no pad, with a valid token.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import re
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from policypad.web.app import EDITORS as VENDORED
from tests.browser.conftest import ROOT
from tests.browser.editing import paste, wait_until
from tests.support import images
from tests.support.server import ServerProcess, free_port

SECRET = "embedding-test-secret-long-enough-to-sign-tokens"
API_KEY = "embedding-test-api-key-long-enough-to-be-one"
AUTH = {"Authorization": f"Bearer {API_KEY}"}
README_SERVER = "https://pads.example.com"
README_PAD = "policy-42"
SEEDED = "Book the cheapest fare that fits."

SNIPPET = re.compile(r"<!-- embed:(?P<name>[\w-]+) -->\n```\w+\n(?P<code>.*?)\n```\n", re.S)


def readme_snippets() -> dict[str, str]:
    """The README's marked snippets, by name (`<!-- embed:NAME -->` above a code block)."""
    return {m["name"]: m["code"] for m in SNIPPET.finditer((ROOT / "README.md").read_text())}


def host_page(snippet: str, server: str, pad: str) -> str:
    """A host page: the README's page part, then one editor's snippet."""
    found = readme_snippets()
    body = f"{found['page']}\n{found[snippet]}\n"
    assert README_SERVER in body and README_PAD in body
    body = body.replace(README_SERVER, server).replace(README_PAD, pad)
    head = '<!DOCTYPE html>\n<html lang="en"><meta charset="utf-8"><title>Host page</title>'
    return f"{head}\n{body}"


def content(server: ServerProcess, pad: str, form: str = "text") -> str:
    """The pad on the server, as text or HTML."""
    url = f"{server.http}/api/pads/{pad}/content?format={form}"
    return httpx.get(url, headers=AUTH).json()[form]


class HostSite:
    """A host application on an origin of its own: its pages, its copies of the editors at
    /vendor/, and its token endpoint, which mints with the README's lines for the user its
    `user` cookie names."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.port = free_port()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def page(self, name: str, html: str) -> str:
        self.pages[name] = html
        return f"{self.origin}/{name}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        site = self
        mint_lines = readme_snippets()["mint-python"]

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(ROOT), **kwargs)

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                name = url.path.lstrip("/")
                if url.path == "/policypad/token":
                    user = self.headers.get("Cookie", "").removeprefix("user=")
                    pad_id = parse_qs(url.query)["pad"][0]
                    names = {"secret": SECRET, "pad_id": pad_id,
                             "user": SimpleNamespace(id=user, name=user.title())}  # fmt: skip
                    exec(mint_lines, names)  # the README's lines, as a host runs them
                    self._send(names["token"].encode(), "text/plain")
                elif name in site.pages:
                    self._send(site.pages[name].encode(), "text/html; charset=utf-8")
                elif url.path.startswith("/vendor/"):
                    editor, _, rest = url.path.removeprefix("/vendor/").partition("/")
                    if editor not in VENDORED:
                        self.send_error(404)
                        return
                    self.path = f"/{VENDORED[editor].as_posix()}/{rest}"
                    super().do_GET()
                else:
                    self.send_error(404)

            def _send(self, body: bytes, content_type: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


@pytest.fixture(scope="module")
def sites() -> Iterator[tuple[HostSite, HostSite]]:
    listed, unlisted = HostSite(), HostSite()
    yield listed, unlisted
    listed.close()
    unlisted.close()


@pytest.fixture(scope="module")
def secured_server(
    sites: tuple[HostSite, HostSite], tmp_path_factory: pytest.TempPathFactory, bundles: None
) -> Iterator[ServerProcess]:
    listed, _ = sites
    server = ServerProcess(
        tmp_path_factory.mktemp("embedding"),
        env={"POLICYPAD_SECRET": SECRET, "POLICYPAD_API_KEY": API_KEY,
             "POLICYPAD_ALLOWED_ORIGINS": listed.origin},
    ).start()  # fmt: skip
    yield server
    server.stop()


@dataclass(frozen=True)
class Embedded:
    """A README snippet, and how a person types into its editor and reads what it shows."""

    snippet: str
    editable: str  # the element to click into, or "iframe-selector >> body"
    shown: str  # JavaScript: the editor's text as the user sees it


TINYMCE = Embedded("tinymce", "iframe.tox-edit-area__iframe >> body",
                   "() => tinymce.activeEditor.getBody().innerText")  # fmt: skip
CASES = [
    Embedded("textarea", "#policy", "() => document.getElementById('policy').value"),
    Embedded("contenteditable", "#policy", "() => document.getElementById('policy').innerText"),
    TINYMCE,
    Embedded("ckeditor4", "iframe.cke_wysiwyg_frame >> body",
             "() => CKEDITOR.instances.policy.editable().$.innerText"),
    Embedded("ckeditor5", ".ck-editor__editable",
             "() => document.querySelector('.ck-editor__editable').innerText"),
    Embedded("wymeditor", ".wym_iframe iframe >> body",
             "() => jQuery.wymeditors(0)._doc.body.innerText"),
    Embedded("modules", TINYMCE.editable, TINYMCE.shown),
]  # fmt: skip


def words(text: str) -> str:
    return " ".join(text.split())


class Visitor:
    """One user of the host application at one of its pages, in a browser of their own."""

    def __init__(self, browser: Any, site: HostSite, url: str, user: str, case: Embedded) -> None:
        self.case = case
        self.errors: list[str] = []
        self.context = browser.new_context()
        self.context.set_default_timeout(15_000)
        self.context.add_cookies([{"name": "user", "value": user, "url": site.origin}])
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(url)

    @property
    def status(self) -> str:
        return self.page.inner_text("#policy-status")

    def wait_saved(self) -> None:
        wait_until(lambda: self.status == "saved", what=f"saved ({self.status})")

    def type_at_end(self, text: str) -> None:
        frame, _, inside = self.case.editable.rpartition(" >> ")
        within = self.page.frame_locator(frame) if frame else self.page
        within.locator(inside).click()
        self.page.keyboard.press("Control+End")
        self.page.keyboard.type(text)

    def shown(self) -> str:
        return words(self.page.evaluate(self.case.shown))


@pytest.mark.parametrize("case", CASES, ids=[case.snippet for case in CASES])
def test_the_readme_pages_create_a_pad_and_two_users_converge(
    case: Embedded, sites: tuple[HostSite, HostSite], secured_server: ServerProcess, browser: Any
) -> None:
    listed, _ = sites
    pad = f"embed-{case.snippet}-{uuid.uuid4().hex[:8]}"
    url = listed.page(f"{pad}.html", host_page(case.snippet, secured_server.http, pad))

    def text() -> str:
        return content(secured_server, pad)

    ann = Visitor(browser, listed, url, "ann", case)
    ann.wait_saved()
    # the pad is made from what Ann's editor held
    assert SEEDED in text()
    ann.type_at_end(" Ann was here.")
    wait_until(lambda: "Ann was here." in text(), what="Ann's typing saved")
    # Bob's editor holds the page's content too: the pad exists, so he gets it as it is
    bob = Visitor(browser, listed, url, "bob", case)
    bob.wait_saved()
    bob.type_at_end(" Bob too.")
    ann.type_at_end(" Ann again.")
    wait_until(
        lambda: all(s in text() for s in ("Bob too.", "Ann again.")),
        # what each side holds, should it time out (seen once under a heavily loaded CI)
        what=lambda: (
            f"both saved: the pad {text()!r}; Ann {ann.status}, showing "
            f"{ann.shown()!r}; Bob {bob.status}, showing {bob.shown()!r}"
        ),
    )
    for visitor in (ann, bob):
        visitor.wait_saved()
        wait_until(
            lambda v=visitor: v.shown() == words(text()),
            what=lambda v=visitor: f"the editor to show the pad: {v.shown()!r}, pad {text()!r}",
        )
    saved = text()
    assert saved.count(SEEDED) == 1 and saved.count("Ann was here.") == 1
    assert saved.count("Bob too.") == 1 and saved.count("Ann again.") == 1
    if case.snippet != "textarea":  # a rich editor's seed keeps its structure
        html = content(secured_server, pad, "html")
        assert html.startswith("<h2>Travel policy</h2><p>Book the cheapest fare that fits.")
    # each page draws the other user's caret (the bundles carry the carets); then they leave
    for visitor in (ann, bob):
        visitor.page.wait_for_selector(".pp-carets .pp-remote-caret", state="attached")
    for visitor in (ann, bob):
        assert visitor.errors == []
        visitor.context.close()


def test_a_page_on_an_unlisted_origin_gets_no_session(
    sites: tuple[HostSite, HostSite], secured_server: ServerProcess, browser: Any
) -> None:
    _, unlisted = sites
    pad = f"stranger-{uuid.uuid4().hex[:8]}"
    url = unlisted.page(f"{pad}.html", host_page("textarea", secured_server.http, pad))
    eve = Visitor(browser, unlisted, url, "eve", CASES[0])
    wait_until(lambda: "refused a WebSocket from origin" in secured_server.log.read_text(),
               what="the refusal in the log")  # fmt: skip
    assert eve.status == "connecting"
    # her token was good for the pad, and would have created it
    response = httpx.get(f"{secured_server.http}/api/pads/{pad}", headers=AUTH)
    assert response.status_code == 404
    eve.context.close()


def test_the_readme_snippets_are_all_there() -> None:
    found = readme_snippets()
    assert {case.snippet for case in CASES} | {"page", "mint-python"} == set(found)
    for case in CASES[:-1]:
        assert f"/static/bundles/policypad-{case.snippet}.js" in found[case.snippet]
        assert (ROOT / "bundles" / f"policypad-{case.snippet}.js").is_file()
    assert "importmap" not in found["modules"]


def test_a_screenshot_pasted_on_a_host_page_reaches_the_other_users(
    sites: tuple[HostSite, HostSite], secured_server: ServerProcess, browser: Any
) -> None:
    """On the host's own origin, against a server with a secret: the upload goes with the
    host's token (CORS), and the others' <img> read it with the image access token."""
    listed, _ = sites
    case = CASES[1]  # contenteditable
    pad = f"embed-image-{uuid.uuid4().hex[:8]}"
    url = listed.page(f"{pad}.html", host_page(case.snippet, secured_server.http, pad))
    ann = Visitor(browser, listed, url, "ann", case)
    ann.wait_saved()
    bob = Visitor(browser, listed, url, "bob", case)
    bob.wait_saved()
    ann.type_at_end(" ")
    screenshot = images.png(30, 12)
    digest = hashlib.sha256(screenshot).hexdigest()
    encoded = base64.b64encode(screenshot).decode()
    paste(ann.page, f'<p>Chart <img src="data:image/png;base64,{encoded}"> end</p>',
          "Chart end")  # fmt: skip
    wait_until(lambda: f"/api/pads/{pad}/images/{digest}" in content(secured_server, pad, "html"),
               what="the image in the pad")  # fmt: skip
    widths = "() => [...document.querySelectorAll('#policy img')].map((img) => img.naturalWidth)"
    for visitor in (bob, ann):
        wait_until(lambda v=visitor: v.page.evaluate(widths) == [30], what="the image loaded")
        src = visitor.page.get_attribute("#policy img", "src")
        assert src.startswith(f"{secured_server.http}/api/pads/{pad}/images/{digest}?access="), src
    # without the access token (or a pad token), the image is not served
    response = httpx.get(f"{secured_server.http}/api/pads/{pad}/images/{digest}")
    assert response.status_code == 401
    for visitor in (ann, bob):
        assert visitor.errors == []
        visitor.context.close()
