"""A real `policypad serve` in a subprocess on 127.0.0.1, for integration tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bearer(token: str) -> dict[str, str]:
    """The header that presents a token (or an API key) to the server."""
    return {"Authorization": f"Bearer {token}"}


class ServerProcess:
    """`policypad serve` on a free port with its own database; start(), then stop()/kill()."""

    def __init__(
        self,
        workdir: Path,
        db: str | None = None,
        env: dict[str, str] | None = None,
        preexec_fn: Callable[[], None] | None = None,
        python: str = sys.executable,
    ) -> None:
        self.workdir = workdir
        self.preexec_fn = preexec_fn
        self.python = python
        """The interpreter that runs `policypad.cli` (another venv's, to test a wheel)."""
        self.db = db or f"sqlite+aiosqlite:///{workdir / 'pads.sqlite3'}"
        self.env = env or {}
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = workdir / f"server-{self.port}.log"

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self, timeout_seconds: float = 20) -> ServerProcess:
        env = {**os.environ, **self.env}
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [
                    self.python,
                    "-m",
                    "policypad.cli",
                    "serve",
                    "--port",
                    str(self.port),
                    "--db",
                    self.db,
                ],
                cwd=self.workdir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=self.preexec_fn,
            )
        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                httpx.get(f"{self.http}/api/openapi.json", timeout=1)
                return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        """Stop gracefully."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        """Stop abruptly (SIGKILL), as a crash would."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
