"""A pad's collaboration core, without I/O: who is on it, what they have seen, which
commits were made, and what each member is sent.

The asyncio shell (`policypad.hub.PadHub`) owns the lock, the sockets, the database and
the other processes; it feeds this core and performs what it decides::

    shell: commit arrives ─> core.commit_status(key, seq)  ─> ASK? the store is asked
                         ─> core.prepare_commit(...)       ─> a Revision to store
           stored        ─> core.deliveries(revisions)     ─> (member, frame) to send
           join          ─> core.join(member, rev)         ─> the `joined` text

Everything here is plain data and functions: the unit tests drive it with no socket,
no event loop and no database.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from policypad.changeset import (
    AText,
    AttributePool,
    ChangesetError,
    apply_to_atext,
    character_range_follow,
    is_identity,
)
from policypad.changeset.changeset import unpack
from policypad.changeset.op import attrib_numbers
from policypad.document import Schema
from policypad.errors import ProtocolError
from policypad.pad.commit import Revision
from policypad.pad.state import PadState
from policypad.protocol import Commit

RECENT_REVISIONS = 10_000
"""Revisions kept in memory for rebasing and catch-up (a few MB of keystrokes). On a busy
pad a commit is hundreds of revisions behind its base when it arrives; reading those
from the database for each commit once made 500 authors' pad collapse."""
RECENT_COMMITS = 10_000
"""(client, seq) pairs remembered before the store is asked."""
KNOWN_CLIENTS = 100_000
"""Clients whose highest committed seq is remembered (see `commit_status`)."""
ASK = object()
"""`commit_status`'s answer when only the store knows."""


def pool_fragment(changeset: str, pool: AttributePool) -> dict[str, Any]:
    """The part of the pool a changeset cites, in the pool's JSON form."""
    numbers = sorted({num for op in unpack(changeset).ops for num in attrib_numbers(op.attribs)})
    return {
        "numToAttrib": {str(num): list(pool.get_attrib(num)) for num in numbers},
        "nextNum": pool.next_num,
    }


@dataclass(frozen=True)
class Frame:
    """A JSON array of `count` messages, serialized once and sent to many members as it
    is (the same bytes): what a tick of a busy pad sends to every member but its authors."""

    text: str
    count: int


Outgoing = str | list[str] | Frame
"""What one member is sent at once: a message, several, or a shared frame."""


@dataclass(eq=False)
class Member:
    """A session as the core knows it (the shell keeps its socket)."""

    key: str
    """Private: de-duplicates commits; never sent to anyone."""
    author: str
    name: str
    color: str
    can_edit: bool
    public_id: str = ""
    batch: bool = False
    known_rev: int = -1
    selection: dict[str, int] | None = None

    def describe(self) -> dict[str, Any]:
        """The user-list entry (its public id, never its key)."""
        user: dict[str, Any] = {
            "clientId": self.public_id, "author": self.author, "name": self.name,
            "color": self.color,
        }  # fmt: skip
        if self.selection is not None:
            user["selection"] = self.selection
        return user


@dataclass
class PadCore:
    """One pad's collaboration state and decisions. `state` is the prepared head (stored
    and queued revisions; commits rebase onto it), `published_*` what every member has
    been sent."""

    state: PadState
    schema: Schema
    published_rev: int = -1
    published_atext: AText | None = None
    members: dict[str, Member] = field(default_factory=dict)
    history: OrderedDict[int, Revision] = field(default_factory=OrderedDict)
    commits: OrderedDict[tuple[str, int], int] = field(default_factory=OrderedDict)
    max_seq: OrderedDict[str, int] = field(default_factory=OrderedDict)
    """client key -> its highest committed seq on this pad (stored or queued): a commit
    with a higher seq is new, so the hot path never asks the store."""
    _described: dict[str, str] = field(default_factory=dict)
    _document_json: tuple[int, int, str] | None = None

    def __post_init__(self) -> None:
        if self.published_atext is None:
            self.published_rev, self.published_atext = self.state.head_rev, self.state.atext

    @property
    def pad_id(self) -> str:
        return self.state.pad_id

    @property
    def pending(self) -> bool:
        """Whether revisions are prepared but not yet published."""
        return self.state.head_rev != self.published_rev

    # -- revisions in memory ---------------------------------------------------------

    def remember(self, revision: Revision) -> None:
        self.history[revision.rev] = revision
        while len(self.history) > RECENT_REVISIONS:
            self.history.popitem(last=False)
        if revision.client_id is not None and revision.seq is not None:
            self.commits[(revision.client_id, revision.seq)] = revision.rev
            while len(self.commits) > RECENT_COMMITS:
                self.commits.popitem(last=False)
            if revision.client_id in self.max_seq:
                highest = self.max_seq[revision.client_id]
                self.max_seq[revision.client_id] = max(highest, revision.seq)
                self.max_seq.move_to_end(revision.client_id)

    def recent(self, after: int, upto: int) -> list[Revision] | None:
        """Revisions after+1..upto if all are in memory, else None (ask the store)."""
        wanted = range(after + 1, upto + 1)
        if all(rev in self.history for rev in wanted):
            return [self.history[rev] for rev in wanted]
        return None

    # -- de-duplication -----------------------------------------------------------------

    def knows_client(self, key: str) -> bool:
        return key in self.max_seq

    def know_client(self, key: str, stored_max: int) -> None:
        """Start tracking a client's highest seq, given the highest one stored (which may
        predate commits queued since: those are in `commits`)."""
        if key in self.max_seq:
            return
        self.max_seq[key] = stored_max
        while len(self.max_seq) > KNOWN_CLIENTS:
            self.max_seq.popitem(last=False)

    def forget_client(self, key: str) -> None:
        """Read its highest seq from the store again (it may have committed elsewhere)."""
        self.max_seq.pop(key, None)

    def commit_status(self, key: str, seq: int) -> int | object | None:
        """The revision (key, seq) became; None if it is new; ASK if only the store knows
        (a seq at or below the client's highest, not remembered here)."""
        known = self.commits.get((key, seq))
        if known is not None:
            return known
        if key not in self.max_seq or seq <= self.max_seq[key]:
            return ASK
        return None

    # -- preparing revisions ------------------------------------------------------------

    def prepare_commit(
        self,
        member: Member,
        message: Commit,
        client_pool: AttributePool,
        later: list[Revision],
        now_ms: int,
    ) -> tuple[Revision, AText]:
        """Rebase a client's commit over `later` (the revisions since its base), stamp its
        author, make it the prepared head. Raises ProtocolError."""
        head = self.state.head_rev
        if message.base_rev > head:
            raise ProtocolError(
                "future_rev", f"baseRev {message.base_rev} is ahead of the pad's head {head}"
            )
        chain = {revision.rev: revision.changeset for revision in later}
        rebased, atext = self.state.prepare(
            message.base_rev, message.changeset, client_pool, member.author, chain, self.schema
        )
        return self._advance(rebased, atext, member.author, member.key, message.seq, now_ms)

    def prepare_change(
        self, changeset_for: Callable[[AText, AttributePool], str], author: str, now_ms: int
    ) -> tuple[Revision, AText] | None:
        """A server-side change (REST) made at the prepared head; None if it is empty."""
        changeset = changeset_for(self.state.atext, self.state.pool)
        if is_identity(changeset):
            return None
        atext = apply_to_atext(changeset, self.state.atext, self.state.pool)
        return self._advance(changeset, atext, author, None, None, now_ms)

    def _advance(
        self, changeset: str, atext: AText, author: str, key: str | None, seq: int | None,
        now_ms: int,
    ) -> tuple[Revision, AText]:  # fmt: skip
        rev = self.state.advance(changeset, atext, keep=RECENT_REVISIONS)
        revision = Revision(rev, changeset, author, now_ms, key, seq)
        self.remember(revision)
        return revision, atext

    # -- publishing -------------------------------------------------------------------------

    def revision_message(self, revision: Revision) -> dict[str, Any]:
        return {
            "type": "revision",
            "rev": revision.rev,
            "changeset": revision.changeset,
            "pool": pool_fragment(revision.changeset, self.state.pool),
            "author": revision.author,
            "time": revision.time_ms,
        }

    def carried(self, revision: Revision) -> dict[str, Any]:
        """A stored revision as another process needs it (pool fragment included)."""
        return {
            "rev": revision.rev, "changeset": revision.changeset,
            "pool": pool_fragment(revision.changeset, self.state.pool),
            "author": revision.author, "time": revision.time_ms,
            "key": revision.client_id, "seq": revision.seq,
        }  # fmt: skip

    def published(self, revisions: list[Revision], atext: AText) -> None:
        """These stored revisions are now the published head (`atext` after the last)."""
        self.published_rev, self.published_atext = revisions[-1].rev, atext

    def deliveries(self, revisions: list[Revision]) -> list[tuple[str, Outgoing]]:
        """What each member is sent for these published revisions: an ack for its own, the
        revision for the others'. Members that wrote none of them and take frames get the
        very same frame, serialized once."""
        serialized = {r.rev: json.dumps(self.revision_message(r)) for r in revisions}
        authors = {r.client_id for r in revisions if r.client_id is not None}
        last = revisions[-1].rev
        shared: Frame | None = None
        out: list[tuple[str, Outgoing]] = []
        for member in self.members.values():
            if member.batch and member.key not in authors and member.known_rev < revisions[0].rev:
                if shared is None:
                    shared = Frame(f"[{','.join(serialized.values())}]", len(serialized))
                member.known_rev = last
                out.append((member.key, shared))
                continue
            messages: list[str] = []
            for revision in revisions:
                if member.known_rev >= revision.rev:
                    continue
                member.known_rev = revision.rev
                if revision.client_id is not None and member.key == revision.client_id:
                    messages.append(_ack(revision.seq, revision.rev))
                else:
                    messages.append(serialized[revision.rev])
            if len(messages) == 1:
                out.append((member.key, messages[0]))
            elif messages:
                out.append((member.key, messages))
        return out

    # -- catching up with what other processes stored ----------------------------------

    def reset(self, head: int, pool: AttributePool, stored: list[Revision], atext: AText) -> None:
        """Start again from the store: `stored` (the revisions after the published head,
        up to `head`) applied give `atext`; what was only prepared is forgotten."""
        for rev in [rev for rev in self.history if rev > self.published_rev]:
            del self.history[rev]
        for key in [key for key, rev in self.commits.items() if rev > self.published_rev]:
            del self.commits[key]
        self.max_seq.clear()
        recent = {rev: cs for rev, cs in self.state.recent.items() if rev <= self.published_rev}
        recent.update({revision.rev: revision.changeset for revision in stored})
        self.state = PadState(self.pad_id, atext, pool, head, recent, self.state.deleted)
        for revision in stored:
            self.remember(revision)

    def take(self, carried: list[dict[str, Any]]) -> list[Revision] | None:
        """Apply revisions another process stored (nothing pending here); None if they
        cannot be taken as they are (a gap, a pool that does not agree, a changeset that
        does not apply): then the store is read instead."""
        fresh = [item for item in carried if item["rev"] > self.published_rev]
        if not fresh:
            return []
        if fresh[0]["rev"] != self.published_rev + 1 or not self._pool_agrees(fresh):
            return None
        revisions = []
        for item in fresh:
            self.state.pool.mirror(item["pool"])
            try:
                atext = apply_to_atext(item["changeset"], self.state.atext, self.state.pool)
            except ChangesetError:
                return None
            self.state.advance(item["changeset"], atext, keep=RECENT_REVISIONS)
            revision = Revision(
                item["rev"], item["changeset"], item["author"], item["time"], item["key"],
                item["seq"],
            )  # fmt: skip
            self.remember(revision)
            revisions.append(revision)
        return revisions

    def _pool_agrees(self, carried: list[dict[str, Any]]) -> bool:
        pool = self.state.pool
        for item in carried:
            for num, pair in item["pool"]["numToAttrib"].items():
                if pool.has_attrib(int(num)) and pool.get_attrib(int(num)) != (pair[0], pair[1]):
                    return False
                holder = pool.put_attrib((pair[0], pair[1]), lookup_only=True)
                if holder not in (-1, int(num)):
                    return False
        return True

    # -- members ---------------------------------------------------------------------

    def join(
        self,
        member: Member,
        others: list[str],
        chat: list[dict[str, Any]],
        with_document: bool,
        image_token: str | None = None,
        max_message_bytes: int | None = None,
    ) -> str:
        """Add `member` at the published head; return its `joined` message. `others`
        are the entries of users on other processes (serialized); `image_token` lets its
        editor show the pad's images (see policypad/images/access.py), if it needs one;
        `max_message_bytes` tells the client how large a commit may be (it splits one
        that is larger)."""
        self.members[member.key] = member
        member.known_rev = self.published_rev
        self.forget_client(member.key)
        users = ",".join([*(v for k, v in self._described.items() if k != member.key), *others])
        joined: dict[str, Any] = {
            "type": "joined", "rev": self.published_rev, "users": [], "chat": chat,
            "you": member.describe() | {"canEdit": member.can_edit},
        }  # fmt: skip
        if image_token is not None:
            joined["imageToken"] = image_token
        if max_message_bytes is not None:
            joined["maxMessageBytes"] = max_message_bytes
        text = json.dumps(joined).replace('"users": []', f'"users": [{users}]', 1)
        self._described[member.key] = json.dumps(member.describe())
        return self._with_document(text) if with_document else text

    def _with_document(self, joined: str) -> str:
        """A serialized `joined` with the published text and the pool added, their JSON
        made once per head revision (2,000 clients joining one pad cost one)."""
        pool = self.state.pool
        cached = self._document_json
        if cached is None or cached[:2] != (self.published_rev, pool.next_num):
            assert self.published_atext is not None
            document = json.dumps(
                {"atext": self.published_atext.to_jsonable(), "pool": pool.to_jsonable()}
            )
            cached = self._document_json = (self.published_rev, pool.next_num, document)
        return joined[:-1] + ", " + cached[2][1:]

    def joined_announcement(self, member: Member) -> str:
        return f'{{"type": "user-joined", "user": {self._described[member.key]}}}'

    def leave(self, key: str) -> Member | None:
        """Remove a member; returns it (None if it was not here)."""
        self._described.pop(key, None)
        return self.members.pop(key, None)

    def catch_up_page(self, member: Member, revisions: list[Revision]) -> list[str]:
        """What a reconnecting member is sent of revisions it missed: its own as acks."""
        return [
            _ack(revision.seq, revision.rev)
            if revision.client_id == member.key and revision.seq is not None
            else json.dumps(self.revision_message(revision))
            for revision in revisions
        ]

    def presence(
        self, member: Member, rev: int, start: int, end: int, later: list[Revision] | None
    ) -> dict[str, Any]:
        """Move a selection made at `rev` through `later` (the revisions since, None if
        not all in memory) to the published head; the message others are shown."""
        head = self.published_rev
        if rev > head:
            raise ProtocolError("future_rev", f"presence rev {rev} is ahead of {head}")
        if later is None:
            raise ProtocolError("bad_message", "presence rev is too old; send a newer one")
        start, end = sorted((start, end))
        try:
            for revision in later:
                start, end = character_range_follow(revision.changeset, start, end)
            assert self.published_atext is not None
            if not end <= self.published_atext.length:
                raise ChangesetError("selection outside the text")
        except ChangesetError as error:
            raise ProtocolError("bad_message", f"bad selection: {error}") from None
        member.selection = {"start": start, "end": end}
        if member.key in self._described:
            self._described[member.key] = json.dumps(member.describe())
        return {"type": "presence", "clientId": member.public_id, "rev": head,
                "selection": member.selection}  # fmt: skip


def _ack(seq: int | None, rev: int) -> str:
    return f'{{"type": "ack", "seq": {seq}, "rev": {rev}}}'
