"""`policypad bench load` against a real server, with its authors in two processes."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support.server import ServerProcess


def test_authors_in_two_generator_processes_are_all_counted(server: ServerProcess) -> None:
    command = [
        sys.executable, "-m", "policypad.cli", "bench", "load", "--url", server.http,
        "--authors", "12", "--observers", "2", "--seconds", "3", "--generators", "2",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert "from 2 processes" in result.stdout
    figures = json.loads(result.stdout.splitlines()[-1])
    assert figures["converged"] is True and figures["errors"] == 0
    assert figures["client"]["processes"] == 2
    # half the light authors type in the worker: without its commits merged, about half
    # of what was offered would show as stored
    assert figures["stored_percent_of_offered"] >= 80, figures
    # every 4th revision is timed at each of the 10 light authors but its own; those the
    # worker's authors committed (5 of 12 authors) count only if their send times came back
    timed = figures["commits"] // 4 * 9
    assert figures["latency_at_every_author_ms"]["samples"] >= 0.8 * timed, figures
