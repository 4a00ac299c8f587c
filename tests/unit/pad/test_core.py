"""PadCore, driven with no socket, no event loop and no database."""

from __future__ import annotations

import json

import pytest

from policypad.changeset import AttributePool, make_atext, make_splice
from policypad.document import Schema
from policypad.errors import ProtocolError
from policypad.pad import PadState
from policypad.pad.core import ASK, Frame, Member, PadCore
from policypad.protocol import Commit


def core(text: str = "hello\n") -> PadCore:
    return PadCore(PadState("p", make_atext(text), AttributePool(), 0), Schema())


def member(key: str, batch: bool = False) -> Member:
    return Member(key, f"a.{key}", key.title(), "#000", True, public_id=f"pub-{key}", batch=batch)


def commit(base: int, changeset: str, seq: int) -> Commit:
    return Commit(base_rev=base, changeset=changeset, seq=seq)


def test_a_commit_is_stamped_and_every_member_gets_an_ack_or_the_revision() -> None:
    pad = core()
    alice, bob, carol = member("alice"), member("bob"), member("carol", batch=True)
    for one in (alice, bob, carol):
        joined = json.loads(pad.join(one, [], [], with_document=True))
        assert joined["rev"] == 0 and joined["atext"]["text"] == "hello\n"
    revision, atext = pad.prepare_commit(alice, commit(0, make_splice("hello\n", 5, 0, "!"), 1),
                                         AttributePool(), [], 1000)  # fmt: skip
    assert (revision.rev, revision.author, revision.client_id) == (1, "a.alice", "alice")
    assert atext.text == "hello!\n" and pad.pending
    pad.published([revision], atext)
    sent = dict(pad.deliveries([revision]))
    assert json.loads(sent["alice"]) == {"type": "ack", "seq": 1, "rev": 1}
    assert json.loads(sent["bob"])["type"] == "revision"
    assert isinstance(sent["carol"], Frame) and json.loads(sent["carol"].text)[0]["rev"] == 1
    assert not pad.pending
    # a member is never sent a revision twice
    assert pad.deliveries([revision]) == []


def test_readers_share_one_frame_and_authors_get_their_acks() -> None:
    pad = core()
    members = [member(f"m{n}", batch=True) for n in range(5)]
    for one in members:
        pad.join(one, [], [], with_document=False)
    first, atext = pad.prepare_commit(
        members[0], commit(0, make_splice("hello\n", 0, 0, "a"), 1), AttributePool(), [], 1
    )
    second, atext = pad.prepare_commit(
        members[1], commit(0, make_splice("hello\n", 5, 0, "b"), 1), AttributePool(), [first], 2
    )
    pad.published([first, second], atext)
    sent = dict(pad.deliveries([first, second]))
    shared = {id(sent[f"m{n}"]) for n in (2, 3, 4)}
    assert len(shared) == 1  # the very same object for every reader
    assert [json.loads(m)["type"] for m in sent["m0"]] == ["ack", "revision"]
    assert [json.loads(m)["type"] for m in sent["m1"]] == ["revision", "ack"]
    assert atext.text == "ahellob\n"


def test_de_duplication_asks_the_store_only_when_it_must() -> None:
    pad = core()
    alice = member("alice")
    pad.join(alice, [], [], with_document=False)
    assert pad.commit_status("alice", 1) is ASK  # never seen: the store knows
    pad.know_client("alice", 3)  # the store: seq 3 is its highest
    assert pad.commit_status("alice", 2) is ASK and pad.commit_status("alice", 4) is None
    revision, _ = pad.prepare_commit(alice, commit(0, make_splice("hello\n", 0, 0, "x"), 4),
                                     AttributePool(), [], 1)  # fmt: skip
    assert pad.commit_status("alice", 4) == revision.rev
    assert pad.commit_status("alice", 5) is None
    pad.join(alice, [], [], with_document=False)  # it may have committed elsewhere since
    assert pad.commit_status("alice", 5) is ASK


def test_bad_commits_change_nothing() -> None:
    pad = core()
    alice = member("alice")
    with pytest.raises(ProtocolError) as future:
        pad.prepare_commit(alice, commit(5, "Z:6>1+1$x", 1), AttributePool(), [], 1)
    assert future.value.code == "future_rev"
    with pytest.raises(ProtocolError) as mismatch:
        pad.prepare_commit(alice, commit(0, "Z:2>1+1$x", 1), AttributePool(), [], 1)
    assert mismatch.value.code == "length_mismatch"
    pool = AttributePool()
    pool.put_attrib(("@onclick", "x"))
    with pytest.raises(ProtocolError) as attribute:
        pad.prepare_commit(alice, commit(0, "Z:6>1*0+1$x", 1), pool, [], 1)
    assert attribute.value.code == "bad_attribute"
    assert pad.state.head_rev == 0 and not pad.history


def test_revisions_from_another_process_are_taken_or_refused() -> None:
    pad = core()
    empty_pool = {"numToAttrib": {}, "nextNum": 0}
    carried = [{"rev": 1, "changeset": make_splice("hello\n", 0, 0, "x"), "author": "a.z",
                "time": 5, "key": "z", "seq": 1, "pool": empty_pool}]  # fmt: skip
    taken = pad.take(carried)
    assert taken is not None and [r.rev for r in taken] == [1]
    assert pad.state.atext.text == "xhello\n"
    gap = [{**carried[0], "rev": 3}]
    assert pad.take(gap) is None  # a gap: the store is read instead
    clash = [{**carried[0], "rev": 2, "changeset": "Z:7>0$",
              "pool": {"numToAttrib": {"0": ["bold", "true"]}, "nextNum": 1}}]  # fmt: skip
    pad.state.pool.put_attrib(("italic", "true"))  # number 0 is something else here
    assert pad.take(clash) is None


def test_presence_moves_through_later_revisions() -> None:
    pad = core()
    alice, bob = member("alice"), member("bob")
    pad.join(alice, [], [], with_document=False)
    pad.join(bob, [], [], with_document=False)
    revision, atext = pad.prepare_commit(
        bob, commit(0, make_splice("hello\n", 0, 0, "ab"), 1), AttributePool(), [], 1
    )
    pad.published([revision], atext)
    shown = pad.presence(alice, 0, 1, 3, [revision])
    assert shown == {"type": "presence", "clientId": "pub-alice", "rev": 1,
                     "selection": {"start": 3, "end": 5}}  # fmt: skip
    with pytest.raises(ProtocolError):
        pad.presence(alice, 1, 0, 99, [])
    with pytest.raises(ProtocolError):
        pad.presence(alice, 0, 0, 1, None)  # too old to be in memory


def test_the_head_keeps_the_latest_changesets_only() -> None:
    """Beyond `keep`, the oldest changesets leave the head's memory, the newest stay, in
    order (a rebase reads them by number; older ones come from the store)."""
    state = PadState("p", make_atext("\n"), AttributePool(), 0)
    text = "\n"
    for _ in range(12):
        changeset = make_splice(text, 0, 0, "x")
        text = "x" + text
        state.advance(changeset, make_atext(text), keep=5)
    assert list(state.recent) == [8, 9, 10, 11, 12]
    assert state.head_rev == 12
