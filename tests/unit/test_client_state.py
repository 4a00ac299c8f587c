"""ClientState, the I/O-free client side of the protocol, against a toy in-memory server
that rebases commits the way the real one does."""

from __future__ import annotations

from typing import Any

from policypad.changeset import AttributePool, apply_to_text, follow, make_splice
from policypad.client_state import ClientState


class ToyServer:
    """Rebases each commit over the revisions after its baseRev, like policypad.hub."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.revisions: list[str] = []
        self.pool = AttributePool()

    def commit(self, message: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        changeset = message["changeset"]
        for later in self.revisions[message["baseRev"] :]:
            changeset = follow(later, changeset, True, self.pool)
        self.revisions.append(changeset)
        self.text = apply_to_text(changeset, self.text)
        rev = len(self.revisions)
        ack = {"type": "ack", "seq": message["seq"], "rev": rev}
        revision = {"type": "revision", "rev": rev, "changeset": changeset, "pool": {}}
        return ack, revision


def test_one_commit_in_flight_and_later_edits_buffered() -> None:
    state = ClientState("abc\n")
    state.edit(make_splice(state.text, 0, 0, "x"))
    commit = state.take_commit()
    assert commit is not None and commit["seq"] == 1 and commit["baseRev"] == 0
    state.edit(make_splice(state.text, 4, 0, "y"))
    state.edit(make_splice(state.text, 5, 0, "z"))
    assert state.take_commit() is None  # one in flight at a time
    assert not state.ack({"type": "ack", "seq": 7, "rev": 1})  # not ours
    assert state.ack({"type": "ack", "seq": 1, "rev": 1}) and state.rev == 1
    second = state.take_commit()
    assert second is not None and second["seq"] == 2 and second["baseRev"] == 1
    assert apply_to_text(second["changeset"], "xabc\n") == "xabcyz\n" == state.text
    assert state.commit_message() == second  # a resend after reconnect: the same seq
    assert state.ack({"type": "ack", "seq": 2, "rev": 2}) and state.idle


def test_concurrent_clients_converge_through_the_server() -> None:
    server = ToyServer("hello\n")
    alice, bob = ClientState(server.text), ClientState(server.text)
    alice.edit(make_splice(alice.text, 0, 0, "A"))
    bob.edit(make_splice(bob.text, 5, 0, "B"))
    a_commit, b_commit = alice.take_commit(), bob.take_commit()
    assert a_commit is not None and b_commit is not None
    bob.edit(make_splice(bob.text, 0, 0, "b"))  # buffered behind bob's commit in flight
    a_ack, a_revision = server.commit(a_commit)
    b_ack, b_revision = server.commit(b_commit)
    alice.ack(a_ack)
    bob.remote(a_revision)  # arrives while bob's commit and buffer wait
    alice.remote(b_revision)
    bob.ack(b_ack)
    last = bob.take_commit()
    assert last is not None and last["baseRev"] == 2
    c_ack, c_revision = server.commit(last)
    bob.ack(c_ack)
    alice.remote(c_revision)
    assert alice.idle and bob.idle
    # at one place, the text committed first comes first
    assert alice.text == bob.text == server.text == "AbhelloB\n"
    assert alice.rev == bob.rev == 3


def test_the_pool_mirrors_the_pads_numbering() -> None:
    state = ClientState("ab\n")
    state.remote({"type": "revision", "rev": 1, "changeset": "Z:3>1*3+1$x",
                  "pool": {"numToAttrib": {"3": ["author", "a.x"]}, "nextNum": 4}})  # fmt: skip
    assert state.pool.get_attrib(3) == ("author", "a.x") and state.pool.next_num == 4
    assert state.text == "xab\n" and state.rev == 1
