"""What a host application needs from the server: pages on its own origin (CORS), pads
listed, pads created by a token's first join, tokens minted, clear start-up errors."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from policypad.tokens import mint
from tests.support.padclient import PadClient
from tests.support.server import ServerProcess

SECRET = "embedding-test-secret-that-is-long-enough"
API_KEY = "embedding-test-api-key-that-is-long-enough"
AUTH = {"Authorization": f"Bearer {API_KEY}"}
HOST_PAGE = "https://intranet.example"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(
        tmp_path_factory.mktemp("embedding"),
        env={"POLICYPAD_SECRET": SECRET, "POLICYPAD_API_KEY": API_KEY,
             "POLICYPAD_ALLOWED_ORIGINS": f"{HOST_PAGE}, https://other.example"},
    ).start()  # fmt: skip
    yield process
    process.stop()


def test_allowed_origins_get_cors_and_others_do_not(server: ServerProcess) -> None:
    preflight = httpx.options(
        f"{server.http}/api/pads",
        headers={"Origin": HOST_PAGE, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization, content-type"},
    )  # fmt: skip
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == HOST_PAGE
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
    module = httpx.get(
        f"{server.http}/static/client/js/policypad.js", headers={"Origin": HOST_PAGE}
    )
    assert module.status_code == 200
    assert module.headers["access-control-allow-origin"] == HOST_PAGE
    stranger = httpx.options(
        f"{server.http}/api/pads",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in stranger.headers
    refused = httpx.get(
        f"{server.http}/api/pads", headers={**AUTH, "Origin": "https://evil.example"}
    )
    assert refused.status_code == 403


def test_every_api_path_answers_json(server: ServerProcess) -> None:
    unknown = httpx.get(f"{server.http}/api/nothing/here", headers=AUTH)
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"
    wrong = httpx.patch(f"{server.http}/api/pads", headers=AUTH)
    assert wrong.status_code == 405 and wrong.json()["error"]["code"] == "method_not_allowed"


def test_pads_are_listed_by_prefix_a_page_at_a_time(server: ServerProcess) -> None:
    for name in ("list-a", "list-b", "list-c", "other-x", "list_d"):
        httpx.post(f"{server.http}/api/pads", json={"id": name}, headers=AUTH)
    first = httpx.get(f"{server.http}/api/pads?prefix=list-&limit=2", headers=AUTH).json()
    assert [pad["id"] for pad in first["pads"]] == ["list-a", "list-b"]
    assert first["next"] == "list-b"
    rest = httpx.get(
        f"{server.http}/api/pads?prefix=list-&limit=2&after={first['next']}", headers=AUTH
    ).json()
    assert [pad["id"] for pad in rest["pads"]] == ["list-c"] and rest["next"] is None
    assert rest["pads"][0]["rev"] == 0 and rest["pads"][0]["deleted"] is False
    underscore = httpx.get(f"{server.http}/api/pads?prefix=list_", headers=AUTH).json()
    assert [pad["id"] for pad in underscore["pads"]] == ["list_d"]  # `_` is no wildcard


@pytest.mark.asyncio
async def test_a_tokens_first_join_creates_the_pad_from_the_editor(server: ServerProcess) -> None:
    pad = f"created-{time.monotonic_ns()}"
    creator = PadClient(server.ws, pad, token=mint(SECRET, "ann", pad=pad, create=True))
    creator.join_extra = {"create": True, "seed": "<h1>Policy</h1><p>Existing <b>text</b></p>"
                          "<script>alert(1)</script>"}  # fmt: skip
    joined = await creator.connect()
    assert joined["atext"]["text"] == "Policy\nExisting text\n"
    html = httpx.get(f"{server.http}/api/pads/{pad}/content", headers=AUTH).json()["html"]
    assert html == "<h1>Policy</h1><p>Existing <strong>text</strong></p>"
    # a second editor's seed never overwrites the pad that exists
    second = PadClient(server.ws, pad, token=mint(SECRET, "bob", pad=pad, create=True))
    second.join_extra = {"create": True, "seed": "<p>something else</p>"}
    assert (await second.connect())["atext"]["text"] == "Policy\nExisting text\n"
    for client in (creator, second):
        await client.close()


@pytest.mark.asyncio
@pytest.mark.parametrize("claims", [{"create": False}, {"create": True, "perm": "read"}])
async def test_without_the_create_claim_a_join_creates_nothing(
    server: ServerProcess, claims: dict
) -> None:
    pad = f"uncreated-{time.monotonic_ns()}"
    client = PadClient(server.ws, pad, token=mint(SECRET, "carl", pad=pad, **claims))
    client.join_extra = {"create": True, "seed": "<p>x</p>"}
    with pytest.raises(RuntimeError, match="pad_not_found"):
        await client.connect()
    assert httpx.get(f"{server.http}/api/pads/{pad}", headers=AUTH).status_code == 404


def test_the_token_command_prints_a_token_the_server_accepts(tmp_path: Path) -> None:
    config = tmp_path / "policypad.toml"
    config.write_text(f'secret = "{SECRET}"\n')
    printed = subprocess.run(
        [sys.executable, "-m", "policypad.cli", "token", "--sub", "dee", "--name", "Dee",
         "--pad", "p1", "--perm", "read", "--ttl", "120", "--config", str(config)],
        capture_output=True, text=True, check=True,
        env={k: v for k, v in os.environ.items() if k != "POLICYPAD_SECRET"},
    ).stdout.strip()  # fmt: skip
    from policypad.auth import identify

    identity = identify(printed, SECRET, "p1", "c")
    assert identity.user_id == "dee" and identity.name == "Dee" and not identity.can_edit
    assert identity.expires_at is not None and identity.expires_at - time.time() <= 121


@pytest.mark.parametrize(
    ("db", "expected"),
    [
        ("sqlite+aiosqlite:////nonexistent/folder/pads.sqlite3", "cannot write the SQLite file"),
        ("postgresql+asyncpg://user@127.0.0.1:1/pads", "cannot use the database"),
        ("mysql+aiomysql://user@127.0.0.1/pads", "no driver for"),
        ("not a url", "is not a database URL"),
    ],
)
def test_a_bad_database_is_one_line_and_a_non_zero_exit(
    tmp_path: Path, db: str, expected: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "policypad.cli", "serve", "--port", "1", "--db", db],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_no_deprecation_warning_at_start(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path).start()
    server.stop()
    log = server.log.read_text()
    assert "Deprecat" not in log and "Traceback" not in log, log
