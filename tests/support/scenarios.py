"""Scenarios the server must pass on every database: run by the SQLite tests and again by
tests/integration/test_postgres.py, so that both check one behaviour in one place."""

from __future__ import annotations

import asyncio
import random

import httpx

from tests.support.padclient import PadClient
from tests.support.server import ServerProcess


async def type_randomly(client: PadClient, rng: random.Random, edits: int) -> None:
    """Insert, delete and replace at random places, with short random pauses."""
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


async def clients_converge(server: ServerProcess, pad: str, count: int, seed: int) -> list[str]:
    """`count` clients type at random at once; all end at the server's head revision with
    its text, and none was refused anything. Returns their client ids."""
    rng = random.Random(seed)
    clients = [PadClient(server.ws, pad, f"user{n}") for n in range(count)]
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
    return [client.author for client in clients]


async def reconnect_catches_up_and_never_duplicates(server: ServerProcess, pad: str) -> None:
    """A client gone before its ack comes back: its edit is in once, the other's too."""
    alice, bob = PadClient(server.ws, pad), PadClient(server.ws, pad)
    await alice.connect()
    await bob.connect()
    await alice.splice(0, 0, "1")
    await alice.socket.close()  # gone before (or while) the ack arrives
    await bob.splice(0, 0, "2")
    await bob.wait_until(lambda: bob.idle)
    await alice.reconnect()
    await alice.wait_until(lambda: alice.idle)
    await bob.wait_until(lambda: bob.text == alice.text)
    text = httpx.get(f"{server.http}/api/pads/{pad}/content?format=text").json()["text"]
    assert text == alice.text and text.count("1") == 1 and text.count("2") == 1
    await alice.close()
    await bob.close()
