"""Data images in a document being imported: parse HTML keeping every ``data:`` image
source as it is (the model itself never holds one), list them, and put stored URLs in
their place. `ImageService.store_data_images` joins these with the storing.

Kept apart from the parser: a schema that lets ``data:`` sources through is all it
takes, so the parse rules stay the same for every caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from policypad.document.lines import Line
from policypad.document.schema import Schema
from policypad.images.data_urls import is_data_url


@dataclass(frozen=True)
class _KeepingDataImages(Schema):
    """A schema that keeps every ``data:`` image source (for an import to store)."""

    def image_source(self, src: str | None) -> str | None:
        if src is not None and is_data_url(src.strip(" \t\n\r\f")):
            return src.strip(" \t\n\r\f")
        return super().image_source(src)


def keeping_data_images(schema: Schema) -> Schema:
    """`schema`, except that a parse with it keeps ``data:`` image sources as they are."""
    values = {field.name: getattr(schema, field.name) for field in fields(schema)}
    return _KeepingDataImages(**values)


def data_image_sources(lines: list[Line]) -> list[str]:
    """The distinct ``data:`` sources of the images in `lines`, in document order."""
    found: dict[str, None] = {}
    for runs, _ in lines:
        for _, attributes in runs:
            src = attributes.get("src")
            if attributes.get("embed") == "image" and src is not None and is_data_url(src):
                found[src] = None
    return list(found)


def replace_image_sources(lines: list[Line], urls: Mapping[str, str]) -> list[Line]:
    """`lines` with every image source found in `urls` replaced by its URL there."""
    replaced: list[Line] = []
    for runs, block in lines:
        new_runs = []
        for text, attributes in runs:
            src = attributes.get("src")
            if attributes.get("embed") == "image" and src in urls:
                attributes = {**attributes, "src": urls[src]}
            new_runs.append((text, attributes))
        replaced.append((new_runs, block))
    return replaced
