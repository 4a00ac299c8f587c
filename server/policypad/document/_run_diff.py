"""The diff of one line's runs: inserted, deleted and reformatted text, marked.

Text is compared in tokens, then letters (rules in docs/document-model.md, "Diff"):
a token is a word (a run of letters and digits) or any other single character; an embed
is a token that also holds its embed attributes, so an image with another source is
another token. Tokens are diffed (`diff_symbols`) and coincidental equalities folded into
the edits around them (`cleanup_semantic`). A replaced stretch then keeps the letters it
starts and ends with on both sides if they are more than half of its shorter side: "cat"
-> "cats" marks the "s", "colour" -> "color" the "u", but "further" -> "four" is one word
replaced by another. A lone insertion or deletion then slides along the text it repeats
to where the equal text around it keeps its formatting: typing " new" in plain text after
"a" in "a b" (bold) marks the typed text, not a bold space made plain (`_slide`). Equal
text whose attributes differ gets the new ones and the old ones in ``diff-before``; a
difference a reader sees is marked ``format``.
"""

from __future__ import annotations

import re

from policypad.document._sequences import (
    DELETE,
    EQUAL,
    INSERT,
    Budget,
    Op,
    cleanup_semantic,
    common_ends,
    diff_symbols,
    merge_ops,
    segments,
)
from policypad.document.changes import (
    DELETED,
    DIFF,
    DIFF_BEFORE,
    FORMATTED,
    INSERTED,
    encode_attributes,
    is_visible_inline_change,
)
from policypad.document.lines import Attributes, Run, merge_runs
from policypad.document.schema import EMBED_CHAR, EMBED_KEYS

_LETTERS = "0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02af\u0300-\u036f\u0370-\u03ff\u0400-\u052f"
_WORD = re.compile(f"[{_LETTERS}]+")
_TOKEN = re.compile(f"[{_LETTERS}]+|.", re.DOTALL)


def embed_symbol(attributes: Attributes) -> str:
    """The symbol of an embed character: the character and its embed attributes."""
    return EMBED_CHAR + encode_attributes(
        {key: value for key, value in attributes.items() if key in EMBED_KEYS}
    )


def tokens(runs: list[Run]) -> tuple[list[str], list[str]]:
    """Return a line's tokens: their texts, and their symbols (what compares: the text,
    and for an embed also its embed attributes)."""
    text = "".join(piece for piece, _ in runs)
    texts = _TOKEN.findall(text)
    if EMBED_CHAR not in text:
        return texts, texts
    embeds = iter(_embed_symbols(runs))
    return texts, [next(embeds) if token == EMBED_CHAR else token for token in texts]


def words(runs: list[Run]) -> set[str]:
    """Return the words of a line (runs of letters and digits) and its embeds' symbols:
    what two lines share when they look alike."""
    text = "".join(piece for piece, _ in runs)
    found = set(_WORD.findall(text))
    if EMBED_CHAR in text:
        found.update(_embed_symbols(runs))
    return found


def _embed_symbols(runs: list[Run]) -> list[str]:
    """The symbol of each U+FFFC of a line, in order."""
    return [
        embed_symbol(attributes)
        for piece, attributes in runs
        if EMBED_CHAR in piece
        for _ in range(piece.count(EMBED_CHAR))
    ]


def line_key(runs: list[Run]) -> str:
    """What makes two lines the same text: the characters, and each embed's attributes."""
    text = "".join(piece for piece, _ in runs)
    if EMBED_CHAR not in text:
        return text
    return text + "\x00" + "\x00".join(_embed_symbols(runs))


def diff_runs(old: list[Run], new: list[Run], budget: Budget) -> list[Run]:
    """Return the merged runs of two lines (see the module docstring)."""
    old_texts, old_symbols = tokens(old)
    new_texts, new_symbols = tokens(new)
    ops = diff_symbols(old_symbols, new_symbols, budget)
    ops = cleanup_semantic(ops, [len(t) for t in old_texts], [len(t) for t in new_texts])
    old_letters, new_letters = _letters(old_texts, old_symbols), _letters(new_texts, new_symbols)
    letters = _refine(ops, old_letters, new_letters)
    letters = _slide(
        letters,
        [x for token in old_letters for x in token],
        [x for token in new_letters for x in token],
        _per_letter(old),
        _per_letter(new),
    )
    out: list[Run] = []
    old_cursor, new_cursor = _Cursor(old), _Cursor(new)
    for kind, count in letters:
        if kind == EQUAL:
            out.extend(kept_runs(old_cursor.take(count), new_cursor.take(count)))
        elif kind == DELETE:
            out.extend((text, {**attrs, DIFF: DELETED}) for text, attrs in old_cursor.take(count))
        else:
            out.extend((text, {**attrs, DIFF: INSERTED}) for text, attrs in new_cursor.take(count))
    return merge_runs(out)


def _letters(texts: list[str], symbols: list[str]) -> list[list[str]]:
    """Each token's letters as symbols: its characters, or an embed's one symbol."""
    return [
        list(text) if text == symbol else [symbol]
        for text, symbol in zip(texts, symbols, strict=False)
    ]


def _refine(ops: list[Op], old: list[list[str]], new: list[list[str]]) -> list[Op]:
    """Token ops -> character ops, each replaced stretch trimmed of the letters it keeps
    (see the module docstring). `old` and `new` hold each token's letters."""
    out: list[Op] = []
    old_at = new_at = 0
    for equal, deleted, inserted in segments(ops):
        if equal:
            out.append((EQUAL, sum(len(t) for t in old[old_at : old_at + deleted])))
            old_at += deleted
            new_at += inserted
            continue
        before = [letter for token in old[old_at : old_at + deleted] for letter in token]
        after = [letter for token in new[new_at : new_at + inserted] for letter in token]
        old_at += deleted
        new_at += inserted
        shorter = min(len(before), len(after))
        prefix, suffix = common_ends(before, after)
        if shorter and 2 * (prefix + suffix) <= shorter:
            prefix = suffix = 0
        out.extend([
            (EQUAL, prefix),
            (DELETE, len(before) - prefix - suffix),
            (INSERT, len(after) - prefix - suffix),
            (EQUAL, suffix),
        ])  # fmt: skip
    return merge_ops(out)


SLIDE_CHARACTERS = 32
"""How far a lone insertion or deletion may slide, each way."""


def _per_letter(runs: list[Run]) -> list[Attributes]:
    return [attributes for text, attributes in runs for _ in text]


def _slide(
    ops: list[Op],
    old: list[str],
    new: list[str],
    old_attributes: list[Attributes],
    new_attributes: list[Attributes],
) -> list[Op]:
    """Slide each lone insertion or deletion (equal text on both sides) along the text it
    repeats, up to `SLIDE_CHARACTERS` each way, to where the fewest equal characters change
    formatting; ties go to the smallest move, then to the left."""
    ops = [(EQUAL, 0), *ops, (EQUAL, 0)]  # every edit between two equal runs, maybe empty
    old_at = new_at = 0  # where ops[index] starts
    for index in range(1, len(ops) - 1):
        kind, count = ops[index]
        if kind == EQUAL:
            old_at += count
            new_at += count
            continue
        if ops[index - 1][0] == EQUAL and ops[index + 1][0] == EQUAL:
            before, after = ops[index - 1][1], ops[index + 1][1]
            if kind == INSERT:
                edit = _Edit(new, new_attributes, new_at, count, old_attributes, old_at)
            else:
                edit = _Edit(old, old_attributes, old_at, count, new_attributes, new_at)
            shift = edit.best_shift(before, after)
            if shift:
                ops[index - 1] = (EQUAL, before + shift)
                ops[index + 1] = (EQUAL, after - shift)
                old_at += shift
                new_at += shift
        if kind == DELETE:
            old_at += count
        else:
            new_at += count
    return merge_ops(ops)


class _Edit:
    """A lone insertion (or deletion): `count` letters at `start` of the side it edits,
    facing position `other` of the other side."""

    __slots__ = ("attributes", "count", "letters", "other", "other_attributes", "start")

    def __init__(
        self,
        letters: list[str],
        attributes: list[Attributes],
        start: int,
        count: int,
        other_attributes: list[Attributes],
        other: int,
    ) -> None:
        self.letters, self.attributes, self.start, self.count = letters, attributes, start, count
        self.other_attributes, self.other = other_attributes, other

    def best_shift(self, before: int, after: int) -> int:
        """How far to move, with `before` and `after` equal letters around (see `_slide`)."""
        letters, start, count = self.letters, self.start, self.count
        left = right = 0
        while (
            left < min(before, SLIDE_CHARACTERS)
            and letters[start - 1 - left] == letters[start + count - 1 - left]
        ):
            left += 1
        while (
            right < min(after, SLIDE_CHARACTERS)
            and letters[start + right] == letters[start + count + right]
        ):
            right += 1
        if not left and not right:
            return 0
        # only the letters within left/right of the edit's ends can change sides
        window = sorted(
            {
                *range(start - left, start + right),
                *range(start + count - left, start + count + right),
            }
        )
        return min(range(-left, right + 1), key=lambda s: (self._changes(window, s), abs(s), s))

    def _changes(self, window: list[int], shift: int) -> int:
        """Equal letters in `window` formatted otherwise on the other side, after `shift`."""
        start, end = self.start + shift, self.start + shift + self.count
        total = 0
        for position in window:
            if start <= position < end:
                continue  # inside the edit
            paired = position - self.start + self.other - (self.count if position >= end else 0)
            total += is_visible_inline_change(
                self.attributes[position], self.other_attributes[paired]
            )
        return total


class _Cursor:
    """Reads a line's runs from the start, `count` characters at a time."""

    __slots__ = ("index", "offset", "runs")

    def __init__(self, runs: list[Run]) -> None:
        self.runs = runs
        self.index = 0
        self.offset = 0

    def take(self, count: int) -> list[Run]:
        pieces: list[Run] = []
        while count:
            text, attributes = self.runs[self.index]
            size = min(len(text) - self.offset, count)
            pieces.append((text[self.offset : self.offset + size], attributes))
            self.offset += size
            count -= size
            if self.offset == len(text):
                self.index += 1
                self.offset = 0
        return pieces


def kept_runs(old: list[Run], new: list[Run]) -> list[Run]:
    """The merged runs of the same text in both revisions: the new attributes, and the old
    ones in ``diff-before`` where they differ (marked ``format`` if a reader sees it)."""
    if old == new:
        return new
    out: list[Run] = []
    old_index = new_index = old_offset = new_offset = 0
    while old_index < len(old) and new_index < len(new):
        old_text, old_attributes = old[old_index]
        new_text, new_attributes = new[new_index]
        size = min(len(old_text) - old_offset, len(new_text) - new_offset)
        text = new_text[new_offset : new_offset + size]
        if old_attributes == new_attributes:
            out.append((text, new_attributes))
        else:
            attributes = {**new_attributes, DIFF_BEFORE: encode_attributes(old_attributes)}
            if is_visible_inline_change(old_attributes, new_attributes):
                attributes[DIFF] = FORMATTED
            out.append((text, attributes))
        old_offset += size
        new_offset += size
        if old_offset == len(old_text):
            old_index += 1
            old_offset = 0
        if new_offset == len(new_text):
            new_index += 1
            new_offset = 0
    return out
