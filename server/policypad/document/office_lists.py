"""Word's list paragraphs -> the model's list lines.

Word (and Outlook) put a list on the clipboard as paragraphs, not as ``ul``/``ol``: each
item is a ``p`` (or a heading) whose style names its list and level, and whose bullet or
number is text, fenced off for every other reader::

    <p class=MsoListParagraphCxSpFirst style='mso-list:l1 level2 lfo2'>
      <![if !supportLists]><span style='mso-list:Ignore'>a.<span>&nbsp; </span></span>
      <![endif]>Text</p>

and the page's style sheet says what each level shows::

    @list l1:level2 {mso-level-number-format:alpha-lower; ...}

(no ``mso-level-number-format``: decimal). The parser (parse.py) reads such a paragraph as
a list line at that level (``indent``), drops the marker (what a ``mso-list:Ignore``
element or the ``[if !supportLists]`` ... ``[endif]`` comments hold) and remembers it on
the line under OFFICE_KEY. When the walk is over, `resolve` settles what depends on the
whole document: the list type (the style sheet's format, else the marker's shape: ``3.``,
``b)``, ``(iv)`` are numbers, anything else a bullet) and the start number (the marker's
number, where the list as rendered would show another: a list that starts at 3, or goes
on after a paragraph).

LibreOffice and Google Docs write real ``ul``/``ol`` lists (with ``start``), which the
parser reads as it reads any list. The JavaScript twin is client/js/document/office-lists.js.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from policypad.document.lines import Attributes, Line

OFFICE_KEY = "~office"
"""Block key of a Word list line between the walk and `resolve` (which removes it); its
value is ``"<list id>:<level>:<marker>"``, e.g. ``"l1:2:a."``."""
MAX_INDENT = 8

_ITEM = re.compile(r"(l[0-9]+)[ \t\n\r\f]+level([0-9]+)")
_DEFINITION = re.compile(
    r"@list[ \t\n\r\f]+(l[0-9]+):level([0-9]+)[ \t\n\r\f]*\{([^}]*)\}", re.IGNORECASE | re.ASCII
)
_NUMBER_FORMAT = re.compile(
    r"mso-level-number-format[ \t\n\r\f]*:[ \t\n\r\f]*([a-z-]+)", re.IGNORECASE | re.ASCII
)
# the space Word pads a marker with (tab stops as runs of no-break spaces)
_MARKER_SPACE = re.compile("[ \t\n\r\f\u00a0]+")
_DIGIT_MARKER = re.compile(r"\(?(?:[0-9]+\.)*([0-9]{1,9})[.)]?\)?")
_LETTER_MARKER = re.compile(r"\(?([a-zA-Z]{1,8})[.)]\)?")
_ROMAN = re.compile(r"m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})")
_BULLET_FORMATS = frozenset({"bullet", "image"})
_DIGITS = re.compile("[0-9]+")


@dataclass
class OfficeItem:
    """One Word list paragraph being walked: its list, level and marker text."""

    list_id: str
    level: int
    owner: object
    """What identifies the paragraph's element to the walk (so its end is known); None
    for a paragraph already in a real list, whose marker is only left out."""
    marker: str = ""
    in_comment_marker: bool = False
    """Between ``[if !supportLists]`` and ``[endif]``: text there is the marker."""
    used: bool = False
    """Whether a line has taken the marker (an item's later lines are plain list lines)."""

    def encode(self) -> str:
        marker = _MARKER_SPACE.split(self.marker.strip(" \t\n\r\f\u00a0"))[0]
        return f"{self.list_id}:{self.level}:{marker}"


def list_item(mso_list: str | None) -> tuple[str, int] | None:
    """The list id and level (1..8) a ``mso-list`` value names (``"l0 level2 lfo1"`` ->
    ``("l0", 2)``), or None (``ignore``, ``none``, absent)."""
    if not mso_list:
        return None
    found = _ITEM.match(mso_list.strip().lower())
    if found is None:
        return None
    return found[1], min(max(int(found[2]), 1), MAX_INDENT)


def is_marker_style(mso_list: str | None) -> bool:
    """Whether a ``mso-list`` value marks the element holding a list item's marker."""
    return mso_list is not None and mso_list.strip().lower() == "ignore"


def note_comment(item: OfficeItem, data: str) -> None:
    """A comment inside a list paragraph: Word's conditional comments fence the marker."""
    data = data.strip().lower()
    if data == "[if !supportlists]":
        item.in_comment_marker = True
    elif data == "[endif]":
        item.in_comment_marker = False


def list_definitions(styles: Iterable[str]) -> dict[str, str]:
    """The number format of each list level a Word style sheet defines: ``"l1:2"`` ->
    ``"alpha-lower"`` (``"decimal"`` where it names none)."""
    found: dict[str, str] = {}
    for style in styles:
        if "@list" not in style:
            continue
        for list_id, level, body in _DEFINITION.findall(style):
            number_format = _NUMBER_FORMAT.search(body)
            key = f"{list_id.lower()}:{int(level)}"
            found[key] = number_format[1].lower() if number_format else "decimal"
    return found


def _letter_value(letters: str) -> int | None:
    """a..z count 1..26, then aa, bb... (Word's way) 27, 28..."""
    lower = letters.lower()
    if lower != lower[0] * len(lower):
        return None
    return (len(lower) - 1) * 26 + ord(lower[0]) - ord("a") + 1


def _roman_value(letters: str) -> int | None:
    lower = letters.lower()
    if not _ROMAN.fullmatch(lower):
        return None
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    total = 0
    for index, letter in enumerate(lower):
        value = values[letter]
        following = values[lower[index + 1]] if index + 1 < len(lower) else 0
        total += -value if value < following else value
    return total


def marker_numbers(marker: str, number_format: str | None) -> list[int] | None:
    """The numbers a marker may stand for, most likely first; None for a bullet.

    With the level's format known, only it counts (a bullet format: None). Without it,
    the marker's shape decides: digits (``3.``, ``(3)``, ``1.2.``), or one to eight letters
    followed by ``.`` or ``)`` (``b)``, ``iv.``), are a number; anything else (``·``,
    ``o``, ``§``, a Wingdings letter) is a bullet. Letters that are also a roman numeral
    count as roman first when longer than one letter or ``i``.
    """
    if number_format in _BULLET_FORMATS:
        return None
    digits = _DIGIT_MARKER.fullmatch(marker)
    if digits is not None:
        return [int(digits[1])]
    letters = _LETTER_MARKER.fullmatch(marker)
    if letters is None:
        return [] if number_format is not None else None
    text = letters[1]
    letter, roman = _letter_value(text), _roman_value(text)
    if number_format is not None and number_format.startswith("alpha"):
        roman = None
    elif number_format is not None and number_format.startswith("roman"):
        letter = None
    if roman is not None and (len(text) > 1 or text.lower() == "i"):
        values = [roman, letter]
    else:
        values = [letter, roman]
    found = [value for value in values if value is not None]
    if not found and number_format is None:
        return None
    return found


@dataclass
class _OpenList:
    tag: str
    level: int
    item_open: bool
    next_number: int


class _ListCounter:
    """The numbers a browser shows for list lines, as render nests them (render.py's
    `_list`: a deeper line opens lists down to its level, with an empty item in a list
    that has none open; another type, or a start number, closes the list at its level)."""

    def __init__(self) -> None:
        self.stack: list[_OpenList] = []

    def expected(self, tag: str, level: int) -> int:
        """The number the next line would show at `level` without a start number."""
        stack = [entry for entry in self.stack if entry.level <= level]
        if stack and stack[-1].level == level and stack[-1].tag == tag:
            return stack[-1].next_number
        return 1

    def add(self, tag: str, level: int, start: int) -> None:
        stack = self.stack
        while stack and stack[-1].level > level:
            stack.pop()
        if stack and stack[-1].level == level and (stack[-1].tag != tag or start):
            stack.pop()
        if not stack or stack[-1].level != level:
            current = stack[-1].level if stack else 0
            while current < level:
                current += 1
                if stack and not stack[-1].item_open:
                    stack[-1].item_open = True
                    stack[-1].next_number += 1
                first = start if current == level and start else 1
                stack.append(_OpenList(tag, current, False, first))
        top = stack[-1]
        top.item_open = True
        top.next_number += 1


def _level(block: Attributes) -> int:
    indent = block.get("indent", "")
    return min(max(int(indent), 1), MAX_INDENT) if _DIGITS.fullmatch(indent) else 1


def _start(block: Attributes) -> int:
    start = block.get("start", "")
    return int(start) if _DIGITS.fullmatch(start) and int(start) > 1 else 0


def _container(block: Attributes) -> tuple[str | None, ...]:
    return (block.get("table"), block.get("row"), block.get("cell"), block.get("quote"))


def resolve(lines: list[Line], definitions: Callable[[], dict[str, str]]) -> list[Line]:
    """Settle the Word list lines (those holding OFFICE_KEY) of a parse: their list type
    and start number; return the lines without OFFICE_KEY. `definitions` gives the style
    sheet's formats (see `list_definitions`), asked once if any line needs it."""
    formats: dict[str, str] | None = None
    counter = _ListCounter()
    previous: tuple[str | None, ...] | None = None
    resolved: list[Line] = []
    for runs, block in lines:
        office = block.get(OFFICE_KEY)
        if office is not None:
            if formats is None:
                formats = definitions()
            list_id, level, marker = office.split(":", 2)
            numbers = marker_numbers(marker, formats.get(f"{list_id}:{level}"))
            block = {key: value for key, value in block.items() if key != OFFICE_KEY}
            block["list"] = "bullet" if numbers is None else "number"
        if "list" not in block:
            counter = _ListCounter()
            previous = None
            resolved.append((runs, block))
            continue
        container = _container(block)
        if container != previous:
            counter = _ListCounter()
            previous = container
        tag = "ol" if block.get("list") == "number" else "ul"
        level = _level(block)
        if office is not None and tag == "ol" and numbers:
            expected = counter.expected(tag, level)
            if expected not in numbers and numbers[0] > 1:
                block["start"] = str(numbers[0])
        counter.add(tag, level, _start(block) if tag == "ol" else 0)
        resolved.append((runs, block))
    return resolved
