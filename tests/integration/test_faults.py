"""Faults that once made a pad unloadable: revision numbers stay gap-free, a write that
fails is never acknowledged or followed, and a damaged history still loads."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
from pathlib import Path

import httpx
import pytest
import websockets

from tests.support.padclient import PadClient
from tests.support.server import ServerProcess


def revision_numbers(server: ServerProcess, pad: str) -> list[int]:
    found = httpx.get(f"{server.http}/api/pads/{pad}/revisions?limit=1000").json()["revisions"]
    return [revision["rev"] for revision in found]


def text_of(server: ServerProcess, pad: str, rev: int | None = None) -> str:
    query = "" if rev is None else f"&rev={rev}"
    response = httpx.get(f"{server.http}/api/pads/{pad}/content?format=text{query}")
    assert response.status_code == 200, response.text
    return str(response.json()["text"])


@pytest.mark.asyncio
async def test_a_seq_too_big_for_the_database_is_refused_and_loses_nothing(
    tmp_path: Path,
) -> None:
    """The reported attack: a commit whose seq does not fit the column, then a valid one.
    Before, the first write failed, the second was stored, and the pad never loaded."""
    server = ServerProcess(tmp_path).start()
    try:
        httpx.post(f"{server.http}/api/pads", json={"id": "p", "text": "hello"})
        alice, bob = PadClient(server.ws, "p"), PadClient(server.ws, "p")
        await alice.connect()
        await bob.connect()
        base = {"type": "commit", "baseRev": 0, "pool": {"numToAttrib": {}, "nextNum": 0}}
        await alice.send({**base, "changeset": "Z:6>1+1$a", "seq": 9223372036854775808})
        await alice.send({**base, "changeset": "Z:6>1+1$b", "seq": 1})
        error = await alice.wait_for(lambda m: m["type"] == "error")
        assert error["code"] == "bad_message" and "2147483647" in error["message"]
        assert await alice.wait_for(lambda m: m["type"] == "ack") == {
            "type": "ack", "seq": 1, "rev": 1,
        }  # fmt: skip
        await bob.wait_until(lambda: bob.text == "bhello\n")
        await bob.splice(0, 0, "c")
        await bob.wait_for(lambda m: m["type"] == "ack")
        assert revision_numbers(server, "p") == [0, 1, 2]
        for client in (alice, bob):
            await client.close()
        server.stop()
        server.start()
        assert text_of(server, "p") == "cbhello\n"
    finally:
        server.stop()


@pytest.mark.asyncio
async def test_writes_refused_by_a_locked_database_are_resent_never_skipped(
    tmp_path: Path,
) -> None:
    """Another process holds the SQLite file's write lock while two clients type: their
    commits fail, nothing is acknowledged, no later revision is stored past the failed
    one; once the lock is gone they are resent and every letter lands exactly once."""
    server = ServerProcess(
        tmp_path,
        env={"POLICYPAD_SQLITE_BUSY_TIMEOUT_SECONDS": "0.3",
             "POLICYPAD_COMMITS_PER_SECOND": "1000"},
    ).start()  # fmt: skip
    try:
        httpx.post(f"{server.http}/api/pads", json={"id": "locked", "text": ""})
        alice, bob = PadClient(server.ws, "locked"), PadClient(server.ws, "locked")
        await alice.connect()
        await bob.connect()
        await alice.splice(0, 0, "A0")
        await alice.wait_for(lambda m: m["type"] == "ack")
        await bob.wait_until(lambda: bob.rev == 1)
        holder = sqlite3.connect(tmp_path / "pads.sqlite3", timeout=5, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        acks_before = sum(m["type"] == "ack" for c in (alice, bob) for m in c.received)
        for round_ in range(1, 6):
            await alice.splice(len(alice.text) - 1, 0, f"A{round_}")
            await bob.splice(0, 0, f"B{round_}")
            await asyncio.sleep(0.15)
        await alice.wait_for(lambda m: m.get("code") == "storage_failed", timeout_seconds=10)
        await asyncio.sleep(0.5)
        # nothing was acknowledged while the database refused every write
        assert sum(m["type"] == "ack" for c in (alice, bob) for m in c.received) == acks_before
        assert revision_numbers(server, "locked") == [0, 1]
        holder.execute("ROLLBACK")
        holder.close()
        await alice.wait_until(lambda: alice.idle, timeout_seconds=20)
        await bob.wait_until(lambda: bob.idle, timeout_seconds=20)
        head = httpx.get(f"{server.http}/api/pads/locked").json()["rev"]
        for client in (alice, bob):
            await client.wait_until(lambda c=client: c.rev == head)
        final = text_of(server, "locked")
        assert alice.text == bob.text == final
        for round_ in range(6):
            assert final.count(f"A{round_}") == 1
        for round_ in range(1, 6):
            assert final.count(f"B{round_}") == 1
        assert final.index("A0") < final.index("A1") < final.index("A5")
        numbers = revision_numbers(server, "locked")
        assert numbers == list(range(len(numbers)))
        for client in (alice, bob):
            await client.close()
        server.stop()
        server.start()
        assert text_of(server, "locked") == final
    finally:
        server.stop()


@pytest.mark.asyncio
async def test_a_pad_with_a_hole_in_its_history_loads_up_to_it(tmp_path: Path) -> None:
    """A history damaged by an older version (revision 3 of 5 missing): the pad loads at
    revision 2 with an error in the log, the later revisions are kept aside, and it
    takes new revisions again, numbered on from 3."""
    server = ServerProcess(tmp_path).start()
    httpx.post(f"{server.http}/api/pads", json={"id": "holed", "text": "x"})
    alice = PadClient(server.ws, "holed")
    await alice.connect()
    for letter in "abcde":
        await alice.splice(0, 0, letter)
        await alice.wait_until(lambda: alice.idle)
    await alice.close()
    at_2 = text_of(server, "holed", 2)
    server.stop()
    with sqlite3.connect(tmp_path / "pads.sqlite3") as database:
        database.execute("DELETE FROM revisions WHERE pad_id = 'holed' AND rev = 3")
    server.start()
    try:
        assert text_of(server, "holed") == at_2 == "bax\n"
        assert "history damaged after revision 2" in server.log.read_text()
        assert revision_numbers(server, "holed") == [0, 1, 2]
        bob = PadClient(server.ws, "holed")
        joined = await bob.connect()
        assert joined["rev"] == 2 and joined["atext"]["text"] == "bax\n"
        await bob.splice(0, 0, "z")
        assert (await bob.wait_for(lambda m: m["type"] == "ack"))["rev"] == 3
        await bob.close()
        assert revision_numbers(server, "holed") == [0, 1, 2, 3]
        with sqlite3.connect(tmp_path / "pads.sqlite3") as database:
            kept = database.execute(
                "SELECT rev FROM orphaned_revisions WHERE pad_id = 'holed' ORDER BY rev"
            ).fetchall()
        assert kept == [(4,), (5,)]
    finally:
        server.stop()


@pytest.mark.asyncio
async def test_a_pad_whose_changeset_does_not_apply_loads_up_to_it(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path).start()
    httpx.post(f"{server.http}/api/pads", json={"id": "broken", "text": "x"})
    alice = PadClient(server.ws, "broken")
    await alice.connect()
    for letter in "ab":
        await alice.splice(0, 0, letter)
        await alice.wait_until(lambda: alice.idle)
    await alice.close()
    server.stop()
    with sqlite3.connect(tmp_path / "pads.sqlite3") as database:
        database.execute(
            "UPDATE revisions SET changeset = 'Z:9>1+1$q' WHERE pad_id = 'broken' AND rev = 2"
        )
    server.start()
    try:
        assert text_of(server, "broken") == "ax\n"
        assert "revision 2 does not apply" in server.log.read_text()
    finally:
        server.stop()


@pytest.mark.asyncio
async def test_sigterm_drains_writes_and_tells_clients_to_reconnect(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path, env={"POLICYPAD_COMMITS_PER_SECOND": "1000"}).start()
    httpx.post(f"{server.http}/api/pads", json={"id": "term"})
    clients = [PadClient(server.ws, "term") for _ in range(3)]
    for client in clients:
        await client.connect()
    for round_ in range(30):
        for number, client in enumerate(clients):
            await client.splice(0, 0, f"{number}")
        if round_ % 10 == 0:
            await asyncio.sleep(0.01)
    assert server.process is not None
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(15) in (0, -signal.SIGTERM)  # uvicorn re-raises it when done
    assert "stopped: queued writes of 1 open pads stored" in server.log.read_text()
    codes = set()
    for client in clients:
        await asyncio.wait_for(client.socket.wait_closed(), 5)
        codes.add(client.socket.close_code)
    assert codes <= {1001, 1012}, codes  # going away / service restart: reconnect
    acked = {m["rev"] for c in clients for m in c.received if m["type"] == "ack"}
    server.start()
    try:
        assert max(acked) <= httpx.get(f"{server.http}/api/pads/term").json()["rev"]
        for client in clients:  # what was not acknowledged is sent again, once
            await client.reconnect()
        for client in clients:
            await client.wait_until(lambda c=client: c.idle, timeout_seconds=20)
        final = text_of(server, "term")
        for number in range(3):
            assert final.count(str(number)) == 30
        numbers = revision_numbers(server, "term")
        assert numbers == list(range(len(numbers)))
        for client in clients:
            await client.close()
    finally:
        server.stop()


@pytest.mark.asyncio
async def test_a_join_to_a_pad_that_cannot_load_gets_an_error_not_a_dropped_socket(
    tmp_path: Path,
) -> None:
    server = ServerProcess(tmp_path).start()
    try:
        httpx.post(f"{server.http}/api/pads", json={"id": "nosnap"})
        with sqlite3.connect(tmp_path / "pads.sqlite3") as database:
            database.execute("DELETE FROM snapshots WHERE pad_id = 'nosnap'")
        async with websockets.connect(f"{server.ws}/ws/nosnap") as socket:
            await socket.send(json.dumps({"type": "join"}))
            reply = json.loads(await socket.recv())
            assert reply["type"] == "error" and reply["code"] == "internal"
            await socket.wait_closed()
            assert socket.close_code == 1011
        assert httpx.get(f"{server.http}/healthz").status_code == 200
    finally:
        server.stop()
