"""Documents in and out over REST against a real server: uploading DOCX and ODT files to
create or replace a pad, and `GET /api/pads/{id}/export` in every format at any revision."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator

import httpx
import jwt
import pypdf
import pytest

from policypad.document import Document, Schema
from policypad.formats import MEDIA_TYPES, read_document
from policypad.formats.images import data_url_bytes
from policypad.formats.manual import data_url
from policypad.images.urls import digest_of, image_url
from tests.support.formats import FIXTURES
from tests.support.server import ServerProcess
from tests.support.word_manual import IMAGE, WORD_MANUAL_HTML, word_manual

SECRET = "documents-test-secret-long-enough-for-hs256"
API_KEY = "documents-test-api-key-long-enough-for-the-check"
MAX_IMPORT = 300_000
KEY = {"Authorization": f"Bearer {API_KEY}"}
DOCX = MEDIA_TYPES["docx"]
ODT = MEDIA_TYPES["odt"]
SERVER_SCHEMA = Schema()
"""The server's schema: a pad holds its images as their stored URLs."""
FILE_SCHEMA = Schema(allow_data_images=True)
"""How a file's pictures read back: `data:` URLs of their bytes."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(
        tmp_path_factory.mktemp("documents"),
        env={
            "POLICYPAD_SECRET": SECRET,
            "POLICYPAD_API_KEY": API_KEY,
            "POLICYPAD_MAX_IMPORT_BYTES": str(MAX_IMPORT),
            "POLICYPAD_COMMITS_PER_SECOND": "1000",
        },
    ).start()
    yield process
    process.stop()


def _token(pad: str, perm: str = "read") -> dict[str, str]:
    claims = {"sub": "u1", "name": "Uma", "pad": pad, "perm": perm, "exp": int(time.time()) + 60}
    return {"Authorization": f"Bearer {jwt.encode(claims, SECRET, algorithm='HS256')}"}


def _upload(server: ServerProcess, pad: str, data: bytes, media: str) -> httpx.Response:
    return httpx.post(
        f"{server.http}/api/pads",
        params={"id": pad},
        content=data,
        headers={**KEY, "content-type": media},
        timeout=30,
    )


def _html(server: ServerProcess, pad: str, rev: int | None = None) -> str:
    params = {"format": "html"} | ({"rev": str(rev)} if rev is not None else {})
    response = httpx.get(f"{server.http}/api/pads/{pad}/content", params=params, headers=KEY)
    assert response.status_code == 200, response.text
    # parsed and rendered again: the server's HTML splits a formatted run where its
    # authors change (draft text kept under new text), which is the same model
    html = Document.from_html(response.json()["html"], SERVER_SCHEMA)
    return html.to_html(schema=SERVER_SCHEMA)


def _word_manual_html(pad: str) -> str:
    """The manual as the pad holds it: its picture kept for the pad, by content address."""
    html = WORD_MANUAL_HTML.format(image=image_url(pad, digest_of(IMAGE)))
    return Document.from_html(html, SERVER_SCHEMA).to_html(schema=SERVER_SCHEMA)


def _word_manual_file_html() -> str:
    """The manual as a file exported from the pad reads back: the picture's own bytes."""
    html = WORD_MANUAL_HTML.format(image=data_url(IMAGE))
    return Document.from_html(html, FILE_SCHEMA).to_html(schema=FILE_SCHEMA)


def test_a_docx_upload_creates_a_pad_with_its_content(server: ServerProcess) -> None:
    created = _upload(server, "word-manual", word_manual(), DOCX)
    assert created.status_code == 201, created.text
    assert created.json() == {"id": "word-manual", "rev": 0}
    assert _html(server, "word-manual") == _word_manual_html("word-manual")
    picture = httpx.get(f"{server.http}{image_url('word-manual', digest_of(IMAGE))}", headers=KEY)
    assert picture.status_code == 200 and picture.content == IMAGE
    assert picture.headers["content-type"] == "image/png"
    again = _upload(server, "word-manual", word_manual(), DOCX)
    assert again.status_code == 409


def test_an_odt_sent_as_octet_stream_is_known_by_its_bytes(server: ServerProcess) -> None:
    data = (FIXTURES / "manual-libreoffice.odt").read_bytes()
    created = _upload(server, "lo-manual", data, "application/octet-stream")
    assert created.status_code == 201, created.text
    in_file = read_document(data, "odt", FILE_SCHEMA).to_html(schema=FILE_SCHEMA)
    pictures = set(re.findall(r'src="(data:[^"]+)"', in_file))
    assert len(pictures) == 1  # the manual's one picture, on every page
    stored = image_url("lo-manual", digest_of(data_url_bytes(pictures.pop()) or b""))
    expected = re.sub(r'src="data:[^"]+"', f'src="{stored}"', in_file)
    assert _html(server, "lo-manual") == expected
    assert "<h6>Finer print</h6>" in expected and "<table>" in expected


def test_a_file_replaces_a_pads_content_as_one_revision(server: ServerProcess) -> None:
    created = httpx.post(
        f"{server.http}/api/pads", json={"id": "replaced", "text": "draft"}, headers=KEY
    )
    assert created.status_code == 201
    replaced = httpx.put(
        f"{server.http}/api/pads/replaced/content",
        content=word_manual(),
        headers={**KEY, "content-type": DOCX},
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json() == {"rev": 1}
    assert _html(server, "replaced") == _word_manual_html("replaced")
    assert _html(server, "replaced", rev=0) == "<p>draft</p>"
    read_only = httpx.put(
        f"{server.http}/api/pads/replaced/content",
        content=word_manual(),
        headers={**_token("replaced", "edit"), "content-type": DOCX},
    )
    assert read_only.status_code == 401  # replacing content is the host's (API key) call


@pytest.mark.parametrize("fmt", ["docx", "odt", "pdf", "html", "md", "txt"])
def test_export_at_any_revision(server: ServerProcess, fmt: str) -> None:
    pad = f"export-{fmt}"
    assert _upload(server, pad, word_manual(), DOCX).status_code == 201
    changed = httpx.put(
        f"{server.http}/api/pads/{pad}/content",
        json={"html": "<h1>Second draft</h1><p>Only this</p>"},
        headers=KEY,
    )
    assert changed.json() == {"rev": 1}
    second = "<h1>Second draft</h1><p>Only this</p>"
    for rev, html in ((0, _word_manual_html(pad)), (1, second)):
        response = httpx.get(
            f"{server.http}/api/pads/{pad}/export",
            params={"format": fmt, "rev": rev},
            headers=KEY,
            timeout=60,
        )
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == MEDIA_TYPES[fmt]
        assert response.headers["content-disposition"] == (
            f'attachment; filename="{pad}-r{rev}.{fmt}"'
        )
        assert response.headers["x-policypad-rev"] == str(rev)
        expected = Document.from_html(html, SERVER_SCHEMA)
        body = response.content
        if fmt in ("docx", "odt"):
            # the stored picture's bytes went into the file
            back = read_document(body, fmt, FILE_SCHEMA).to_html(schema=FILE_SCHEMA)
            assert back == (_word_manual_file_html() if rev == 0 else second)
        elif fmt == "pdf":
            reader = pypdf.PdfReader(io.BytesIO(body))
            text = "\n".join(page.extract_text() for page in reader.pages)
            first = "Leave policy" if rev == 0 else "Second draft"
            assert text.splitlines()[0].strip() == first
            pictures = [image for page in reader.pages for image in page.images]
            assert len(pictures) == (1 if rev == 0 else 0)
        elif fmt == "html":
            assert html in body.decode() and body.decode().startswith("<!DOCTYPE html>")
            assert f"<title>{pad} (revision {rev})</title>" in body.decode()
        elif fmt == "md":
            assert body.decode() == expected.to_markdown(SERVER_SCHEMA)
        else:
            assert body.decode() == expected.to_text()
    head = httpx.get(f"{server.http}/api/pads/{pad}/export?format={fmt}", headers=KEY)
    assert head.headers["x-policypad-rev"] == "1"


def test_export_needs_read_access_to_the_pad(server: ServerProcess) -> None:
    assert _upload(server, "private", word_manual(), DOCX).status_code == 201
    url = f"{server.http}/api/pads/private/export?format=txt"
    assert httpx.get(url).status_code == 401
    assert httpx.get(url, headers=_token("another-pad")).status_code == 401
    allowed = httpx.get(url, headers=_token("private", "read"))
    assert allowed.status_code == 200 and allowed.text.startswith("Leave policy\n")


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("format=rtf", 422, "bad_parameter"),
        ("format=docx&rev=99", 404, None),
        ("format=docx&rev=x", 422, "bad_parameter"),
        ("format=docx&rev=-1", 422, "bad_parameter"),
    ],
)
def test_export_errors(server: ServerProcess, query: str, status: int, code: str | None) -> None:
    if httpx.get(f"{server.http}/api/pads/errors", headers=KEY).status_code == 404:
        assert _upload(server, "errors", word_manual(), DOCX).status_code == 201
    response = httpx.get(f"{server.http}/api/pads/errors/export?{query}", headers=KEY)
    assert response.status_code == status
    assert response.json()["error"]["code"] == (code or response.json()["error"]["code"])
    missing = httpx.get(f"{server.http}/api/pads/no-such-pad/export?format=docx", headers=KEY)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "pad_not_found"


@pytest.mark.parametrize(
    ("data", "media", "status", "code"),
    [
        (b"this is not a word file", DOCX, 422, "bad_file"),
        (b"PK\x03\x04 truncated", ODT, 422, "bad_file"),
        (b"", DOCX, 422, "bad_file"),
        (b"plain bytes of something else", "application/octet-stream", 415, None),
        (b"a,b\n1,2\n", "text/csv", 415, None),
        (b"x" * (MAX_IMPORT + 1), DOCX, 413, None),
    ],
    ids=["garbage-docx", "truncated-odt", "empty", "unknown-bytes", "csv", "over-the-limit"],
)
def test_upload_errors_are_clear(
    server: ServerProcess, data: bytes, media: str, status: int, code: str | None
) -> None:
    response = _upload(server, "never-created", data, media)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["message"]
    if code:
        assert error["code"] == code
    assert httpx.get(f"{server.http}/api/pads/never-created", headers=KEY).status_code == 404


def test_a_file_within_the_upload_limit_is_larger_than_a_json_body(
    server: ServerProcess, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # file uploads get the import limit, JSON bodies the (smaller) request limit
    small = ServerProcess(
        tmp_path_factory.mktemp("limits"),
        env={"POLICYPAD_MAX_REQUEST_BYTES": "2000", "POLICYPAD_MAX_IMPORT_BYTES": "200000"},
    ).start()
    try:
        data = word_manual()
        assert 2000 < len(data) < 200_000
        assert _upload(small, "big-enough", data, DOCX).status_code == 201
        text = httpx.post(f"{small.http}/api/pads", json={"id": "j", "text": "x" * 3000})
        assert text.status_code == 413
    finally:
        small.stop()


def test_a_picture_over_the_image_limit_fails_the_upload_whole(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    small = ServerProcess(
        tmp_path_factory.mktemp("images"), env={"POLICYPAD_MAX_IMAGE_BYTES": str(len(IMAGE) - 1)}
    ).start()
    try:
        refused = _upload(small, "pictured", word_manual(), DOCX)
        assert refused.status_code == 413, refused.text
        assert refused.json()["error"]["code"] == "image_too_large"
        assert httpx.get(f"{small.http}/api/pads/pictured").status_code == 404
    finally:
        small.stop()


def test_the_openapi_document_lists_the_export(server: ServerProcess) -> None:
    spec = httpx.get(f"{server.http}/api/openapi.json").json()
    export = spec["paths"]["/api/pads/{pad_id}/export"]["get"]
    assert set(export["responses"]["200"]["content"]) == {
        media.split(";")[0] for media in MEDIA_TYPES.values()
    }
    upload = spec["paths"]["/api/pads"]["post"]["requestBody"]["content"]
    assert {DOCX, ODT, "application/octet-stream"} <= set(upload)
