"""Writes tests/vectors/etherpad_engine.json: cases answered by Etherpad's own engine.

    git clone https://github.com/ether/etherpad-lite /tmp/etherpad
    .venv/bin/python -m tests.vectors.generate_etherpad /tmp/etherpad

or, from a bare clone, only the engine's folder, naming the commit to record:

    git --git-dir=etherpad.git archive COMMIT src/static/js | tar -x -C /tmp/etherpad
    .venv/bin/python -m tests.vectors.generate_etherpad /tmp/etherpad --etherpad-commit COMMIT

It needs node and the esbuild of package.json (`npm ci`), nothing of Etherpad's own
dependencies. The recorded file was made from Etherpad's commit b827f5b3 (2025-11-20).

Seeded random cases (the inputs) are made here; Etherpad's Changeset module answers
them under node (tests/vectors/etherpad_oracle.mjs), and each answer is recorded as
the case's `expect`. Both test suites then hold PolicyPad's engines to Etherpad's
answers without needing Etherpad (CI cannot fetch it). The script also prints how
many answers the Python engine gives alike, per operation: the differential check.

Only valid inputs are asked (ranges inside the text, no split surrogate pair, no comma
in an attribute): where Etherpad clamps, or its pool confuses ``["a,b", "c"]`` with
``["a", "b,c"]``, PolicyPad refuses or tells them apart on purpose (README, "The
changeset engine").
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from policypad.changeset import AttributePool, apply_to_text, utf16
from policypad.changeset._base36 import format_base36
from tests.support.randomdocs import make_pool, random_atext, random_changeset, random_text
from tests.vectors.runner import run_case

HERE = Path(__file__).parent
OUTPUT = HERE / "etherpad_engine.json"
ORACLE = HERE / "etherpad_oracle.mjs"
SEED = 20261127

# Keys and values that sort differently by code point (Python's str order) and by UTF-16
# unit (JavaScript's, and so Etherpad's): U+E000 and U+FF21 come before an emoji by code
# point, after it by unit. No commas (see the module docstring).
KEYS = ["author", "bold", "italic", "b", "a", "list", "é", "\uff21", "😀", "\ue000"]
VALUES = ["true", "", "", "a.x", "1", "é", "\uff21", "😀", "\ue000x"]


def random_pairs(rng: random.Random, most: int = 4) -> list[list[str]]:
    """0 to `most` pairs, in any order, keys possibly repeated, values possibly empty."""
    return [[rng.choice(KEYS), rng.choice(VALUES)] for _ in range(rng.randint(0, most))]


def random_pool(rng: random.Random) -> dict[str, Any]:
    """An empty pool, the random documents' pool, or some of KEYS x VALUES in any order."""
    roll = rng.random()
    if roll < 0.3:
        return AttributePool().to_jsonable()
    if roll < 0.5:
        return make_pool().to_jsonable()
    pool = AttributePool()
    for key, value in random_pairs(rng, 6):
        pool.put_attrib((key, value))
    return pool.to_jsonable()


def unit_offsets(text: str) -> list[int]:
    """Every UTF-16 offset of `text` that does not split a surrogate pair."""
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + (2 if ord(char) > 0xFFFF else 1))
    return offsets


def make_splice_case(rng: random.Random) -> dict[str, Any]:
    pool = make_pool()
    text = random_atext(rng, pool, max_pieces=3).text
    points = unit_offsets(text[:-1])
    start = rng.choice(points)
    end = rng.choice([point for point in points if point >= start])
    return {
        "op": "make_splice",
        "text": text,
        "start": start,
        "ndel": end - start if rng.random() < 0.6 else 0,
        "ins": random_text(rng, 5) if rng.random() < 0.9 else "",
        "attribs": random_pairs(rng),
        "pool": random_pool(rng),
    }


def builder_case(rng: random.Random) -> dict[str, Any]:
    text = random_atext(rng, make_pool(), max_pieces=3).text
    steps: list[list[Any]] = []
    position = 0  # a code point index into text
    while position < len(text) - 1 and len(steps) < 5:
        piece = text[position : position + rng.randint(1, 4)]
        if piece.endswith("\n") and position + len(piece) == len(text):
            piece = piece[:-1]  # keep the final newline untouched
            if not piece:
                break
        roll = rng.random()
        if roll < 0.4:
            steps.append(["keepText", piece, random_pairs(rng, 3)])
        elif roll < 0.55 and "\n" not in piece:
            steps.append(["keep", utf16.length(piece), 0, random_pairs(rng, 3)])
        elif roll < 0.7:
            steps.append(["remove", utf16.length(piece), piece.count("\n")])
        else:
            steps.append(["keepText", piece, []])
        position += len(piece)
        if rng.random() < 0.5:
            steps.append(["insert", random_text(rng, 4), random_pairs(rng, 3)])
    return {"op": "builder", "oldLen": utf16.length(text), "steps": steps, "pool": random_pool(rng)}


def range_follow_case(rng: random.Random) -> dict[str, Any]:
    pool = make_pool()
    atext = random_atext(rng, pool, max_pieces=4)
    cs = random_changeset(rng, atext.text, pool)
    points = unit_offsets(atext.text)
    start = rng.choice(points)
    end = rng.choice([point for point in points if point >= start])
    if rng.random() < 0.25:
        end = start  # a caret
    return {
        "op": "character_range_follow",
        "cs": cs,
        "start": start,
        "end": end,
        "insertionsAfter": rng.random() < 0.5,
    }


def distinct_pairs(rng: random.Random, most: int) -> dict[str, str]:
    """Up to `most` attributes with distinct keys, as one attribs string holds them."""
    return {rng.choice(KEYS): rng.choice(VALUES) for _ in range(rng.randint(0, most))}


def attribs_of(pairs: dict[str, str], pool: AttributePool) -> str:
    """The attribs string citing `pairs`, sorted by key as Etherpad sorts (by UTF-16 unit)."""
    keys = sorted(pairs, key=lambda key: key.encode("utf-16-be"))
    return "".join("*" + format_base36(pool.put_attrib((key, pairs[key]))) for key in keys)


def attributes_case(rng: random.Random, op: str) -> dict[str, Any]:
    first = distinct_pairs(rng, 3)
    second = distinct_pairs(rng, 3)
    # The pool numbers the pairs cited, and a few others, in random order, so that pool
    # order and key order part; a pair the answer needs may be missing, to be added.
    pairs = [*first.items(), *second.items(), *(tuple(pair) for pair in random_pairs(rng))]
    rng.shuffle(pairs)
    pool = AttributePool()
    for key, value in pairs:
        pool.put_attrib((key, value))
    case: dict[str, Any] = {
        "op": op,
        "att1": attribs_of(first, pool),
        "att2": attribs_of(second, pool),
        "pool": pool.to_jsonable(),
    }
    if op == "compose_attributes":
        case["mutation"] = rng.random() < 0.5
    return case


def compose_case(rng: random.Random) -> dict[str, Any]:
    pool = make_pool()
    atext = random_atext(rng, pool, max_pieces=4)
    first = random_changeset(rng, atext.text, pool)
    second = random_changeset(rng, apply_to_text(first, atext.text), pool)
    return {"op": "compose", "cs1": first, "cs2": second, "pool": pool.to_jsonable()}


def follow_case(rng: random.Random) -> dict[str, Any]:
    pool = make_pool()
    atext = random_atext(rng, pool, max_pieces=4)
    return {
        "op": "follow",
        "cs1": random_changeset(rng, atext.text, pool),
        "cs2": random_changeset(rng, atext.text, pool),
        "reverse": rng.random() < 0.5,
        "pool": pool.to_jsonable(),
    }


def apply_case(rng: random.Random) -> dict[str, Any]:
    pool = make_pool()
    atext = random_atext(rng, pool, max_pieces=4)
    return {
        "op": "apply_to_atext",
        "cs": random_changeset(rng, atext.text, pool),
        "atext": atext.to_jsonable(),
        "pool": pool.to_jsonable(),
    }


# how many cases of each kind: the two functions issue 17 found different get the most;
# the others agreed before and are recorded to keep it so
COUNTS = {
    "make_splice": 700,
    "builder": 250,
    "character_range_follow": 900,
    "compose_attributes": 150,
    "follow_attributes": 150,
    "compose": 250,
    "follow": 250,
    "apply_to_atext": 200,
}


def make_cases(seed: int) -> list[dict[str, Any]]:
    """The seeded inputs, named, without answers."""
    rng = random.Random(seed)
    makers = {
        "make_splice": make_splice_case,
        "builder": builder_case,
        "character_range_follow": range_follow_case,
        "compose_attributes": lambda rng: attributes_case(rng, "compose_attributes"),
        "follow_attributes": lambda rng: attributes_case(rng, "follow_attributes"),
        "compose": compose_case,
        "follow": follow_case,
        "apply_to_atext": apply_case,
    }
    cases = []
    for kind, count in COUNTS.items():
        for number in range(count):
            case = makers[kind](rng)
            cases.append({"name": f"etherpad {kind} #{number}", **case})
    return cases


def ask_etherpad(cases: list[dict[str, Any]], checkout: Path) -> list[Any]:
    """Etherpad's answers to `cases`, from its module in `checkout`, run under node."""
    inputs = [{key: value for key, value in case.items() if key != "name"} for case in cases]
    done = subprocess.run(
        ["node", str(ORACLE), str(checkout)],
        input=json.dumps({"cases": inputs}),
        capture_output=True,
        text=True,
        check=True,
    )
    answers: list[Any] = json.loads(done.stdout)["answers"]
    return answers


def etherpad_commit(checkout: Path) -> str:
    """The commit checked out in `checkout`, or "unknown" if it is no git work tree."""
    done = subprocess.run(
        ["git", "-C", str(checkout), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    return done.stdout.strip() if done.returncode == 0 else "unknown"


def to_json(source: dict[str, Any], cases: list[dict[str, Any]]) -> str:
    """``{"etherpad": source, "cases": cases}`` with one case a line: a third of the
    size of indented JSON, and a regenerated case shows in a diff as its own line."""

    def compact(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    lines = ",\n".join(compact(case) for case in cases)
    return f'{{"etherpad":{compact(source)},\n"cases":[\n{lines}\n]}}\n'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("etherpad", type=Path, help="a checkout of ether/etherpad-lite")
    parser.add_argument("--check", action="store_true", help="compare only, write nothing")
    parser.add_argument(
        "--etherpad-commit",
        help="the commit the checkout holds, to record where it is no git work tree "
        "(e.g. unpacked with `git archive COMMIT src/static/js | tar -x`)",
    )
    args = parser.parse_args()
    cases = make_cases(SEED)
    answers = ask_etherpad(cases, args.etherpad)
    recorded = []
    agree: Counter[str] = Counter()
    total: Counter[str] = Counter()
    refused = 0
    for case, answer in zip(cases, answers, strict=True):
        if isinstance(answer, dict) and "error" in answer:
            refused += 1  # Etherpad failed on a valid input: nothing to hold us to
            continue
        case["expect"] = answer
        recorded.append(case)
        total[case["op"]] += 1
        agree[case["op"]] += run_case(case) == answer
    for op in total:
        print(f"{op}: the Python engine agrees with Etherpad on {agree[op]} of {total[op]}")
    if refused:
        print(f"{refused} cases left out: Etherpad threw on them", file=sys.stderr)
    if args.check:
        return
    source = {
        "repository": "https://github.com/ether/etherpad-lite",
        "commit": args.etherpad_commit or etherpad_commit(args.etherpad),
        "generator": "tests/vectors/generate_etherpad.py",
        "seed": SEED,
    }
    OUTPUT.write_text(to_json(source, recorded), encoding="utf-8")
    print(f"wrote {len(recorded)} cases to {OUTPUT}")


if __name__ == "__main__":
    main()
