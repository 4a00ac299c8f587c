"""Seeded random documents and changesets, for vectors and cross-language tests.

Everything is drawn from a `random.Random`, so a seed names a case exactly.
Documents mix ASCII, accented letters and emoji (two UTF-16 units), span several
lines, and carry attributes from a small fixed pool.
"""

from __future__ import annotations

import random

from policypad.changeset import AText, AttributePool, Builder, make_atext
from policypad.changeset.assembler import OpAssembler
from policypad.changeset.builder import text_ops
from policypad.changeset.op import INSERT

ALPHABET = "abcdef  \n\né😀"
TEXT_ATTRIBUTES = [("author", "a"), ("author", "b"), ("bold", "true"), ("italic", "true")]
CHANGE_ATTRIBUTES = [*TEXT_ATTRIBUTES, ("bold", ""), ("italic", ""), ("insertorder", "first")]


def make_pool() -> AttributePool:
    """Return the pool every random case starts from."""
    pool = AttributePool()
    for pair in CHANGE_ATTRIBUTES:
        pool.put_attrib(pair)
    return pool


def random_text(rng: random.Random, max_chars: int = 12) -> str:
    """Return a short random string (may hold newlines and emoji)."""
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, max_chars)))


def _random_attribs(rng: random.Random, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    picked: dict[str, str] = {}
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        key, value = rng.choice(choices)
        picked[key] = value
    return sorted(picked.items())


def random_atext(rng: random.Random, pool: AttributePool, max_pieces: int = 6) -> AText:
    """Return a random attributed text (ends with a newline)."""
    assembler = OpAssembler()
    pieces = []
    for _ in range(rng.randint(0, max_pieces)):
        piece = random_text(rng)
        attribs = _random_attribs(rng, TEXT_ATTRIBUTES)
        attrib_text = "".join("*" + _b36(pool.put_attrib(pair)) for pair in attribs)
        for op in text_ops(INSERT, piece, attrib_text):
            assembler.append(op)
        pieces.append(piece)
    for op in text_ops(INSERT, "\n"):
        assembler.append(op)
    return make_atext("".join(pieces) + "\n", assembler.to_string())


def _b36(n: int) -> str:
    from policypad.changeset._base36 import format_base36

    return format_base36(n)


def random_changeset(
    rng: random.Random, text: str, pool: AttributePool, *, attributes: bool = True
) -> str:
    """Return a random valid changeset for `text` (its final newline is never removed)."""
    builder = Builder(_units(text))
    body = text[:-1]
    position = 0
    while position < len(body):
        step = rng.randint(1, max(1, min(6, len(body) - position)))
        piece = body[position : position + step]
        roll = rng.random()
        if roll < 0.35:
            builder.keep_text(piece)
        elif roll < 0.55 and attributes:
            builder.keep_text(piece, _random_attribs(rng, CHANGE_ATTRIBUTES) or None, pool)
        elif roll < 0.8:
            builder.remove_text(piece)
        else:
            builder.keep_text(piece)
        position += step
        if rng.random() < 0.3:
            attribs = _random_attribs(rng, TEXT_ATTRIBUTES) if attributes else []
            builder.insert(random_text(rng, 6), attribs or None, pool)
    if rng.random() < 0.3:
        builder.insert(random_text(rng, 4), None, pool)
    return builder.to_string()


def _units(text: str) -> int:
    from policypad.changeset import utf16

    return utf16.length(text)
