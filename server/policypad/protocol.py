"""The messages a client may send, declared once: their fields, types and ranges.

Every frame is hostile until `decode_client_message` has checked it: a JSON object with
a known `type`, every field of the right type, every integer within what the database
stores (a 32-bit column), every string valid Unicode (no lone surrogate, no U+0000).
What passes is a typed message; what does not is a `ProtocolError` with a stable code,
before anything else happens::

    frame (text) ─> decode_client_message ─> Join | Commit | Presence | Chat | Ping
                          └─> ProtocolError(bad_json | bad_message | unknown_type)

Fields a message does not declare are ignored (newer clients may send more).
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from policypad.errors import ProtocolError

MAX_INT = 2**31 - 1
"""The largest revision number, seq or offset: the columns that store them are 32-bit."""
MAX_ID_CHARS = 100
"""Longest clientId (the database's client column is 100 characters)."""
MAX_TOKEN_CHARS = 8192
MAX_LABEL_CHARS = 200
"""Longest name or color a client may propose (shown to others, cut to fit)."""

Count = Annotated[int, msgspec.Meta(ge=0, le=MAX_INT)]


class PoolFragment(msgspec.Struct, rename="camel"):
    """The part of a client's attribute pool its changeset cites (Etherpad's JSON form)."""

    num_to_attrib: dict[str, tuple[str, str]]
    next_num: Count | None = None

    def to_jsonable(self) -> dict[str, object]:
        return {
            "numToAttrib": {num: list(pair) for num, pair in self.num_to_attrib.items()},
            "nextNum": self.next_num if self.next_num is not None else 0,
        }


class Selection(msgspec.Struct):
    start: Count
    end: Count


class Join(msgspec.Struct, tag="join", tag_field="type", rename="camel"):
    """Join the pad: from scratch, or (with `rev`) from the last revision the client has."""

    client_id: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_ID_CHARS)] | None = None
    token: Annotated[str, msgspec.Meta(max_length=MAX_TOKEN_CHARS)] | None = None
    name: Annotated[str, msgspec.Meta(max_length=MAX_LABEL_CHARS)] | None = None
    color: Annotated[str, msgspec.Meta(max_length=MAX_LABEL_CHARS)] | None = None
    rev: Count | None = None
    batch: bool = False
    create: bool = False
    """Create the pad if it does not exist (a token with `"create": true` may; anyone
    may on an open server). An existing pad is joined as it is."""
    seed: str | None = None
    """HTML for a pad this join creates (the editor's content); ignored otherwise."""


class Commit(msgspec.Struct, tag="commit", tag_field="type", rename="camel"):
    """A changeset made at `baseRev`; `seq` numbers the client's commits for de-duplication."""

    base_rev: Count
    changeset: str
    seq: Count
    pool: PoolFragment | None = None


class Presence(msgspec.Struct, tag="presence", tag_field="type"):
    rev: Count
    selection: Selection


class Chat(msgspec.Struct, tag="chat", tag_field="type"):
    text: str


class Ping(msgspec.Struct, tag="ping", tag_field="type"):
    pass


ClientMessage = Join | Commit | Presence | Chat | Ping
_DECODER = msgspec.json.Decoder(ClientMessage)


def decode_client_message(frame: str | bytes) -> ClientMessage:
    """Return the message a frame holds; ProtocolError if it is not a valid one.

    Codes: bad_json (not JSON, invalid UTF-8 or Unicode, nested too deep), unknown_type,
    bad_message (a field missing, of the wrong type or out of range; U+0000 in a string).
    """
    try:
        message = _DECODER.decode(frame)
    except msgspec.ValidationError as error:
        text = str(error)
        if text.startswith("Invalid value") and text.endswith("`$.type`"):
            raise ProtocolError("unknown_type", f"unknown message type: {text}") from None
        code = "bad_message"
        if text.endswith("`$.changeset`"):
            code = "bad_changeset"
        elif "`$.pool" in text:
            code = "bad_pool"
        raise ProtocolError(code, text, seq=_seq_of(frame)) from None
    except msgspec.DecodeError as error:
        raise ProtocolError("bad_json", f"not valid JSON text: {error}") from None
    except RecursionError:
        raise ProtocolError("bad_json", "JSON nested too deep") from None
    _refuse_nul(message)
    return message


class _Numbered(msgspec.Struct):
    seq: Count


_SEQ_DECODER = msgspec.json.Decoder(_Numbered)


def _seq_of(frame: str | bytes) -> int | None:
    """The valid `seq` of a commit that is otherwise invalid (the client matches the
    error to its commit by it), or None."""
    try:
        return _SEQ_DECODER.decode(frame).seq
    except (msgspec.MsgspecError, RecursionError):
        return None


def _refuse_nul(message: ClientMessage) -> None:
    """U+0000 is refused in every string: PostgreSQL's text cannot hold it, and no
    document or name needs it."""
    seq = message.seq if isinstance(message, Commit) else None
    for field in message.__struct_fields__:
        value = getattr(message, field)
        if isinstance(value, str) and "\x00" in value:
            code = "bad_changeset" if field == "changeset" else "bad_message"
            raise ProtocolError(code, f"{field} holds U+0000", seq)
    if isinstance(message, Commit) and message.pool is not None:
        for pair in message.pool.num_to_attrib.values():
            if "\x00" in pair[0] or "\x00" in pair[1]:
                raise ProtocolError("bad_pool", "a pool attribute holds U+0000", message.seq)
