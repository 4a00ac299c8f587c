"""The WebSocket protocol against a real server: join, commit, ack, broadcast, presence,
chat, users, and every kind of bad input."""

from __future__ import annotations

import asyncio
import json
import re

import httpx
import pytest
import websockets

from tests.support.padclient import PadClient
from tests.support.scenarios import reconnect_catches_up_and_never_duplicates
from tests.support.server import ServerProcess

pytestmark = pytest.mark.asyncio


async def test_join_commit_ack_and_broadcast(server: ServerProcess, pad: str) -> None:
    alice, bob = PadClient(server.ws, pad, "Alice"), PadClient(server.ws, pad, "Bob")
    joined = await alice.connect()
    assert joined["rev"] == 0 and joined["atext"]["text"] == "hello world\n"
    assert joined["you"]["name"] == "Alice" and joined["you"]["canEdit"] is True
    await bob.connect()
    await alice.wait_for(lambda m: m["type"] == "user-joined" and m["user"]["name"] == "Bob")
    await alice.splice(5, 0, ",")
    ack = await alice.wait_for(lambda m: m["type"] == "ack")
    assert ack == {"type": "ack", "seq": 1, "rev": 1}
    revision = await bob.wait_for(lambda m: m["type"] == "revision")
    assert revision["rev"] == 1 and revision["author"] == alice.author
    assert revision["changeset"] == "Z:c>1=5*0+1$,"
    assert revision["pool"]["numToAttrib"] == {"0": ["author", alice.author]}
    await bob.wait_until(lambda: bob.text == "hello, world\n")
    await alice.close()
    await bob.wait_for(lambda m: m["type"] == "user-left" and m["clientId"] == alice.public_id)
    await bob.close()


async def test_concurrent_commits_are_rebased(server: ServerProcess, pad: str) -> None:
    alice, bob = PadClient(server.ws, pad), PadClient(server.ws, pad)
    await alice.connect()
    await bob.connect()
    # both commit against revision 0 at the same place
    await asyncio.gather(alice.splice(0, 0, "A"), bob.splice(0, 0, "B"))
    for client in (alice, bob):
        await client.wait_until(lambda c=client: c.idle and c.rev == 2)
    assert alice.text == bob.text
    content = httpx.get(f"{server.http}/api/pads/{pad}/content?format=text").json()
    assert content["text"] == alice.text
    assert sorted(content["text"][:2]) == ["A", "B"]
    await alice.close()
    await bob.close()


async def test_client_author_attribute_is_overwritten(server: ServerProcess, pad: str) -> None:
    alice = PadClient(server.ws, pad)
    await alice.connect()
    await alice.send(
        {"type": "commit", "baseRev": 0, "changeset": "Z:c>1*0+1$x", "seq": 1,
         "pool": {"numToAttrib": {"0": ["author", "a.mallory"]}, "nextNum": 1}}
    )  # fmt: skip
    await alice.wait_for(lambda m: m["type"] == "ack")
    revision = httpx.get(f"{server.http}/api/pads/{pad}/revisions/1").json()
    assert revision["author"] == alice.author
    atext = httpx.get(f"{server.http}/api/pads/{pad}/content?format=atext").json()
    numbers = {tuple(pair): number for number, pair in atext["pool"]["numToAttrib"].items()}
    cited = set(re.findall(r"\*([0-9a-z]+)", atext["atext"]["attribs"]))
    assert cited == {numbers[("author", alice.author)]}
    await alice.close()


async def test_resend_of_a_committed_seq_is_acked_again_not_applied(
    server: ServerProcess, pad: str
) -> None:
    alice = PadClient(server.ws, pad)
    await alice.connect()
    commit = {"type": "commit", "baseRev": 0, "changeset": "Z:c>1+1$x", "seq": 7,
              "pool": {"numToAttrib": {}, "nextNum": 0}}  # fmt: skip
    await alice.send(commit)
    first = await alice.wait_for(lambda m: m["type"] == "ack")
    await alice.send(commit)
    await alice.wait_for(lambda m: m["type"] == "ack" and m is not first)
    acks = [m for m in alice.received if m["type"] == "ack"]
    assert [a["rev"] for a in acks] == [1, 1]
    text = httpx.get(f"{server.http}/api/pads/{pad}/content?format=text").json()["text"]
    assert text == "xhello world\n"
    await alice.close()


async def test_reconnect_catches_up_and_never_duplicates(server: ServerProcess, pad: str) -> None:
    await reconnect_catches_up_and_never_duplicates(server, pad)


async def test_presence_is_moved_through_later_revisions(server: ServerProcess, pad: str) -> None:
    alice, bob = PadClient(server.ws, pad), PadClient(server.ws, pad)
    await alice.connect()
    await bob.connect()
    await alice.splice(0, 0, "abc")
    await alice.wait_until(lambda: alice.idle)
    # bob still thinks it is revision 0; his caret after "hello" moves by 3
    await bob.send({"type": "presence", "rev": 0, "selection": {"start": 5, "end": 5}})
    presence = await alice.wait_for(lambda m: m["type"] == "presence")
    assert presence == {"type": "presence", "clientId": bob.public_id, "rev": 1,
                        "selection": {"start": 8, "end": 8}}  # fmt: skip
    users = httpx.get(f"{server.http}/api/pads/{pad}/users").json()["users"]
    assert {user["clientId"] for user in users} == {alice.public_id, bob.public_id}
    await alice.close()
    await bob.close()


async def test_chat_is_stored_and_broadcast(server: ServerProcess, pad: str) -> None:
    alice, bob = PadClient(server.ws, pad, "Alice"), PadClient(server.ws, pad, "Bob")
    await alice.connect()
    await bob.connect()
    await alice.send({"type": "chat", "text": "hi <b>bob</b>"})
    message = (await bob.wait_for(lambda m: m["type"] == "chat"))["message"]
    assert message["text"] == "hi <b>bob</b>" and message["name"] == "Alice" and message["rev"] == 0
    stored = httpx.get(f"{server.http}/api/pads/{pad}/chat").json()["messages"]
    assert [m["text"] for m in stored] == ["hi <b>bob</b>"]
    carol = PadClient(server.ws, pad)
    joined = await carol.connect()
    assert [m["text"] for m in joined["chat"]] == ["hi <b>bob</b>"]
    assert {u["name"] for u in joined["users"]} == {"Alice", "Bob"}
    for client in (alice, bob, carol):
        await client.close()


BAD_COMMITS = [
    ({"baseRev": 0, "changeset": "nonsense"}, "bad_changeset"),
    ({"baseRev": 0, "changeset": "Z:5>1+1$x"}, "length_mismatch"),
    ({"baseRev": 0, "changeset": "Z:c>1=d+1$x"}, "bad_changeset"),
    ({"baseRev": 0, "changeset": "Z:c>1+1=1$x"}, "bad_changeset"),
    ({"baseRev": 0, "changeset": "Z:c>1*5+1$x"}, "bad_changeset"),
    ({"baseRev": 0, "changeset": "Z:c>1+1$x", "pool": {"numToAttrib": []}}, "bad_pool"),
    ({"baseRev": 99, "changeset": "Z:c>1+1$x"}, "future_rev"),
    ({"baseRev": -1, "changeset": "Z:c>1+1$x"}, "bad_message"),
    ({"baseRev": "0", "changeset": "Z:c>1+1$x"}, "bad_message"),
    ({"baseRev": 0, "changeset": 42}, "bad_changeset"),
    ({"baseRev": 0, "changeset": "Z:c<c-b|1-1$"}, "bad_changeset"),
    ({"baseRev": 0, "changeset": "Z:c>1+1$\x00"}, "bad_changeset"),
    # the final newline deleted and another put after it: merged with someone typing
    # in the last line, the text would end without one
    ({"baseRev": 0, "changeset": "Z:c>0=b|1-1|1+1$\n"}, "bad_changeset"),
]


@pytest.mark.parametrize(("fields", "code"), BAD_COMMITS)
async def test_bad_commits_get_errors_and_change_nothing(
    server: ServerProcess, pad: str, fields: dict, code: str
) -> None:
    alice, bob = PadClient(server.ws, pad), PadClient(server.ws, pad)
    await alice.connect()
    await bob.connect()
    await alice.send(
        {"type": "commit", "seq": 3, "pool": {"numToAttrib": {}, "nextNum": 0}, **fields}
    )
    error = await alice.wait_for(lambda m: m["type"] == "error")
    assert error["code"] == code and error["seq"] == 3
    # the connection stays open and works; the pad is untouched
    await alice.splice(0, 0, "ok ")
    await alice.wait_for(lambda m: m["type"] == "ack")
    await bob.wait_until(lambda: bob.text == "ok hello world\n")
    assert not [m for m in bob.received if m["type"] == "error"]
    await alice.close()
    await bob.close()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("{not json", "bad_json"),
        ("[1, 2]", "bad_message"),
        (json.dumps({"type": "teleport"}), "unknown_type"),
        (json.dumps({"type": "chat", "text": ""}), "bad_message"),
        (
            json.dumps({"type": "presence", "rev": 0, "selection": {"start": 0, "end": 999}}),
            "bad_message",
        ),
        (json.dumps({"type": "join", "clientId": "again"}), "bad_message"),
        (json.dumps({"type": "chat", "text": "x" * 200_000}), "too_large"),
        (json.dumps({"type": "chat", "text": "a\x00b"}), "bad_message"),
    ],
)
async def test_malformed_messages(server: ServerProcess, pad: str, raw: str, code: str) -> None:
    alice = PadClient(server.ws, pad)
    await alice.connect()
    await alice.socket.send(raw)
    error = await alice.wait_for(lambda m: m["type"] == "error")
    assert error["code"] == code
    await alice.send({"type": "ping"})
    await alice.wait_for(lambda m: m["type"] == "pong")
    await alice.close()


async def test_messages_before_join_and_unknown_pads(server: ServerProcess, pad: str) -> None:
    async with websockets.connect(f"{server.ws}/ws/{pad}") as socket:
        await socket.send(
            json.dumps({"type": "commit", "baseRev": 0, "changeset": "Z:c>0$", "seq": 1})
        )
        assert json.loads(await socket.recv())["code"] == "not_joined"
    async with websockets.connect(f"{server.ws}/ws/no-such-pad") as socket:
        await socket.send(json.dumps({"type": "join", "clientId": "x"}))
        assert json.loads(await socket.recv())["code"] == "pad_not_found"


async def test_a_batching_client_gets_waiting_messages_in_one_frame(
    server: ServerProcess, pad: str
) -> None:
    alice = PadClient(server.ws, pad)
    await alice.connect()
    for letter in "abc":
        await alice.splice(0, 0, letter)
        await alice.wait_until(lambda: alice.idle)
    frames = {}
    for batch in (True, False):
        async with websockets.connect(f"{server.ws}/ws/{pad}") as socket:
            join = {"type": "join", "clientId": f"late-{batch}", "rev": 0, "batch": batch}
            await socket.send(json.dumps(join))
            received = []
            while sum(len(f) if isinstance(f, list) else 1 for f in received) < 4:
                received.append(json.loads(await asyncio.wait_for(socket.recv(), 10)))
            frames[batch] = received
    # joined goes out at once (nothing waits); the three revisions it missed, read
    # and queued together, follow as one array frame
    assert [frame["type"] for frame in frames[True][:1]] == ["joined"]
    assert len(frames[True]) == 2 and isinstance(frames[True][1], list)
    assert [m["type"] for m in frames[True][1]] == ["revision", "revision", "revision"]
    assert [m["rev"] for m in frames[True][1]] == [1, 2, 3]
    # a client that did not ask gets one message per frame, the same messages
    assert all(isinstance(frame, dict) for frame in frames[False])
    assert [m["type"] for m in frames[False]] == ["joined", "revision", "revision", "revision"]
    await alice.close()
