"""policypad.session: identities others cannot use, and a bounded outbox."""

from __future__ import annotations

import asyncio
import json

import pytest

from policypad.session import Close, Session, client_key, open_user_id, public_id


def test_keys_bind_the_client_id_to_its_user() -> None:
    assert client_key("alice", "c1") != client_key("mallory", "c1")
    assert client_key("", "c1") == client_key("", "c1")
    key = client_key("alice", "c1")
    assert public_id(key) != key and "c1" not in public_id(key)
    assert "c1" not in open_user_id("c1") and open_user_id("c1") != open_user_id("c2")


def _session(limit: int = 1000, batch: bool = False) -> Session:
    return Session("k", "a.x", "X", "#000", True, batch=batch, max_queued_bytes=limit)


def _items(session: Session) -> list[object]:
    out = []
    while not session.outbox.empty():
        _, item = session.outbox.get_nowait()
        session.taken(item)
        out.append(item)
    return out


@pytest.mark.asyncio
async def test_messages_queue_serialized_and_in_order() -> None:
    session = _session()
    session.send({"type": "pong"})
    session.send('{"type":"ack"}')
    assert _items(session) == ['{"type": "pong"}', '{"type":"ack"}']
    assert session.queued_bytes == 0
    batching = _session(batch=True)
    batching.send_all([{"a": 1}, "b"])
    assert _items(batching) == [['{"a": 1}', "b"]]


@pytest.mark.asyncio
async def test_a_client_that_does_not_read_is_cut_off_not_grown() -> None:
    session = _session(limit=1000)
    cut: list[bool] = []
    session.on_cut_off = lambda: cut.append(True)
    session.send("x" * 5000)  # one message of any size may wait
    assert not cut
    session.send("y" * 10)
    assert cut and session.closed
    items = _items(session)
    assert len(items) == 1 and isinstance(items[0], Close) and items[0].code == 1013
    session.send("z")  # nothing is queued once closed
    assert session.outbox.empty() and session.queued_bytes == 0


@pytest.mark.asyncio
async def test_a_catch_up_goes_ahead_of_what_is_sent_meanwhile() -> None:
    session = _session(limit=10_000)
    session.catching_up = True
    session.send({"type": "user-joined"})
    session.send_catch_up([{"type": "revision", "rev": 1}, {"type": "ack", "rev": 2}])
    session.caught_up()
    kinds = [json.loads(item)["type"] for item in _items(session)]
    assert kinds == ["revision", "ack", "user-joined"]


@pytest.mark.asyncio
async def test_an_idle_session_writes_at_once_and_what_waits_keeps_its_place() -> None:
    written: list[str] = []
    writable = [True]

    def write_now(text: str) -> bool:
        if writable[0]:
            written.append(text)
        return writable[0]

    session = _session(batch=True)
    session.write_now = write_now
    session.send_all(["a", "b"])  # idle: one frame, now, nothing queued
    assert written == ["[a,b]"] and session.outbox.empty() and session.queued_bytes == 0
    session.writing = True  # the writer holds items: what comes now waits behind them
    session.send("c")
    session.writing = False
    session.send("d")  # "c" waits: "d" waits behind it
    assert written == ["[a,b]"] and _items(session) == ["c", "d"]
    writable[0] = False  # the socket's buffer is full: the writer waits for room
    session.send("e")
    assert written == ["[a,b]"] and _items(session) == ["e"]

    one_by_one = _session()
    one_by_one.write_now = lambda text: text != "y" and not written.append(text)
    one_by_one.send_all(["x", "y", "z"])  # what the socket did not take waits, in order
    assert written[-1] == "x" and _items(one_by_one) == ["y", "z"]


@pytest.mark.asyncio
async def test_room_waits_until_the_client_has_read() -> None:
    session = _session(limit=100)
    session.send("x" * 80)
    waiter = asyncio.create_task(session.room())
    await asyncio.sleep(0.01)
    assert not waiter.done()
    _items(session)
    await asyncio.wait_for(waiter, 1)
