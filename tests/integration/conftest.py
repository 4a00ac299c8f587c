"""Fixtures: a real server subprocess per test module, and a pad on it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.server import ServerProcess


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(
        tmp_path_factory.mktemp("server"),
        env={"POLICYPAD_COMMITS_PER_SECOND": "1000", "POLICYPAD_MAX_MESSAGE_BYTES": "100000"},
    ).start()
    yield process
    process.stop()


@pytest.fixture
def pad(server: ServerProcess) -> str:
    pad_id = f"pad-{uuid.uuid4().hex[:8]}"
    response = httpx.post(f"{server.http}/api/pads", json={"id": pad_id, "text": "hello world"})
    assert response.status_code == 201
    return pad_id


def workdir(path: Path) -> Path:
    return path
