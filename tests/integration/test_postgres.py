"""The server on a real PostgreSQL: migrations, pads, concurrent commits, history, chat,
reconnects and durability across a crash.

`scripts/test` starts a throwaway PostgreSQL cluster and sets POLICYPAD_TEST_POSTGRES_URL
(``postgresql+asyncpg://USER@127.0.0.1:PORT/DB``); without it these tests are skipped.
The database lives for the whole run (or longer, if you point the variable at your own),
so every test makes pads with ids of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import websockets

from tests.support import image_scenarios
from tests.support.padclient import PadClient
from tests.support.scenarios import clients_converge, reconnect_catches_up_and_never_duplicates
from tests.support.server import ServerProcess

POSTGRES_URL = os.environ.get("POLICYPAD_TEST_POSTGRES_URL", "")
if not POSTGRES_URL:
    pytest.skip(
        "POLICYPAD_TEST_POSTGRES_URL is not set: run scripts/test (it starts a throwaway "
        "PostgreSQL cluster and sets it), or set it to postgresql+asyncpg://USER@HOST:PORT/DB",
        allow_module_level=True,
    )

SERVER_ENV = {"POLICYPAD_COMMITS_PER_SECOND": "1000", "POLICYPAD_MAX_MESSAGE_BYTES": "100000"}


def new_pad(server: ServerProcess, text: str = "hello world", prefix: str = "pg") -> str:
    """Create a pad with an id no other test (or earlier run) uses; return the id."""
    pad_id = f"{prefix}-{uuid.uuid4().hex[:10]}"
    response = httpx.post(f"{server.http}/api/pads", json={"id": pad_id, "text": text})
    assert response.status_code == 201, response.text
    return pad_id


@pytest.fixture(scope="module")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(
        tmp_path_factory.mktemp("pg-server"), db=POSTGRES_URL, env=SERVER_ENV
    ).start()
    yield process
    process.stop()


def test_migrations_ran_on_postgres(pg_server: ServerProcess) -> None:
    import asyncpg

    async def schema() -> tuple[list[str], list[str]]:
        connection = await asyncpg.connect(POSTGRES_URL.replace("+asyncpg", "", 1))
        try:
            versions = [
                r[0] for r in await connection.fetch("SELECT version_num FROM alembic_version")
            ]
            tables = [
                r[0]
                for r in await connection.fetch(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = current_schema() ORDER BY table_name"
                )
            ]
        finally:
            await connection.close()
        return versions, tables

    versions, tables = asyncio.run(schema())
    assert versions == ["0005"]
    assert {"pads", "revisions", "snapshots", "chat", "images", "alembic_version"} <= set(tables)
    log = pg_server.log.read_text()
    assert "PostgresqlImpl" in log


def test_images_are_stored_and_served(pg_server: ServerProcess) -> None:
    image_scenarios.upload_and_serve(pg_server)
    image_scenarios.refusals(pg_server)


def test_imported_html_keeps_its_images(pg_server: ServerProcess) -> None:
    image_scenarios.html_imports_keep_images(pg_server)


def test_create_get_delete(pg_server: ServerProcess) -> None:
    pad_id = f"pg-create-{uuid.uuid4().hex[:10]}"
    created = httpx.post(
        f"{pg_server.http}/api/pads", json={"id": pad_id, "html": "<h1>T</h1><p>x é 😀</p>"}
    )
    assert created.status_code == 201 and created.json() == {"id": pad_id, "rev": 0}
    assert httpx.post(f"{pg_server.http}/api/pads", json={"id": pad_id}).status_code == 409
    pad = httpx.get(f"{pg_server.http}/api/pads/{pad_id}").json()
    assert pad["rev"] == 0 and pad["authors"] == ["a.api"] and pad["deleted"] is False
    assert pad["created"] == pad["updated"] and pad["created"] > 1_600_000_000_000
    text = httpx.get(f"{pg_server.http}/api/pads/{pad_id}/content?format=text").json()["text"]
    assert text == "T\nx é 😀\n"
    generated = httpx.post(f"{pg_server.http}/api/pads", json={}).json()
    assert len(generated["id"]) == 12
    assert httpx.delete(f"{pg_server.http}/api/pads/{pad_id}").status_code == 204
    assert httpx.get(f"{pg_server.http}/api/pads/{pad_id}").json()["deleted"] is True
    assert httpx.get(f"{pg_server.http}/api/pads/pg-no-such-pad").status_code == 404


@pytest.mark.asyncio
async def test_concurrent_clients_converge(pg_server: ServerProcess) -> None:
    pad_id = new_pad(pg_server)
    client_authors = await clients_converge(pg_server, pad_id, 6, 7)
    authors = httpx.get(f"{pg_server.http}/api/pads/{pad_id}").json()["authors"]
    assert authors[0] == "a.api" and set(authors[1:]) <= set(client_authors)


@pytest.mark.asyncio
async def test_content_at_old_revisions_across_snapshots(pg_server: ServerProcess) -> None:
    """More than one snapshot interval (100 revisions) of history, read back at any rev."""
    pad_id = new_pad(pg_server, text="start")
    client = PadClient(pg_server.ws, pad_id)
    await client.connect()
    texts = {0: "start\n"}
    for number in range(1, 231):
        await client.splice(number % 7 if number % 5 else 0, 0, chr(ord("a") + number % 26))
        await client.wait_until(lambda: client.idle)
        texts[client.rev] = client.text
    assert client.rev == 230 and not client.errors
    await client.close()
    base = f"{pg_server.http}/api/pads/{pad_id}"
    for rev in (0, 1, 99, 100, 101, 150, 199, 200, 229, 230):
        assert httpx.get(f"{base}/content?rev={rev}&format=text").json()["text"] == texts[rev]
    revisions = httpx.get(f"{base}/revisions?since=95&limit=10").json()["revisions"]
    assert [r["rev"] for r in revisions] == list(range(95, 105))
    assert all(r["added"] == 1 and r["removed"] == 0 for r in revisions)
    assert httpx.get(f"{base}/revisions/230").json()["rev"] == 230
    assert httpx.get(f"{base}/content?rev=231").status_code == 404


def test_history_content_diff_restore(pg_server: ServerProcess) -> None:
    pad_id = new_pad(pg_server)
    base = f"{pg_server.http}/api/pads/{pad_id}"
    assert httpx.put(f"{base}/content", json={"markdown": "# Title\n\n- one\n- two\n"}).json() == {
        "rev": 1
    }
    httpx.put(f"{base}/content", json={"markdown": "# Title\n\n- one\n- 1.5\n- two\n"})
    revisions = httpx.get(f"{base}/revisions").json()["revisions"]
    assert [r["rev"] for r in revisions] == [0, 1, 2]
    assert revisions[2]["added"] == 4 and revisions[2]["removed"] == 0
    assert httpx.get(f"{base}/content?rev=0&format=text").json()["text"] == "hello world\n"
    assert (
        httpx.get(f"{base}/content?rev=1").json()["html"]
        == "<h1>Title</h1><ul><li>one</li><li>two</li></ul>"
    )
    assert "- 1.5" in httpx.get(f"{base}/content?rev=2&format=markdown").json()["markdown"]
    diff = httpx.get(f"{base}/diff?from=1&to=2").json()["html"]
    assert '<li data-pp-change="ins"><ins>1.5</ins></li>' in diff
    assert httpx.post(f"{base}/restore", json={"rev": 0}).json() == {"rev": 3}
    assert httpx.get(f"{base}/content?format=text").json()["text"] == "hello world\n"
    assert httpx.get(f"{base}/content?rev=2&format=text").json()["text"] == "Title\none\n1.5\ntwo\n"
    assert httpx.get(f"{base}/content?rev=3&format=atext").json()["atext"]["text"] == (
        "hello world\n"
    )


@pytest.mark.asyncio
async def test_chat_is_stored_and_broadcast(pg_server: ServerProcess) -> None:
    pad_id = new_pad(pg_server)
    alice, bob = PadClient(pg_server.ws, pad_id, "Alice"), PadClient(pg_server.ws, pad_id, "Bob")
    await alice.connect()
    await bob.connect()
    await alice.send({"type": "chat", "text": "hi <b>bob</b> — ünïcode 😀"})
    message = (await bob.wait_for(lambda m: m["type"] == "chat"))["message"]
    assert message["text"] == "hi <b>bob</b> — ünïcode 😀" and message["name"] == "Alice"
    assert message["number"] == 1 and message["rev"] == 0
    await bob.send({"type": "chat", "text": "hello"})
    await alice.wait_for(lambda m: m["type"] == "chat" and m["message"]["number"] == 2)
    stored = httpx.get(f"{pg_server.http}/api/pads/{pad_id}/chat").json()["messages"]
    assert [(m["number"], m["text"]) for m in stored] == [
        (1, "hi <b>bob</b> — ünïcode 😀"),
        (2, "hello"),
    ]
    carol = PadClient(pg_server.ws, pad_id)
    joined = await carol.connect()
    assert [m["text"] for m in joined["chat"]] == ["hi <b>bob</b> — ünïcode 😀", "hello"]
    assert {u["name"] for u in joined["users"]} == {"Alice", "Bob"}
    for client in (alice, bob, carol):
        await client.close()


@pytest.mark.asyncio
async def test_reconnect_catches_up_and_never_duplicates(pg_server: ServerProcess) -> None:
    await reconnect_catches_up_and_never_duplicates(pg_server, new_pad(pg_server))


@pytest.mark.asyncio
async def test_resend_of_a_committed_seq_is_acked_again(pg_server: ServerProcess) -> None:
    pad_id = new_pad(pg_server)
    alice = PadClient(pg_server.ws, pad_id)
    await alice.connect()
    commit = {"type": "commit", "baseRev": 0, "changeset": "Z:c>1+1$x", "seq": 7,
              "pool": {"numToAttrib": {}, "nextNum": 0}}  # fmt: skip
    await alice.send(commit)
    first = await alice.wait_for(lambda m: m["type"] == "ack")
    await alice.send(commit)
    await alice.wait_for(lambda m: m["type"] == "ack" and m is not first)
    assert [m["rev"] for m in alice.received if m["type"] == "ack"] == [1, 1]
    text = httpx.get(f"{pg_server.http}/api/pads/{pad_id}/content?format=text").json()["text"]
    assert text == "xhello world\n"
    await alice.close()


@pytest.mark.asyncio
async def test_every_acknowledged_revision_survives_a_crash(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path, db=POSTGRES_URL, env=SERVER_ENV).start()
    pad_id = new_pad(server, text="", prefix="pg-durable")
    clients = [PadClient(server.ws, pad_id) for _ in range(3)]
    for client in clients:
        await client.connect()
    for round_ in range(40):
        for number, client in enumerate(clients):
            await client.splice(0, 0, f"{number}")
        if round_ % 10 == 0:
            await asyncio.sleep(0.01)
    await clients[0].send({"type": "chat", "text": "before the crash"})
    await clients[1].wait_for(lambda m: m["type"] == "chat")
    await asyncio.sleep(0.3)
    acked = {m["rev"] for c in clients for m in c.received if m["type"] == "ack"}
    seen_text = {c.rev: c.text for c in clients if c.idle}
    first_ack = next(m for m in clients[0].received if m["type"] == "ack")
    server.kill()  # no shutdown: whatever was acknowledged must already be in the database
    for client in clients:
        await client.close()
    restarted = ServerProcess(tmp_path, db=POSTGRES_URL, env=SERVER_ENV).start()
    try:
        base = f"{restarted.http}/api/pads/{pad_id}"
        head = httpx.get(base).json()["rev"]
        assert acked and max(acked) <= head
        revisions = httpx.get(f"{base}/revisions?limit=1000").json()["revisions"]
        assert {r["rev"] for r in revisions} >= acked
        assert [r["rev"] for r in revisions] == list(range(head + 1))
        for rev, text in seen_text.items():
            stored = httpx.get(f"{base}/content?rev={rev}&format=text").json()
            assert stored["text"] == text
        # the restarted server knows the old commits: a resend is acked with its old rev
        again = PadClient(restarted.ws, pad_id)
        again.client_id = clients[0].client_id
        await again.connect()
        await again.send(
            {"type": "commit", "baseRev": 0, "changeset": "Z:1>1+1$q",
             "pool": {"numToAttrib": {}, "nextNum": 0}, "seq": first_ack["seq"]}
        )  # fmt: skip
        ack = await again.wait_for(lambda m: m["type"] == "ack")
        assert ack["rev"] == first_ack["rev"]
        # chat numbering goes on after the restart
        await again.send({"type": "chat", "text": "after the crash"})
        message = (await again.wait_for(lambda m: m["type"] == "chat"))["message"]
        assert message["number"] == 2
        assert httpx.get(base).json()["rev"] == head
        await again.close()
    finally:
        restarted.stop()


# -- inputs that once broke PostgreSQL storage for everyone on a pad -------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("where", ["chat", "changeset"])
async def test_a_nul_character_costs_no_one_their_connection(
    pg_server: ServerProcess, where: str
) -> None:
    pad_id = new_pad(pg_server)
    alice, bob = PadClient(pg_server.ws, pad_id), PadClient(pg_server.ws, pad_id)
    await alice.connect()
    await bob.connect()
    if where == "chat":
        await alice.send({"type": "chat", "text": "a\x00b"})
    else:
        await alice.splice(0, 0, "a\x00b")
    await alice.wait_for(lambda m: m["type"] in ("chat", "ack", "error"))
    with contextlib.suppress(websockets.ConnectionClosed):  # dropped: its error is in received
        await bob.send({"type": "ping"})
    await bob.wait_for(lambda m: m["type"] in ("pong", "error"))
    try:
        assert not [m for m in bob.received if m["type"] == "error"], bob.received[-3:]
    finally:
        await alice.close()
        await bob.close()


@pytest.mark.asyncio
async def test_a_long_token_subject_costs_no_one_their_connection(tmp_path: Path) -> None:
    import time

    import jwt

    secret = "pg-test-secret-that-is-long-enough-for-hs256"
    api_key = "pg-api-key-that-is-long-enough-to-pass"
    server = ServerProcess(
        tmp_path, db=POSTGRES_URL, env={"POLICYPAD_SECRET": secret, "POLICYPAD_API_KEY": api_key}
    ).start()
    try:
        pad_id = f"pg-sub-{uuid.uuid4().hex[:10]}"
        httpx.post(
            f"{server.http}/api/pads",
            json={"id": pad_id},
            headers={"Authorization": f"Bearer {api_key}"},
        )

        def token(sub: str) -> str:
            claims = {"sub": sub, "pad": "*", "perm": "edit", "exp": int(time.time() + 60)}
            return jwt.encode(claims, secret, algorithm="HS256")

        alice = PadClient(server.ws, pad_id, token=token("a" * 250))
        bob = PadClient(server.ws, pad_id, token=token("bob"))
        with pytest.raises(RuntimeError, match="unauthorized"):
            await alice.connect()  # a sub too long to store is refused at the door
        await bob.connect()
        await bob.splice(0, 0, "x")
        ack = await bob.wait_for(lambda m: m["type"] in ("ack", "error"))
        assert ack["type"] == "ack"
        await bob.close()
    finally:
        server.stop()


def test_an_etherpad_import_keeps_every_revision(pg_server: ServerProcess) -> None:
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "etherpad"
    truth = json.loads((fixtures / "ep-unicode.texts.json").read_text())
    pad_id = f"pg-ep-{uuid.uuid4().hex[:10]}"
    response = httpx.post(
        f"{pg_server.http}/api/pads/import/etherpad?id={pad_id}",
        content=(fixtures / "ep-unicode.etherpad").read_bytes(),
        headers={"content-type": "application/json"},
        timeout=60,
    )
    assert response.status_code == 201, response.text
    for rev, text in enumerate(truth["texts"]):
        url = f"{pg_server.http}/api/pads/{pad_id}/content?rev={rev}&format=text"
        content = httpx.get(url).json()
        assert content["text"] == text, rev
    authors = httpx.get(f"{pg_server.http}/api/pads/{pad_id}/authors").json()["authors"]
    assert {a["id"]: a["name"] for a in authors if a["name"]} == truth["author_names"]


# -- the group commit on PostgreSQL: a batch of several pads ----------------------------


@pytest.mark.asyncio
async def test_one_batch_moves_the_heads_of_many_pads_and_refuses_alone_what_was_taken(
    tmp_path: Path,
) -> None:
    """Process A's batch holds revisions of three pads; process B stored pad p's revision
    1 first. One transaction stores q's and r's, and refuses p's (and the one prepared on
    it); the heads are where the stored revisions say."""
    from policypad.changeset import AttributePool, identity, make_atext, make_splice
    from policypad.errors import RevisionGapError
    from policypad.pad import Revision
    from policypad.storage.store import RevisionStore

    ids = {name: f"pg-batch-{name}-{uuid.uuid4().hex[:8]}" for name in "pqr"}
    first = RevisionStore(POSTGRES_URL)
    await first.open()
    second = RevisionStore(POSTGRES_URL)
    await second.open()
    pool = AttributePool()
    try:
        for pad_id in ids.values():
            assert await first.create_pad(pad_id, make_atext("\n"), pool, identity(1), "a.t", 1)

        def typed(name: str, rev: int, before: str, text: str, seq: int) -> Revision:
            return Revision(rev, make_splice(before, 0, 0, text), "a.a", rev, f"c{name}", seq)

        await second.append(ids["p"], typed("p", 1, "\n", "b", 1), pool, None)
        transactions = first.committer.transactions
        mine = [
            first.append(ids["q"], typed("q", 1, "\n", "x", 1), pool, None),
            first.append(ids["p"], typed("p", 1, "\n", "a", 2), pool, None),
            first.append(ids["r"], typed("r", 1, "\n", "z", 3), pool, None),
            first.append(ids["q"], typed("q", 2, "x\n", "y", 4), pool, None),
            first.append(ids["p"], typed("p", 2, "a\n", "a", 5), pool, None),
        ]
        results = await asyncio.gather(*mine, return_exceptions=True)
        assert first.committer.transactions - transactions == 1
        assert [r is None for r in results] == [True, False, True, True, False], results
        assert all(isinstance(results[i], RevisionGapError) for i in (1, 4))
        heads = {}
        for name, pad_id in ids.items():
            loaded = await first.load(pad_id)
            assert loaded is not None
            heads[name] = (loaded.head_rev, loaded.atext.text)
        assert heads == {"p": (1, "b\n"), "q": (2, "yx\n"), "r": (1, "z\n")}
    finally:
        await first.close()
        await second.close()
