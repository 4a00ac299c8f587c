"""What the document model allows: attribute keys, classes, URL schemes.

See docs/document-model.md for the whole model. A `Schema` is the host's
configuration: which classes survive, whether `data:` images are allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

EMBED_CHAR = "\ufffc"
"""The placeholder character that carries an embed (image, line break, rule)."""

INLINE_FLAGS = ("bold", "italic", "underline", "strike", "code", "sub", "sup")
INLINE_KEYS = frozenset({*INLINE_FLAGS, "link", "class", "author"})
EMBED_KEYS = frozenset({"embed", "src", "alt", "width", "height"})
BLOCK_KEYS = frozenset(
    {
        "heading", "pre", "list", "indent", "start", "quote", "align", "bclass",
        "table", "row", "cell", "th", "head", "colspan", "rowspan",
    }
)  # fmt: skip

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = frozenset({"http", "https"})
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif);base64,[A-Za-z0-9+/=]*", re.IGNORECASE)
_CLASS_NAME = re.compile(r"-?[_a-zA-Z][_a-zA-Z0-9-]*")
_ATTRIBUTE_NAME = re.compile(r"[a-z][a-z0-9-]*")
# Attributes a host may never allow: they run script, load things, or are the model's own.
_RESERVED_ATTRIBUTES = frozenset(
    {
        "style", "href", "src", "srcset", "class", "data-author", "action", "formaction",
        "background", "poster", "lowsrc", "dynsrc", "ping", "xmlns", "is", "slot",
        "contenteditable", "autofocus",
    }
)  # fmt: skip
EXTRA_PREFIX = "@"
"""Model keys of host-allowed HTML attributes: ``@title``, ``@lang``, ``@data-ref``."""


def is_safe_attribute_name(name: str) -> bool:
    """Whether an HTML attribute may be allowed by a host (and so rendered)."""
    return (
        isinstance(name, str)
        and _ATTRIBUTE_NAME.fullmatch(name) is not None
        and not name.startswith("on")
        and name not in _RESERVED_ATTRIBUTES
    )


@dataclass(frozen=True)
class Schema:
    """The host's allow-lists.

    classes: class names kept on text (`class`) and blocks (`bclass`); others dropped.
    allow_data_images: accept ``data:image/png|jpeg|gif;base64,...`` image sources.
    attributes: further HTML attributes kept (e.g. ``title``, ``lang``, ``data-ref``) on
    inline elements (model key ``@name`` on the text) and block elements (``@name`` on
    the line); event handlers, URLs, ``style`` and the model's own are refused.
    """

    classes: frozenset[str] = field(default_factory=frozenset)
    allow_data_images: bool = False
    attributes: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        unsafe = sorted(name for name in self.attributes if not is_safe_attribute_name(name))
        if unsafe:
            raise ValueError(f"these attributes cannot be allowed: {', '.join(unsafe)}")

    @classmethod
    def from_options(cls, options: dict[str, object] | None) -> Schema:
        """Build from the JSON options form ``{"classes": [...], "allowDataImages": bool}``."""
        if not options:
            return DEFAULT_SCHEMA
        classes = options.get("classes") or []
        attributes = options.get("attributes") or []
        if not isinstance(classes, list | tuple | set | frozenset):
            raise TypeError("classes must be a list of class names")
        if not isinstance(attributes, list | tuple | set | frozenset):
            raise TypeError("attributes must be a list of attribute names")
        return cls(
            frozenset(str(c) for c in classes),
            bool(options.get("allowDataImages")),
            frozenset(str(a) for a in attributes),
        )

    def extra_attributes(self, attributes: dict[str, str | None]) -> dict[str, str]:
        """Return the allowed extra attributes of an element, as model keys and values."""
        if not self.attributes:
            return {}
        return {
            EXTRA_PREFIX + name: value
            for name, value in attributes.items()
            if name in self.attributes and value
        }

    def allowed_classes(self, value: str | None) -> str:
        """Return the allowed classes of a class attribute, sorted and space-separated."""
        if not value or not self.classes:
            return ""
        return " ".join(sorted({name for name in value.split() if name in self.classes}))

    def link(self, href: str | None) -> str | None:
        """Return `href` trimmed if its scheme is allowed for links, else None."""
        return _allowed_url(href, LINK_SCHEMES, data_images=False)

    def image_source(self, src: str | None) -> str | None:
        """Return `src` trimmed if it is an allowed image source, else None."""
        return _allowed_url(src, IMAGE_SCHEMES, data_images=self.allow_data_images)

    def allowed(self, attributes: dict[str, str]) -> dict[str, str]:
        """`attributes` without those this schema does not allow."""
        if all(self.allows(key, value) for key, value in attributes.items()):
            return attributes
        return {key: value for key, value in attributes.items() if self.allows(key, value)}

    def allows(self, key: str, value: str) -> bool:
        """Whether the model may hold attribute `key` with `value` (see
        docs/document-model.md); an empty value (a changeset's "remove this key") is
        allowed for every key the model knows. A client's changeset is checked with
        this, so that what a parse would never produce cannot enter a pad either."""
        if key.startswith(EXTRA_PREFIX):
            return key[1:] in self.attributes and is_safe_attribute_name(key[1:])
        check = _VALUE_CHECKS.get(key)
        if check is None:
            return False
        return value == "" or check(self, value)


DEFAULT_SCHEMA = Schema()
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_DIGITS = re.compile(r"[0-9]+")
_NUMBER = re.compile(r"[1-9][0-9]*")


def _number_over_1(value: str) -> bool:
    """Digits without a leading zero, more than 1 (how a parse writes start and spans)."""
    return _NUMBER.fullmatch(value) is not None and value != "1"


def _one_of(*values: str):  # type: ignore[no-untyped-def]
    allowed = frozenset(values)
    return lambda schema, value: value in allowed


_TRUE = _one_of("true")
_VALUE_CHECKS = {
    **{flag: _TRUE for flag in INLINE_FLAGS},
    "link": lambda schema, value: schema.link(value) == value,
    "class": lambda schema, value: schema.allowed_classes(value) == value,
    # stamped by the server on every insert; whatever a client sends is replaced
    "author": lambda schema, value: True,
    "embed": _one_of("image", "br", "hr"),
    "src": lambda schema, value: schema.image_source(value) == value,
    "alt": lambda schema, value: True,
    "width": lambda schema, value: _DIGITS.fullmatch(value) is not None,
    "height": lambda schema, value: _DIGITS.fullmatch(value) is not None,
    "heading": _one_of("1", "2", "3", "4", "5", "6"),
    "pre": _TRUE,
    "list": _one_of("bullet", "number"),
    "indent": _one_of("1", "2", "3", "4", "5", "6", "7", "8"),
    "start": lambda schema, value: _number_over_1(value),
    "quote": _TRUE,
    "align": _one_of("center", "right", "justify"),
    "bclass": lambda schema, value: schema.allowed_classes(value) == value,
    "table": lambda schema, value: _ID.fullmatch(value) is not None,
    "row": lambda schema, value: _ID.fullmatch(value) is not None,
    "cell": lambda schema, value: _ID.fullmatch(value) is not None,
    "th": _TRUE,
    "head": _TRUE,
    "colspan": lambda schema, value: _number_over_1(value),
    "rowspan": lambda schema, value: _number_over_1(value),
}


def _allowed_url(value: str | None, schemes: frozenset[str], *, data_images: bool) -> str | None:
    if value is None:
        return None
    url = value.strip(" \t\n\r\f")
    if not url:
        return None  # an empty value would mean "no attribute" in a changeset
    # Browsers ignore whitespace and control characters inside a scheme
    # ("java\tscript:"), so the scheme is read with them removed.
    probe = _INVISIBLE.sub("", url)
    scheme = _SCHEME.match(probe)
    if scheme is None:
        return url
    name = scheme.group(1).lower()
    if name in schemes:
        return url
    if name == "data" and data_images and _DATA_IMAGE.fullmatch(probe):
        return url
    return None


def is_class_name(name: str) -> bool:
    """Return whether `name` is a plausible CSS class name (for configuration checks)."""
    return _CLASS_NAME.fullmatch(name) is not None


def render_link(href: str | None) -> str | None:
    """The href a renderer may write: checked again, since an AText can come from anyone."""
    return _allowed_url(href, LINK_SCHEMES, data_images=False)


def render_image_source(src: str | None) -> str | None:
    """The src a renderer may write. Data images of safe types pass: the schema decides
    what a parse lets in, and a server may allow more than a client."""
    return _allowed_url(src, IMAGE_SCHEMES, data_images=True)
