"""A minute of hostile traffic against a real server, while honest clients type.

Hostile WebSocket clients send random and mutated protocol frames (valid messages with
fields dropped, retyped, out of range, oversized, nested deep, with lone surrogates and
U+0000, changesets with flipped characters, other clients' ids); an HTTP fuzzer sends
random and mutated REST requests. Throughout, honest clients type on the same pads.

Afterwards: the server is up and answered no request with a 500; the honest clients got
no error and converge on the server's text; every acknowledged revision is stored, the
numbers have no gap, memory stayed bounded, and every pad loads again after a restart.
Seeded: POLICYPAD_FUZZ_SEED picks the run, POLICYPAD_FUZZ_SECONDS its length (60).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import string
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from tests.support.padclient import PadClient
from tests.support.server import ServerProcess

SECONDS = float(os.environ.get("POLICYPAD_FUZZ_SECONDS", "60"))
SEED = int(os.environ.get("POLICYPAD_FUZZ_SEED", "20261207"))
PADS = ["fuzz-a", "fuzz-b", "fuzz-c"]
HONEST_PER_PAD = 2
HOSTILE_CLIENTS = 4
GROWTH_BYTES = 200 * 1024 * 1024


def rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


# -- what hostile clients send --------------------------------------------------------------

SAMPLE_CHANGESETS = ["Z:6>1+1$x", "Z:6<1-1$", "Z:6>1=2*0+1$y", "Z:6>0$", "Z:1>3|1+3$a\nb"]
WEIRD_VALUES: list[Any] = [
    None, True, False, -1, 0, 1, 2**31, 2**63, 10**30, 1.5, -0.0, "", "x" * 300,
    "\ud800", "a\x00b", [], {}, [[[[]]]], {"a": {"b": {}}}, "\u202e\ufffc", "0", "NaN",
]  # fmt: skip


def mutate_string(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        action = rng.random()
        position = rng.randrange(len(chars) + 1)
        if action < 0.4 and chars:
            chars[min(position, len(chars) - 1)] = rng.choice(string.printable + "\ud800\x00$*|")
        elif action < 0.7:
            chars.insert(position, rng.choice(string.ascii_letters + "0123456789+-=*|$:<>"))
        elif chars:
            del chars[min(position, len(chars) - 1)]
    return "".join(chars)


def valid_message(rng: random.Random, seen_ids: list[str]) -> dict[str, Any]:
    kind = rng.choice(["commit", "commit", "presence", "chat", "ping", "join"])
    if kind == "commit":
        pool = {"numToAttrib": {"0": rng.choice([["bold", "true"], ["link", "https://e.x"],
                                                 ["class", "x"], ["@id", "y"], ["author", "z"],
                                                 ["heading", "7"], ["list", "number"]])},
                "nextNum": 1}  # fmt: skip
        return {"type": "commit", "baseRev": rng.randint(0, 40),
                "changeset": rng.choice(SAMPLE_CHANGESETS), "pool": pool,
                "seq": rng.randint(0, 50)}  # fmt: skip
    if kind == "presence":
        return {"type": "presence", "rev": rng.randint(0, 40),
                "selection": {"start": rng.randint(0, 50), "end": rng.randint(0, 50)}}  # fmt: skip
    if kind == "chat":
        return {"type": "chat", "text": rng.choice(["hi", "<script>x</script>", "x" * 20_000])}
    if kind == "join":
        client_id = rng.choice([*seen_ids, "x"]) if seen_ids else "x"
        return {"type": "join", "clientId": client_id, "rev": rng.randint(0, 40)}
    return {"type": "ping"}


def hostile_frame(rng: random.Random, seen_ids: list[str]) -> str | bytes:
    roll = rng.random()
    if roll < 0.05:
        return bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 200)))
    if roll < 0.08:
        depth = rng.choice([100, 10_000, 100_000])
        return "[" * depth + "]" * depth
    if roll < 0.10:
        return json.dumps({"type": "chat", "text": "y" * 1_100_000})
    message = valid_message(rng, seen_ids)
    if roll < 0.5:
        keys = list(message)
        key = rng.choice(keys)
        action = rng.random()
        if action < 0.3 and key != "type":
            del message[key]
        elif action < 0.8:
            message[key] = rng.choice(WEIRD_VALUES)
        else:
            message[rng.choice(["extra", "type"])] = rng.choice(WEIRD_VALUES)
    text = json.dumps(message)
    if roll > 0.85:
        text = mutate_string(rng, text)
    return text


async def hostile_client(url: str, pad: str, rng: random.Random, deadline: float,
                         seen_ids: list[str]) -> int:  # fmt: skip
    """Send hostile frames until `deadline`, reconnecting whenever closed; return how
    many frames went out."""
    sent = 0
    loop = asyncio.get_running_loop()
    while loop.time() < deadline:
        try:
            async with websockets.connect(f"{url}/ws/{pad}", max_size=None) as socket:
                if rng.random() < 0.8:
                    await socket.send(json.dumps({"type": "join", "batch": rng.random() < 0.5}))
                reader = asyncio.create_task(_drain(socket, seen_ids))
                try:
                    while loop.time() < deadline:
                        frame = hostile_frame(rng, seen_ids)
                        if isinstance(frame, str):  # a text frame, even of invalid UTF-8
                            frame_bytes = frame.encode("utf-8", "surrogatepass")
                            await socket.send(frame_bytes, text=True)
                        else:
                            await socket.send(frame)
                        sent += 1
                        await asyncio.sleep(rng.choice([0, 0, 0.001, 0.01]))
                finally:
                    reader.cancel()
        except (websockets.ConnectionClosed, websockets.InvalidStatus, OSError):
            await asyncio.sleep(0.05)
    return sent


async def _drain(socket: Any, seen_ids: list[str]) -> None:
    with contextlib.suppress(websockets.ConnectionClosed):
        async for raw in socket:
            data = json.loads(raw)
            for message in data if isinstance(data, list) else [data]:
                for user in message.get("users", []):
                    if len(seen_ids) < 50:
                        seen_ids.append(user["clientId"])


# -- what the HTTP fuzzer sends -------------------------------------------------------------

PATHS = [
    "/api/pads", "/api/pads/{pad}", "/api/pads/{pad}/revisions", "/api/pads/{pad}/revisions/3",
    "/api/pads/{pad}/content", "/api/pads/{pad}/diff", "/api/pads/{pad}/restore",
    "/api/pads/{pad}/chat", "/api/pads/{pad}/users", "/api/pads/..%2f..%2fetc", "/healthz",
    "/readyz", "/metrics", "/api/openapi.json", "/static/client/../../pyproject.toml",
]  # fmt: skip
PARAMS = ["since", "limit", "rev", "from", "to", "format"]


async def http_fuzzer(base: str, rng: random.Random, deadline: float, statuses: list[int],
                      failures: list[str]) -> None:  # fmt: skip
    loop = asyncio.get_running_loop()
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        while loop.time() < deadline:
            path = rng.choice(PATHS).format(pad=rng.choice([*PADS, "nope", "x" * 150]))
            method = rng.choice(["GET", "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
            if method == "DELETE" and path.count("/") == 3:
                method = "GET"  # deleting the fuzzed pads would end the honest clients' run
            values = ["0", "1", "-1", "x", "99999999999999999999", "html", "markdown", "pdf"]
            params = {rng.choice(PARAMS): rng.choice(values)}
            body: Any = rng.choice([
                {"html": "<p onclick=x>hi</p><script>x</script>"}, {"markdown": "# h\n\n1. a"},
                {"text": "plain"}, {"rev": rng.choice([0, 1, -1, 2**40, "1", None])},
                {"id": rng.choice(["new-" + str(rng.random()), "../x", "", 5])},
                {"html": "<div>" * 20_000}, [], "str", None,
            ])  # fmt: skip
            content = json.dumps(body)
            if rng.random() < 0.2:
                content = mutate_string(rng, content)
            headers = {"content-type": rng.choice(["application/json", "text/plain", ""])}
            try:
                response = await client.request(
                    method, path, params=params, content=content.encode("utf-8", "surrogatepass"),
                    headers=headers,
                )  # fmt: skip
            except httpx.HTTPError as error:
                failures.append(f"{method} {path}: {error!r}")
                continue
            statuses.append(response.status_code)
            if response.status_code >= 500 and path != "/readyz":
                failures.append(f"{method} {path} {params} -> {response.status_code}")
            if path.startswith("/api/pads") and response.status_code not in (204, 405):
                with contextlib.suppress(ValueError):
                    response.json()
                    continue
                failures.append(f"{method} {path} -> not JSON: {response.text[:80]!r}")


# -- honest clients ----------------------------------------------------------------------------


async def honest_typing(client: PadClient, rng: random.Random, deadline: float) -> None:
    """Type and delete at random places (positions in UTF-16 units, never inside a pair)."""
    loop = asyncio.get_running_loop()
    while loop.time() < deadline:
        points = list(client.text)
        index = rng.randrange(len(points))  # before the final newline at the latest
        position = _units(points[:index])
        if rng.random() < 0.75 or len(points) < 3:
            await client.splice(position, 0, rng.choice(["a", "b", "c", " ", "\n", "é", "😀"]))
        else:
            removed = points[index : min(index + rng.randint(1, 3), len(points) - 1)]
            if removed:
                await client.splice(position, _units(removed), "")
        await asyncio.sleep(rng.uniform(0.02, 0.1))


def _units(points: list[str]) -> int:
    return sum(2 if ord(point) > 0xFFFF else 1 for point in points)


@pytest.mark.asyncio
async def test_a_minute_of_hostile_traffic(tmp_path: Path) -> None:
    server = ServerProcess(
        tmp_path,
        env={"POLICYPAD_COMMITS_PER_SECOND": "200", "POLICYPAD_JOIN_TIMEOUT_SECONDS": "2"},
    ).start()
    try:
        assert server.process is not None
        for pad in PADS:
            httpx.post(f"{server.http}/api/pads", json={"id": pad, "text": "start"})
        rng = random.Random(SEED)
        honest = {pad: [PadClient(server.ws, pad, f"h{n}") for n in range(HONEST_PER_PAD)]
                  for pad in PADS}  # fmt: skip
        for clients in honest.values():
            for client in clients:
                await client.connect()
        memory_at_start = rss(server.process.pid)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SECONDS
        seen_ids: list[str] = []
        statuses: list[int] = []
        failures: list[str] = []
        peak = [memory_at_start]

        async def watch_memory() -> None:
            while loop.time() < deadline:
                peak[0] = max(peak[0], rss(server.process.pid))
                await asyncio.sleep(0.5)

        results = await asyncio.gather(
            *(honest_typing(client, random.Random(rng.random()), deadline)
              for clients in honest.values() for client in clients),
            *(hostile_client(server.ws, PADS[n % len(PADS)], random.Random(rng.random()),
                             deadline, seen_ids) for n in range(HOSTILE_CLIENTS)),
            http_fuzzer(server.http, random.Random(rng.random()), deadline, statuses, failures),
            http_fuzzer(server.http, random.Random(rng.random()), deadline, statuses, failures),
            watch_memory(),
        )  # fmt: skip
        hostile_frames = sum(result for result in results if isinstance(result, int))
        print(f"fuzz seed {SEED}: {hostile_frames} hostile frames, {len(statuses)} requests, "
              f"peak RSS growth {(peak[0] - memory_at_start) / 1e6:.0f} MB")  # fmt: skip
        assert not failures, failures[:10]
        assert hostile_frames > 1000 and len(statuses) > 200
        assert peak[0] - memory_at_start < GROWTH_BYTES
        assert httpx.get(f"{server.http}/healthz").status_code == 200
        log = server.log.read_text()
        assert "Traceback" not in log, log[log.index("Traceback") - 300 :][:3000]

        finals: dict[str, str] = {}
        for pad, clients in honest.items():
            for client in clients:
                await client.wait_until(lambda c=client: c.idle, timeout_seconds=30)
            head = httpx.get(f"{server.http}/api/pads/{pad}").json()["rev"]
            for client in clients:
                await client.wait_until(lambda c=client, h=head: c.rev == h, timeout_seconds=30)
                unexpected = [m for m in client.errors if m["code"] != "rate_limited"]
                assert not unexpected, unexpected[:3]
            server_text = httpx.get(f"{server.http}/api/pads/{pad}/content?format=text").json()
            assert {client.text for client in clients} == {server_text["text"]}
            acked = {m["rev"] for c in clients for m in c.received if m["type"] == "ack"}
            assert acked and max(acked) <= head
            numbers = [r["rev"] for since in range(0, head + 1, 1000) for r in httpx.get(
                f"{server.http}/api/pads/{pad}/revisions?since={since}&limit=1000"
            ).json()["revisions"]]  # fmt: skip
            assert numbers == list(range(head + 1))
            finals[pad] = server_text["text"]
            for client in clients:
                await client.close()
        server.stop()
        server.start()
        for pad, text in finals.items():
            again = httpx.get(f"{server.http}/api/pads/{pad}/content?format=text").json()
            assert again["text"] == text
    finally:
        server.stop()
