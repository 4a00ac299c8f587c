"""Schema.allows: what a changeset may put into a pad, exactly what a parse writes."""

from __future__ import annotations

import pytest

from policypad.document.schema import DEFAULT_SCHEMA, Schema


@pytest.mark.parametrize(
    ("key", "value"),
    [("bold", "true"), ("bold", ""), ("link", "https://x.example/a"), ("link", "/relative"),
     ("heading", "6"), ("list", "number"), ("indent", "8"), ("start", "12"),
     ("start", "123456789012"), ("colspan", "2"), ("width", "007"), ("table", "t12"),
     ("embed", "image"), ("src", "https://x.example/i.png"), ("alt", "<any text>"),
     ("author", "a.someone"), ("align", "center"), ("class", "")],
)  # fmt: skip
def test_what_the_model_allows(key: str, value: str) -> None:
    assert DEFAULT_SCHEMA.allows(key, value)


@pytest.mark.parametrize(
    ("key", "value"),
    [("bold", "yes"), ("link", "javascript:alert(1)"), ("link", " java\tscript:x"),
     ("heading", "7"), ("heading", "200000000"), ("list", "disc"), ("indent", "9"),
     ("start", "1"), ("start", "01"), ("start", "1. <img>"), ("colspan", "1"),
     ("width", "10px"), ("table", "t 1"), ("embed", "script"), ("src", "data:image/png;base64,"),
     ("class", "evil"), ("bclass", "evil"), ("@id", "x"), ("@onclick", "x"), ("style", "x"),
     ("align", "left")],
)  # fmt: skip
def test_what_it_refuses(key: str, value: str) -> None:
    assert not DEFAULT_SCHEMA.allows(key, value)


def test_a_host_may_allow_classes_and_attributes() -> None:
    schema = Schema(classes=frozenset({"note"}), attributes=frozenset({"title"}))
    assert schema.allows("class", "note") and schema.allows("@title", "anything")
    assert not schema.allows("class", "note other") and not schema.allows("@lang", "en")
    assert schema.allowed({"class": "note", "@lang": "en", "bold": "true"}) == {
        "class": "note", "bold": "true",
    }  # fmt: skip
