"""Named versions and the history a user's token may read (the timeslider's API)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from policypad.tokens import mint
from tests.support.padclient import PadClient
from tests.support.server import ServerProcess, bearer

SECRET = "versions-test-secret-that-is-long-enough"
API_KEY = "versions-test-api-key-that-is-long-enough"
AUTH = {"Authorization": f"Bearer {API_KEY}"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(
        tmp_path_factory.mktemp("versions"),
        env={"POLICYPAD_SECRET": SECRET, "POLICYPAD_API_KEY": API_KEY},
    ).start()
    yield process
    process.stop()


@pytest.fixture
def pad(server: ServerProcess) -> str:
    pad_id = f"v{time.monotonic_ns()}"
    assert httpx.post(f"{server.http}/api/pads", json={"id": pad_id, "text": "v0"},
                      headers=AUTH).status_code == 201  # fmt: skip
    return pad_id


async def _write(server: ServerProcess, pad: str, texts: list[str]) -> None:
    client = PadClient(server.ws, pad, token=mint(SECRET, "writer", pad=pad))
    await client.connect()
    for text in texts:
        await client.splice(len(client.text) - 1, 0, text)
        await client.wait_until(lambda: client.idle)
    await client.close()


@pytest.mark.asyncio
async def test_versions_are_named_listed_found_by_time_and_removed(
    server: ServerProcess, pad: str
) -> None:
    await _write(server, pad, [" one", " two"])
    editor = bearer(mint(SECRET, "ed", pad=pad, name="Ed"))
    url = f"{server.http}/api/pads/{pad}/versions"
    first = httpx.post(url, json={"rev": 1, "label": "Draft", "note": "for review"},
                       headers=editor)  # fmt: skip
    assert first.status_code == 201
    body = first.json()
    assert (body["rev"], body["label"], body["note"], body["author"]) == (
        1, "Draft", "for review", "a.ed",
    )  # fmt: skip
    time.sleep(0.01)
    approved = httpx.post(url, json={"rev": 2, "label": "Approved by committee 2026-03"},
                          headers=AUTH).json()  # fmt: skip
    listed = httpx.get(url, headers=bearer(mint(SECRET, "rd", pad=pad, perm="read"))).json()
    assert [v["label"] for v in listed["versions"]] == ["Draft", "Approved by committee 2026-03"]
    assert approved["author"] == "a.api"
    between = (body["time"] + approved["time"]) // 2
    if approved["time"] > body["time"]:
        at = httpx.get(f"{url}/at?time={between}", headers=AUTH).json()["version"]
        assert at["label"] == "Draft"
    latest = httpx.get(f"{url}/at?time={approved['time'] + 1}", headers=AUTH).json()
    assert latest["version"]["label"] == "Approved by committee 2026-03"
    before = httpx.get(f"{url}/at?time={body['time'] - 1}", headers=AUTH)
    assert before.status_code == 404 and before.json()["error"]["code"] == "no_version"
    content = httpx.get(f"{server.http}/api/pads/{pad}/content?rev={approved['rev']}&format=text",
                        headers=editor).json()  # fmt: skip
    assert content["text"] == "v0 one two\n"
    assert httpx.delete(f"{url}/{body['id']}", headers=editor).status_code == 204
    assert [v["label"] for v in httpx.get(url, headers=AUTH).json()["versions"]] == [
        "Approved by committee 2026-03"
    ]
    assert httpx.delete(f"{url}/{body['id']}", headers=editor).status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"rev": 99, "label": "x"}, 404, "revision_not_found"),
        ({"rev": -1, "label": "x"}, 422, "bad_rev"),
        ({"rev": "1", "label": "x"}, 422, "bad_rev"),
        ({"rev": 0, "label": "   "}, 422, "bad_label"),
        ({"rev": 0}, 422, "bad_label"),
        ({"rev": 0, "label": "x" * 201}, 422, "bad_label"),
        ({"rev": 0, "label": "tab\x07bell"}, 422, "bad_label"),
        ({"rev": 0, "label": "ok", "note": 5}, 422, "bad_note"),
        ({"rev": 0, "label": "ok", "note": "n" * 10_001}, 422, "bad_note"),
    ],
)
def test_bad_versions_get_clear_errors(
    server: ServerProcess, pad: str, body: dict, status: int, code: str
) -> None:
    response = httpx.post(f"{server.http}/api/pads/{pad}/versions", json=body, headers=AUTH)
    assert response.status_code == status and response.json()["error"]["code"] == code


def test_labels_are_unique_and_tokens_are_checked(server: ServerProcess, pad: str) -> None:
    url = f"{server.http}/api/pads/{pad}/versions"
    assert httpx.post(url, json={"rev": 0, "label": "Final"}, headers=AUTH).status_code == 201
    again = httpx.post(url, json={"rev": 0, "label": "Final"}, headers=AUTH)
    assert again.status_code == 409 and again.json()["error"]["code"] == "label_taken"
    reader = bearer(mint(SECRET, "rd", pad=pad, perm="read"))
    refused = httpx.post(url, json={"rev": 0, "label": "Mine"}, headers=reader)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "read_only"
    other_pad = bearer(mint(SECRET, "ed", pad="another-pad"))
    assert httpx.get(url, headers=other_pad).status_code == 401
    assert httpx.get(url).status_code == 401
    assert httpx.post(f"{server.http}/api/pads/{pad}/restore", json={"rev": 0},
                      headers=reader).status_code == 403  # fmt: skip
    # a user's token reads history but never does the host's work
    assert httpx.put(f"{server.http}/api/pads/{pad}/content", json={"text": "x"},
                     headers=bearer(mint(SECRET, "ed", pad=pad))).status_code == 401  # fmt: skip
    assert httpx.get(f"{server.http}/api/pads", headers=reader).status_code == 401


@pytest.mark.asyncio
async def test_a_restore_by_a_user_is_that_users_revision(server: ServerProcess, pad: str) -> None:
    await _write(server, pad, [" more"])
    editor = bearer(mint(SECRET, "restorer", pad=pad))
    restored = httpx.post(f"{server.http}/api/pads/{pad}/restore", json={"rev": 0}, headers=editor)
    assert restored.status_code == 200
    revisions = httpx.get(f"{server.http}/api/pads/{pad}/revisions", headers=AUTH).json()
    assert revisions["revisions"][-1]["author"] == "a.restorer"
    text = httpx.get(f"{server.http}/api/pads/{pad}/content?format=text", headers=editor).json()
    assert text["text"] == "v0\n"


@pytest.mark.asyncio
async def test_the_timeline_gives_every_revisions_time_and_author(
    server: ServerProcess, pad: str
) -> None:
    await _write(server, pad, [" a", " b"])
    reader = bearer(mint(SECRET, "rd", pad=pad, perm="read"))
    timeline = httpx.get(f"{server.http}/api/pads/{pad}/timeline", headers=reader).json()
    assert timeline["head"] == 2 and timeline["authors"] == ["a.api", "a.writer"]
    assert timeline["by"] == [0, 1, 1] and timeline["times"][0] == 0
    assert all(delta >= 0 for delta in timeline["times"])
    revisions = httpx.get(f"{server.http}/api/pads/{pad}/revisions", headers=AUTH).json()
    assert timeline["start"] == revisions["revisions"][0]["time"]
    assert timeline["start"] + sum(timeline["times"]) == revisions["revisions"][-1]["time"]
