"""Lengths, positions and order in UTF-16 code units, for Python strings.

Easysync counts text the way JavaScript does: an emoji outside the Basic
Multilingual Plane is two units (a surrogate pair), while Python's `len` counts it
as one code point. Every length and position in a changeset is in UTF-16 units,
so the engine converts here, and only here. ASCII and BMP-only strings (the
common case) take fast paths where a unit is a code point.

Strings are compared the JavaScript way too (attribute keys are sorted, and
attribute values compared, as Etherpad compares them): by UTF-16 unit. That
differs from Python's code point order only where an astral character (a
surrogate pair, D800..DFFF) meets one of U+E000..U+FFFF, which it precedes.
"""

from __future__ import annotations

import re

from policypad.errors import ChangesetError

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def has_astral(text: str) -> bool:
    """Return whether `text` holds a character outside the BMP (two UTF-16 units)."""
    return not text.isascii() and _ASTRAL.search(text) is not None


def check_no_lone_surrogate(text: str, what: str) -> None:
    """Raise ChangesetError if `text` holds a lone surrogate (not valid Unicode text)."""
    if not text.isascii():
        found = _LONE_SURROGATE.search(text)
        if found is not None:
            raise ChangesetError(
                f"{what} holds a lone surrogate U+{ord(found.group()):04X} at {found.start()}"
            )


def length(text: str) -> int:
    """Return the length of `text` in UTF-16 code units."""
    if text.isascii():
        return len(text)
    return len(text) + len(_ASTRAL.findall(text))


def index(text: str, units: int, start: int = 0) -> int:
    """Return the code-point index that lies `units` UTF-16 units after index `start`.

    Raises ChangesetError when the position falls inside a surrogate pair or past the end.
    """
    if text.isascii() or _ASTRAL.search(text, start) is None:
        end = start + units
        if end > len(text):
            raise ChangesetError(f"position {units} is past the end of the text")
        return end
    position = start
    remaining = units
    size = len(text)
    while remaining > 0:
        if position >= size:
            raise ChangesetError(f"position {units} is past the end of the text")
        remaining -= 2 if ord(text[position]) > 0xFFFF else 1
        position += 1
    if remaining < 0:
        raise ChangesetError("a changeset must not split a surrogate pair")
    return position


def to_units(text: str, end: int, start: int = 0) -> int:
    """Return the UTF-16 length of ``text[start:end]`` (indices in code points)."""
    if text.isascii():
        return end - start
    return length(text[start:end])


def order_key(text: str) -> bytes:
    """Return a sort key that orders strings by UTF-16 unit, as JavaScript's `<` does."""
    return text.encode("utf-16-be", "surrogatepass")


def precedes(first: str, second: str) -> bool:
    """Return whether `first` < `second` in UTF-16 unit order (JavaScript's)."""
    if not has_astral(first) and not has_astral(second):
        return first < second  # without surrogate pairs, a unit is a code point
    return order_key(first) < order_key(second)
