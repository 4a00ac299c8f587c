"""Real-browser tests: Debian's Chromium driven by Playwright against a real `policypad serve`.

Run them on their own (sync Playwright keeps an event loop running, which breaks
pytest-asyncio tests run after it in the same process):

    .venv/bin/python -m pytest -q tests/browser

A plain `pytest` over all of tests/ leaves this directory out (see pytest_ignore_collect).
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.support.server import ServerProcess

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BUNDLES = tuple(f"policypad-{editor}.js" for editor in (
    "textarea", "contenteditable", "tinymce", "ckeditor4", "ckeditor5", "wymeditor", "history",
))  # fmt: skip


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Collect these tests only when tests/browser (or a file in it) is named on the
    command line, so that the main pytest run never mixes them with asyncio tests."""
    for arg in config.args:
        named = Path(arg.split("::")[0]).resolve()
        if named == HERE or HERE in named.parents:
            return None
    return True


@pytest.fixture(scope="session")
def bundles() -> None:
    """The classic-script bundles (`npm run build`), built here if missing or stale."""
    dist = ROOT / "client" / "dist"
    sources = [
        *ROOT.glob("bundles/*.js"),
        *ROOT.glob("client/js/**/*.js"),
        *ROOT.glob("adapters/*.js"),
    ]
    newest = max(path.stat().st_mtime for path in sources)
    if all((dist / name).is_file() and (dist / name).stat().st_mtime >= newest for name in BUNDLES):
        return
    npm = shutil.which("npm")
    assert npm is not None, "npm is needed to build the bundles (scripts/setup installs it)"
    subprocess.run([npm, "run", "--silent", "build"], cwd=ROOT, check=True, timeout=120)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, bundles: None) -> Iterator[ServerProcess]:
    # the default limits (20 commits per second, bursts of 40): fast typing runs into them
    # and the client must resend what was refused
    process = ServerProcess(tmp_path_factory.mktemp("browser-server")).start()
    yield process
    process.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (scripts/setup installs it with apt)")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Pads:
    """Makes pads on the server and opens them in fresh browser contexts (one user each)."""

    def __init__(self, server: ServerProcess, browser: Any) -> None:
        self.server = server
        self.browser = browser
        self.contexts: list[Any] = []
        self.errors: list[str] = []

    def create(self, **content: str) -> str:
        pad_id = f"b-{uuid.uuid4().hex[:10]}"
        response = httpx.post(f"{self.server.http}/api/pads", json={"id": pad_id, **content})
        assert response.status_code == 201, response.text
        return pad_id

    def new_page(self, url: str, wait_ready: bool = True) -> Any:
        context = self.browser.new_context(viewport={"width": 1100, "height": 700})
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"{url}: {error}"))
        page.goto(url)
        if wait_ready:
            page.wait_for_selector("body[data-ready=true]")
        return page

    def open(self, pad_id: str, editor: str, name: str, color: str | None = None) -> Any:
        query = f"?name={name}" + (f"&color=%23{color.lstrip('#')}" if color else "")
        return self.new_page(f"{self.server.http}/pads/{pad_id}/{editor}{query}")

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def pads(server: ServerProcess, browser: Any) -> Iterator[Pads]:
    made = Pads(server, browser)
    yield made
    made.close()
    assert made.errors == [], made.errors


@pytest.fixture
def server_text(server: ServerProcess) -> Callable[[str], str]:
    def read(pad_id: str) -> str:
        response = httpx.get(f"{server.http}/api/pads/{pad_id}/content?format=text")
        return response.json()["text"]

    return read
