"""Images against a real `policypad serve` on a SQLite file: upload, serving headers,
refusals, who may read and upload, data: images in imported HTML and in a joining
editor's seed, the size limit, and a host's own image store."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from policypad.tokens import mint
from tests.support import images
from tests.support.image_scenarios import (
    data_url,
    html_imports_keep_images,
    new_pad,
    refusals,
    upload_and_serve,
)
from tests.support.padclient import PadClient
from tests.support.server import ServerProcess, bearer

SECRET = "image-test-secret-long-enough-for-hs256"
API_KEY = "image-test-api-key-long-enough-for-the-check"
KEY = {"Authorization": f"Bearer {API_KEY}"}
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(
        tmp_path_factory.mktemp("secured"),
        env={"POLICYPAD_SECRET": SECRET, "POLICYPAD_API_KEY": API_KEY},
    ).start()
    yield process
    process.stop()


def test_upload_and_serve(server: ServerProcess) -> None:
    upload_and_serve(server)


def test_refusals(server: ServerProcess) -> None:
    refusals(server)


def test_html_imports_keep_images(server: ServerProcess) -> None:
    html_imports_keep_images(server)


def test_an_image_of_a_deleted_pad_is_served_but_none_is_added(server: ServerProcess) -> None:
    pad_id = new_pad(server)
    stored = httpx.post(f"{server.http}/api/pads/{pad_id}/images", content=images.gif()).json()
    assert httpx.delete(f"{server.http}/api/pads/{pad_id}").status_code == 204
    assert httpx.get(f"{server.http}{stored['url']}").content == images.gif()
    refused = httpx.post(f"{server.http}/api/pads/{pad_id}/images", content=images.png())
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "pad_deleted"


def test_the_size_limit(tmp_path: Path) -> None:
    limit = 2_000
    server = ServerProcess(tmp_path, env={"POLICYPAD_MAX_IMAGE_BYTES": str(limit)}).start()
    try:
        pad_id = new_pad(server)
        url = f"{server.http}/api/pads/{pad_id}/images"
        small = images.jpeg(64, 64)
        large = images.jpeg(1200, 400)
        assert len(small) <= limit < len(large)
        assert httpx.post(url, content=small).status_code == 201
        refused = httpx.post(url, content=large)
        assert refused.status_code == 413
        assert refused.json()["error"] == {
            "code": "image_too_large", "message": f"images are limited to {limit} bytes",
        }  # fmt: skip

        def streamed() -> Iterator[bytes]:  # no Content-Length: cut off while it arrives
            yield large[:1000]
            yield large[1000:]

        cut = httpx.post(url, content=streamed())
        assert cut.status_code == 413 and cut.json()["error"]["code"] == "image_too_large"
        html = f'<img src="{data_url(large)}">'
        imported = httpx.put(f"{server.http}/api/pads/{pad_id}/content", json={"html": html})
        assert imported.status_code == 413
        assert imported.json()["error"]["code"] == "image_too_large"
        assert "limited to 2,000" in imported.json()["error"]["message"]
    finally:
        server.stop()


@pytest.mark.asyncio
async def test_who_may_upload_and_read_on_a_secured_server(secured: ServerProcess) -> None:
    pad_id = new_pad(secured, KEY)
    base = f"{secured.http}/api/pads/{pad_id}/images"
    editor = mint(SECRET, "ann", pad=pad_id, perm="edit")
    reader = mint(SECRET, "bob", pad=pad_id, perm="read")
    stranger = mint(SECRET, "eve", pad="another-pad", perm="edit")
    png = images.png()
    assert httpx.post(base, content=png).status_code == 401
    assert httpx.post(base, content=png, headers=bearer(stranger)).status_code == 401
    read_only = httpx.post(base, content=png, headers=bearer(reader))
    assert read_only.status_code == 403 and read_only.json()["error"]["code"] == "read_only"
    uploaded = httpx.post(base, content=png, headers=bearer(editor))
    assert uploaded.status_code == 201
    url = f"{secured.http}{uploaded.json()['url']}"
    assert httpx.post(base, content=images.gif(), headers=KEY).status_code == 201

    assert httpx.get(url).status_code == 401
    assert httpx.get(url, headers=bearer(stranger)).status_code == 401
    for headers in (KEY, bearer(reader), bearer(editor)):
        assert httpx.get(url, headers=headers).content == png
    # a page's <img> sends no header: the joined message gives the pad's access token
    client = PadClient(secured.ws, pad_id, token=reader)
    joined = await client.connect()
    await client.close()
    access = joined["imageToken"]
    assert httpx.get(f"{url}?access={access}").content == png
    expires, _, mac = access.partition(".")
    assert httpx.get(f"{url}?access={int(expires) + 1}.{mac}").status_code == 401
    other_pad = new_pad(secured, KEY)
    other = PadClient(secured.ws, other_pad, token=mint(SECRET, "bob", pad=other_pad, perm="read"))
    other_access = (await other.connect())["imageToken"]
    await other.close()
    assert httpx.get(f"{url}?access={other_access}").status_code == 401
    assert httpx.get(f"{url}?access={reader}").status_code == 401  # a JWT is no access token
    # a page on an origin that is not allowed may not use the API, images included
    foreign = httpx.post(
        base, content=png, headers={**bearer(editor), "Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403


@pytest.mark.asyncio
async def test_an_open_server_needs_no_access_token(server: ServerProcess) -> None:
    pad_id = new_pad(server)
    client = PadClient(server.ws, pad_id)
    joined = await client.connect()
    await client.close()
    assert "imageToken" not in joined


@pytest.mark.asyncio
async def test_a_joining_editors_seed_keeps_its_images(secured: ServerProcess) -> None:
    """A pad created by an editor's first join starts with what the editor held, its
    pasted pictures stored; a bad one refuses the join (the editor keeps its content)."""
    png = images.png(6, 2)
    pad_id = f"img-seed-{uuid.uuid4().hex[:8]}"
    token = mint(SECRET, "ann", pad=pad_id, perm="edit", create=True)
    client = PadClient(secured.ws, pad_id, token=token)
    client.join_extra = {"create": True, "seed": f'<p>Seen <img src="{data_url(png)}"></p>'}
    await client.connect()
    await client.close()
    html = httpx.get(f"{secured.http}/api/pads/{pad_id}/content", headers=KEY).json()["html"]
    src = html.split('src="')[1].split('"')[0]
    assert src.startswith(f"/api/pads/{pad_id}/images/")
    assert httpx.get(f"{secured.http}{src}", headers=KEY).content == png

    refused_pad = f"img-seed-{uuid.uuid4().hex[:8]}"
    token = mint(SECRET, "ann", pad=refused_pad, perm="edit", create=True)
    client = PadClient(secured.ws, refused_pad, token=token)
    client.join_extra = {"create": True, "seed": f'<img src="{data_url(images.SVG)}">'}
    with pytest.raises(RuntimeError, match="image_svg"):
        await client.connect()
    assert httpx.get(f"{secured.http}/api/pads/{refused_pad}", headers=KEY).status_code == 404


def test_a_host_keeps_images_in_its_own_store(tmp_path: Path) -> None:
    folder = tmp_path / "host-images"
    folder.mkdir()
    server = ServerProcess(
        tmp_path,
        env={
            "POLICYPAD_IMAGE_STORE": "tests.support.image_hook:store",
            "POLICYPAD_TEST_IMAGE_DIR": str(folder),
            "PYTHONPATH": str(ROOT),
        },
    ).start()
    try:
        pad_id = new_pad(server)
        gif = images.gif()
        uploaded = httpx.post(f"{server.http}/api/pads/{pad_id}/images", content=gif)
        assert uploaded.status_code == 201
        url = uploaded.json()["url"]
        assert url.startswith(f"https://cdn.example.test/{pad_id}-") and url.endswith(".gif")
        assert (folder / url.rsplit("/", 1)[1]).read_bytes() == gif
        svg = httpx.post(f"{server.http}/api/pads/{pad_id}/images", content=images.SVG)
        assert svg.status_code == 415
        put = httpx.put(
            f"{server.http}/api/pads/{pad_id}/content",
            json={"html": f'<p><img src="{data_url(images.webp())}"></p>'},
        )
        assert put.status_code == 200
        html = httpx.get(f"{server.http}/api/pads/{pad_id}/content").json()["html"]
        assert html.startswith('<p><img src="https://cdn.example.test/') and ".webp" in html
        assert len(list(folder.iterdir())) == 2
    finally:
        server.stop()


def test_a_hook_that_does_not_load_stops_the_server(tmp_path: Path) -> None:
    server = ServerProcess(
        tmp_path,
        env={"POLICYPAD_IMAGE_STORE": "tests.support.image_hook:blocking_store",
             "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    with pytest.raises(RuntimeError, match="must be an async function"):
        server.start(timeout_seconds=10)
    deadline = time.monotonic() + 5
    assert server.process is not None
    while server.process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.process is not None and server.process.returncode == 2
