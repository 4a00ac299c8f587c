"""Base-36 numbers as easysync writes them: lowercase digits, no sign, no leading zeros."""

from __future__ import annotations

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
# Hot paths format the same small numbers over and over; a table beats divmod loops.
_TABLE_SIZE = 36**3
_TABLE: list[str] = []


def _slow_format(n: int) -> str:
    if n == 0:
        return "0"
    out = []
    while n:
        n, digit = divmod(n, 36)
        out.append(_DIGITS[digit])
    return "".join(reversed(out))


_TABLE = [_slow_format(i) for i in range(_TABLE_SIZE)]
# Documents past 46,655 units have lengths of four to six digits: two table halves.
_PADDED = [digits.rjust(3, "0") for digits in _TABLE]
_TWO_TABLES = _TABLE_SIZE * _TABLE_SIZE


def format_base36(n: int) -> str:
    """Return `n` (a non-negative int) in base 36, e.g. ``format_base36(71) == "1z"``."""
    if 0 <= n < _TABLE_SIZE:
        return _TABLE[n]
    if _TABLE_SIZE <= n < _TWO_TABLES:
        high, low = divmod(n, _TABLE_SIZE)
        return _TABLE[high] + _PADDED[low]
    if n < 0:
        raise ValueError(f"base-36 numbers are non-negative, got {n}")
    return _slow_format(n)


def parse_base36(text: str) -> int:
    """Return the int written as `text` in base 36 (the caller has checked its syntax)."""
    return int(text, 36)
