"""A small changeset between two texts, found with diff-match-patch.

The diff runs on UTF-16 code units, as the JavaScript twin's does, so that both
languages find the same changeset; a boundary that falls inside a surrogate pair
is then moved out of it (the pair's first half joins the edit that follows).
"""

from __future__ import annotations

from array import array

from diff_match_patch import diff_match_patch

from policypad.changeset import utf16
from policypad.changeset.builder import Builder

_EQUAL = 0
_DELETE = -1
_INSERT = 1


def _differ() -> diff_match_patch:
    differ = diff_match_patch()
    # No deadline: a time-dependent diff would differ between runs and languages.
    differ.Diff_Timeout = 0
    return differ


_DIFFER = _differ()


def _to_units(text: str) -> str:
    """Spell `text` as one character per UTF-16 unit (surrogates as lone code points)."""
    units = array("H")
    units.frombytes(text.encode("utf-16-le", "surrogatepass"))
    return "".join(map(chr, units))


def _from_units(units: str) -> str:
    return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _is_high(char: str) -> bool:
    return "\ud800" <= char <= "\udbff"


def _is_low(char: str) -> bool:
    return "\udc00" <= char <= "\udfff"


def diff_groups(old_units: str, new_units: str) -> list[tuple[str, str, str]]:
    """Return the diff as (equal, deleted, inserted) groups over unit strings.

    No boundary splits a surrogate pair: the diff is run on units (like JavaScript),
    then an equal run ending in a high surrogate gives it to the edit after it, and one
    starting with a low surrogate gives it to the edit before it.
    """
    groups: list[list[str]] = [["", "", ""]]
    for kind, piece in _DIFFER.diff_main(old_units, new_units, False):
        if kind == _EQUAL:
            groups.append([piece, "", ""])
        elif kind == _DELETE:
            groups[-1][1] += piece
        else:
            groups[-1][2] += piece
    for index, group in enumerate(groups):
        equal = group[0]
        if equal and _is_low(equal[0]) and index > 0:
            before = groups[index - 1]
            before[1] += equal[0]
            before[2] += equal[0]
            equal = equal[1:]
        if equal and _is_high(equal[-1]):
            group[1] = equal[-1] + group[1]
            group[2] = equal[-1] + group[2]
            equal = equal[:-1]
        group[0] = equal
    return [(group[0], group[1], group[2]) for group in groups]


def changeset_from_texts(old: str, new: str) -> str:
    """Return a small changeset that turns text `old` into text `new`."""
    if utf16.has_astral(old) or utf16.has_astral(new):
        groups = [
            (_from_units(equal), _from_units(deleted), _from_units(inserted))
            for equal, deleted, inserted in diff_groups(_to_units(old), _to_units(new))
        ]
    else:
        groups = diff_groups(old, new)
    builder = Builder(utf16.length(old))
    for equal, deleted, inserted in groups:
        builder.keep_text(equal)
        builder.remove_text(deleted)
        if inserted:
            builder.insert(inserted)
    return builder.to_string()
