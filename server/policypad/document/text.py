"""Plain text in and out of the line form."""

from __future__ import annotations

from policypad.document.lines import Line
from policypad.document.schema import EMBED_CHAR


def lines_from_text(text: str) -> list[Line]:
    """Return one plain paragraph per line of `text` (a final newline is optional).

    The embed placeholder character is dropped: plain text cannot carry embeds.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace(EMBED_CHAR, "")
    if text.endswith("\n"):
        text = text[:-1]
    return [([(line, {})] if line else [], {}) for line in text.split("\n")]


def lines_to_text(lines: list[Line]) -> str:
    """Return the text of `lines`: line breaks as newlines, images as their alt text,
    rules as a line of dashes; ends with a newline."""
    out: list[str] = []
    for runs, _ in lines:
        pieces = []
        for text, attributes in runs:
            kind = attributes.get("embed")
            if kind is None:
                pieces.append(text)
            elif kind == "br":
                pieces.append("\n" * len(text))
            elif kind == "image":
                pieces.append(attributes.get("alt", "") * len(text))
            elif kind == "hr":
                pieces.append("---")
        out.append("".join(pieces))
    return "\n".join(out) + "\n"
