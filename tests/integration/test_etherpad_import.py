"""Moving from Etherpad: real Etherpad 2.5.3 exports imported with their whole history.
Every revision's text equals what that Etherpad answered for it (less its list-line
markers: PolicyPad keeps list attributes on the line, not on a `*` character), with its
author and time; the authors' names, and the chat, come along."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import httpx
import pytest

from policypad.changeset import apply_to_atext, make_atext
from policypad.changeset.atext import _parse_line
from policypad.changeset.attributes import attribs_to_pairs
from policypad.etherpad import ETHERPAD_COLORS, read_export
from tests.support.server import ServerProcess

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "etherpad"
SECRET = "etherpad-import-secret-long-enough-to-sign"
API_KEY = "etherpad-import-api-key-long-enough-to-use"
AUTH = {"Authorization": f"Bearer {API_KEY}"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(
        tmp_path_factory.mktemp("etherpad"),
        env={"POLICYPAD_SECRET": SECRET, "POLICYPAD_API_KEY": API_KEY},
    ).start()
    yield process
    process.stop()


def without_markers(raw: bytes, rev: int) -> str:
    """Etherpad's text at `rev` with each line marker (a first character carrying
    `lmkr`) left out, from Etherpad's own changesets and pool."""
    pad = read_export(raw)
    atext = make_atext("\n")
    for revision in pad.revisions[: rev + 1]:
        atext = apply_to_atext(revision.changeset, atext, pad.pool)
    lines = []
    for text, attribution in zip(
        atext.text.split("\n")[:-1], atext.attribution_lines(), strict=True
    ):
        ops = _parse_line(attribution)
        if ops and ops[0].attribs and dict(attribs_to_pairs(ops[0].attribs, pad.pool)).get("lmkr"):
            text = text[1:]
        lines.append(text)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", ["ep-simple", "ep-unicode"])
def test_every_revision_plays_as_it_did_in_etherpad(server: ServerProcess, name: str) -> None:
    raw = (FIXTURES / f"{name}.etherpad").read_bytes()
    truth = json.loads((FIXTURES / f"{name}.texts.json").read_text())
    pad_id = f"imported-{name}"
    headers = {**AUTH, "content-type": "application/json"}
    url = f"{server.http}/api/pads/import/etherpad?id={pad_id}"
    response = httpx.post(url, content=raw, headers=headers, timeout=60)
    assert response.status_code == 201, response.text
    head = len(truth["texts"]) - 1
    assert response.json() == {"id": pad_id, "rev": head, "authors": len(truth["author_names"]),
                               "chat": len(truth["chat"])}  # fmt: skip
    revisions = httpx.get(f"{server.http}/api/pads/{pad_id}/revisions?limit=1000",
                          headers=AUTH).json()["revisions"]  # fmt: skip
    assert [r["rev"] for r in revisions] == list(range(head + 1))
    for rev, (etherpad_text, author, when) in enumerate(
        zip(truth["texts"], truth["authors"], truth["times"], strict=True)
    ):
        # Etherpad's answer, less the markers its own changesets and pool show
        mine = without_markers(raw, rev)
        assert (
            len(etherpad_text) - len(mine)
            == etherpad_text.count("\n*") + (etherpad_text.startswith("*"))
            or etherpad_text == mine
        )
        # ...and the pad holds it at that revision, with its author and time
        stored = httpx.get(f"{server.http}/api/pads/{pad_id}/content?rev={rev}&format=atext",
                           headers=AUTH).json()["atext"]["text"]  # fmt: skip
        assert stored == mine, rev
        assert revisions[rev]["author"] == (author or "a.api")
        assert revisions[rev]["time"] == when
    authors = httpx.get(f"{server.http}/api/pads/{pad_id}/authors", headers=AUTH).json()
    named = {author["id"]: author["name"] for author in authors["authors"] if author["name"]}
    assert named == truth["author_names"]
    # each with the color Etherpad showed them in (its palette, by colorId)
    exported = json.loads(raw)
    colors = {a["id"]: a["color"] for a in authors["authors"] if a["id"] in named}
    assert colors == {
        author: ETHERPAD_COLORS[exported[f"globalAuthor:{author}"]["colorId"]] for author in named
    }
    chat = httpx.get(f"{server.http}/api/pads/{pad_id}/chat", headers=AUTH).json()["messages"]
    assert [m["text"] for m in chat] == [m["text"] for m in truth["chat"]]
    assert [m["author"] for m in chat] == [m["userId"] for m in truth["chat"]]


def test_a_list_comes_in_as_a_list(server: ServerProcess) -> None:
    raw = (FIXTURES / "ep-simple.etherpad").read_bytes()
    httpx.post(f"{server.http}/api/pads/import/etherpad?id=lists", content=raw, headers=AUTH)
    html = httpx.get(f"{server.http}/api/pads/lists/content", headers=AUTH).json()["html"]
    assert "<ul><li>Use IT resources <strong>primarily for business</strong>" in html
    assert "<li>never share passwords</li>" in html and "<s>Do not use USB storage.</s>" in html
    # one numbered list, a nested one inside its second item, numbering on after it
    assert (
        "<ol><li>Call the IT service desk.</li><li>Change your password:<ol><li>from another "
        "trusted device</li><li>or at the service desk</li></ol></li><li>File an incident"
    ) in html
    assert "*" not in html


def test_bad_imports_get_clear_errors(server: ServerProcess) -> None:
    url = f"{server.http}/api/pads/import/etherpad"
    raw = (FIXTURES / "ep-simple.etherpad").read_bytes()
    assert httpx.post(f"{url}?id=twice", content=raw, headers=AUTH).status_code == 201
    taken = httpx.post(f"{url}?id=twice", content=raw, headers=AUTH)
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "pad_exists"
    for body in (b"not json", b"[]", b'{"pad:x": {"pool": {"numToAttrib": {}}, "head": 3}}'):
        bad = httpx.post(f"{url}?id=bad", content=body, headers=AUTH)
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "bad_export", body
    broken = json.loads(raw)
    broken["pad:ep-simple:revs:3"]["changeset"] = "Z:5>1+1$x"
    damaged = httpx.post(f"{url}?id=damaged", content=json.dumps(broken), headers=AUTH)
    assert damaged.status_code == 422 and "revision 3 does not apply" in damaged.text
    assert httpx.post(f"{url}?id=x", content=raw).status_code == 401
    form = httpx.post(f"{url}?id=y", content=raw, headers={**AUTH, "content-type": "text/plain"})
    assert form.status_code == 415
    assert httpx.get(f"{server.http}/api/pads/bad", headers=AUTH).status_code == 404


class StandInEtherpad(http.server.BaseHTTPRequestHandler):
    """Answers the two requests `policypad import-etherpad` makes of an Etherpad, with the
    recorded exports: listAllPads (API key checked) and /p/<pad>/export/etherpad."""

    APIKEY = "etherpad-apikey"
    PADS: ClassVar[dict[str, str]] = {
        "ep-simple": "ep-simple.etherpad",
        "ep-unicode": "ep-unicode.etherpad",
        "gone": "",
    }

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        if path == "/api/1.3.0/listAllPads":
            if urllib.parse.parse_qs(query).get("apikey") != [self.APIKEY]:
                self.answer(200, {"code": 4, "message": "no or wrong API Key", "data": None})
            else:
                self.answer(200, {"code": 0, "message": "ok", "data": {"padIDs": list(self.PADS)}})
            return
        pad = urllib.parse.unquote(path.removeprefix("/p/").removesuffix("/export/etherpad"))
        if self.PADS.get(pad):
            body = (FIXTURES / self.PADS[pad]).read_bytes()
            self.send_response(200)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.answer(404, {"error": "no such pad"})

    def answer(self, status: int, value: object) -> None:
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def etherpad() -> Iterator[str]:
    stand_in = http.server.ThreadingHTTPServer(("127.0.0.1", 0), StandInEtherpad)
    thread = threading.Thread(target=stand_in.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{stand_in.server_address[1]}"
    stand_in.shutdown()
    stand_in.server_close()


def run_import(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "policypad.cli", "import-etherpad", *args]
    env = {**os.environ, "POLICYPAD_API_KEY": API_KEY}
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)


def test_the_command_pulls_every_pad_and_can_run_again(
    server: ServerProcess, etherpad: str
) -> None:
    first = run_import("--url", etherpad, "--apikey", StandInEtherpad.APIKEY, "--to", server.http)
    lines = first.stdout.splitlines()
    assert lines[0].startswith("[1/3] ep-simple: imported: ") and "revisions" in lines[0]
    assert lines[1].startswith("[2/3] ep-unicode: imported: ")
    assert lines[2] == "[3/3] gone: Etherpad's export answered 404"
    assert lines[3] == "done: 2 imported, 0 skipped, 1 failed"
    assert first.returncode == 1
    truth = json.loads((FIXTURES / "ep-unicode.texts.json").read_text())
    pad = httpx.get(f"{server.http}/api/pads/ep-unicode", headers=AUTH).json()
    assert pad["rev"] == len(truth["texts"]) - 1
    # run again: what is there is left alone, and the pad's history does not grow
    again = run_import("--url", etherpad, "--apikey", StandInEtherpad.APIKEY, "--to", server.http,
                       "--pads", "ep-simple,ep-unicode")  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == [
        "[1/2] ep-simple: already in PolicyPad, skipped",
        "[2/2] ep-unicode: already in PolicyPad, skipped",
        "done: 0 imported, 2 skipped, 0 failed",
    ]
    assert httpx.get(f"{server.http}/api/pads/ep-unicode", headers=AUTH).json() == pad


def test_the_command_says_why_it_cannot_start(server: ServerProcess, etherpad: str) -> None:
    wrong = run_import("--url", etherpad, "--apikey", "wrong", "--to", server.http)
    assert wrong.returncode == 2
    assert wrong.stderr.strip() == (
        "policypad import-etherpad: Etherpad refused listAllPads: no or wrong API Key"
    )
    nowhere = run_import("--url", "http://127.0.0.1:9", "--apikey", "x", "--to", server.http)
    assert nowhere.returncode == 2 and "http://127.0.0.1:9/api/1.3.0/listAllPads" in nowhere.stderr
