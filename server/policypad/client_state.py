"""A client's side of the protocol, without I/O: the text, one commit in flight, and the
edits made since, buffered into the next commit (as client/js/ot-client.js does).

The test client (tests/support/padclient.py) and the load tool (policypad.bench) drive
it from their sockets::

    local edit ──> edit() ──> buffer ──take_commit()──> in flight ──ack()──> done
    revision ───> remote(): moves in flight and buffer past it, applies it to the text
"""

from __future__ import annotations

from typing import Any

from policypad.changeset import AttributePool, apply_to_text, compose, follow


class ClientState:
    """The document as one client sees it, and its unacknowledged edits."""

    def __init__(self, text: str = "\n", rev: int = 0, pool: AttributePool | None = None) -> None:
        self.text = text
        self.rev = rev
        self.pool = pool if pool is not None else AttributePool()
        self.inflight: str | None = None
        self.inflight_seq: int | None = None
        self.buffer: str | None = None
        self.seq = 0

    @property
    def idle(self) -> bool:
        """Whether every local edit is acknowledged."""
        return self.inflight is None and self.buffer is None

    def edit(self, change: str) -> None:
        """Apply a local edit (a changeset on the current text) and buffer it."""
        self.text = apply_to_text(change, self.text)
        self.buffer = change if self.buffer is None else compose(self.buffer, change, self.pool)

    def take_commit(self) -> dict[str, Any] | None:
        """The next commit message, if nothing is in flight and something is buffered."""
        if self.inflight is not None or self.buffer is None:
            return None
        self.seq += 1
        self.inflight, self.inflight_seq, self.buffer = self.buffer, self.seq, None
        return self.commit_message()

    def commit_message(self) -> dict[str, Any] | None:
        """The commit in flight (to send again after a reconnect: same seq)."""
        if self.inflight is None:
            return None
        return {"type": "commit", "baseRev": self.rev, "changeset": self.inflight,
                "pool": {"numToAttrib": {}, "nextNum": 0}, "seq": self.inflight_seq}  # fmt: skip

    def remote(self, message: dict[str, Any]) -> None:
        """Apply someone else's `revision` message."""
        self.pool.mirror(message["pool"])
        remote = message["changeset"]
        if self.inflight is not None:
            rebased = follow(remote, self.inflight, False, self.pool)
            remote = follow(self.inflight, remote, True, self.pool)
            self.inflight = rebased
        if self.buffer is not None:
            rebased = follow(remote, self.buffer, False, self.pool)
            remote = follow(self.buffer, remote, True, self.pool)
            self.buffer = rebased
        self.text = apply_to_text(remote, self.text)
        self.rev = message["rev"]

    def ack(self, message: dict[str, Any]) -> bool:
        """Take an `ack`; True if it acknowledged the commit in flight."""
        if message["seq"] != self.inflight_seq or self.inflight is None:
            return False
        self.rev = message["rev"]
        self.inflight = None
        return True
