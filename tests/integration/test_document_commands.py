"""`policypad import FILE...` and `policypad export` against a real server."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx

from policypad.document import Document, Schema
from policypad.formats import read_document
from policypad.images.urls import digest_of, image_url
from tests.support.formats import FIXTURES
from tests.support.server import ServerProcess
from tests.support.word_manual import IMAGE, WORD_MANUAL_HTML, word_manual

SCHEMA = Schema()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "policypad.cli", *args]
    env = {key: value for key, value in os.environ.items() if key != "POLICYPAD_API_KEY"}
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)


def _files(folder: Path) -> list[Path]:
    word = folder / "Leave policy.docx"
    word.write_bytes(word_manual())
    odt = folder / "lo-manual.odt"
    shutil.copy(FIXTURES / "manual-libreoffice.odt", odt)
    notes = folder / "notes.txt"
    notes.write_text("not a document")
    return [word, odt, notes]


def test_import_creates_a_pad_per_file_then_skips_or_replaces(
    server: ServerProcess, tmp_path: Path
) -> None:
    word, odt, notes = _files(tmp_path)
    first = run("import", str(word), str(odt), str(notes), "--to", server.http)
    assert first.returncode == 1, first.stderr  # one file failed
    assert f"{word}: pad Leave-policy" in first.stdout
    assert f"{odt}: pad lo-manual" in first.stdout
    assert f"{notes}: not a .docx or .odt file" in first.stdout
    assert "done: 2 created, 0 replaced, 0 skipped, 1 failed" in first.stdout
    # the progress bar: a line per file when stderr is not a terminal
    progress = first.stderr.splitlines()
    assert progress[0].startswith("[##########....................] 1/3")
    assert progress[-1].startswith("[##############################] 3/3 notes.txt")
    html = httpx.get(f"{server.http}/api/pads/Leave-policy/content").json()["html"]
    stored = image_url("Leave-policy", digest_of(IMAGE))  # the picture, kept for the pad
    expected = Document.from_html(WORD_MANUAL_HTML.format(image=stored), SCHEMA)
    assert Document.from_html(html, SCHEMA).to_html() == expected.to_html(schema=SCHEMA)

    again = run("import", str(word), "--to", server.http)
    assert again.returncode == 0
    assert "done: 0 created, 0 replaced, 1 skipped, 0 failed" in again.stdout
    assert httpx.get(f"{server.http}/api/pads/Leave-policy").json()["rev"] == 0
    replaced = run("import", str(word), "--replace", "--to", server.http)
    assert replaced.returncode == 0
    assert "done: 0 created, 1 replaced" in replaced.stdout


def test_export_writes_every_pad_at_a_revision(server: ServerProcess, tmp_path: Path) -> None:
    for pad, text in (("cli-one", "first pad"), ("cli-two", "second pad")):
        assert httpx.post(f"{server.http}/api/pads", json={"id": pad, "text": text}).is_success
        changed = httpx.put(f"{server.http}/api/pads/{pad}/content", json={"text": "changed"})
        assert changed.json() == {"rev": 1}
    out = tmp_path / "out"
    result = run(
        "export", "--format", "docx", "--out", str(out), "--rev", "0",
        "--pads", "cli-one,cli-two,cli-missing", "--from", server.http,
    )  # fmt: skip
    assert result.returncode == 1  # the missing pad
    assert "done: 2 exported, 1 failed" in result.stdout
    assert "cli-missing: not exported" in result.stdout
    assert sorted(path.name for path in out.iterdir()) == ["cli-one.docx", "cli-two.docx"]
    document = read_document((out / "cli-one.docx").read_bytes(), "docx", SCHEMA)
    assert document.to_text() == "first pad\n"
    assert result.stderr.splitlines()[-1].startswith("[##############################] 3/3")

    every = run("export", "--format", "txt", "--out", str(tmp_path / "all"), "--from", server.http)
    assert every.returncode == 0, every.stdout + every.stderr
    written = {path.name: path.read_text() for path in (tmp_path / "all").iterdir()}
    assert written["cli-one.txt"] == "changed\n" and written["cli-two.txt"] == "changed\n"


def test_the_commands_say_why_they_cannot_start(tmp_path: Path) -> None:
    closed = "http://127.0.0.1:9"  # the discard port: nothing listens there
    result = run("export", "--out", str(tmp_path), "--from", closed)
    assert result.returncode == 2 and "policypad export:" in result.stderr
    missing = run("export", "--format", "rtf", "--out", str(tmp_path))
    assert missing.returncode == 2 and "invalid choice" in missing.stderr


def test_the_benchmark_runs_and_checks_what_comes_back(server: ServerProcess) -> None:
    result = run("bench", "formats", "--url", server.http, "--pages", "3", "--repeat", "1")
    assert result.returncode == 0, result.stderr
    assert "Policy manual of 3 pages" in result.stdout
    assert "the text comes back equal: True" in result.stdout
    figures = json.loads(result.stdout.splitlines()[-1])
    assert set(figures["rest_ms"]) == {
        "import_docx", "import_odt", "export_docx", "export_odt", "export_pdf"
    }  # fmt: skip
    assert all(value["samples"] == 1 for value in figures["in_process_cpu_ms"].values())
    assert set(figures["server_cpu_ms"]) == set(figures["rest_ms"])
