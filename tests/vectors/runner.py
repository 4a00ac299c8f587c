"""Runs one shared test-vector case with the Python engine.

A case is a JSON object ``{"name", "op", ...inputs}``; `run_case` returns what the
engine gives, as JSON data, or ``{"error": true}`` when it raises ChangesetError.
The JavaScript twin (tests/js/vector_runner.mjs) implements the same function, so
both suites check the same file and the cross-language test compares them directly.
See tests/vectors/README.md for the fields of each op.
"""

from __future__ import annotations

from typing import Any

from policypad.changeset import (
    AttributePool,
    Builder,
    ChangesetError,
    apply_to_atext,
    apply_to_text,
    changeset_from_atexts,
    changeset_from_texts,
    character_range_follow,
    check_rep,
    compose,
    compose_attributes,
    follow,
    follow_attributes,
    inverse,
    make_atext,
    make_attribute_change,
    make_splice,
    move_to_pool,
    pack,
    unpack,
)
from policypad.changeset.op import Op


def _pool(case: dict[str, Any], key: str = "pool") -> AttributePool:
    data = case.get(key)
    return AttributePool.from_jsonable(data) if data is not None else AttributePool()


def _attribs(value: Any) -> Any:
    return [tuple(pair) for pair in value] if isinstance(value, list) else value


def run_case(case: dict[str, Any]) -> Any:
    """Return the engine's answer to `case` as JSON data, or {"error": True}."""
    try:
        return _run(case)
    except ChangesetError:
        return {"error": True}


def _run(case: dict[str, Any]) -> Any:
    op = case["op"]
    if op == "unpack":
        parsed = unpack(case["cs"])
        return {
            "oldLen": parsed.old_len,
            "newLen": parsed.new_len,
            "ops": [list(o) for o in parsed.ops],
            "charBank": parsed.char_bank,
        }
    if op == "pack":
        ops = [Op(*o) for o in case["ops"]]
        return pack(case["oldLen"], case["newLen"], ops, case["charBank"])
    if op == "check_rep":
        check_rep(case["cs"], _pool(case) if "pool" in case else None)
        return True
    if op == "apply_to_text":
        return apply_to_text(case["cs"], case["text"])
    if op == "apply_to_atext":
        atext = make_atext(case["atext"]["text"], case["atext"]["attribs"])
        return apply_to_atext(case["cs"], atext, _pool(case)).to_jsonable()
    if op == "compose":
        pool = _pool(case)
        return {"cs": compose(case["cs1"], case["cs2"], pool), "pool": pool.to_jsonable()}
    if op == "follow":
        pool = _pool(case)
        result = follow(case["cs1"], case["cs2"], case["reverse"], pool)
        return {"cs": result, "pool": pool.to_jsonable()}
    if op == "inverse":
        pool = _pool(case)
        atext = make_atext(case["atext"]["text"], case["atext"]["attribs"])
        return {"cs": inverse(case["cs"], atext, pool), "pool": pool.to_jsonable()}
    if op == "make_splice":
        pool = _pool(case)
        result = make_splice(
            case["text"],
            case["start"],
            case["ndel"],
            case["ins"],
            _attribs(case.get("attribs")),
            pool,
        )
        return {"cs": result, "pool": pool.to_jsonable()}
    if op == "make_attribute_change":
        pool = _pool(case)
        result = make_attribute_change(
            case["text"], case["start"], case["end"], _attribs(case["attribs"]), pool
        )
        return {"cs": result, "pool": pool.to_jsonable()}
    if op == "character_range_follow":
        start, end = character_range_follow(
            case["cs"], case["start"], case["end"], case.get("insertionsAfter", False)
        )
        return [start, end]
    if op == "changeset_from_texts":
        return changeset_from_texts(
            case["old"], case["new"], keep_final_newline=bool(case.get("keepFinalNewline"))
        )
    if op == "changeset_from_atexts":
        pool = _pool(case)
        old = make_atext(case["old"]["text"], case["old"]["attribs"])
        new = make_atext(case["new"]["text"], case["new"]["attribs"])
        keep = bool(case.get("keepFinalNewline"))
        changeset = changeset_from_atexts(old, new, pool, keep_final_newline=keep)
        return {"cs": changeset, "pool": pool.to_jsonable()}
    if op == "builder":
        pool = _pool(case)
        builder = Builder(case["oldLen"])
        for step in case["steps"]:
            kind, *args = step
            if kind == "keep":
                builder.keep(args[0], args[1], _attribs(args[2]) if len(args) > 2 else None, pool)
            elif kind == "keepText":
                builder.keep_text(args[0], _attribs(args[1]) if len(args) > 1 else None, pool)
            elif kind == "insert":
                builder.insert(args[0], _attribs(args[1]) if len(args) > 1 else None, pool)
            elif kind == "remove":
                builder.remove(args[0], args[1])
            elif kind == "removeText":
                builder.remove_text(args[0])
            else:
                raise ValueError(f"unknown builder step {kind!r}")
        return {"cs": builder.to_string(), "pool": pool.to_jsonable()}
    if op == "move_to_pool":
        source = _pool(case, "from")
        target = _pool(case, "to")
        return {"cs": move_to_pool(case["cs"], source, target), "pool": target.to_jsonable()}
    if op == "compose_attributes":
        pool = _pool(case)
        result = compose_attributes(case["att1"], case["att2"], case["mutation"], pool)
        return {"attribs": result, "pool": pool.to_jsonable()}
    if op == "follow_attributes":
        pool = _pool(case)
        result = follow_attributes(case["att1"], case["att2"], pool)
        return {"attribs": result, "pool": pool.to_jsonable()}
    if op == "pool_roundtrip":
        return AttributePool.from_jsonable(case["pool"]).to_jsonable()
    raise ValueError(f"unknown vector op {op!r}")
