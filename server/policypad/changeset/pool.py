"""The attribute pool: numbers for (key, value) attribute pairs.

Changesets and attributions never spell attributes out; they cite pool numbers,
``*0*3`` meaning attributes 0 and 3. A pool only grows, so a number, once given,
means the same pair for the pool's lifetime. Its JSON form is Etherpad's::

    {"numToAttrib": {"0": ["author", "a.1"], "1": ["bold", "true"]}, "nextNum": 2}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policypad.errors import ChangesetError

Attribute = tuple[str, str]


class AttributePool:
    """A growing two-way map between attribute numbers and (key, value) pairs."""

    __slots__ = ("_attrib_to_num", "_cache", "_num_to_attrib", "next_num")

    def __init__(self) -> None:
        self._num_to_attrib: dict[int, Attribute] = {}
        self._attrib_to_num: dict[Attribute, int] = {}
        self.next_num = 0
        # Memo for derived attribute strings (compose/follow results). Valid for the
        # pool's lifetime because numbers are never reassigned.
        self._cache: dict[tuple[Any, ...], str] = {}

    def put_attrib(self, attrib: tuple[str, str] | list[str], *, lookup_only: bool = False) -> int:
        """Return the number of `attrib`, adding it if new.

        With ``lookup_only=True`` an unknown pair is not added and -1 is returned.
        """
        key, value = attrib
        pair = (key, value)
        num = self._attrib_to_num.get(pair)
        if num is not None:
            return num
        if lookup_only:
            return -1
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError(f"attribute key and value must be str, got {attrib!r}")
        num = self.next_num
        self.next_num += 1
        self._num_to_attrib[num] = pair
        self._attrib_to_num[pair] = num
        return num

    def mirror(self, jsonable_fragment: Mapping[str, Any]) -> None:
        """Take the numbering of another pool's fragment ``{"numToAttrib": {...}}``.

        A client keeps a copy of its pad's pool this way: the server sends, with each
        revision, the pairs it cites under the pad's own numbers.
        """
        for number, pair in jsonable_fragment.get("numToAttrib", {}).items():
            num, attrib = int(number), (str(pair[0]), str(pair[1]))
            self._num_to_attrib[num] = attrib
            self._attrib_to_num[attrib] = num
            self.next_num = max(self.next_num, num + 1)

    def get_attrib(self, num: int) -> Attribute:
        """Return the (key, value) pair numbered `num`; ChangesetError if unknown."""
        try:
            return self._num_to_attrib[num]
        except KeyError:
            raise ChangesetError(f"attribute number {num} is not in the pool") from None

    def has_attrib(self, num: int) -> bool:
        """Return whether the pool holds a pair numbered `num`."""
        return num in self._num_to_attrib

    def get_attrib_key(self, num: int) -> str:
        """Return the key of attribute `num`."""
        return self.get_attrib(num)[0]

    def get_attrib_value(self, num: int) -> str:
        """Return the value of attribute `num`."""
        return self.get_attrib(num)[1]

    def __len__(self) -> int:
        return len(self._num_to_attrib)

    def __iter__(self) -> Iterator[tuple[int, Attribute]]:
        return iter(sorted(self._num_to_attrib.items()))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AttributePool):
            return NotImplemented
        return self._num_to_attrib == other._num_to_attrib and self.next_num == other.next_num

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"AttributePool({self.to_jsonable()!r})"

    def copy(self) -> AttributePool:
        """Return an independent copy of this pool."""
        return AttributePool.from_jsonable(self.to_jsonable())

    def to_jsonable(self) -> dict[str, Any]:
        """Return the pool in Etherpad's JSON form (see the module docstring)."""
        return {
            "numToAttrib": {str(n): [k, v] for n, (k, v) in sorted(self._num_to_attrib.items())},
            "nextNum": self.next_num,
        }

    @classmethod
    def from_jsonable(cls, data: Mapping[str, Any]) -> AttributePool:
        """Build a pool from its JSON form; ChangesetError if the form is malformed."""
        pool = cls()
        try:
            entries = data["numToAttrib"]
            next_num = data.get("nextNum", 0)
            items = entries.items()
        except (KeyError, TypeError, AttributeError):
            raise ChangesetError("a pool needs a 'numToAttrib' object") from None
        for num_text, pair in items:
            if not (isinstance(num_text, str) and num_text.isdigit()):
                raise ChangesetError(f"pool number {num_text!r} is not a decimal number")
            if not (
                isinstance(pair, list | tuple)
                and len(pair) == 2
                and all(isinstance(part, str) for part in pair)
            ):
                raise ChangesetError(f"pool entry {num_text} must be [key, value], got {pair!r}")
            num = int(num_text)
            attrib = (pair[0], pair[1])
            if attrib in pool._attrib_to_num:
                raise ChangesetError(f"pool entry {num} repeats attribute {list(attrib)!r}")
            pool._num_to_attrib[num] = attrib
            pool._attrib_to_num[attrib] = num
        if not isinstance(next_num, int) or isinstance(next_num, bool):
            raise ChangesetError(f"pool nextNum must be an integer, got {next_num!r}")
        pool.next_num = max([next_num, *(n + 1 for n in pool._num_to_attrib)])
        return pool
