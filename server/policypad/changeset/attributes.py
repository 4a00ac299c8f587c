"""Attribute strings (``*0*3``): reading them, and combining two of them.

An attribs string cites pool numbers, one per attribute key, in order of key (keys
compared by UTF-16 unit, as JavaScript and so Etherpad compare strings). It
is read two ways. On text (an insert, an attribution) it says what the characters
carry. On a keep it is a change: each pair sets its key, and an empty value
removes the key (``["bold", ""]`` un-bolds).
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import itemgetter

from policypad.changeset import utf16
from policypad.changeset._base36 import format_base36
from policypad.changeset.op import attrib_numbers
from policypad.changeset.pool import Attribute, AttributePool


def attribs_to_pairs(attribs: str, pool: AttributePool) -> list[Attribute]:
    """Return the (key, value) pairs an attribs string cites, in order."""
    return [pool.get_attrib(num) for num in attrib_numbers(attribs)]


def pairs_to_attribs(pairs: Iterable[tuple[str, str]], pool: AttributePool) -> str:
    """Return the canonical attribs string for pairs of distinct keys.

    Each pair is added to the pool in the order given, then cited in order of key,
    keys compared by UTF-16 unit: Etherpad's numbering and order, so that a pool
    grows alike in both engines and Etherpad's.
    """
    numbered = [(key, pool.put_attrib((key, value))) for key, value in pairs]
    if len(numbered) > 1:
        if any(utf16.has_astral(key) for key, _ in numbered):
            numbered.sort(key=lambda item: utf16.order_key(item[0]))
        else:
            numbered.sort(key=itemgetter(0))
    return "".join("*" + format_base36(num) for _, num in numbered)


def attribs_from(
    attribs: str | list[Attribute] | list[tuple[str, str]] | list[list[str]] | None,
    pool: AttributePool | None,
    *,
    insert: bool = False,
) -> str:
    """Accept attributes as an attribs string or as (key, value) pairs; return the string.

    A string is taken as it is. Pairs are read in order, as Etherpad reads them: a
    later pair of the same key replaces an earlier one, and for an `insert` (attributes
    of text) an empty value removes its key instead, since text never carries an empty
    value. On a keep an empty value stays: it is the change "remove this key".
    """
    if not attribs:
        return ""
    if isinstance(attribs, str):
        return attribs
    if pool is None:
        raise ValueError("attributes given as pairs need a pool")
    if len(attribs) == 1:
        key, value = attribs[0]
        if insert and not value:
            return ""
        return "*" + format_base36(pool.put_attrib((key, value)))
    pairs = tuple((key, value) for key, value in attribs)
    memo_key = ("pairs", insert, pairs)
    cached = pool._cache.get(memo_key)
    if cached is None:
        chosen: dict[str, str] = {}
        for key, value in pairs:
            if insert and not value:
                chosen.pop(key, None)
            else:
                # numbered now even if a later pair replaces it, as in Etherpad
                pool.put_attrib((key, value))
                chosen[key] = value
        cached = pool._cache[memo_key] = pairs_to_attribs(chosen.items(), pool)
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

    Where both set the same key, the smaller value (by UTF-16 unit) wins, so both
    orders of application agree: `second`'s pair is kept only if its value is the
    smaller. What is kept stays in `second`'s order (a subset of a sorted list is sorted).
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
        if key in wanted and not utf16.precedes(wanted[key], value):
            del wanted[key]
    result = "".join("*" + format_base36(pool.put_attrib(pair)) for pair in wanted.items())
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
