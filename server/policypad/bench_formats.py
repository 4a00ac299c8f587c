"""`policypad bench formats`: how long a 100-page policy manual (headings, formatting,
links, nested lists, tables with merged cells, an image on every page) takes to come in
from DOCX and ODT and to go out as DOCX, ODT and PDF.

Two measurements. In this process, the conversions alone (file <-> document model, with
`data:` images allowed so that every image is converted). Over REST against a running
server, what a user waits for: `POST /api/pads` with the file (conversion, sanitizing
and storing the pad) and `GET /api/pads/{id}/export` (reading the pad, converting).
The budget the issue sets is 2 s for an import and for an export.
"""

from __future__ import annotations

import argparse
import os
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

from policypad.bench_common import ProcessStats, Rest, listening_pid, summary_ms
from policypad.formats import MEDIA_TYPES, read_document, source_for, write_document
from policypad.formats.manual import SCHEMA, manual

BUDGET_S = 2.0


def _timed(
    action: Callable[[], Any], repeat: int, cpu: list[float] | None = None
) -> tuple[list[float], Any]:
    """Wall-clock seconds of each run (and, into `cpu`, this process's CPU seconds: on a
    shared machine the wall clock also counts the other programs' turns)."""
    seconds, result = [], None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = action()
        seconds.append(time.perf_counter() - started)
        if cpu is not None:
            cpu.append(time.process_time() - started_cpu)
    return seconds, result


def _request(
    url: str, api_key: str | None, method: str, data: bytes | None = None, media: str = ""
) -> bytes:
    request = urllib.request.Request(url, data=data, method=method)
    if media:
        request.add_header("content-type", media)
    if api_key:
        request.add_header("Authorization", f"Bearer {api_key}")
    with urllib.request.urlopen(request, timeout=600) as response:
        return bytes(response.read())


def run(args: argparse.Namespace) -> dict[str, Any]:
    document = manual(args.pages)
    text = document.to_text()
    result: dict[str, Any] = {"bench": "formats", "pages": args.pages, "chars": len(text)}
    files: dict[str, bytes] = {}
    in_process: dict[str, Any] = {}
    in_process_cpu: dict[str, Any] = {}
    for fmt in ("docx", "odt", "pdf"):
        cpu: list[float] = []
        seconds, data = _timed(
            lambda fmt=fmt: write_document(  # type: ignore[misc]
                document, fmt, source_for("bench"), title="Manual", schema=SCHEMA
            ),
            args.repeat,
            cpu,
        )
        files[fmt] = data
        in_process[f"export_{fmt}"] = summary_ms(seconds)
        in_process_cpu[f"export_{fmt}"] = summary_ms(cpu)
    matches = True
    for fmt in ("docx", "odt"):
        cpu = []
        seconds, back = _timed(
            lambda fmt=fmt: read_document(files[fmt], fmt, SCHEMA),  # type: ignore[misc]
            args.repeat,
            cpu,
        )
        in_process[f"import_{fmt}"] = summary_ms(seconds)
        in_process_cpu[f"import_{fmt}"] = summary_ms(cpu)
        matches = matches and back.to_html(schema=SCHEMA) == document.to_html(schema=SCHEMA)
    result["file_bytes"] = {fmt: len(data) for fmt, data in files.items()}
    result["in_process_ms"] = in_process
    result["in_process_cpu_ms"] = in_process_cpu
    over_rest: dict[str, Any] = {}
    server_cpu: dict[str, Any] = {}
    base = args.url.rstrip("/")
    rest = Rest(args.url, args.api_key)
    pid = listening_pid(urllib.parse.urlsplit(args.url).port or 80)
    # the server's own CPU time for each request, where /proc shows it (same machine)
    stats = ProcessStats(pid) if pid is not None else None

    def on_server(name: str, call: Callable[[], Any]) -> None:
        wall, cpu = [], []
        for _ in range(args.repeat):
            before = stats.cpu_seconds() if stats else 0.0
            started = time.perf_counter()
            call()
            wall.append(time.perf_counter() - started)
            cpu.append(stats.cpu_seconds() - before if stats else float("nan"))
        over_rest[name], server_cpu[name] = summary_ms(wall), summary_ms(cpu)

    created: list[str] = []
    for fmt in ("docx", "odt"):

        def upload(fmt: str = fmt) -> None:
            created.append(f"bench-{fmt}-{uuid.uuid4().hex[:10]}")
            _request(f"{base}/api/pads?id={created[-1]}", args.api_key, "POST", files[fmt],
                     MEDIA_TYPES[fmt])  # fmt: skip

        on_server(f"import_{fmt}", upload)
    for pad_id in created:
        stored = rest.call("GET", f"/api/pads/{pad_id}/content?format=text")["text"]
        matches = matches and stored == text
    for fmt in ("docx", "odt", "pdf"):
        url = f"{base}/api/pads/{pad_id}/export?format={fmt}"
        on_server(f"export_{fmt}", lambda url=url: _request(url, args.api_key, "GET"))  # type: ignore[misc]
    result["rest_ms"] = over_rest
    result["server_cpu_ms"] = server_cpu
    result["text_matches"] = matches
    # Judged on CPU time: a conversion is one thread's work, so on an idle machine its
    # wall time is its CPU time; on a shared one the wall clock counts the others' turns.
    measured = {**in_process_cpu, **{f"rest_{name}": value for name, value in server_cpu.items()}}
    result["cpu_within_budget"] = {
        name: figures["max"] <= BUDGET_S * 1000 for name, figures in measured.items()
    }
    result["load_average"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return result


def print_result(result: dict[str, Any]) -> None:
    print(
        f"Policy manual of {result['pages']} pages ({result['chars']} characters; files: "
        + ", ".join(f"{fmt} {size / 1e3:.0f} kB" for fmt, size in result["file_bytes"].items())
        + f"), budget {BUDGET_S:.0f} s each:"
    )
    for title, key in (("in this process (conversion only), wall clock", "in_process_ms"),
                       ("in this process, CPU time", "in_process_cpu_ms"),
                       ("over REST (convert, sanitize, store / read)", "rest_ms"),
                       ("over REST, the server's CPU time", "server_cpu_ms")):  # fmt: skip
        print(f"  {title}:")
        for name, figures in result[key].items():
            print(f"    {name:12} p50 {figures['p50']:8.1f} ms  max {figures['max']:8.1f} ms")
    print(f"  the text comes back equal: {result['text_matches']}")
    over = [name for name, within in result["cpu_within_budget"].items() if not within]
    print(f"  over the budget in CPU time: {', '.join(over) or 'none'}")
    print(f"  load average while measuring: {result['load_average']}")


def add_parser(kinds: Any, common: Any) -> None:
    parser = kinds.add_parser("formats", help="import and export a 100-page manual")
    common(parser)
    parser.add_argument("--pages", type=int, default=100, help="pages (chapters) of the manual")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement")
