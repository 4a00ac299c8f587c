"""The JavaScript client (connection.js, ot-client.js) against a real server: three
clients typing at once converge with the server, a client that goes offline keeps its
typing and delivers it exactly once when it reconnects, and a session whose token expires
goes on with the next one its page gives it, and a commit the server refuses for good is
taken back without keeping what was typed after it from being saved."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from policypad.tokens import mint
from tests.support.server import ServerProcess

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path, env={"POLICYPAD_COMMITS_PER_SECOND": "1000"}).start()
    yield process
    process.stop()


def test_javascript_clients_converge_and_survive_going_offline(server: ServerProcess) -> None:
    node = shutil.which("node")
    assert node is not None, "node is required (scripts/setup installs it)"
    httpx.post(f"{server.http}/api/pads", json={"id": "live", "text": "0123"})
    result = subprocess.run(
        [node, "--experimental-websocket", "--no-warnings", str(ROOT / "tests/js/live_client.mjs"),
         server.ws, "live"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(set(report["afterTyping"])) == 1
    server_text = httpx.get(f"{server.http}/api/pads/live/content?format=text").json()["text"]
    assert set(report["texts"]) == {server_text}
    for letter in "abc":
        assert report["afterTyping"][0].count(letter) == 30
    for marker in report["markers"]:
        assert server_text.count(marker) == 1, marker
    assert server_text.count("!") == 5
    assert report["unsavedWhileOffline"] >= 10
    # a chat message sent while offline goes out once, on reconnect
    deadline = time.monotonic() + 10
    while True:
        chat = httpx.get(f"{server.http}/api/pads/live/chat").json()["messages"]
        if chat or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert [m["text"] for m in chat] == ["said while offline"]
    assert "offline" in report["statuses"][0] and report["statuses"][0][-1] == "saved"


def test_sessions_bind_textareas_and_contenteditables(server: ServerProcess) -> None:
    """Sessions keep textareas and contenteditables in step, undo only their own changes,
    and `attach` with `create` makes a missing pad from the editor (once)."""
    node = shutil.which("node")
    assert node is not None
    httpx.post(f"{server.http}/api/pads", json={"id": "plain", "text": "middle"})
    httpx.post(
        f"{server.http}/api/pads", json={"id": "rich", "html": "<p>one</p><p>two</p><p>three</p>"}
    )
    result = subprocess.run(
        [node, "--experimental-websocket", "--no-warnings", str(ROOT / "tests/js/live_session.mjs"),
         server.http, "plain", "rich"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["converged"] in ("AAA middle BBB", "AAA  BBBmiddle")
    # A's undo removes only A's own typing, on both screens
    assert (
        report["afterUndo"][0] == report["afterUndo"][1] == report["converged"].replace("AAA ", "")
    )
    assert report["afterRedo"] == report["converged"]
    assert report["recovered"] is True  # a misplaced caret lost, never a remote change
    assert report["statuses"] == ["saved", "saved"]
    assert report["richA"] == report["richB"]
    assert report["richA"].startswith("<h2>Added</h2><p>Hello <strong>bold</strong> world</p>")
    assert report["untouchedKept"] is True
    html = httpx.get(f"{server.http}/api/pads/rich/content").json()["html"]
    assert html == "<h2>Added</h2><p>Hello <strong>bold</strong> world</p><p>two</p><p>three</p>"
    # attach with create: the first join made the pad from its editor, the second joined it
    seeded = "<h2>Existing policy</h2><p>Kept <strong>as is</strong>.</p>"
    assert report["created"] == {"refused": "pad_not_found", "first": seeded, "second": seeded}
    assert httpx.get(f"{server.http}/api/pads/rich-new/content").json()["html"] == seeded


def test_a_session_outlives_its_token_with_the_next_one(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node is not None
    secret = "live-token-secret-long-enough-for-hs256"
    api_key = "live-token-api-key-long-enough-to-use"
    server = ServerProcess(
        tmp_path, env={"POLICYPAD_SECRET": secret, "POLICYPAD_API_KEY": api_key}
    ).start()
    try:
        # the first token lasts some seconds (node and jsdom start within them, even on a busy
        # machine); the page's function gives the next one after it
        tokens = [
            mint(secret, "ann", pad="renewed", create=True, ttl_seconds=ttl) for ttl in (5, 600)
        ]
        result = subprocess.run(
            [node, "--experimental-websocket", "--no-warnings",
             str(ROOT / "tests/js/live_token.mjs"), server.http, "renewed", json.dumps(tokens)],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout.strip().splitlines()[-1])
        stored = httpx.get(
            f"{server.http}/api/pads/renewed/content?format=text",
            headers={"Authorization": f"Bearer {api_key}"},
        ).json()["text"]
    finally:
        server.stop()
    assert report["text"] == "Seeded from the page. Before. After."
    assert stored == report["text"] + "\n"
    assert report["asked"] == 2
    assert report["errors"] == ["token_expired"]
    assert report["statuses"][-1] == "saved" and "offline" in report["statuses"]


def test_a_refused_commit_is_taken_back_and_a_paste_too_large_goes_in_parts(
    tmp_path: Path,
) -> None:
    """A commit the server refuses for good is taken back without keeping what was typed
    after it from being saved; a paste larger than a message may be is split."""
    node = shutil.which("node")
    assert node is not None, "node is required (scripts/setup installs it)"
    env = {"POLICYPAD_COMMITS_PER_SECOND": "1000", "POLICYPAD_MAX_MESSAGE_BYTES": "65536"}
    server = ServerProcess(tmp_path, env=env).start()
    try:
        httpx.post(f"{server.http}/api/pads", json={"id": "refused", "text": "start"})
        result = subprocess.run(
            [node, "--experimental-websocket", "--no-warnings",
             str(ROOT / "tests/js/live_refused.mjs"), server.ws, "refused"],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout.strip().splitlines()[-1])
        assert report["errors"] == ["bad_attribute"]
        assert report["afterRefusal"] == "start kept too\n" and report["takenBack"] == 1
        text = httpx.get(f"{server.http}/api/pads/refused/content?format=text").json()["text"]
        assert report["status"] == "saved" and text == report["text"]
        # about 250 KB of paste (more in JSON) in messages of at most 64 KB
        assert text.startswith("start kept too\nA paragraph") and text.count("pasted whole") == 4000
        assert report["commits"] >= 5, report["commits"]
    finally:
        server.stop()
