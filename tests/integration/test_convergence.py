"""Many clients typing into one pad at once, with random delays, converge."""

from __future__ import annotations

import asyncio
import random

import httpx
import pytest

from tests.support.padclient import PadClient
from tests.support.server import ServerProcess

pytestmark = pytest.mark.asyncio


async def _type_randomly(client: PadClient, rng: random.Random, edits: int) -> None:
    for _ in range(edits):
        await asyncio.sleep(rng.random() * 0.02)
        length = len(client.text) - 1  # never touch the final newline
        roll = rng.random()
        position = rng.randint(0, length)
        if roll < 0.6 or length == 0:
            await client.splice(position, 0, rng.choice(["a", "b", " ", "\n", "xy", "é"]))
        elif roll < 0.9:
            await client.splice(position, min(rng.randint(1, 3), length - position), "")
        else:
            await client.splice(position, min(2, length - position), "Z")


@pytest.mark.parametrize("seed", [1, 2])
async def test_eight_clients_converge(server: ServerProcess, pad: str, seed: int) -> None:
    rng = random.Random(seed)
    clients = [PadClient(server.ws, pad, f"user{n}") for n in range(8)]
    for client in clients:
        await client.connect()
    await asyncio.gather(*(_type_randomly(c, random.Random(rng.random()), 40) for c in clients))
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
