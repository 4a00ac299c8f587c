"""Attribute strings (``*0*3``): reading them, and combining two of them.

An attribs string cites pool numbers, one per attribute key, in order of key. It
is read two ways. On text (an insert, an attribution) it says what the characters
carry. On a keep it is a change: each pair sets its key, and an empty value
removes the key (``["bold", ""]`` un-bolds).
"""

from __future__ import annotations

from policypad.changeset._base36 import format_base36
from policypad.changeset.op import attrib_numbers
from policypad.changeset.pool import Attribute, AttributePool


def attribs_to_pairs(attribs: str, pool: AttributePool) -> list[Attribute]:
    """Return the (key, value) pairs an attribs string cites, in order."""
    return [pool.get_attrib(num) for num in attrib_numbers(attribs)]


def pairs_to_attribs(pairs: list[Attribute] | list[tuple[str, str]], pool: AttributePool) -> str:
    """Return the canonical attribs string for pairs (sorted by key, added to the pool)."""
    return "".join("*" + format_base36(pool.put_attrib(pair)) for pair in sorted(pairs))


def attribs_from(
    attribs: str | list[Attribute] | list[tuple[str, str]] | list[list[str]] | None,
    pool: AttributePool | None,
) -> str:
    """Accept attributes as an attribs string or as (key, value) pairs; return the string."""
    if not attribs:
        return ""
    if isinstance(attribs, str):
        return attribs
    if pool is None:
        raise ValueError("attributes given as pairs need a pool")
    if len(attribs) == 1:
        key, value = attribs[0]
        return "*" + format_base36(pool.put_attrib((key, value)))
    pairs = tuple((key, value) for key, value in attribs)
    memo_key = ("pairs", pairs)
    cached = pool._cache.get(memo_key)
    if cached is None:
        cached = pool._cache[memo_key] = pairs_to_attribs(list(pairs), pool)
    return cached


def compose_attributes(
    first: str, second: str, result_is_mutation: bool, pool: AttributePool | None
) -> str:
    """Return the attributes of `first` after the change `second` is applied to them.

    With ``result_is_mutation`` (composing two keeps) an empty value stays in the
    result as "remove this key"; otherwise (a keep over text) it removes the key.
    """
    if not first and result_is_mutation:
        return second
    if not second:
        return first
    assert pool is not None, "attributes need a pool"
    memo_key = ("compose", first, second, result_is_mutation)
    cached = pool._cache.get(memo_key)
    if cached is not None:
        return cached
    merged = dict(attribs_to_pairs(first, pool))
    for key, value in attribs_to_pairs(second, pool):
        if value or result_is_mutation:
            merged[key] = value
        else:
            merged.pop(key, None)
    result = pairs_to_attribs(list(merged.items()), pool)
    pool._cache[memo_key] = result
    return result


def follow_attributes(first: str, second: str, pool: AttributePool | None) -> str:
    """Return the part of keep-change `second` still to apply after keep-change `first`.

    Where both set the same key, the lexically smaller value wins, so both orders of
    application agree: `second`'s pair is kept only if its value is the smaller.
    """
    if not second or pool is None:
        return ""
    if not first:
        return second
    memo_key = ("follow", first, second)
    cached = pool._cache.get(memo_key)
    if cached is not None:
        return cached
    wanted = dict(attribs_to_pairs(second, pool))
    for key, value in attribs_to_pairs(first, pool):
        if key in wanted and value <= wanted[key]:
            del wanted[key]
    result = pairs_to_attribs(list(wanted.items()), pool)
    pool._cache[memo_key] = result
    return result


def invert_attributes(old: str, change: str, pool: AttributePool) -> str:
    """Return the keep-change that turns text attributed `old` + `change` back into `old`.

    For each key `change` touches whose value it really changed, restore the old value
    (or remove the key if the text did not carry it).
    """
    if not change:
        return ""
    before = dict(attribs_to_pairs(old, pool))
    restore: list[Attribute] = []
    for key, value in attribs_to_pairs(change, pool):
        old_value = before.get(key, "")
        if old_value != value:
            restore.append((key, old_value))
    return pairs_to_attribs(restore, pool)
