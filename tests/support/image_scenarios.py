"""What a server must do with images, run against a real server on SQLite
(tests/integration/test_images.py) and on PostgreSQL (test_postgres.py)."""

from __future__ import annotations

import base64
import uuid

import httpx

from tests.support import images
from tests.support.server import ServerProcess


def data_url(data: bytes, claimed: str = "image/png") -> str:
    return f"data:{claimed};base64,{base64.b64encode(data).decode()}"


def new_pad(server: ServerProcess, headers: dict[str, str] | None = None) -> str:
    pad_id = f"img-{uuid.uuid4().hex[:10]}"
    created = httpx.post(
        f"{server.http}/api/pads", json={"id": pad_id, "text": "x"}, headers=headers
    )
    assert created.status_code == 201, created.text
    return pad_id


def upload_and_serve(server: ServerProcess, headers: dict[str, str] | None = None) -> None:
    """An upload is sniffed (the claimed type is ignored), stored under its hash for its
    pad, served with the type of its bytes, nosniff, a sandboxing CSP and long caching."""
    pad_id = new_pad(server, headers)
    data = images.png(4, 3)
    claimed = {**(headers or {}), "Content-Type": "image/gif"}
    uploaded = httpx.post(f"{server.http}/api/pads/{pad_id}/images", content=data, headers=claimed)
    assert uploaded.status_code == 201, uploaded.text
    body = uploaded.json()
    digest = body["hash"]
    assert body == {
        "url": f"/api/pads/{pad_id}/images/{digest}", "hash": digest, "type": "image/png",
        "bytes": len(data), "width": 4, "height": 3,
    }  # fmt: skip
    served = httpx.get(f"{server.http}{body['url']}", headers=headers)
    assert served.status_code == 200 and served.content == data
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert "immutable" in served.headers["cache-control"]
    assert "max-age=31536000" in served.headers["cache-control"]
    assert served.headers["etag"] == f'"{digest}"'
    cached = httpx.get(
        f"{server.http}{body['url']}", headers={**(headers or {}), "If-None-Match": f'"{digest}"'}
    )
    assert cached.status_code == 304 and cached.content == b""
    again = httpx.post(f"{server.http}/api/pads/{pad_id}/images", content=data, headers=headers)
    assert again.status_code == 201 and again.json() == body
    # an image belongs to the pad it was stored for
    other = new_pad(server, headers)
    elsewhere = httpx.get(f"{server.http}/api/pads/{other}/images/{digest}", headers=headers)
    assert elsewhere.status_code == 404 and elsewhere.json()["error"]["code"] == "image_not_found"
    bad = httpx.get(f"{server.http}/api/pads/{pad_id}/images/not-a-hash", headers=headers)
    assert bad.status_code == 404
    for make in (images.jpeg, images.gif, images.webp):
        made = make()
        stored = httpx.post(
            f"{server.http}/api/pads/{pad_id}/images", content=made, headers=headers
        )
        assert stored.status_code == 201, stored.text
        served = httpx.get(f"{server.http}{stored.json()['url']}", headers=headers)
        assert served.content == made
        assert served.headers["content-type"] == stored.json()["type"]


def refusals(server: ServerProcess, headers: dict[str, str] | None = None) -> None:
    """Bad uploads get a JSON error with a code of their own, and nothing is stored."""
    pad_id = new_pad(server, headers)
    url = f"{server.http}/api/pads/{pad_id}/images"
    cases = [
        (images.SVG, 415, "image_svg"),
        (b"<html><script>alert(1)</script></html>", 415, "image_unknown_type"),
        (b"", 415, "image_unknown_type"),
        (images.png()[:-5], 422, "image_corrupt"),
        (b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>", 422, "image_corrupt"),
        (images.gif() + b"<script>alert(1)</script>", 422, "image_corrupt"),
    ]
    for data, status, code in cases:
        refused = httpx.post(url, content=data, headers=headers)
        assert refused.status_code == status, (data[:12], refused.text)
        assert refused.json()["error"]["code"] == code
    missing = httpx.post(
        f"{server.http}/api/pads/no-such-pad-{uuid.uuid4().hex[:6]}/images",
        content=images.png(),
        headers=headers,
    )
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "pad_not_found"


def html_imports_keep_images(server: ServerProcess, headers: dict[str, str] | None = None) -> None:
    """HTML given to the REST API has its data: images stored and rewritten to URLs; a bad
    image refuses the whole request and stores nothing."""
    png, gif = images.png(2, 2), images.gif(3, 3)
    pad_id = f"img-{uuid.uuid4().hex[:10]}"
    html = f'<h1>Report</h1><p>Chart: <img src="{data_url(png, "image/jpeg")}" alt="chart"></p>'
    created = httpx.post(
        f"{server.http}/api/pads", json={"id": pad_id, "html": html}, headers=headers
    )
    assert created.status_code == 201, created.text
    content = httpx.get(f"{server.http}/api/pads/{pad_id}/content", headers=headers).json()
    chart = _image_urls(content["html"])
    assert len(chart) == 1 and chart[0].startswith(f"/api/pads/{pad_id}/images/")
    assert content["html"] == f'<h1>Report</h1><p>Chart: <img src="{chart[0]}" alt="chart"></p>'
    assert httpx.get(f"{server.http}{chart[0]}", headers=headers).content == png

    replaced = httpx.put(
        f"{server.http}/api/pads/{pad_id}/content",
        json={"html": f'{html}<p><img src="{data_url(gif)}"></p>'},
        headers=headers,
    )
    assert replaced.status_code == 200, replaced.text
    urls = _image_urls(httpx.get(f"{server.http}/api/pads/{pad_id}/content", headers=headers)
                       .json()["html"])  # fmt: skip
    assert urls[0] == chart[0] and len(urls) == 2
    assert httpx.get(f"{server.http}{urls[1]}", headers=headers).content == gif
    markdown = httpx.put(
        f"{server.http}/api/pads/{pad_id}/content",
        json={"markdown": f"![g]({data_url(gif)})"},
        headers=headers,
    )
    assert markdown.status_code == 200
    text = httpx.get(f"{server.http}/api/pads/{pad_id}/content", headers=headers).json()["html"]
    assert text == f'<p><img src="{urls[1]}" alt="g"></p>'

    # one bad image: a clear error, no pad, no image
    bad_pad = f"img-{uuid.uuid4().hex[:10]}"
    fresh = images.png(7, 7, (1, 2, 3, 255))
    bad = f'<p><img src="{data_url(fresh)}"><img src="{data_url(images.SVG, "image/png")}"></p>'
    refused = httpx.post(
        f"{server.http}/api/pads", json={"id": bad_pad, "html": bad}, headers=headers
    )
    assert refused.status_code == 415
    assert refused.json()["error"] == {"code": "image_svg",
        "message": "image 2 of 2: SVG images are not accepted: they can run script"}  # fmt: skip
    assert httpx.get(f"{server.http}/api/pads/{bad_pad}", headers=headers).status_code == 404
    from policypad.images import digest_of

    never = f"{server.http}/api/pads/{bad_pad}/images/{digest_of(fresh)}"
    assert httpx.get(never, headers=headers).status_code == 404
    before = httpx.get(f"{server.http}/api/pads/{pad_id}", headers=headers).json()["rev"]
    cut = httpx.put(
        f"{server.http}/api/pads/{pad_id}/content",
        json={"html": f'<img src="{data_url(images.png()[:-4])}">'},
        headers=headers,
    )
    assert cut.status_code == 422 and cut.json()["error"]["code"] == "image_corrupt"
    assert httpx.get(f"{server.http}/api/pads/{pad_id}", headers=headers).json()["rev"] == before


def _image_urls(html: str) -> list[str]:
    from selectolax.lexbor import LexborHTMLParser

    return [node.attributes["src"] or "" for node in LexborHTMLParser(html).css("img")]
