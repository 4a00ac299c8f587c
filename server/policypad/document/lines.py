"""The line form of a document, and converting it to and from an AText.

A document is a list of lines; a line is ``(runs, block)``: runs are ``(text,
attributes)`` pairs of the line's characters (no newline), `block` the attributes
of the newline that ends it. This is the form parse builds and render reads, and
the pool-independent form the shared test vectors compare::

    [([("Hello ", {}), ("world", {"bold": "true"})], {"heading": "1"}),
     ([], {})]
"""

from __future__ import annotations

from policypad.changeset import AText, AttributePool, make_atext, utf16
from policypad.changeset._base36 import format_base36
from policypad.changeset.assembler import OpAssembler
from policypad.changeset.atext import _parse_line
from policypad.changeset.attributes import attribs_to_pairs
from policypad.changeset.op import INSERT, Op
from policypad.changeset.utf16 import length as utf16_length

Attributes = dict[str, str]
Run = tuple[str, Attributes]
Line = tuple[list[Run], Attributes]


def merge_runs(runs: list[Run]) -> list[Run]:
    """Return runs with empty ones dropped and neighbours of equal attributes joined."""
    merged: list[Run] = []
    for text, attributes in runs:
        if not text:
            continue
        if merged and merged[-1][1] == attributes:
            merged[-1] = (merged[-1][0] + text, attributes)
        else:
            merged.append((text, attributes))
    return merged


def _attribs_string(attributes: Attributes, pool: AttributePool) -> str:
    return "".join(
        "*" + format_base36(pool.put_attrib((key, value)))
        for key, value in sorted(attributes.items())
    )


def lines_to_atext(lines: list[Line], pool: AttributePool) -> AText:
    """Return the AText of `lines`, numbering attributes in `pool`."""
    if not lines:
        lines = [([], {})]
    assembler = OpAssembler()
    texts: list[str] = []
    for runs, block in lines:
        for text, attributes in runs:
            if text:
                assembler.append(
                    Op(INSERT, utf16_length(text), 0, _attribs_string(attributes, pool))
                )
                texts.append(text)
        assembler.append(Op(INSERT, 1, 1, _attribs_string(block, pool)))
        texts.append("\n")
    return make_atext("".join(texts), assembler.to_string())


def atext_to_lines(atext: AText, pool: AttributePool) -> list[Line]:
    """Return the line form of `atext` (attributes resolved through `pool`)."""
    lines: list[Line] = []
    text_lines = atext.text.split("\n")
    for line_text, attribution in zip(text_lines, atext.attribution_lines(), strict=False):
        runs: list[Run] = []
        position = 0
        block: Attributes = {}
        for op in _parse_line(attribution):
            attributes = _resolve(op.attribs, pool)
            chars = op.chars - (1 if op.lines else 0)
            if chars:
                end = _advance(line_text, position, chars)
                runs.append((line_text[position:end], attributes))
                position = end
            if op.lines:
                block = attributes
        lines.append((merge_runs(runs), block))
    return lines


def _resolve(attribs: str, pool: AttributePool) -> Attributes:
    if not attribs:
        return {}
    return dict(attribs_to_pairs(attribs, pool))


def _advance(text: str, position: int, units: int) -> int:
    if text.isascii():
        return position + units
    return utf16.index(text, units, position)
