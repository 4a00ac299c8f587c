"""Idle, slow and flooding clients; tokens that expire and pads that are deleted; what
an open server answers to other sites; and the operator's endpoints and logs."""

from __future__ import annotations

import asyncio
import json
import resource
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import jwt
import pytest
import websockets

from tests.support.padclient import PadClient
from tests.support.server import ServerProcess

SECRET = "limits-test-secret-that-is-long-enough-x"
API_KEY = "limits-test-api-key-that-is-long-enough-x"
AUTH = {"Authorization": f"Bearer {API_KEY}"}


def token(sub: str = "u1", perm: str = "edit", expires_in: float = 600, **claims: object) -> str:
    payload = {"sub": sub, "pad": "*", "perm": perm, "exp": int(time.time() + expires_in)}
    return jwt.encode({**payload, **claims}, SECRET, algorithm="HS256")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(
        tmp_path_factory.mktemp("limits"),
        env={
            "POLICYPAD_COMMITS_PER_SECOND": "1000",
            "POLICYPAD_JOIN_TIMEOUT_SECONDS": "1",
            "POLICYPAD_HEADER_TIMEOUT_SECONDS": "1",
            "POLICYPAD_MAX_QUEUED_BYTES": "1000000",
        },
    ).start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(
        tmp_path_factory.mktemp("limits-secured"),
        env={"POLICYPAD_SECRET": SECRET, "POLICYPAD_API_KEY": API_KEY,
             "POLICYPAD_LOG_FORMAT": "json"},
    ).start()  # fmt: skip
    yield process
    process.stop()


def new_pad(server: ServerProcess, headers: dict | None = None, text: str = "hello") -> str:
    pad = f"p{time.monotonic_ns()}"
    response = httpx.post(
        f"{server.http}/api/pads", json={"id": pad, "text": text}, headers=headers or {}
    )
    assert response.status_code == 201, response.text
    return pad


def raise_own_file_limit(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))


# -- idle and slow clients ----------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_socket_that_never_joins_is_closed(server: ServerProcess) -> None:
    pad = new_pad(server)
    async with websockets.connect(f"{server.ws}/ws/{pad}") as idle:
        reply = json.loads(await asyncio.wait_for(idle.recv(), 5))
        assert reply["code"] == "not_joined"
        await asyncio.wait_for(idle.wait_closed(), 5)
        assert idle.close_code == 1008


def test_half_sent_headers_are_dropped(server: ServerProcess) -> None:
    with socket.create_connection(("127.0.0.1", server.port)) as slow:
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        slow.settimeout(5)
        started = time.monotonic()
        assert slow.recv(1024) == b""  # closed by the server, answered nothing
        assert time.monotonic() - started < 4


def test_a_thousand_idle_connections_do_not_lock_anyone_out(tmp_path: Path) -> None:
    """1,100 connections that never finish their headers or never join, against a
    server that may open 1,024 files: they are dropped, and a real client gets in."""
    raise_own_file_limit(4096)

    def limit_files() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))

    server = ServerProcess(
        tmp_path,
        env={"POLICYPAD_HEADER_TIMEOUT_SECONDS": "1", "POLICYPAD_JOIN_TIMEOUT_SECONDS": "1"},
        preexec_fn=limit_files,
    ).start()
    try:
        pad = new_pad(server)
        idle = []
        for number in range(1100):
            try:
                connection = socket.create_connection(("127.0.0.1", server.port), timeout=2)
            except OSError:
                continue
            if number % 2:
                connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            idle.append(connection)
        time.sleep(2.5)
        client = PadClient(server.ws, pad)

        async def edit() -> str:
            await client.connect()
            await client.splice(0, 0, "in ")
            await client.wait_for(lambda m: m["type"] == "ack")
            await client.close()
            return client.text

        assert asyncio.run(edit()) == "in hello\n"
        log = server.log.read_text()
        assert len(log.splitlines()) < 300, "the idle connections flooded the log"
        for connection in idle:
            connection.close()
    finally:
        server.stop()


@pytest.mark.asyncio
async def test_a_client_that_stops_reading_is_cut_off_and_can_come_back(
    server: ServerProcess,
) -> None:
    pad = new_pad(server)
    writer = PadClient(server.ws, pad)
    await writer.connect()
    # a small receive buffer, and max_queue=1: this client's library stops reading
    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.connect(("127.0.0.1", server.port))
    stalled = await websockets.connect(
        f"{server.ws}/ws/{pad}", sock=raw, max_queue=1, max_size=None
    )
    await stalled.send(json.dumps({"type": "join", "clientId": "stalled-client"}))
    for number in range(100):
        await writer.splice(0, 0, f"{number:03d}" + "w" * 100_000)
        await writer.wait_until(lambda: writer.idle)
    await asyncio.sleep(0.5)
    users = httpx.get(f"{server.http}/api/pads/{pad}/users").json()["users"]
    assert len(users) == 1, "the stalled client was not cut off"
    assert "not reading" in server.log.read_text()
    stalled.transport.abort()
    again = PadClient(server.ws, pad)
    joined = await again.connect()
    assert joined["rev"] == 100 and len(again.text) == len(writer.text)
    for client in (writer, again):
        await client.close()


@pytest.mark.asyncio
async def test_pings_do_not_refill_the_allowance_of_bad_messages(server: ServerProcess) -> None:
    pad = new_pad(server)
    async with websockets.connect(f"{server.ws}/ws/{pad}") as socket_:
        await socket_.send(json.dumps({"type": "join"}))
        await socket_.recv()
        for round_ in range(3):
            for _ in range(100):
                await socket_.send("{not json")
            await socket_.send(json.dumps({"type": "ping"}))
            if round_ == 2:
                break
        with pytest.raises(websockets.ConnectionClosed):
            while True:
                await asyncio.wait_for(socket_.recv(), 5)
        assert socket_.close_code == 1008


@pytest.mark.asyncio
async def test_two_thousand_clients_join_one_pad_at_once(tmp_path: Path) -> None:
    raise_own_file_limit(8192)
    server = ServerProcess(tmp_path).start()
    try:
        pad = new_pad(server)

        async def join(number: int) -> float:
            started = time.monotonic()
            connection = await websockets.connect(f"{server.ws}/ws/{pad}", max_size=None)
            join = {"type": "join", "name": f"u{number}", "batch": True}  # as browsers join
            await connection.send(json.dumps(join))
            message = json.loads(await connection.recv())
            message = message[0] if isinstance(message, list) else message
            assert message["type"] == "joined", message
            return connection, time.monotonic() - started

        results = await asyncio.gather(*(join(number) for number in range(2000)))
        times = sorted(elapsed for _, elapsed in results)
        print(f"2,000 joins: p50 {times[1000]:.2f} s, max {times[-1]:.2f} s")
        users = httpx.get(f"{server.http}/api/pads/{pad}/users", timeout=30).json()["users"]
        assert len(users) == 2000
        for connection, _ in results:
            connection.transport.abort()
    finally:
        server.stop()


# -- tokens and pads ------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_token_that_expires_while_connected_stops_working(
    secured: ServerProcess,
) -> None:
    pad = new_pad(secured, AUTH)
    client = PadClient(secured.ws, pad, token=token(expires_in=2))
    await client.connect()
    await client.splice(0, 0, "a")
    await client.wait_for(lambda m: m["type"] == "ack")
    error = await client.wait_for(lambda m: m.get("code") == "token_expired", timeout_seconds=5)
    assert error["type"] == "error"
    await asyncio.wait_for(client.socket.wait_closed(), 5)
    assert client.socket.close_code == 1008
    assert httpx.get(f"{secured.http}/api/pads/{pad}", headers=AUTH).json()["rev"] == 1


@pytest.mark.parametrize(
    ("variable", "value"),
    [("POLICYPAD_SECRET", "s"), ("POLICYPAD_API_KEY", "k"), ("POLICYPAD_SECRET", "x" * 31)],
)
def test_short_secrets_are_refused_at_start(tmp_path: Path, variable: str, value: str) -> None:
    env = {"POLICYPAD_SECRET": SECRET, "POLICYPAD_API_KEY": API_KEY, variable: value}
    result = subprocess.run(
        [sys.executable, "-m", "policypad.cli", "serve", "--port", "1"],
        cwd=tmp_path, env={**__import__("os").environ, **env},
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 2 and f"{variable} must be at least 32 bytes" in result.stderr


@pytest.mark.asyncio
async def test_a_deleted_pad_takes_nothing_more(secured: ServerProcess) -> None:
    pad = new_pad(secured, AUTH)
    client = PadClient(secured.ws, pad, token=token())
    await client.connect()
    assert httpx.delete(f"{secured.http}/api/pads/{pad}", headers=AUTH).status_code == 204
    error = await client.wait_for(lambda m: m["type"] == "error")
    assert error["code"] == "pad_deleted"
    await asyncio.wait_for(client.socket.wait_closed(), 5)
    late = PadClient(secured.ws, pad, token=token("u2"))
    with pytest.raises(RuntimeError, match="pad_deleted"):
        await late.connect()
    restore = httpx.post(f"{secured.http}/api/pads/{pad}/restore", json={"rev": 0}, headers=AUTH)
    put = httpx.put(f"{secured.http}/api/pads/{pad}/content", json={"text": "x"}, headers=AUTH)
    assert restore.status_code == put.status_code == 409
    assert httpx.get(f"{secured.http}/api/pads/{pad}", headers=AUTH).json()["rev"] == 0


@pytest.mark.asyncio
async def test_an_open_server_refuses_other_sites_and_other_host_names(
    server: ServerProcess,
) -> None:
    evil = {"Origin": "http://evil.example"}
    created = httpx.post(
        f"{server.http}/api/pads", content='{"id": "csrf"}',
        headers={**evil, "content-type": "text/plain"},
    )  # fmt: skip
    assert created.status_code == 403
    plain = httpx.post(
        f"{server.http}/api/pads", content='{"id": "csrf"}', headers={"content-type": "text/plain"}
    )
    assert plain.status_code == 415
    assert httpx.get(f"{server.http}/api/pads/csrf").status_code == 404
    rebinding = httpx.get(f"{server.http}/api/pads/x", headers={"Host": "evil.example"})
    assert rebinding.status_code == 400
    pad = new_pad(server)
    with pytest.raises(websockets.InvalidStatus) as refused:
        await websockets.connect(f"{server.ws}/ws/{pad}", origin="http://evil.example")
    assert refused.value.response.status_code == 403
    local = await websockets.connect(f"{server.ws}/ws/{pad}", origin="http://localhost:3000")
    await local.send(json.dumps({"type": "join"}))
    assert json.loads(await local.recv())["type"] == "joined"
    await local.close()


# -- the operator's view --------------------------------------------------------------------


@pytest.mark.asyncio
async def test_health_readiness_and_metrics(secured: ServerProcess) -> None:
    assert httpx.get(f"{secured.http}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{secured.http}/readyz").json() == {"status": "ready"}
    assert httpx.get(f"{secured.http}/metrics").status_code == 401
    pad = new_pad(secured, AUTH)
    client = PadClient(secured.ws, pad, token=token())
    await client.connect()
    await client.splice(0, 0, "m")
    await client.wait_for(lambda m: m["type"] == "ack")
    await client.send({"type": "teleport"})
    await client.wait_for(lambda m: m["type"] == "error")
    text = httpx.get(f"{secured.http}/metrics", headers=AUTH).text
    expected = [
        "policypad_sessions 1.0", "policypad_commits_stored_total",
        "policypad_commit_latency_seconds_bucket", "policypad_rebase_depth_bucket",
        "policypad_storage_latency_seconds_bucket", "policypad_pads_open",
        'policypad_errors_total{code="unknown_type"} 1.0',
        "policypad_frames_rejected_total", "policypad_broadcast_latency_seconds",
    ]  # fmt: skip
    for name in expected:
        assert name in text, name
    await client.close()


@pytest.mark.asyncio
async def test_logs_are_json_lines_with_a_line_per_connection_and_no_token(
    secured: ServerProcess,
) -> None:
    pad = new_pad(secured, AUTH)
    secret_token = token("log-user", name="Logged")
    client = PadClient(secured.ws, pad, token=secret_token)
    await client.connect()
    await client.close()
    await asyncio.sleep(0.3)
    lines = [json.loads(line) for line in secured.log.read_text().splitlines() if line.strip()]
    closed = [line for line in lines if line["message"] == "connection closed"]
    assert any(line.get("pad") == pad and line.get("author") == "a.log-user" for line in closed)
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    log = secured.log.read_text()
    assert secret_token not in log and SECRET not in log and API_KEY not in log


def test_readiness_fails_on_a_database_behind_its_migrations(tmp_path: Path) -> None:
    from policypad.storage import RevisionStore

    sqlite3.connect(tmp_path / "old.sqlite3").close()

    async def check() -> str | None:
        store = RevisionStore(f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}")
        try:
            return await store.readiness_problem()
        finally:
            await store.engine.dispose()

    problem = asyncio.run(check())
    assert problem is not None and "expected 0005" in problem


def test_a_locked_sqlite_file_is_reported_at_start(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path).start()
    server.stop()
    holder = sqlite3.connect(tmp_path / "pads.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        server.start()
        assert "is locked by another process" in server.log.read_text()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        server.stop()
