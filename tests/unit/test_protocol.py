"""policypad.protocol: every client frame is checked before anything happens."""

from __future__ import annotations

import json

import pytest

from policypad.errors import ProtocolError
from policypad.protocol import MAX_INT, Chat, Commit, Join, Ping, Presence, decode_client_message


def test_valid_messages_decode_to_their_types() -> None:
    commit = decode_client_message(json.dumps({
        "type": "commit", "baseRev": 3, "changeset": "Z:1>1+1$a", "seq": MAX_INT,
        "pool": {"numToAttrib": {"0": ["bold", "true"]}, "nextNum": 1}, "newer": [1, 2],
    }))  # fmt: skip
    assert isinstance(commit, Commit) and commit.base_rev == 3 and commit.seq == MAX_INT
    assert commit.pool is not None and commit.pool.to_jsonable() == {
        "numToAttrib": {"0": ["bold", "true"]}, "nextNum": 1,
    }  # fmt: skip
    join = decode_client_message(b'{"type":"join","clientId":"c","rev":0,"batch":true}')
    assert join == Join(client_id="c", rev=0, batch=True)
    assert isinstance(decode_client_message('{"type":"ping"}'), Ping)
    presence = decode_client_message('{"type":"presence","rev":1,"selection":{"start":2,"end":0}}')
    assert isinstance(presence, Presence) and presence.selection.start == 2
    assert decode_client_message('{"type":"chat","text":"hi \\ud83d\\ude00"}') == Chat("hi 😀")


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{nope", "bad_json"),
        (b"\xff\xfe", "bad_json"),
        ('{"type":"chat","text":"lone \\ud800"}', "bad_json"),
        ("[" * 100_000 + "]" * 100_000, "bad_message"),
        ('{"type":"chat","text":"x","more":' + "[" * 100_000 + "]" * 100_000 + "}", "bad_json"),
        ("[1]", "bad_message"),
        ('{"type":"teleport"}', "unknown_type"),
        ('{"kind":"chat"}', "bad_message"),
        ('{"type":"chat"}', "bad_message"),
        ('{"type":"chat","text":"a\\u0000b"}', "bad_message"),
        ('{"type":"commit","baseRev":0,"changeset":"x","seq":2147483648}', "bad_message"),
        ('{"type":"commit","baseRev":-1,"changeset":"x","seq":1}', "bad_message"),
        ('{"type":"commit","baseRev":1.0,"changeset":"x","seq":1}', "bad_message"),
        ('{"type":"commit","baseRev":true,"changeset":"x","seq":1}', "bad_message"),
        ('{"type":"commit","baseRev":0,"changeset":42,"seq":1}', "bad_changeset"),
        ('{"type":"commit","baseRev":0,"changeset":"a\\u0000","seq":1}', "bad_changeset"),
        ('{"type":"commit","baseRev":0,"changeset":"x","seq":1,"pool":[]}', "bad_pool"),
        (
            '{"type":"commit","baseRev":0,"changeset":"x","seq":1,'
            '"pool":{"numToAttrib":{"0":["a","\\u0000"]}}}',
            "bad_pool",
        ),
        ('{"type":"join","clientId":""}', "bad_message"),
        ('{"type":"join","clientId":"' + "c" * 101 + '"}', "bad_message"),
        ('{"type":"join","rev":99999999999}', "bad_message"),
        ('{"type":"presence","rev":0,"selection":{"start":-1,"end":0}}', "bad_message"),
    ],
)
def test_bad_frames_get_stable_codes(frame: str | bytes, code: str) -> None:
    with pytest.raises(ProtocolError) as refused:
        decode_client_message(frame)
    assert refused.value.code == code


def test_an_invalid_commit_still_names_its_seq() -> None:
    with pytest.raises(ProtocolError) as refused:
        decode_client_message('{"type":"commit","baseRev":"0","changeset":"x","seq":7}')
    assert refused.value.seq == 7
