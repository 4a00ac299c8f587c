"""Parse and render timings of the document model for a realistic 100 KB document.

    .venv/bin/python benchmarks/document_bench.py

The document has headings, paragraphs with bold, italic and links, nested lists,
and a 20x5 table, to about 100 KB of HTML. Prints the median of several
runs for parse (HTML -> Document), render (Document -> HTML) and diff_html after
one edit, and the size of the AText against the HTML.
"""

from __future__ import annotations

import json
import statistics
import time

from policypad.document import Document, diff_html

RUNS = 9


def section(number: int) -> str:
    """One chapter of the benchmark document (about 1.2 KB)."""
    return (
        f"<h2>Section {number}</h2>"
        f"<p>This policy section explains <strong>what applies</strong> to the "
        f"<em>members</em> of the team, with a <a href='https://example.com/{number}'>link</a> "
        f"to the full text and some more words to make a realistic paragraph length.</p>"
        f"<p>A second paragraph carries <u>underlined</u> and <code>code</code> text, and "
        f"keeps going for a while so that it wraps over a couple of lines in an editor.</p>"
        f"<ul><li>First point</li><li>Second point<ul><li>Detail a</li><li>Detail b</li></ul>"
        f"</li><li>Third point</li></ul><ol><li>Step one</li><li>Step two</li></ol>"
    )


def table(rows: int = 20, columns: int = 5) -> str:
    """A rows x columns table with a header row, bold cells and links."""
    head = "".join(f"<th>Column {c}</th>" for c in range(columns))
    body = "".join(
        "<tr>"
        + "".join(
            f"<td><b>{r}.{c}</b> <a href='https://example.com/{r}/{c}'>ref</a></td>"
            for c in range(columns)
        )
        + "</tr>"
        for r in range(rows)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def build_html(target_bytes: int = 100_000) -> str:
    """Return about `target_bytes` of HTML: sections with one 20x5 table in the middle."""
    parts = [table()]
    number = 0
    while sum(map(len, parts)) < target_bytes:
        number += 1
        parts.insert(len(parts) // 2, section(number))
    return "".join(parts)


def median_seconds(action, runs: int = RUNS) -> float:
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings)


def main() -> None:
    html = build_html()
    document = Document.from_html(html)
    parse_s = median_seconds(lambda: Document.from_html(html))
    render_s = median_seconds(document.to_html)
    edited = Document.from_html(html.replace("Second point", "Second, changed point", 1))
    diff_s = median_seconds(lambda: diff_html(document, edited), runs=3)
    atext_chars = len(document.atext.text) + len(document.atext.attribs)
    figures = {
        "html_bytes": len(html.encode()),
        "lines": document.atext.line_count,
        "atext_chars": atext_chars,
        "parse_ms": round(parse_s * 1000, 2),
        "render_ms": round(render_s * 1000, 2),
        "diff_ms": round(diff_s * 1000, 2),
    }
    print(f"HTML {figures['html_bytes']} bytes -> {figures['lines']} lines")
    print(f"AText {atext_chars} chars (text + attribs), {atext_chars / len(html):.0%} of the HTML")
    print(f"parse   {figures['parse_ms']:8.2f} ms (median of {RUNS})")
    print(f"render  {figures['render_ms']:8.2f} ms")
    print(f"diff    {figures['diff_ms']:8.2f} ms (after one edit)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
