"""The wheel, installed as a host would: `pip install` into a fresh virtualenv outside the
repository, `policypad serve` run from there (no checkout, no npm), and pages on other
origins that load its client and attach.

The pages are cut down from the README's embed snippets (test_embedding.py runs those as
written): a textarea through the one-script bundle, and a contenteditable through the ES
modules imported across origins with no import map.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.editing import wait_until
from tests.support.server import ServerProcess, free_port

ROOT = Path(__file__).resolve().parents[2]
SECRET = "installed-package-secret-long-enough-to-sign"
API_KEY = "installed-package-api-key-long-enough-to-use"
AUTH = {"Authorization": f"Bearer {API_KEY}"}

BUNDLE_PAGE = """<!DOCTYPE html><meta charset="utf-8"><title>Host page</title>
<textarea id="policy"></textarea>
<script src="{server}/static/bundles/policypad-textarea.js"></script>
<script>
  PolicyPad.attach(document.getElementById('policy'), {{
    server: '{server}', pad: '{pad}', token: '{token}',
  }}).then((session) => {{ window.session = session; document.body.dataset.ready = 'true'; }});
</script>
"""
MODULE_PAGE = """<!DOCTYPE html><meta charset="utf-8"><title>Host page</title>
<div id="policy" contenteditable="true"></div>
<script type="module">
  import {{ attach }} from '{server}/static/client/js/policypad.js';
  const session = await attach(document.getElementById('policy'), {{
    server: '{server}', pad: '{pad}', token: '{token}',
  }});
  window.session = session;
  document.body.dataset.ready = 'true';
</script>
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout, installed in a virtualenv of its own."""
    place = tmp_path_factory.mktemp("installed")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(place / "dist"),
         str(ROOT)], check=True, timeout=600,
    )  # fmt: skip
    [wheel] = (place / "dist").glob("policypad-*.whl")
    subprocess.run([sys.executable, "-m", "venv", str(place / "venv")], check=True)
    subprocess.run([str(place / "venv" / "bin" / "pip"), "install", "-q", str(wheel)],
                   check=True, timeout=900)  # fmt: skip
    return place / "venv"


class HostSite:
    """A host application's pages, served from a port (an origin) of their own."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.port = free_port()
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def page(self, name: str, html: str) -> str:
        (self.folder / name).write_text(html)
        return f"{self.origin}/{name}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[HostSite, HostSite]]:
    place = tmp_path_factory.mktemp("sites")
    listed, unlisted = HostSite(place / "listed"), HostSite(place / "unlisted")
    yield listed, unlisted
    listed.close()
    unlisted.close()


@pytest.fixture(scope="module")
def packaged_server(
    installed: Path, sites: tuple[HostSite, HostSite], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    listed, _ = sites
    workdir = tmp_path_factory.mktemp("serving")  # no checkout here
    server = ServerProcess(
        workdir, python=str(installed / "bin" / "python"),
        env={"POLICYPAD_SECRET": SECRET, "POLICYPAD_API_KEY": API_KEY,
             "POLICYPAD_ALLOWED_ORIGINS": listed.origin, "PYTHONPATH": ""},
    ).start()  # fmt: skip
    yield server
    server.stop()


def typed_in_order(typed: str, text: str) -> bool:
    """Whether every character of `typed` is in `text`, in order (others between)."""
    rest = iter(text)
    return all(char in rest for char in typed)


def mint(installed: Path, sub: str, pad: str) -> str:
    """A token, from the installed package's own command."""
    return subprocess.run(
        [str(installed / "bin" / "policypad"), "token", "--sub", sub, "--name", sub.title(),
         "--pad", pad], capture_output=True, text=True, check=True,
        env={**os.environ, "POLICYPAD_SECRET": SECRET},
    ).stdout.strip()  # fmt: skip


def test_the_installed_package_serves_the_client_from_itself(
    installed: Path, packaged_server: ServerProcess
) -> None:
    located = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import policypad; print(policypad.__file__)"],
        capture_output=True, text=True, check=True, cwd="/",
    ).stdout  # fmt: skip
    assert str(ROOT) not in located and "site-packages" in located
    served = [
        "/static/bundles/policypad-textarea.js", "/static/client/js/policypad.js",
        "/static/client/js/vendor/diff-match-patch.js", "/static/adapters/tinymce.js",
    ]  # fmt: skip
    for path in served:
        response = httpx.get(packaged_server.http + path)
        assert response.status_code == 200, path
        assert "javascript" in response.headers["content-type"], path


@pytest.mark.parametrize(("page", "selector"), [(BUNDLE_PAGE, "textarea"), (MODULE_PAGE, "div")])
def test_pages_on_a_listed_origin_attach_and_converge(
    installed: Path, packaged_server: ServerProcess, sites: tuple[HostSite, HostSite],
    browser: Any, page: str, selector: str,
) -> None:  # fmt: skip
    listed, _ = sites
    pad = f"host-{selector}-{time.monotonic_ns()}"
    response = httpx.post(f"{packaged_server.http}/api/pads", json={"id": pad}, headers=AUTH)
    assert response.status_code == 201
    pages, errors = [], []
    for user in ("ann", "bob"):
        url = listed.page(f"{pad}-{user}.html", page.format(
            server=packaged_server.http, pad=pad, token=mint(installed, user, pad)))  # fmt: skip
        context = browser.new_context()
        opened = context.new_page()
        opened.on("pageerror", lambda error: errors.append(str(error)))
        opened.goto(url)
        opened.wait_for_selector("body[data-ready=true]")
        pages.append(opened)
    pages[0].click("#policy")
    pages[0].keyboard.type("Ann types. ")
    pages[1].click("#policy")
    pages[1].keyboard.press("End")
    pages[1].keyboard.type("Bob too.")

    def text() -> str:
        return httpx.get(
            f"{packaged_server.http}/api/pads/{pad}/content?format=text", headers=AUTH
        ).json()["text"]

    def shown(opened: Any) -> str:
        return str(opened.evaluate(
            "(s) => document.querySelector(s).value ?? document.querySelector(s).innerText",
            "#policy",
        ))  # fmt: skip

    # both typed at the start of an empty pad at once, so their letters may interleave
    # ("ABnn types. ob too.": the server puts text committed first first, where both
    # insert at one place); every letter of each is there, in the order typed
    wait_until(
        lambda: typed_in_order("Ann types. ", text()) and typed_in_order("Bob too.", text()),
        what=lambda: f"both saved: the server has {text()!r}, pages {[shown(o) for o in pages]}",
    )
    assert len(text()) == len("Ann types. Bob too.\n")
    for opened in pages:
        wait_until(lambda o=opened: o.evaluate("window.session.status") == "saved")
        assert shown(opened).strip() == text().strip()
    assert errors == []
    for opened in pages:
        opened.context.close()


def test_a_page_on_an_unlisted_origin_gets_no_session(
    installed: Path, packaged_server: ServerProcess, sites: tuple[HostSite, HostSite],
    browser: Any,
) -> None:  # fmt: skip
    _, unlisted = sites
    pad = f"stranger-{time.monotonic_ns()}"
    httpx.post(f"{packaged_server.http}/api/pads", json={"id": pad}, headers=AUTH)
    url = unlisted.page(f"{pad}.html", BUNDLE_PAGE.format(
        server=packaged_server.http, pad=pad, token=mint(installed, "eve", pad)))  # fmt: skip
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    time.sleep(3)
    assert page.evaluate("document.body.dataset.ready") is None
    users = httpx.get(f"{packaged_server.http}/api/pads/{pad}/users", headers=AUTH).json()
    assert users == {"users": []}
    assert "refused a WebSocket from origin" in packaged_server.log.read_text()
    context.close()
