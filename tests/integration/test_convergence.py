"""Many clients typing into one pad at once, with random delays, converge."""

from __future__ import annotations

import asyncio
import random

import httpx
import pytest

from tests.support.padclient import PadClient
from tests.support.scenarios import type_randomly
from tests.support.server import ServerProcess

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("seed", [1, 2])
async def test_eight_clients_converge(server: ServerProcess, pad: str, seed: int) -> None:
    rng = random.Random(seed)
    clients = [PadClient(server.ws, pad, f"user{n}") for n in range(8)]
    for client in clients:
        await client.connect()
    await asyncio.gather(*(type_randomly(c, random.Random(rng.random()), 40) for c in clients))
    for client in clients:
        await client.wait_until(lambda c=client: c.idle, timeout_seconds=30)
    head = max(client.rev for client in clients)
    for client in clients:
        await client.wait_until(lambda c=client: c.rev == head, timeout_seconds=30)
    server_text = httpx.get(f"{server.http}/api/pads/{pad}/content?format=text").json()["text"]
    assert {client.text for client in clients} == {server_text}
    assert httpx.get(f"{server.http}/api/pads/{pad}").json()["rev"] == head
    for client in clients:
        assert not client.errors
        await client.close()
