"""Writes tests/vectors/changesets.json: the changeset cases both languages must pass.

    .venv/bin/python -m tests.vectors.generate

Hand-written cases carry the answer worked out by hand (from Etherpad's published
documentation where it has one); the script refuses to write the file if the
engine disagrees with any of them. Seeded random cases then add breadth; their
answers are the Python engine's, which the JavaScript suite must reproduce.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from tests.support.randomdocs import make_pool, random_atext, random_changeset, random_text
from tests.vectors.runner import run_case

OUTPUT = Path(__file__).with_name("changesets.json")
ERROR = {"error": True}

# Etherpad's documentation example pools: attribute 4 is an author, 5 is bold.
DOC_POOL = {
    "numToAttrib": {
        "0": ["author", "a.x"],
        "1": ["italic", "true"],
        "2": ["underline", "true"],
        "3": ["list", "bullet1"],
        "4": ["author", "a.kVnWeomPADAT2pn9"],
        "5": ["bold", "true"],
    },
    "nextNum": 6,
}
POOL_AB = {
    "numToAttrib": {
        "0": ["author", "a"],
        "1": ["bold", "true"],
        "2": ["bold", ""],
        "3": ["italic", "true"],
        "4": ["insertorder", "first"],
    },
    "nextNum": 5,
}


def hand_cases() -> list[dict[str, Any]]:
    """Cases whose expected answers are written here by hand."""
    cases: list[dict[str, Any]] = []

    def add(name: str, op: str, expect: Any, **inputs: Any) -> None:
        cases.append({"name": name, "op": op, **inputs, "expect": expect})

    # -- unpack / pack (Etherpad's documented examples first)
    add(
        "doc: unpack Z:z>1|2=m=b*0|1+1$\\n",
        "unpack",
        {
            "oldLen": 35,
            "newLen": 36,
            "ops": [["=", 22, 2, ""], ["=", 11, 0, ""], ["+", 1, 1, "*0"]],
            "charBank": "\n",
        },
        cs="Z:z>1|2=m=b*0|1+1$\n",
    )
    add(
        "doc: unpack bold x",
        "unpack",
        {
            "oldLen": 196,
            "newLen": 197,
            "ops": [["=", 97, 5, ""], ["=", 31, 0, ""], ["+", 1, 0, "*4*5"]],
            "charBank": "x",
        },
        cs="Z:5g>1|5=2p=v*4*5+1$x",
    )
    add(
        "unpack shrink",
        "unpack",
        {"oldLen": 10, "newLen": 7, "ops": [["=", 2, 0, ""], ["-", 3, 0, ""]], "charBank": ""},
        cs="Z:a<3=2-3$",
    )
    add(
        "unpack char bank with dollar",
        "unpack",
        {"oldLen": 1, "newLen": 3, "ops": [["+", 2, 0, ""]], "charBank": "$$"},
        cs="Z:1>2+2$$$",
    )
    add(
        "unpack emoji bank",
        "unpack",
        {"oldLen": 1, "newLen": 3, "ops": [["+", 2, 0, ""]], "charBank": "😀"},
        cs="Z:1>2+2$😀",
    )
    for bad in [
        "",
        "Z",
        "Z:",
        "Z:5",
        "Z:5>",
        "Z:5>1",
        "Z:5>1+1",
        "X:5>1+1$x",
        "Z:5>1+1#$",
        "Z:05>1+1$x",
        "Z:5>01+1$x",
        "Z:5>1|0=1+1$x",
        "Z:5>1*+1$x",
        "Z:5<0$",
        "Z:1<2-2$",
        "Z:5>1+$x",
        "Z:5>1?+1$x",
        "Z:5>1 +1$x",
        "Z:A>1+1$x",
        "z:5>1+1$x",
    ]:
        add(f"unpack rejects {bad!r}", "unpack", ERROR, cs=bad)
    add(
        "pack grow",
        "pack",
        "Z:5g>1|5=2p=v*4*5+1$x",
        oldLen=196,
        newLen=197,
        ops=[["=", 97, 5, ""], ["=", 31, 0, ""], ["+", 1, 0, "*4*5"]],
        charBank="x",
    )
    add(
        "pack shrink",
        "pack",
        "Z:a<3=2-3$",
        oldLen=10,
        newLen=7,
        ops=[["=", 2, 0, ""], ["-", 3, 0, ""]],
        charBank="",
    )
    add("pack identity", "pack", "Z:z>0$", oldLen=35, newLen=35, ops=[], charBank="")

    # -- check_rep
    for good in [
        "Z:z>1|2=m=b*0|1+1$\n",
        "Z:5g>1|5=2p=v*4*5+1$x",
        "Z:1>0$",
        "Z:1>2+2$😀",
        "Z:a<3=2-3$",
        "Z:3>1-1+2$ab",
        "Z:3>0*0=1$",
        "Z:5>4|1=2*0|1+2+2$x\nyz",
        "Z:5>1|1=2=1-1+2$ab",
        "Z:3<2|1-2$",
        "Z:4>0*0=1=1*0=1$",
        "Z:2>0*0|1=2$",
    ]:
        add(f"check_rep accepts {good!r}", "check_rep", True, cs=good)
    for bad, why in [
        ("Z:1>1+1$😀", "splits a surrogate pair"),
        ("Z:1>3+3$😀", "char bank too short"),
        ("Z:1>1+1$ab", "unconsumed char bank"),
        ("Z:3>1=1=1+1$x", "unmerged keeps"),
        ("Z:3>0-1-1+2$ab", "unmerged deletes"),
        ("Z:3>0+1-1$x", "insert before delete"),
        ("Z:3>1+1=1$x", "trailing plain keep"),
        ("Z:3>1|1+1$x", "insert says a newline it lacks"),
        ("Z:3>2+2$\nx", "insert spanning lines must end with newline"),
        ("Z:3>1+1$\n", "insert has an unannounced newline"),
        ("Z:3>2=4+2$ab", "keeps more than the text"),
        ("Z:3>2+1$ab", "header delta disagrees"),
        ("Z:3<1-2$", "header delta disagrees on shrink"),
        ("Z:3>0=0$", "zero-length op"),
        ("Z:3>0|2=1$", "more newlines than chars"),
        ("Z:3>1*0*0+1$x", "attribute cited twice"),
        ("Z:2>1+1$\ud83d", "lone surrogate in bank"),
        ("Z:3>0*0|1=1*0|1=1$", "unmerged multi-line keeps"),
    ]:
        add(f"check_rep rejects: {why}", "check_rep", ERROR, cs=bad)
    add(
        "check_rep with pool: sorted keys",
        "check_rep",
        True,
        cs="Z:5g>1|5=2p=v*4*5+1$x",
        pool=DOC_POOL,
    )
    add(
        "check_rep with pool: unsorted keys",
        "check_rep",
        ERROR,
        cs="Z:5g>1|5=2p=v*5*4+1$x",
        pool=DOC_POOL,
    )
    add(
        "check_rep with pool: keys sorted by UTF-16 unit",
        "check_rep",
        True,
        cs="Z:1>1*1*0+1$x",
        pool={"numToAttrib": {"0": ["\uff21", "1"], "1": ["😀", "1"]}, "nextNum": 2},
    )
    add(
        "check_rep with pool: keys sorted by code point are not canonical",
        "check_rep",
        ERROR,
        cs="Z:1>1*0*1+1$x",
        pool={"numToAttrib": {"0": ["\uff21", "1"], "1": ["😀", "1"]}, "nextNum": 2},
    )
    add(
        "check_rep with pool: unknown attribute number",
        "check_rep",
        ERROR,
        cs="Z:1>1*9+1$x",
        pool=DOC_POOL,
    )
    add(
        "check_rep with pool: two values of one key",
        "check_rep",
        ERROR,
        cs="Z:1>1*0*4+1$x",
        pool=DOC_POOL,
    )

    # -- apply_to_text
    add(
        "apply doc example",
        "apply_to_text",
        "ab\ncd\n\nef\n",
        cs="Z:9>1|2=6*0|1+1$\n",
        text="ab\ncd\nef\n",
    )
    add("apply insert at start", "apply_to_text", "Xhello\n", cs="Z:6>1+1$X", text="hello\n")
    add("apply delete middle", "apply_to_text", "ho\n", cs="Z:6<3=1-3$", text="hello\n")
    add("apply replace", "apply_to_text", "hi there\n", cs="Z:6>3-5+8$hi there", text="hello\n")
    add("apply join lines", "apply_to_text", "abcd\n", cs="Z:6<1=2|1-1$", text="ab\ncd\n")
    add("apply split line", "apply_to_text", "a\nb\n", cs="Z:3>1=1|1+1$\n", text="ab\n")
    add("apply emoji insert", "apply_to_text", "😀\n", cs="Z:1>2+2$😀", text="\n")
    add("apply emoji delete", "apply_to_text", "\n", cs="Z:3<2-2$", text="😀\n")
    add("apply keep over emoji", "apply_to_text", "😀x\n", cs="Z:3>1=2+1$x", text="😀\n")
    add("apply keep splitting emoji", "apply_to_text", ERROR, cs="Z:3>1=1+1$x", text="😀\n")
    add("apply length mismatch", "apply_to_text", ERROR, cs="Z:5>1+1$x", text="ab\n")
    add(
        "apply bad newline count in keep",
        "apply_to_text",
        ERROR,
        cs="Z:6>1|1=2+1$x",
        text="abcde\n",
    )
    add(
        "apply keep |1 not ending at newline",
        "apply_to_text",
        ERROR,
        cs="Z:6>1|1=4+1$x",
        text="ab\ncd\n",
    )
    add("apply removes final newline", "apply_to_text", ERROR, cs="Z:3<1=2|1-1$", text="ab\n")
    add("apply identity", "apply_to_text", "same\n", cs="Z:5>0$", text="same\n")

    # -- apply_to_atext
    add(
        "atext: insert bold x (doc example shape)",
        "apply_to_atext",
        {"text": "ab\ncxd\n", "attribs": "|1+3+1*4*5+1|1+2"},
        cs="Z:6>1|1=3=1*4*5+1$x",
        atext={"text": "ab\ncd\n", "attribs": "|2+6"},
        pool=DOC_POOL,
    )
    add(
        "atext: bold a range",
        "apply_to_atext",
        {"text": "hello\n", "attribs": "+1*1+3|1+2"},
        cs="Z:6>0=1*1=3$",
        atext={"text": "hello\n", "attribs": "|1+6"},
        pool=POOL_AB,
    )
    add(
        "atext: unbold",
        "apply_to_atext",
        {"text": "hello\n", "attribs": "*1+2|1+4"},
        cs="Z:6>0=2*2=3$",
        atext={"text": "hello\n", "attribs": "*1+5|1+1"},
        pool=POOL_AB,
    )
    add(
        "atext: delete keeps neighbours' attributes",
        "apply_to_atext",
        {"text": "ho\n", "attribs": "*0+1*1+1|1+1"},
        cs="Z:6<3=1-3$",
        atext={"text": "hello\n", "attribs": "*0+3*1+2|1+1"},
        pool=POOL_AB,
    )
    add(
        "atext: join two lines",
        "apply_to_atext",
        {"text": "abcd\n", "attribs": "*0+2*1+2|1+1"},
        cs="Z:6<1=2|1-1$",
        atext={"text": "ab\ncd\n", "attribs": "*0|1+3*1+2|1+1"},
        pool=POOL_AB,
    )
    add(
        "atext: split line",
        "apply_to_atext",
        {"text": "a\nb\n", "attribs": "*0+1*3|1+1*0+1|1+1"},
        cs="Z:3>1=1*3|1+1$\n",
        atext={"text": "ab\n", "attribs": "*0+2|1+1"},
        pool=POOL_AB,
    )
    add(
        "atext: emoji with attribute",
        "apply_to_atext",
        {"text": "😀\n", "attribs": "*0+2|1+1"},
        cs="Z:1>2*0+2$😀",
        atext={"text": "\n", "attribs": "|1+1"},
        pool=POOL_AB,
    )
    add(
        "atext: length mismatch",
        "apply_to_atext",
        ERROR,
        cs="Z:5>1+1$x",
        atext={"text": "ab\n", "attribs": "|1+3"},
        pool=POOL_AB,
    )
    add(
        "atext: attribution does not fit text",
        "apply_to_atext",
        ERROR,
        cs="Z:3>1+1$x",
        atext={"text": "ab\n", "attribs": "|1+4"},
        pool=POOL_AB,
    )
    add(
        "atext: lines mismatch in leading keep",
        "apply_to_atext",
        ERROR,
        cs="Z:6>1|2=3+1$x",
        atext={"text": "ab\ncd\n", "attribs": "|2+6"},
        pool=POOL_AB,
    )

    add(
        "atext: insert's newline count checked",
        "apply_to_atext",
        ERROR,
        cs="Z:3>1|1+1$x",
        atext={"text": "ab\n", "attribs": "|1+3"},
        pool=POOL_AB,
    )
    add(
        "atext: partial keep before multi-line keep",
        "apply_to_atext",
        ERROR,
        cs="Z:6>0=3|2=3$",
        atext={"text": "ab\ncd\n", "attribs": "|2+6"},
        pool=POOL_AB,
    )
    add(
        "apply: insert's newline count checked",
        "apply_to_text",
        ERROR,
        cs="Z:3>1|1+1$x",
        text="ab\n",
    )
    add(
        "inverse: ops longer than the text",
        "inverse",
        ERROR,
        cs="Z:1>0=5$",
        atext={"text": "\n", "attribs": "|1+1"},
        pool=POOL_AB,
    )
    add(
        "diff: lone surrogate beside an emoji",
        "changeset_from_texts",
        "Z:5>0=3-1+1$b",
        old="😀\udc00a\n",
        new="😀\udc00b\n",
    )

    # -- compose
    add(
        "compose two inserts",
        "compose",
        {"cs": "Z:1>2+2$ab", "pool": POOL_AB},
        cs1="Z:1>1+1$a",
        cs2="Z:2>1=1+1$b",
        pool=POOL_AB,
    )
    add(
        "compose insert then delete it",
        "compose",
        {"cs": "Z:1>0$", "pool": POOL_AB},
        cs1="Z:1>1+1$a",
        cs2="Z:2<1-1$",
        pool=POOL_AB,
    )
    add(
        "compose insert then bold it",
        "compose",
        {"cs": "Z:1>1*1+1$a", "pool": POOL_AB},
        cs1="Z:1>1+1$a",
        cs2="Z:2>0*1=1$",
        pool=POOL_AB,
    )
    add(
        "compose bold then unbold keeps removal",
        "compose",
        {"cs": "Z:2>0*2=1$", "pool": POOL_AB},
        cs1="Z:2>0*1=1$",
        cs2="Z:2>0*2=1$",
        pool=POOL_AB,
    )
    add(
        "compose insert bold then unbold",
        "compose",
        {"cs": "Z:1>1+1$a", "pool": POOL_AB},
        cs1="Z:1>1*1+1$a",
        cs2="Z:2>0*2=1$",
        pool=POOL_AB,
    )
    add("compose length mismatch", "compose", ERROR, cs1="Z:1>1+1$a", cs2="Z:3>1+1$b", pool=POOL_AB)
    add(
        "compose delete then insert elsewhere",
        "compose",
        {"cs": "Z:4>0-1=2+1$x", "pool": POOL_AB},
        cs1="Z:4<1-1$",
        cs2="Z:3>1=2+1$x",
        pool=POOL_AB,
    )

    # -- follow
    add(
        "follow same-place inserts, A first",
        "follow",
        {"cs": "Z:2>1=1+1$B", "pool": POOL_AB},
        cs1="Z:1>1+1$A",
        cs2="Z:1>1+1$B",
        reverse=False,
        pool=POOL_AB,
    )
    add(
        "follow same-place inserts, reversed",
        "follow",
        {"cs": "Z:2>1+1$B", "pool": POOL_AB},
        cs1="Z:1>1+1$A",
        cs2="Z:1>1+1$B",
        reverse=True,
        pool=POOL_AB,
    )
    add(
        "follow: newline insert goes last",
        "follow",
        {"cs": "Z:2>1+1$B", "pool": POOL_AB},
        cs1="Z:1>1|1+1$\n",
        cs2="Z:1>1+1$B",
        reverse=False,
        pool=POOL_AB,
    )
    add(
        "follow: insertorder=first wins",
        "follow",
        {"cs": "Z:2>1*4+1$B", "pool": POOL_AB},
        cs1="Z:1>1+1$A",
        cs2="Z:1>1*4+1$B",
        reverse=False,
        pool=POOL_AB,
    )
    add(
        "follow: delete of deleted text vanishes",
        "follow",
        {"cs": "Z:4>0$", "pool": POOL_AB},
        cs1="Z:5<1=1-1$",
        cs2="Z:5<1=1-1$",
        reverse=False,
        pool=POOL_AB,
    )
    add(
        "follow: insert inside deleted range",
        "follow",
        {"cs": "Z:2>1=1+1$x", "pool": POOL_AB},
        cs1="Z:5<3=1-3$",
        cs2="Z:5>1=2+1$x",
        reverse=False,
        pool=POOL_AB,
    )
    add(
        "follow: both bold, same value: nothing left",
        "follow",
        {"cs": "Z:5>0$", "pool": POOL_AB},
        cs1="Z:5>0*1=2$",
        cs2="Z:5>0*1=2$",
        reverse=False,
        pool=POOL_AB,
    )
    add(
        "follow: bold vs unbold, empty value wins",
        "follow",
        {"cs": "Z:5>0*2=2$", "pool": POOL_AB},
        cs1="Z:5>0*1=2$",
        cs2="Z:5>0*2=2$",
        reverse=False,
        pool=POOL_AB,
    )
    add(
        "follow: unbold vs bold, empty value stays",
        "follow",
        {"cs": "Z:5>0$", "pool": POOL_AB},
        cs1="Z:5>0*2=2$",
        cs2="Z:5>0*1=2$",
        reverse=False,
        pool=POOL_AB,
    )
    add(
        "follow: different old lengths",
        "follow",
        ERROR,
        cs1="Z:5>0$",
        cs2="Z:4>0$",
        reverse=False,
        pool=POOL_AB,
    )

    # -- inverse
    add(
        "inverse of insert",
        "inverse",
        {"cs": "Z:7<2=1-2$", "pool": POOL_AB},
        cs="Z:5>2=1+2$xy",
        atext={"text": "abcd\n", "attribs": "|1+5"},
        pool=POOL_AB,
    )
    add(
        "inverse of delete restores attributes",
        "inverse",
        {"cs": "Z:3>2=1*0*1+1*1+1$bc", "pool": POOL_AB},
        cs="Z:5<2=1-2$",
        atext={"text": "abcd\n", "attribs": "+1*0*1+1*1+1|1+2"},
        pool=POOL_AB,
    )
    add(
        "inverse of unbold re-bolds (Etherpad misses this)",
        "inverse",
        {"cs": "Z:5>0*1=2$", "pool": POOL_AB},
        cs="Z:5>0*2=2$",
        atext={"text": "abcd\n", "attribs": "*1+2|1+3"},
        pool=POOL_AB,
    )
    add(
        "inverse of bold on mixed text",
        "inverse",
        {"cs": "Z:5>0=1*2=1$", "pool": POOL_AB},
        cs="Z:5>0*1=2$",
        atext={"text": "abcd\n", "attribs": "*1+1|1+4"},
        pool=POOL_AB,
    )
    add(
        "inverse of line join",
        "inverse",
        {"cs": "Z:5>1=2|1+1$\n", "pool": POOL_AB},
        cs="Z:6<1=2|1-1$",
        atext={"text": "ab\ncd\n", "attribs": "|2+6"},
        pool=POOL_AB,
    )

    # -- make_splice
    add(
        "make_splice emoji into empty doc",
        "make_splice",
        {"cs": "Z:1>2+2$😀", "pool": {"numToAttrib": {}, "nextNum": 0}},
        text="\n",
        start=0,
        ndel=0,
        ins="😀",
    )
    add(
        "make_splice doc example shape",
        "make_splice",
        {
            "cs": "Z:6>1|1=3=1*1*0+1$x",
            "pool": {"numToAttrib": {"0": ["bold", "true"], "1": ["author", "a"]}, "nextNum": 2},
        },
        text="ab\ncd\n",
        start=4,
        ndel=0,
        ins="x",
        attribs=[["bold", "true"], ["author", "a"]],
    )
    add(
        "make_splice: an empty value removes its key from inserted text",
        "make_splice",
        {
            "cs": "Z:3>1=1*0+1$x",
            "pool": {"numToAttrib": {"0": ["bold", "true"], "1": ["italic", "true"]}, "nextNum": 2},
        },
        text="ab\n",
        start=1,
        ndel=0,
        ins="x",
        attribs=[["list", ""], ["bold", "true"], ["italic", "true"], ["italic", ""]],
        pool={"numToAttrib": {}, "nextNum": 0},
    )
    add(
        "make_splice: a repeated key keeps its last value (both are numbered)",
        "make_splice",
        {
            "cs": "Z:3>1=1*1+1$x",
            "pool": {"numToAttrib": {"0": ["bold", "1"], "1": ["bold", "true"]}, "nextNum": 2},
        },
        text="ab\n",
        start=1,
        ndel=0,
        ins="x",
        attribs=[["bold", "1"], ["bold", "true"]],
    )
    add(
        "make_splice: keys in UTF-16 order (U+FF21 after an emoji)",
        "make_splice",
        {
            "cs": "Z:3>1*1*0+1$x",
            "pool": {"numToAttrib": {"0": ["\uff21", "1"], "1": ["😀", "1"]}, "nextNum": 2},
        },
        text="ab\n",
        start=0,
        ndel=0,
        ins="x",
        attribs=[["\uff21", "1"], ["😀", "1"]],
    )
    add(
        "make_splice: a no-op still numbers its attributes",
        "make_splice",
        {"cs": "Z:3>0$", "pool": {"numToAttrib": {"0": ["bold", "true"]}, "nextNum": 1}},
        text="ab\n",
        start=1,
        ndel=0,
        ins="",
        attribs=[["bold", "true"]],
    )
    add(
        "make_splice across lines",
        "make_splice",
        {"cs": "Z:9<2=1|1-2-2|1+2$X\n", "pool": {"numToAttrib": {}, "nextNum": 0}},
        text="ab\ncd\nef\n",
        start=1,
        ndel=4,
        ins="X\n",
    )
    add(
        "make_splice after emoji",
        "make_splice",
        {"cs": "Z:3>1=2+1$x", "pool": {"numToAttrib": {}, "nextNum": 0}},
        text="😀\n",
        start=2,
        ndel=0,
        ins="x",
    )
    add("make_splice inside emoji", "make_splice", ERROR, text="😀\n", start=1, ndel=0, ins="x")
    add("make_splice past end", "make_splice", ERROR, text="ab\n", start=2, ndel=5, ins="")
    add(
        "make_splice no-op",
        "make_splice",
        {"cs": "Z:3>0$", "pool": {"numToAttrib": {}, "nextNum": 0}},
        text="ab\n",
        start=1,
        ndel=0,
        ins="",
    )

    # -- make_attribute_change
    add(
        "attribute change over lines",
        "make_attribute_change",
        {
            "cs": "Z:6>0=1*0|1=2*0=1$",
            "pool": {"numToAttrib": {"0": ["bold", "true"]}, "nextNum": 1},
        },
        text="ab\ncd\n",
        start=1,
        end=4,
        attribs=[["bold", "true"]],
    )

    # -- character_range_follow
    add(
        "caret after insert before it",
        "character_range_follow",
        [6, 6],
        cs="Z:6>3+3$abc",
        start=3,
        end=3,
    )
    add(
        "caret at insert point moves",
        "character_range_follow",
        [4, 4],
        cs="Z:6>1=3+1$x",
        start=3,
        end=3,
    )
    add(
        "caret at insert point stays (insertionsAfter)",
        "character_range_follow",
        [3, 3],
        cs="Z:6>1=3+1$x",
        start=3,
        end=3,
        insertionsAfter=True,
    )
    add(
        "selection around deletion shrinks",
        "character_range_follow",
        [1, 2],
        cs="Z:6<2=2-2$",
        start=1,
        end=4,
    )
    add(
        "caret inside deletion collapses",
        "character_range_follow",
        [2, 2],
        cs="Z:6<3=2-3$",
        start=3,
        end=4,
    )
    add(
        "selection end inside replaced text goes back to before the new text",
        "character_range_follow",
        [0, 2],
        cs="Z:7>1=2-2+3$XYZ",
        start=0,
        end=3,
    )
    add(
        "selection start inside replaced text goes past the new text",
        "character_range_follow",
        [5, 7],
        cs="Z:7>1=2-2+3$XYZ",
        start=3,
        end=6,
    )
    add(
        "text inserted at a selection's end stays out of it",
        "character_range_follow",
        [0, 2],
        cs="Z:7>3=2+3$XYZ",
        start=0,
        end=2,
    )
    add(
        "a selection starting at an insert moves right whole (insertionsAfter too)",
        "character_range_follow",
        [5, 6],
        cs="Z:7>3=2+3$XYZ",
        start=2,
        end=3,
        insertionsAfter=True,
    )
    add("range outside text", "character_range_follow", ERROR, cs="Z:6<3=2-3$", start=3, end=9)

    # -- changeset_from_texts
    add(
        "diff insert word",
        "changeset_from_texts",
        "Z:c>4=6+4$big ",
        old="hello world\n",
        new="hello big world\n",
    )
    add(
        "diff delete line",
        "changeset_from_texts",
        "Z:9<3|1=3|1-3$",
        old="ab\ncd\nef\n",
        new="ab\nef\n",
    )
    add(
        "diff emoji change keeps pairs whole",
        "changeset_from_texts",
        "Z:4>0=1-2+2$😁",
        old="a😀\n",
        new="a😁\n",
    )
    add("diff identical", "changeset_from_texts", "Z:3>0$", old="ab\n", new="ab\n")
    add(
        "diff keeping the final newline: a last line deleted",
        "changeset_from_texts",
        "Z:9<3|1=3=2|1-1-2$",
        old="ab\ncd\nef\n",
        new="ab\ncd\n",
        keepFinalNewline=True,
    )
    add(
        "diff keeping the final newline: a line added at the end",
        "changeset_from_texts",
        "Z:3>2=2|1+1+1$\nc",
        old="ab\n",
        new="ab\nc\n",
        keepFinalNewline=True,
    )
    add(
        "diff keeping the final newline: the last line replaced",
        "changeset_from_texts",
        "Z:6<1|1=3-2+1$x",
        old="ab\ncd\n",
        new="ab\nx\n",
        keepFinalNewline=True,
    )

    # -- builder
    add(
        "builder keep/remove/insert",
        "builder",
        {"cs": "Z:9>0|1=3-1*0+1$X", "pool": {"numToAttrib": {"0": ["author", "a"]}, "nextNum": 1}},
        oldLen=9,
        steps=[["keepText", "ab\n"], ["removeText", "c"], ["insert", "X", [["author", "a"]]]],
    )
    add(
        "builder: empty values stay on keeps, leave inserts",
        "builder",
        {
            "cs": "Z:3>1*0*1=1*1+1$x",
            "pool": {"numToAttrib": {"0": ["bold", ""], "1": ["italic", "true"]}, "nextNum": 2},
        },
        oldLen=3,
        steps=[
            ["keep", 1, 0, [["bold", ""], ["italic", "true"]]],
            ["insert", "x", [["bold", ""], ["italic", "true"]]],
        ],
    )
    add("builder over-keep", "builder", ERROR, oldLen=2, steps=[["keep", 3, 0]])

    # -- pools
    add(
        "move_to_pool renumbers",
        "move_to_pool",
        {
            "cs": "Z:1>1*0*1+1$x",
            "pool": {
                "numToAttrib": {"0": ["author", "a.kVnWeomPADAT2pn9"], "1": ["bold", "true"]},
                "nextNum": 2,
            },
        },
        cs="Z:1>1*4*5+1$x",
        **{"from": DOC_POOL, "to": {"numToAttrib": {}, "nextNum": 0}},
    )
    add("pool JSON round-trip", "pool_roundtrip", DOC_POOL, pool=DOC_POOL)
    add(
        "pool JSON rejects bad entry",
        "pool_roundtrip",
        ERROR,
        pool={"numToAttrib": {"0": ["bold"]}, "nextNum": 1},
    )
    add(
        "compose_attributes as mutation keeps removal",
        "compose_attributes",
        {"attribs": "*2", "pool": POOL_AB},
        att1="*1",
        att2="*2",
        mutation=True,
        pool=POOL_AB,
    )
    add(
        "compose_attributes on text removes",
        "compose_attributes",
        {"attribs": "", "pool": POOL_AB},
        att1="*1",
        att2="*2",
        mutation=False,
        pool=POOL_AB,
    )
    add(
        "compose_attributes sorts by key",
        "compose_attributes",
        {"attribs": "*0*1*3", "pool": POOL_AB},
        att1="*3*1",
        att2="*0",
        mutation=False,
        pool=POOL_AB,
    )
    add(
        "follow_attributes smaller value wins",
        "follow_attributes",
        {"attribs": "*2", "pool": POOL_AB},
        att1="*1",
        att2="*2",
        pool=POOL_AB,
    )
    exotic = {
        "numToAttrib": {
            "0": ["\uff21", "1"],
            "1": ["😀", "1"],
            "2": ["k", "\uff21"],
            "3": ["k", "😀"],
        },
        "nextNum": 4,
    }
    add(
        "compose_attributes sorts keys by UTF-16 unit",
        "compose_attributes",
        {"attribs": "*1*0", "pool": exotic},
        att1="*0",
        att2="*1",
        mutation=False,
        pool=exotic,
    )
    add(
        "follow_attributes compares values by UTF-16 unit (an emoji is smaller)",
        "follow_attributes",
        {"attribs": "*3", "pool": exotic},
        att1="*2",
        att2="*3",
        pool=exotic,
    )
    add(
        "follow_attributes: the larger value gives way",
        "follow_attributes",
        {"attribs": "", "pool": exotic},
        att1="*3",
        att2="*2",
        pool=exotic,
    )
    return cases


def random_cases(seed: int, count: int) -> list[dict[str, Any]]:
    """Seeded random cases of every algebra operation; answers from the engine."""
    rng = random.Random(seed)
    cases: list[dict[str, Any]] = []
    kinds = [
        "changeset_from_atexts",
        "apply_to_text",
        "apply_to_atext",
        "compose",
        "follow",
        "follow_reverse",
        "inverse",
        "make_splice",
        "character_range_follow",
        "changeset_from_texts",
        "check_rep",
    ]
    for number in range(count):
        kind = kinds[number % len(kinds)]
        pool = make_pool()
        pool_json = pool.to_jsonable()
        atext = random_atext(rng, pool)
        cs = random_changeset(rng, atext.text, pool)
        name = f"random {kind} #{number}"
        if kind == "apply_to_text":
            case = {"op": kind, "cs": cs, "text": atext.text}
        elif kind == "apply_to_atext":
            case = {"op": kind, "cs": cs, "atext": atext.to_jsonable(), "pool": pool.to_jsonable()}
        elif kind == "compose":
            from policypad.changeset import apply_to_text

            cs2 = random_changeset(rng, apply_to_text(cs, atext.text), pool)
            case = {"op": kind, "cs1": cs, "cs2": cs2, "pool": pool.to_jsonable()}
        elif kind in ("follow", "follow_reverse"):
            cs2 = random_changeset(rng, atext.text, pool)
            case = {
                "op": "follow",
                "cs1": cs,
                "cs2": cs2,
                "reverse": kind == "follow_reverse",
                "pool": pool.to_jsonable(),
            }
        elif kind == "inverse":
            case = {"op": kind, "cs": cs, "atext": atext.to_jsonable(), "pool": pool.to_jsonable()}
        elif kind == "make_splice":
            text = atext.text
            points = _unit_offsets(text[:-1])
            start = rng.choice(points)
            end = rng.choice([p for p in points if p >= start])
            case = {
                "op": kind,
                "text": text,
                "start": start,
                "ndel": end - start,
                "ins": random_text(rng, 5),
                "attribs": [["author", rng.choice("ab")]],
                "pool": pool_json,
            }
        elif kind == "character_range_follow":
            points = _unit_offsets(atext.text)
            start = rng.choice(points)
            end = rng.choice([p for p in points if p >= start])
            case = {
                "op": kind,
                "cs": cs,
                "start": start,
                "end": end,
                "insertionsAfter": rng.random() < 0.5,
            }
        elif kind == "changeset_from_atexts":
            other = random_atext(rng, pool)
            case = {"op": kind, "old": atext.to_jsonable(), "new": other.to_jsonable(),
                    "pool": pool.to_jsonable()}  # fmt: skip
        elif kind == "changeset_from_texts":
            other = random_atext(rng, pool).text
            case = {"op": kind, "old": atext.text, "new": other}
        else:
            case = {"op": kind, "cs": _mutate(rng, cs), "pool": pool.to_jsonable()}
        if kind.startswith("changeset_from") and number // len(kinds) % 2:
            case["keepFinalNewline"] = True
        case["name"] = name
        case["expect"] = run_case(case)
        cases.append(case)
    return cases


def _unit_offsets(text: str) -> list[int]:
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + (2 if ord(char) > 0xFFFF else 1))
    return offsets


def _mutate(rng: random.Random, cs: str) -> str:
    """Return `cs`, or a slightly broken copy of it (half the time)."""
    if rng.random() < 0.5 or len(cs) < 4:
        return cs
    position = rng.randrange(2, len(cs))
    return cs[:position] + rng.choice("=-+|*$0z1\n") + cs[position + 1 :]


def build() -> list[dict[str, Any]]:
    """Return every case, checking the hand-written answers against the engine."""
    cases = hand_cases()
    wrong = [
        (case["name"], run_case(case), case["expect"])
        for case in cases
        if run_case(case) != case["expect"]
    ]
    if wrong:
        lines = "\n".join(f"  {name}: engine {got!r}, hand {want!r}" for name, got, want in wrong)
        raise SystemExit(f"the engine disagrees with hand-written cases:\n{lines}")
    return cases + random_cases(seed=20261125, count=300)


def main() -> None:
    cases = build()
    OUTPUT.write_text(json.dumps({"cases": cases}, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {OUTPUT}")


if __name__ == "__main__":
    main()
