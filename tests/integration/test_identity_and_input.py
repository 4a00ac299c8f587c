"""Hostile clients against a real server: another user's identity, memory through the
parse cache, one client's bad input reaching others, attributes outside the schema,
size and depth. Each case was reported against an earlier version."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import jwt
import pytest
import websockets

from tests.support.padclient import PadClient
from tests.support.server import ServerProcess

SECRET = "identity-test-secret-that-is-long-enough"
API_KEY = "identity-test-api-key-that-is-long-enough"


def token(sub: str, perm: str = "edit", **claims: object) -> str:
    payload = {"sub": sub, "pad": "*", "perm": perm, "exp": int(time.time() + 600), **claims}
    return jwt.encode(payload, SECRET, algorithm="HS256")


def rss_bytes(server: ServerProcess) -> int:
    assert server.process is not None
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(
        tmp_path_factory.mktemp("hostile"),
        env={"POLICYPAD_COMMITS_PER_SECOND": "1000", "POLICYPAD_PRESENCE_PER_SECOND": "5"},
    ).start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(
        tmp_path_factory.mktemp("hostile-secured"),
        env={"POLICYPAD_SECRET": SECRET, "POLICYPAD_API_KEY": API_KEY,
             "POLICYPAD_COMMITS_PER_SECOND": "1000"},
    ).start()  # fmt: skip
    yield process
    process.stop()


def new_pad(server: ServerProcess, text: str = "hello", headers: dict | None = None) -> str:
    pad = f"p{time.monotonic_ns()}"
    response = httpx.post(
        f"{server.http}/api/pads", json={"id": pad, "text": text}, headers=headers or {}
    )
    assert response.status_code == 201
    return pad


# -- identity ---------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_the_ids_others_see_cannot_replace_or_silence_their_owner(
    server: ServerProcess,
) -> None:
    """The attack: read alice's id from `joined.users`, join with it (which used to
    disconnect her), commit no-ops with her id and seq 1..3 (which used to make her
    real seq 1 be acknowledged with the attacker's revision and never applied)."""
    pad = new_pad(server)
    alice = PadClient(server.ws, pad, "Alice")
    await alice.connect()
    mallory = PadClient(server.ws, pad, "Mallory")
    seen = await mallory.connect()
    [alice_seen] = seen["users"]
    assert alice_seen["clientId"] != alice.client_id
    assert alice.client_id not in json.dumps(seen)  # neither as id nor inside an author
    impostor = PadClient(server.ws, pad, "Alice")
    impostor.client_id = alice_seen["clientId"]
    await impostor.connect()
    for seq in (1, 2, 3):
        await impostor.send({"type": "commit", "baseRev": 0, "changeset": "Z:6>0$",
                             "pool": {"numToAttrib": {}, "nextNum": 0}, "seq": seq})  # fmt: skip
    await impostor.send({"type": "ping"})
    await impostor.wait_for(lambda m: m["type"] == "pong")
    await alice.splice(0, 0, "A")  # her seq 1
    ack = await alice.wait_for(lambda m: m["type"] == "ack")
    await mallory.wait_until(lambda: mallory.text == "Ahello\n")
    assert httpx.get(f"{server.http}/api/pads/{pad}/content?format=text").json()["text"] == (
        "Ahello\n"
    )
    assert ack["rev"] == httpx.get(f"{server.http}/api/pads/{pad}").json()["rev"]
    assert not [m for m in alice.received if m.get("code") == "replaced"]
    for client in (alice, mallory, impostor):
        await client.close()


@pytest.mark.asyncio
async def test_with_tokens_a_leaked_client_id_is_useless_to_another_user(
    secured: ServerProcess,
) -> None:
    headers = {"Authorization": f"Bearer {API_KEY}"}
    pad = new_pad(secured, headers=headers)
    alice = PadClient(secured.ws, pad, token=token("alice", name="Alice"))
    await alice.connect()
    mallory = PadClient(secured.ws, pad, token=token("mallory", name="Mallory"))
    mallory.client_id = alice.client_id  # even her secret id, had it leaked
    await mallory.connect()
    await mallory.splice(0, 0, "M")
    await mallory.wait_for(lambda m: m["type"] == "ack")
    await alice.wait_until(lambda: alice.text == "Mhello\n")
    await alice.splice(0, 0, "A")  # seq 1 for both: they must not be confused
    await alice.wait_for(lambda m: m["type"] == "ack")
    await mallory.wait_until(lambda: mallory.text == "AMhello\n")
    assert not [m for m in alice.received if m.get("code") == "replaced"]
    for client in (alice, mallory):
        await client.close()


@pytest.mark.asyncio
async def test_a_token_names_its_user_and_the_client_cannot(secured: ServerProcess) -> None:
    headers = {"Authorization": f"Bearer {API_KEY}"}
    pad = new_pad(secured, headers=headers)
    nameless = PadClient(secured.ws, pad, name="Administrator", token=token("u-17"))
    joined = await nameless.connect()
    assert joined["you"]["name"] == "u-17" and joined["you"]["author"] == "a.u-17"
    await nameless.close()


# -- memory -------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_refused_changesets_do_not_stay_in_memory(tmp_path: Path) -> None:
    """900 KB changesets with a wrong length, each different, all refused: the server's
    memory stays flat (it grew by about 1.7 MB per changeset before)."""
    server = ServerProcess(tmp_path, env={"POLICYPAD_COMMITS_PER_SECOND": "100000"}).start()
    try:
        pad = new_pad(server)
        clients = [PadClient(server.ws, pad) for _ in range(3)]
        for client in clients:
            await client.connect()
        before = rss_bytes(server)
        size = 900_000
        for number in range(240):
            bank = f"{number:06d}" + "x" * (size - 6)
            changeset = f"Z:zz>{int_to_base36(size)}+{int_to_base36(size)}${bank}"
            client = clients[number % 3]
            errors = len(client.errors)
            commit = {"type": "commit", "baseRev": 0, "changeset": changeset, "seq": number + 1}
            await client.send(commit)
            await client.wait_until(lambda c=client, e=errors: len(c.errors) > e)
        for client in clients:
            assert {m["code"] for m in client.errors} == {"length_mismatch"}
        grown = rss_bytes(server) - before
        assert grown < 60 * 1024 * 1024, f"the server grew by {grown / 1e6:.0f} MB"
        await clients[0].splice(0, 0, "ok ")
        await clients[0].wait_for(lambda m: m["type"] == "ack")
        for client in clients:
            await client.close()
    finally:
        server.stop()


def int_to_base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, digit = divmod(number, 36)
        out = digits[digit] + out
    return out or "0"


# -- one client's input never reaches another ------------------------------------------------


@pytest.mark.asyncio
async def test_a_lone_surrogate_in_chat_is_refused_and_nobody_is_dropped(
    server: ServerProcess,
) -> None:
    pad = new_pad(server)
    alice, bob = PadClient(server.ws, pad), PadClient(server.ws, pad)
    await alice.connect()
    await bob.connect()
    await alice.socket.send('{"type":"chat","text":"hi \\ud800"}')
    error = await alice.wait_for(lambda m: m["type"] == "error")
    assert error["code"] == "bad_json"
    await bob.splice(0, 0, "still here ")
    await bob.wait_for(lambda m: m["type"] == "ack")
    await alice.send({"type": "chat", "text": "hi \U0001f600"})
    message = (await bob.wait_for(lambda m: m["type"] == "chat"))["message"]
    assert message["text"] == "hi \U0001f600"
    assert not [m for m in bob.received if m["type"] == "error"]
    for client in (alice, bob):
        await client.close()


@pytest.mark.asyncio
async def test_what_a_read_only_user_may_do(secured: ServerProcess) -> None:
    """Read-only: read, see and show presence (throttled); no commits, no chat."""
    headers = {"Authorization": f"Bearer {API_KEY}"}
    pad = new_pad(secured, headers=headers)
    reader = PadClient(secured.ws, pad, token=token("reader", perm="read"))
    editor = PadClient(secured.ws, pad, token=token("editor"))
    await editor.connect()
    await reader.connect()
    await reader.send({"type": "chat", "text": "hello"})
    assert (await reader.wait_for(lambda m: m["type"] == "error"))["code"] == "read_only"
    await reader.send({"type": "presence", "rev": 0, "selection": {"start": 1, "end": 2}})
    presence = await editor.wait_for(lambda m: m["type"] == "presence")
    assert presence["selection"] == {"start": 1, "end": 2}
    assert httpx.get(f"{secured.http}/api/pads/{pad}/chat", headers=headers).json() == {
        "messages": []
    }
    for client in (reader, editor):
        await client.close()


@pytest.mark.asyncio
async def test_presence_is_throttled_and_the_newest_wins(server: ServerProcess) -> None:
    """A client sending 60 presence updates in a second shows at most 5 a second (this
    server's setting) to the others, and its last one always arrives."""
    pad = new_pad(server, "a long enough line of text to select in")
    alice, bob = PadClient(server.ws, pad), PadClient(server.ws, pad)
    await alice.connect()
    await bob.connect()
    started = time.monotonic()
    for offset in range(60):
        await alice.send(
            {"type": "presence", "rev": 0, "selection": {"start": offset % 30, "end": 30}}
        )
        await asyncio.sleep(1 / 60)
    await bob.wait_for(
        lambda m: m["type"] == "presence" and m["selection"]["start"] == 59 % 30,
        timeout_seconds=5,
    )
    elapsed = time.monotonic() - started
    shown = [m for m in bob.received if m["type"] == "presence"]
    assert len(shown) <= 5 * (elapsed + 1) + 1, (len(shown), elapsed)
    assert not [m for m in alice.received if m["type"] == "error"]
    for client in (alice, bob):
        await client.close()


# -- attributes outside the schema ------------------------------------------------------------


@pytest.mark.parametrize(
    "pair",
    [
        ["class", "evil"],
        ["bclass", "evil"],
        ["@id", "clobber"],
        ["@name", "x"],
        ["@tabindex", "1"],
        ["@popover", "auto"],
        ["link", "javascript:alert(1)"],
        ["heading", "200000000"],
        ["heading", "x"],
        ["start", "1. <img src=x onerror=alert(1)>"],
        ["embed", "script"],
        ["src", "javascript:alert(1)"],
        ["onclick", "alert(1)"],
    ],
)
@pytest.mark.asyncio
async def test_attributes_outside_the_schema_never_enter_the_pad(
    server: ServerProcess, pair: list[str]
) -> None:
    pad = new_pad(server)
    alice = PadClient(server.ws, pad)
    await alice.connect()
    await alice.send({"type": "commit", "baseRev": 0, "changeset": "Z:6>1*0+1$x", "seq": 1,
                      "pool": {"numToAttrib": {"0": pair}, "nextNum": 1}})  # fmt: skip
    error = await alice.wait_for(lambda m: m["type"] == "error")
    assert error["code"] == "bad_attribute" and error["seq"] == 1
    assert httpx.get(f"{server.http}/api/pads/{pad}").json()["rev"] == 0
    markdown = httpx.get(f"{server.http}/api/pads/{pad}/content?format=markdown").json()
    assert markdown["markdown"] == "hello\n"
    await alice.close()


@pytest.mark.asyncio
async def test_allowed_attributes_are_committed(server: ServerProcess) -> None:
    pad = new_pad(server)
    alice = PadClient(server.ws, pad)
    await alice.connect()
    await alice.send({"type": "commit", "baseRev": 0, "changeset": "Z:6>1*0*1+1$x", "seq": 1,
                      "pool": {"numToAttrib": {"0": ["bold", "true"],
                                               "1": ["link", "https://example.com/a b"]},
                               "nextNum": 2}})  # fmt: skip
    await alice.wait_for(lambda m: m["type"] == "ack")
    markdown = httpx.get(f"{server.http}/api/pads/{pad}/content?format=markdown").json()
    assert markdown["markdown"] == "[**x**](https://example.com/a%20b)hello\n"
    await alice.close()


# -- size and depth -------------------------------------------------------------------------


def test_large_bodies_are_refused_before_they_are_read(server: ServerProcess) -> None:
    pad = new_pad(server)
    body = json.dumps({"html": "<p>" + "x" * (20 * 1024 * 1024) + "</p>"})
    response = httpx.put(
        f"{server.http}/api/pads/{pad}/content", content=body,
        headers={"content-type": "application/json"}, timeout=60,
    )  # fmt: skip
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        yield b'{"html": "'
        for _ in range(50):
            yield b"y" * 100_000
        yield b'"}'

    streamed = httpx.put(
        f"{server.http}/api/pads/{pad}/content", content=chunks(),
        headers={"content-type": "application/json"}, timeout=60,
    )  # fmt: skip
    assert streamed.status_code == 413
    assert httpx.get(f"{server.http}/api/pads/{pad}").json()["rev"] == 0


def test_deep_markup_is_refused_quickly_and_the_server_keeps_answering(
    server: ServerProcess,
) -> None:
    pad = new_pad(server)
    deep = "<div>" * 100_000 + "x" + "</div>" * 100_000
    response = httpx.put(f"{server.http}/api/pads/{pad}/content", json={"html": deep}, timeout=60)
    assert response.status_code == 422 and "nested" in response.json()["error"]["message"]
    fine = "<div>" * 2_000 + "deep but fine" + "</div>" * 2_000
    response = httpx.put(f"{server.http}/api/pads/{pad}/content", json={"html": fine}, timeout=60)
    assert response.status_code == 200
    text = httpx.get(f"{server.http}/api/pads/{pad}/content?format=text").json()["text"]
    assert text == "deep but fine\n"


@pytest.mark.asyncio
async def test_deep_json_gets_bad_json_and_the_connection_stays(server: ServerProcess) -> None:
    pad = new_pad(server)
    alice = PadClient(server.ws, pad)
    await alice.connect()
    await alice.socket.send("[" * 100_000 + "]" * 100_000)
    assert (await alice.wait_for(lambda m: m["type"] == "error"))["code"] in (
        "bad_json", "bad_message",
    )  # fmt: skip
    await alice.socket.send(
        '{"type":"chat","text":"x","extra":' + "[" * 100_000 + "]" * 100_000 + "}"
    )
    errors = await alice.wait_for(lambda m: m["type"] == "error" and m["code"] == "bad_json")
    assert "deep" in errors["message"]
    await alice.send({"type": "ping"})
    await alice.wait_for(lambda m: m["type"] == "pong")
    deep_body = httpx.post(
        f"{server.http}/api/pads", content="[" * 100_000 + "]" * 100_000,
        headers={"content-type": "application/json"},
    )  # fmt: skip
    assert deep_body.status_code == 422 and deep_body.json()["error"]["code"] == "bad_json"
    await alice.close()


@pytest.mark.parametrize(
    "query",
    ["revisions?since=100000000000000000000000", "content?rev=100000000000000000000000",
     "revisions?limit=-5", "chat?since=2147483648", "diff?from=0&to=99999999999"],
)  # fmt: skip
def test_integers_out_of_range_get_json_errors(server: ServerProcess, query: str) -> None:
    pad = new_pad(server)
    response = httpx.get(f"{server.http}/api/pads/{pad}/{query}")
    assert response.status_code in (404, 422)
    assert response.json()["error"]["code"] in ("bad_parameter", "revision_not_found")


@pytest.mark.asyncio
async def test_frames_over_the_limit_are_refused(server: ServerProcess) -> None:
    pad = new_pad(server)
    async with websockets.connect(f"{server.ws}/ws/{pad}", max_size=None) as socket:
        await socket.send(json.dumps({"type": "join"}))
        json.loads(await socket.recv())
        await socket.send(json.dumps({"type": "chat", "text": "x" * 1_200_000}))
        reply = json.loads(await socket.recv())
        assert reply["type"] == "error" and reply["code"] == "too_large"
        await socket.send(json.dumps({"type": "ping"}))
        assert json.loads(await socket.recv()) == {"type": "pong"}


@pytest.mark.asyncio
async def test_exports_check_attributes_an_older_version_stored(tmp_path: Path) -> None:
    """Attributes that an earlier version let into a pad (a list start holding markup,
    a heading of 200,000,000) are left out of every export instead of written raw."""
    server = ServerProcess(tmp_path).start()
    httpx.post(f"{server.http}/api/pads", json={"id": "old", "text": "x\ny"})
    server.stop()
    with sqlite3.connect(tmp_path / "pads.sqlite3") as database:
        (pool_json,) = database.execute("SELECT pool FROM pads WHERE id = 'old'").fetchone()
        pool = json.loads(pool_json)
        first = pool["nextNum"]
        bad = [
            ["heading", "200000000"], ["list", "number"],
            ["start", "1. <img src=x onerror=alert(1)>"], ["link", "javascript:alert(1)"],
        ]  # fmt: skip
        for offset, pair in enumerate(bad):
            pool["numToAttrib"][str(first + offset)] = pair
        pool["nextNum"] = first + len(bad)
        numbers = [int_to_base36(first + offset) for offset in range(len(bad))]
        changeset = (f"Z:4>0*{numbers[3]}=1*{numbers[0]}|1=1"
                     f"=1*{numbers[1]}*{numbers[2]}|1=1$")  # fmt: skip
        database.execute("UPDATE pads SET pool = ?, head_rev = 1 WHERE id = 'old'",
                         (json.dumps(pool),))  # fmt: skip
        database.execute(
            "INSERT INTO revisions (pad_id, rev, changeset, author, time_ms) "
            "VALUES ('old', 1, ?, 'a.old', 0)", (changeset,),
        )  # fmt: skip
    server.start()
    try:
        markdown = httpx.get(f"{server.http}/api/pads/old/content?format=markdown")
        assert markdown.status_code == 200
        assert markdown.json()["markdown"] == "x\n\n1. y\n"  # a list, starting at 1
        html = httpx.get(f"{server.http}/api/pads/old/content?format=html").json()["html"]
        assert html == "<p>x</p><ol><li>y</li></ol>"
    finally:
        server.stop()
