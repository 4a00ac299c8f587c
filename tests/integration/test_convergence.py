"""Many clients typing into one pad at once, with random delays, converge."""

from __future__ import annotations

import pytest

from tests.support.scenarios import clients_converge
from tests.support.server import ServerProcess

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("seed", [1, 2])
async def test_eight_clients_converge(server: ServerProcess, pad: str, seed: int) -> None:
    await clients_converge(server, pad, 8, seed)
