"""Document -> PDF, with WeasyPrint and the print stylesheet beside this module
(print.css), for documents ReportLab cannot print faithfully (policypad.formats.pdf
chooses). The document is rendered to HTML by the model's own renderer, with every
image resolved to a `data:` URL first (or replaced by its alt text): WeasyPrint is then
allowed to load `data:` URLs only, so an export never makes the server reach the network
or read a file."""

from __future__ import annotations

import base64
from importlib import resources

from policypad.document.lines import Line
from policypad.document.render import escape, render_lines
from policypad.formats.errors import MissingLibrary
from policypad.formats.images import ImageSource, media_type


def _stylesheet() -> str:
    return resources.files("policypad.formats").joinpath("print.css").read_text("utf-8")


def resolve_images(lines: list[Line], images: ImageSource) -> list[Line]:
    """`lines` with each image's source a `data:` URL, or the image replaced by its alt
    text in brackets where `images` has no bytes for it."""
    resolved: list[Line] = []
    known: dict[str, str | None] = {}
    for runs, block in lines:
        new_runs = []
        for text, attributes in runs:
            if attributes.get("embed") != "image":
                new_runs.append((text, attributes))
                continue
            src = attributes.get("src", "")
            if src not in known:
                data = images(src)
                kind = media_type(data) if data else None
                known[src] = (
                    f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
                    if data and kind
                    else None
                )
            source = known[src]
            if source is None:
                plain = {k: v for k, v in attributes.items()
                         if k not in ("embed", "src", "alt", "width", "height")}  # fmt: skip
                new_runs.append((f"[{attributes.get('alt') or 'image'}]" * len(text), plain))
            else:
                new_runs.append((text, {**attributes, "src": source}))
        resolved.append((new_runs, block))
    return resolved


def to_pdf(lines: list[Line], images: ImageSource, title: str = "Document") -> bytes:
    """The PDF of a document's lines, printed with print.css."""
    try:
        import weasyprint  # imported here: it loads Pango, which only this export needs
    except OSError as error:
        # WeasyPrint is installed but Pango is not: cffi raises OSError, which the REST
        # API would answer with a 500; as ImportError it is the 501 of a missing library
        raise MissingLibrary(
            "Pango", "Debian's libpango-1.0-0 and libpangoft2-1.0-0", str(error)
        ) from error

    body = render_lines(resolve_images(lines, images))
    page = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"</head><body>{body}</body></html>"
    )
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    document = weasyprint.HTML(string=page, url_fetcher=fetcher)
    return bytes(document.write_pdf(stylesheets=[weasyprint.CSS(string=_stylesheet())]))
