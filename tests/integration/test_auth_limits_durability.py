"""Tokens and the API key, rate limits, and durability across a crash."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import jwt
import pytest
import websockets

from tests.support.padclient import PadClient
from tests.support.server import ServerProcess

SECRET = "test-secret-that-is-long-enough-for-hs256"
API_KEY = "test-api-key-that-is-long-enough-for-the-check"


def token(
    pad: str = "*", perm: str = "edit", expires_in: float = 60, secret: str = SECRET, **claims
) -> str:
    payload = {
        "sub": "u1",
        "name": "Uma",
        "pad": pad,
        "perm": perm,
        "exp": int(time.time() + expires_in),
    }
    return jwt.encode({**payload, **claims}, secret, algorithm="HS256")


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(
        tmp_path_factory.mktemp("secured"),
        env={
            "POLICYPAD_SECRET": SECRET,
            "POLICYPAD_API_KEY": API_KEY,
            "POLICYPAD_COMMITS_PER_SECOND": "2",
        },
    ).start()
    yield process
    process.stop()


def _headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {API_KEY}"}


def test_rest_requires_the_api_key(secured: ServerProcess) -> None:
    assert httpx.post(f"{secured.http}/api/pads", json={"id": "s1"}).status_code == 401
    wrong = httpx.post(
        f"{secured.http}/api/pads", json={"id": "s1"}, headers={"Authorization": "Bearer no"}
    )
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "unauthorized"
    assert (
        httpx.post(f"{secured.http}/api/pads", json={"id": "s1"}, headers=_headers()).status_code
        == 201
    )


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "bad_token",
    [
        None,
        "garbage",
        token(expires_in=-10),
        token(secret="another-secret-another-secret-xyz-0123"),
        token(pad="other-pad"),
        token(perm="admin"),
        token(sub="x" * 191),
    ],
)
async def test_bad_tokens_are_refused(secured: ServerProcess, bad_token: str | None) -> None:
    httpx.post(f"{secured.http}/api/pads", json={"id": "s2"}, headers=_headers())
    async with websockets.connect(f"{secured.ws}/ws/s2") as socket:
        join = {"type": "join", "clientId": "c1"}
        if bad_token is not None:
            join["token"] = bad_token
        await socket.send(json.dumps(join))
        reply = json.loads(await socket.recv())
        assert reply["type"] == "error" and reply["code"] == "unauthorized"
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await socket.recv()
        assert closed.value.rcvd.code == 1008


@pytest.mark.asyncio
async def test_token_names_the_user_and_read_only_cannot_edit(secured: ServerProcess) -> None:
    httpx.post(f"{secured.http}/api/pads", json={"id": "s3", "text": "x"}, headers=_headers())
    reader = PadClient(secured.ws, "s3", token=token(pad="s3", perm="read", sub="u2"))
    joined = await reader.connect()
    assert joined["you"]["name"] == "Uma" and joined["you"]["canEdit"] is False
    assert joined["you"]["author"] == "a.u2"
    await reader.splice(0, 0, "no")
    error = await reader.wait_for(lambda m: m["type"] == "error")
    assert error["code"] == "read_only"
    editor = PadClient(secured.ws, "s3", token=token(pad="s3"))
    await editor.connect()
    await editor.splice(0, 0, "yes ")
    await editor.wait_for(lambda m: m["type"] == "ack")
    await reader.wait_until(
        lambda: "yes" in "".join(m.get("changeset", "") for m in reader.received)
    )
    await reader.close()
    await editor.close()


@pytest.mark.asyncio
async def test_commits_beyond_the_rate_limit_are_refused(secured: ServerProcess) -> None:
    httpx.post(f"{secured.http}/api/pads", json={"id": "s4"}, headers=_headers())
    client = PadClient(secured.ws, "s4", token=token())
    await client.connect()
    for seq in range(1, 61):  # burst is 40, refill 2 per second
        await client.send({"type": "commit", "baseRev": 0, "changeset": "Z:1>0$", "seq": seq,
                           "pool": {"numToAttrib": {}, "nextNum": 0}})  # fmt: skip
    await client.wait_for(lambda m: m["type"] == "error" and m["code"] == "rate_limited")
    await asyncio.sleep(0.2)
    limited = [m for m in client.received if m.get("code") == "rate_limited"]
    assert 15 <= len(limited) <= 25
    await client.send({"type": "ping"})
    await client.wait_for(lambda m: m["type"] == "pong")
    await client.close()


def test_open_server_refuses_a_public_host(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "policypad.cli", "serve", "--host", "0.0.0.0", "--port", "1"],
        cwd=tmp_path, capture_output=True, text=True, timeout=30,
        env={k: v for k, v in __import__("os").environ.items() if not k.startswith("POLICYPAD_")},
    )  # fmt: skip
    assert result.returncode == 2 and "--insecure" in result.stderr


@pytest.mark.asyncio
async def test_every_acknowledged_revision_survives_a_crash(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path, env={"POLICYPAD_COMMITS_PER_SECOND": "1000"}).start()
    httpx.post(f"{server.http}/api/pads", json={"id": "durable"})
    clients = [PadClient(server.ws, "durable") for _ in range(3)]
    for client in clients:
        await client.connect()
    for round_ in range(40):
        for number, client in enumerate(clients):
            await client.splice(0, 0, f"{number}")
        if round_ % 10 == 0:
            await asyncio.sleep(0.01)
    await asyncio.sleep(0.3)
    acked = {m["rev"] for c in clients for m in c.received if m["type"] == "ack"}
    seen_text = {c.rev: c.text for c in clients if c.idle}
    server.kill()  # no shutdown: whatever was acknowledged must already be on disk
    for client in clients:
        await client.close()
    restarted = ServerProcess(tmp_path, db=server.db).start()
    try:
        head = httpx.get(f"{restarted.http}/api/pads/durable").json()["rev"]
        assert acked and max(acked) <= head
        revisions = httpx.get(f"{restarted.http}/api/pads/durable/revisions?limit=1000").json()[
            "revisions"
        ]
        assert {r["rev"] for r in revisions} >= acked
        for rev, text in seen_text.items():
            stored = httpx.get(
                f"{restarted.http}/api/pads/durable/content?rev={rev}&format=text"
            ).json()
            assert stored["text"] == text
    finally:
        restarted.stop()
