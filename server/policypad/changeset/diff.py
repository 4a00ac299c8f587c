"""A small changeset between two texts, found with diff-match-patch.

The diff runs on UTF-16 code units, as the JavaScript twin's does, so that both
languages find the same changeset; a boundary that falls inside a surrogate pair
is then moved out of it (the pair's first half joins the edit that follows).
"""

from __future__ import annotations

from array import array

from diff_match_patch import diff_match_patch

from policypad.changeset import utf16
from policypad.changeset.atext import AText
from policypad.changeset.attributes import attribs_to_pairs, pairs_to_attribs
from policypad.changeset.builder import Builder
from policypad.changeset.op import parse_ops
from policypad.changeset.pool import AttributePool

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


# A text always ends with a newline. A diff may still delete that newline and end the
# text with an earlier one ("ab\ncd\n" -> "ab\n" deletes "cd\n"). Valid alone, but merged
# with a concurrent insert in the deleted line the result loses its final newline, which
# no client can apply. So the changesets a server or a session makes keep the old final
# newline: the same diff, with its last group turned around it (as the JavaScript twin's
# diffGroupsKeepingFinalNewline does); the server refuses commits that delete it.


def keeping_final_newline(groups: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """`groups` (from diff_groups, of two texts that end with a newline) changed so that
    the old text's final newline is kept."""
    equal, deleted, inserted = groups[-1]
    if not deleted and not inserted:
        return groups
    if deleted.endswith("\n") and inserted.endswith("\n"):
        last = (equal, deleted[:-1], inserted[:-1])
    elif equal.endswith("\n") and (deleted.endswith("\n") or inserted.endswith("\n")):
        # the newline before the change becomes the one kept at the end
        last = (
            equal[:-1],
            "\n" + deleted[:-1] if deleted else "",
            "\n" + inserted[:-1] if inserted else "",
        )
    else:
        return groups
    return [*groups[:-1], last, ("\n", "", "")]


def text_groups(
    old: str, new: str, *, keep_final_newline: bool = False
) -> list[tuple[str, str, str]]:
    """The diff of `old` and `new` as (equal, deleted, inserted) groups of text."""
    if utf16.has_astral(old) or utf16.has_astral(new):
        groups = [
            (_from_units(equal), _from_units(deleted), _from_units(inserted))
            for equal, deleted, inserted in diff_groups(_to_units(old), _to_units(new))
        ]
    else:
        groups = diff_groups(old, new)
    return keeping_final_newline(groups) if keep_final_newline else groups


def changeset_from_texts(old: str, new: str, *, keep_final_newline: bool = False) -> str:
    """Return a small changeset that turns text `old` into text `new` (keeping the old
    final newline, if asked: see keeping_final_newline)."""
    builder = Builder(utf16.length(old))
    for equal, deleted, inserted in text_groups(old, new, keep_final_newline=keep_final_newline):
        builder.keep_text(equal)
        builder.remove_text(deleted)
        if inserted:
            builder.insert(inserted)
    return builder.to_string()


class _AttributionCursor:
    """Walks an attribution (insert ops) unit by unit, reporting attribute runs."""

    def __init__(self, attribs: str) -> None:
        self._ops = parse_ops(attribs)
        self._index = 0
        self._used = 0

    def take(self, units: int) -> list[tuple[int, str]]:
        """Consume `units`; return (units, attribs) runs covering them."""
        runs = []
        while units:
            op = self._ops[self._index]
            size = min(op.chars - self._used, units)
            runs.append((size, op.attribs))
            units -= size
            self._used += size
            if self._used == op.chars:
                self._index += 1
                self._used = 0
        return runs


def _change(old: str, new: str, pool: AttributePool) -> str:
    """The keep attribs that turn text attributed `old` into text attributed `new`."""
    if old == new:
        return ""
    before = dict(attribs_to_pairs(old, pool))
    after = dict(attribs_to_pairs(new, pool))
    pairs = [(key, value) for key, value in after.items() if before.get(key) != value]
    pairs += [(key, "") for key in before if key not in after]
    return pairs_to_attribs(pairs, pool)


def _pieces(text: str, runs: list[tuple[int, str]]) -> list[tuple[str, str]]:
    out = []
    position = 0
    for units, attribs in runs:
        end = utf16.index(text, units, position)
        out.append((text[position:end], attribs))
        position = end
    return out


def changeset_from_atexts(
    old: AText, new: AText, pool: AttributePool, *, keep_final_newline: bool = False
) -> str:
    """Return a small changeset turning `old` into `new`, attributes included.

    Both ATexts cite `pool`. Text changes come from `changeset_from_texts`'s diff;
    kept text whose attributes differ gets a keep that sets the new ones and removes
    the rest.
    """
    groups = text_groups(old.text, new.text, keep_final_newline=keep_final_newline)
    old_cursor = _AttributionCursor(old.attribs)
    new_cursor = _AttributionCursor(new.attribs)
    builder = Builder(old.length)
    for equal, deleted, inserted in groups:
        if equal:
            units = utf16.length(equal)
            old_runs = old_cursor.take(units)
            new_runs = new_cursor.take(units)
            for piece, change in _aligned(equal, old_runs, new_runs, pool):
                builder.keep_text(piece, change or None)
        if deleted:
            old_cursor.take(utf16.length(deleted))
            builder.remove_text(deleted)
        if inserted:
            for piece, attribs in _pieces(inserted, new_cursor.take(utf16.length(inserted))):
                builder.insert(piece, attribs or None)
    return builder.to_string()


def _aligned(
    text: str, old_runs: list[tuple[int, str]], new_runs: list[tuple[int, str]], pool: AttributePool
) -> list[tuple[str, str]]:
    """Cut `text` where either attribution changes; give each piece its attribute change."""
    out: list[tuple[str, str]] = []
    old_runs = list(old_runs)
    new_runs = list(new_runs)
    position = 0
    while old_runs:
        old_units, old_attribs = old_runs[0]
        new_units, new_attribs = new_runs[0]
        units = min(old_units, new_units)
        end = utf16.index(text, units, position)
        out.append((text[position:end], _change(old_attribs, new_attribs, pool)))
        position = end
        old_runs[0] = (old_units - units, old_attribs)
        new_runs[0] = (new_units - units, new_attribs)
        if not old_runs[0][0]:
            old_runs.pop(0)
        if not new_runs[0][0]:
            new_runs.pop(0)
    return out
