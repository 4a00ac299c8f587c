"""The REST API against a real server."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.support.padclient import PadClient
from tests.support.server import ServerProcess


def test_create_get_delete(server: ServerProcess) -> None:
    created = httpx.post(
        f"{server.http}/api/pads", json={"id": "rest-a", "html": "<h1>T</h1><p>x</p>"}
    )
    assert created.status_code == 201 and created.json() == {"id": "rest-a", "rev": 0}
    assert httpx.post(f"{server.http}/api/pads", json={"id": "rest-a"}).status_code == 409
    pad = httpx.get(f"{server.http}/api/pads/rest-a").json()
    assert pad["rev"] == 0 and pad["authors"] == ["a.api"] and pad["deleted"] is False
    generated = httpx.post(f"{server.http}/api/pads", json={}).json()
    assert len(generated["id"]) == 12
    assert httpx.delete(f"{server.http}/api/pads/rest-a").status_code == 204
    assert httpx.get(f"{server.http}/api/pads/rest-a").json()["deleted"] is True
    assert (
        httpx.get(f"{server.http}/api/pads/rest-a/content?format=text").json()["text"] == "T\nx\n"
    )


def test_errors_are_json(server: ServerProcess, pad: str) -> None:
    missing = httpx.get(f"{server.http}/api/pads/nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "pad_not_found"
    for url in (f"/api/pads/{pad}/revisions?since=x", f"/api/pads/{pad}/content?format=pdf",
                f"/api/pads/{pad}/diff", f"/api/pads/{pad}/revisions?limit=0"):  # fmt: skip
        response = httpx.get(server.http + url)
        assert response.status_code == 422, url
        assert response.json()["error"]["code"]
    assert httpx.post(f"{server.http}/api/pads", content=b"{nope").status_code == 422
    assert httpx.post(f"{server.http}/api/pads", json={"id": "bad id!"}).status_code == 422
    assert httpx.get(f"{server.http}/api/pads/{pad}/revisions/99").status_code == 404
    assert httpx.get(f"{server.http}/api/pads/{pad}/content?rev=99").status_code == 404


@pytest.mark.asyncio
async def test_put_content_is_one_revision_pushed_to_clients(
    server: ServerProcess, pad: str
) -> None:
    client = PadClient(server.ws, pad)
    await client.connect()
    response = httpx.put(
        f"{server.http}/api/pads/{pad}/content", json={"html": "<p>hello <b>big</b> world</p>"}
    )
    assert response.json() == {"rev": 1}
    revision = await client.wait_for(lambda m: m["type"] == "revision")
    assert revision["rev"] == 1
    await client.wait_until(lambda: client.text == "hello big world\n")
    # the same content again is no new revision
    assert (
        httpx.put(f"{server.http}/api/pads/{pad}/content", json={"text": "hello big world"}).json()[
            "rev"
        ]
        == 2
    )
    assert (
        httpx.put(f"{server.http}/api/pads/{pad}/content", json={"text": "hello big world"}).json()[
            "rev"
        ]
        == 2
    )
    await client.close()


def test_history_content_diff_restore(server: ServerProcess, pad: str) -> None:
    base = f"{server.http}/api/pads/{pad}"
    httpx.put(f"{base}/content", json={"markdown": "# Title\n\n- one\n- two\n"})
    httpx.put(f"{base}/content", json={"markdown": "# Title\n\n- one\n- 1.5\n- two\n"})
    revisions = httpx.get(f"{base}/revisions").json()["revisions"]
    assert [r["rev"] for r in revisions] == [0, 1, 2]
    assert revisions[2]["added"] == 4 and revisions[2]["removed"] == 0
    assert httpx.get(f"{base}/revisions?since=2").json()["revisions"][0]["rev"] == 2
    assert httpx.get(f"{base}/content?rev=0&format=text").json()["text"] == "hello world\n"
    assert (
        httpx.get(f"{base}/content?rev=1").json()["html"]
        == "<h1>Title</h1><ul><li>one</li><li>two</li></ul>"
    )
    assert "- 1.5" in httpx.get(f"{base}/content?rev=2&format=markdown").json()["markdown"]
    atext = httpx.get(f"{base}/content?format=atext").json()
    assert atext["atext"]["text"] == "Title\none\n1.5\ntwo\n"
    diff = httpx.get(f"{base}/diff?from=1&to=2").json()["html"]
    assert '<li data-pp-change="ins"><ins>1.5</ins></li>' in diff
    restored = httpx.post(f"{base}/restore", json={"rev": 0}).json()
    assert restored == {"rev": 3}
    assert httpx.get(f"{base}/content?format=text").json()["text"] == "hello world\n"
    assert httpx.get(f"{base}/content?rev=2&format=text").json()["text"] == "Title\none\n1.5\ntwo\n"
    assert httpx.post(f"{base}/restore", json={"rev": "x"}).status_code == 422


def test_openapi_document(server: ServerProcess) -> None:
    spec = httpx.get(f"{server.http}/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "/api/pads/{pad_id}/diff" in spec["paths"]


def _author_runs(server: ServerProcess, pad: str) -> list[tuple[str, str]]:
    """The document's text as (text, author) runs, from its AText."""
    body = httpx.get(f"{server.http}/api/pads/{pad}/content?format=atext").json()
    pool = {int(num): tuple(pair) for num, pair in body["pool"]["numToAttrib"].items()}
    text, attribs = body["atext"]["text"], body["atext"]["attribs"]
    runs: list[tuple[str, str]] = []
    position = 0
    for op in re.finditer(r"((?:\*[0-9a-z]+)*)(?:\|([0-9a-z]+))?\+([0-9a-z]+)", attribs):
        length = int(op.group(3), 36)
        author = ""
        for num in re.findall(r"\*([0-9a-z]+)", op.group(1)):
            key, value = pool[int(num, 36)]
            if key == "author":
                author = value
        piece = text[position : position + length]
        position += length
        if runs and runs[-1][1] == author:
            runs[-1] = (runs[-1][0] + piece, author)
        else:
            runs.append((piece, author))
    return runs


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("fmt", "edit"),
    [
        ("html", lambda html: html + "<p>added by the API</p>"),
        ("markdown", lambda markdown: markdown + "\nadded by the API\n"),
        ("text", lambda text: text + "added by the API\n"),
    ],
)
async def test_writing_content_back_keeps_every_earlier_author(
    server: ServerProcess, fmt: str, edit: object
) -> None:
    """Read the document, add a paragraph, write it back: the text that was there keeps
    its authors (it used to lose them all); only the new paragraph is the API's."""
    pad = f"authors-{fmt}"
    httpx.post(f"{server.http}/api/pads", json={"id": pad, "text": ""})
    alice, bob = PadClient(server.ws, pad), PadClient(server.ws, pad)
    await alice.connect()
    await bob.connect()
    await alice.splice(0, 0, "Alice wrote this.")
    await alice.wait_until(lambda: alice.idle)
    await bob.wait_until(lambda: bob.rev == alice.rev)
    await bob.splice(len(bob.text) - 1, 0, " Bob added this.")
    await bob.wait_until(lambda: bob.idle)
    before = _author_runs(server, pad)
    assert [author for _, author in before] == [alice.author, bob.author, ""]
    content = httpx.get(f"{server.http}/api/pads/{pad}/content?format={fmt}").json()[fmt]
    put = httpx.put(f"{server.http}/api/pads/{pad}/content", json={fmt: edit(content)})
    assert put.status_code == 200
    after = _author_runs(server, pad)
    assert after[:2] == before[:2]
    rest = after[2:]
    assert "".join(text for text, _ in rest) == "\nadded by the API\n"
    assert ("added by the API", "a.api") in [(t.strip("\n"), a) for t, a in rest]
    restored = httpx.post(f"{server.http}/api/pads/{pad}/restore", json={"rev": 0})
    assert restored.status_code == 200
    assert _author_runs(server, pad) == [("\n", "")]
    again = httpx.post(f"{server.http}/api/pads/{pad}/restore", json={"rev": put.json()["rev"] - 1})
    assert again.status_code == 200
    assert _author_runs(server, pad) == before  # restore gives text back its own authors
    for client in (alice, bob):
        await client.close()


def test_the_openapi_document_declares_every_route_and_only_those(server: ServerProcess) -> None:
    """The document is made from web/api_spec.py: every /api route the app serves is
    declared there (method and path), and nothing else is."""
    from policypad.settings import Settings
    from policypad.web import create_app

    served = set()
    for route in create_app(Settings()).routes:
        path = getattr(route, "path", "")
        if path.startswith("/api"):
            for method in getattr(route, "methods", None) or {"GET"}:
                if method != "HEAD":
                    served.add((method, path.replace(":int}", "}")))
    spec = httpx.get(f"{server.http}/api/openapi.json").json()
    declared = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    assert declared == served
    version = spec["components"]["schemas"]["NewVersion"]
    assert version["required"] == ["rev", "label"]
    assert spec["paths"]["/api/pads/{pad_id}/restore"]["post"]["security"] == [
        {"apiKey": []}, {"padToken": []},
    ]  # fmt: skip
