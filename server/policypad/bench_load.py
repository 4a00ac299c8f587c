"""`policypad bench load`: K simulated authors on real WebSockets (see policypad.bench)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import random
import time
import uuid
from collections.abc import Callable
from typing import Any

from policypad.bench_clients import (
    BenchClient,
    LightAuthor,
    Timings,
    Tracker,
    type_full,
)
from policypad.bench_common import (
    ProcessStats,
    Rest,
    check_loopback,
    listening_pid,
    machine_busy_seconds,
    percentile,
    summary_ms,
)
from policypad.bench_generators import Worker, merge

# -- bench load -------------------------------------------------------------------------


async def gather_in_batches(factories: list[Callable[[], Any]], batch: int) -> None:
    for first in range(0, len(factories), batch):
        await asyncio.gather(*(factory() for factory in factories[first : first + batch]))


async def run_load(args: argparse.Namespace) -> dict[str, Any]:
    urls = list(args.url)
    ws_urls = []
    servers: list[ProcessStats] = []
    for url in urls:
        parts = check_loopback(url)
        ws_urls.append(f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}")
        pid = (
            args.server_pid
            if len(urls) == 1 and args.server_pid
            else (listening_pid(parts.port) if parts.port else None)
        )
        if pid:
            servers.append(ProcessStats(pid))
    if len(servers) != len(urls):
        print("a server process was not found (pass --server-pid): no CPU/RSS figures")
        servers = []
    rest = Rest(urls[0], args.api_key)
    rng = random.Random(args.seed)
    compression = None if args.no_compression else "deflate"
    pads = max(1, args.pads)
    if args.pad is not None and pads == 1:
        pad_ids = [args.pad]
    else:
        pad_ids = [f"bench-{uuid.uuid4().hex[:8]}" for _ in range(pads)]
        for pad_id in pad_ids:
            rest.create_pad(pad_id, "Benchmark pad.\n" + "A line of text to type into.\n" * 20)
    print(f"{len(pad_ids)} pad(s) on {', '.join(urls)}: {args.authors} authors, {args.seconds:g} s")
    rss_before = sum(server.memory_kb() for server in servers)

    timings = Timings()
    observers = min(args.observers, args.authors)
    # one tracker a pad (the text light authors build on), on the pad's first process
    trackers = [
        BenchClient(ws_urls[n % len(urls)], pad_id, timings, name="tracker", token=args.token,
                    observer=True, compression=compression)
        for n, pad_id in enumerate(pad_ids)
    ]  # fmt: skip
    await gather_in_batches([tracker.connect for tracker in trackers], 25)

    def process_of(n: int) -> str:
        """Author n's process: any (a load balancer spreading connections), or its pad's
        (one routing by the pad in the URL, so each pad is served by one process)."""
        return ws_urls[(n % len(pad_ids) if args.route == "pad" else n) % len(urls)]

    full = [
        # observers watch the first pad: with --route pad, on its process
        BenchClient(process_of(0 if args.route == "pad" else n), pad_ids[0], timings,
                    name=f"observer{n}", token=args.token, commit_interval=args.commit_interval,
                    observer=True, compression=compression)
        for n in range(observers)
    ]  # fmt: skip
    seeds = {n: rng.random() for n in range(observers, args.authors)}
    # light authors dealt round-robin to the generator processes (this one is the first)
    generators = max(1, args.generators)
    dealt: list[list[int]] = [[] for _ in range(generators)]
    for position, n in enumerate(seeds):
        dealt[position % generators].append(n)
    light = [
        LightAuthor(process_of(n), pad_ids[n % len(pad_ids)],
                    Tracker(trackers[n % len(pad_ids)]), timings, random.Random(seeds[n]),
                    token=args.token, compression=compression, jump=args.jump)
        for n in dealt[0]
    ]  # fmt: skip
    connect_started = time.perf_counter()
    workers = []
    for share in dealt[1:]:
        spec = {
            "token": args.token, "compression": compression, "jump": args.jump,
            "cps": args.cps, "commit_interval": args.commit_interval, "drain": args.drain,
            "trackers": {pad_id: ws_urls[n % len(urls)] for n, pad_id in enumerate(pad_ids)},
            "authors": [{"ws_url": process_of(n), "pad_id": pad_ids[n % len(pad_ids)],
                         "seed": seeds[n]} for n in share],
        }  # fmt: skip
        workers.append(await Worker.start(spec))
    # (should this process fail, a worker reads the end of its stdin and stops)
    await gather_in_batches([c.connect for c in full] + [a.connect for a in light], 25)
    await asyncio.gather(*(worker.ready() for worker in workers))
    connect_seconds = time.perf_counter() - connect_started
    await asyncio.sleep(1.0)  # let the user-joined storm settle
    rss_connected = sum(server.memory_kb() for server in servers)
    clients = args.authors + len(trackers) * generators
    print(f"connected {clients} clients in {connect_seconds:.1f} s"
          + (f" from {generators} processes" if generators > 1 else ""))  # fmt: skip

    lags: list[float] = []
    rss_peak = rss_connected
    stop_sampling = asyncio.Event()

    async def sample() -> None:
        nonlocal rss_peak
        while not stop_sampling.is_set():
            expected = time.perf_counter() + 0.05
            await asyncio.sleep(0.05)
            lags.append(max(0.0, time.perf_counter() - expected))
            if servers and len(lags) % 10 == 0:
                rss_peak = max(rss_peak, sum(server.memory_kb() for server in servers))

    start = time.perf_counter() + 0.2
    end = start + args.seconds
    timings.window = (start, end)
    for worker in workers:
        await worker.go(start, end)
    sampler = asyncio.create_task(sample())
    # The generator's own collector, not the server, would otherwise show in the figures:
    # with a few hundred clients it paused this event loop for 100 ms at a time, and the
    # messages that arrived meanwhile all seemed late. A few seconds' garbage is cheap.
    gc.collect()
    gc.freeze()
    gc.disable()
    cpu_servers_0 = [server.cpu_seconds() for server in servers]
    cpu_self_0 = time.process_time()
    busy_0 = machine_busy_seconds()
    wall_0 = time.perf_counter()
    typing = [
        asyncio.create_task(
            type_full(c, random.Random(rng.random()), start, end, args.cps, args.jump)
        )
        for c in full
    ] + [
        asyncio.create_task(a.type_until(start, end, args.cps, args.commit_interval)) for a in light
    ]
    try:
        await asyncio.gather(*typing)
    finally:
        gc.enable()
        gc.unfreeze()
    wall = time.perf_counter() - wall_0
    cpu_servers = [
        server.cpu_seconds() - before for server, before in zip(servers, cpu_servers_0, strict=True)
    ]
    cpu_self = time.process_time() - cpu_self_0
    busy = machine_busy_seconds() - busy_0
    stop_sampling.set()
    await sampler

    # drain: every commit acknowledged, every observer at the head, then compare texts
    drain_deadline = time.perf_counter() + args.drain
    for author in light:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                author.acked.wait(), max(0.01, drain_deadline - time.perf_counter())
            )
    for client in full:
        await client.wait_until(lambda c=client: c.idle, drain_deadline - time.perf_counter())
    converged = True
    heads = 0
    for pad_id, tracker in zip(pad_ids, trackers, strict=True):
        head = rest.call("GET", f"/api/pads/{pad_id}")["rev"]
        heads += head
        watchers = [tracker, *(full if pad_id == pad_ids[0] else [])]
        for client in watchers:
            await client.wait_until(
                lambda c=client, h=head: c.rev >= h, drain_deadline - time.perf_counter()
            )
        server_text = rest.call("GET", f"/api/pads/{pad_id}/content?format=text")["text"]
        for client in watchers:
            converged = converged and client.rev == head and client.text == server_text
    received = sum(a.received for a in light)
    await gather_in_batches([c.close for c in [*trackers, *full]] + [a.close for a in light], 100)
    arrivals = [arrival for author in light for arrival in author.arrivals]
    for worker in workers:
        measured = await worker.result()
        arrivals.extend(merge(timings, measured))
        received += measured["received"]
        cpu_self += measured["cpu_seconds"]

    latencies = _latencies(timings.arrivals, timings.rev_sent)
    at_every_author = _latencies(arrivals, timings.rev_sent)
    offered = args.authors * args.seconds / max(args.commit_interval, 1 / args.cps)
    result: dict[str, Any] = {
        "bench": "load",
        "urls": urls,
        "pads": len(pad_ids),
        "route": args.route,
        "pad": pad_ids[0],
        "authors": args.authors,
        "observers": observers + 1,
        "seconds": round(wall, 2),
        "compression": compression or "none",
        "jump": args.jump,
        "commits": timings.commits,
        "commits_per_second": round(timings.commits / args.seconds, 1),
        "offered_commits_per_second": round(offered / args.seconds, 1),
        "stored_percent_of_offered": round(100 * timings.commits / max(offered, 1), 1),
        "latency_ms": summary_ms(latencies),
        "latency_at_every_author_ms": summary_ms(at_every_author),
        "ack_ms": summary_ms(timings.ack),
        "head_rev": heads,
        "converged": converged,
        "errors": len(timings.errors),
        "error_codes": sorted({e.get("code", "?") for e in timings.errors}),
        "messages_to_light_authors_per_second": round(received / max(wall, 1e-9)),
        "connect_seconds": round(connect_seconds, 2),
        "client": {
            "processes": generators,
            "cpu_percent": round(100 * cpu_self / wall, 1),
            "loop_lag_ms_p95": round(percentile(lags, 0.95) * 1000, 1),
        },
        "machine": {
            "cores": os.cpu_count(),
            "busy_cpu_percent": round(100 * busy / wall, 1),
            # what neither the servers nor this generator used: other load skews the figures
            "others_cpu_percent": round(100 * (busy - cpu_self - sum(cpu_servers)) / wall, 1),
        },
    }
    if servers:
        result["server"] = {
            "pids": [server.pid for server in servers],
            "cpu_percent": round(100 * sum(cpu_servers) / wall, 1),
            "cpu_percent_each": [round(100 * cpu / wall, 1) for cpu in cpu_servers],
            "cpu_ms_per_stored_commit": round(1000 * sum(cpu_servers) / max(timings.commits, 1), 3),
            "rss_mb_before": round(rss_before / 1024, 1),
            "rss_mb_connected": round(rss_connected / 1024, 1),
            "rss_mb_peak": round(rss_peak / 1024, 1),
            "rss_kb_per_client": round((rss_connected - rss_before) / clients, 1),
        }
    return result


def _latencies(
    arrivals: list[tuple[str, int, float]], sent: dict[tuple[str, int], float]
) -> list[float]:
    return [arrived - sent[(pad, rev)] for pad, rev, arrived in arrivals if (pad, rev) in sent]


def print_load(result: dict[str, Any]) -> None:
    latency, every, ack = (
        result["latency_ms"],
        result["latency_at_every_author_ms"],
        result["ack_ms"],
    )
    lines = [
        f"commits: {result['commits']} in {result['seconds']} s = "
        f"{result['commits_per_second']} commits/s of {result['offered_commits_per_second']} "
        f"offered ({result['stored_percent_of_offered']}%); {result['pads']} pad(s), "
        f"{len(result['urls'])} process(es)",
        f"commit sent -> revision at observers: p50 {latency['p50']} ms, "
        f"p95 {latency['p95']} ms, p99 {latency['p99']} ms, max {latency['max']} ms "
        f"({latency['samples']} samples)",
        f"commit sent -> revision at every author: p50 {every['p50']} ms, "
        f"p95 {every['p95']} ms, p99 {every['p99']} ms, max {every['max']} ms "
        f"({every['samples']} samples)",
        f"commit sent -> ack at author: p50 {ack['p50']} ms, p95 {ack['p95']} ms, "
        f"p99 {ack['p99']} ms ({ack['samples']} samples)",
    ]
    if "server" in result:
        s = result["server"]
        lines.append(
            f"server pid(s) {s['pids']}: CPU {s['cpu_percent']}% {s['cpu_percent_each']}, "
            f"{s['cpu_ms_per_stored_commit']} ms per stored commit; RSS {s['rss_mb_before']} MB "
            f"before, {s['rss_mb_connected']} MB connected ({s['rss_kb_per_client']} KB per "
            f"client), peak {s['rss_mb_peak']} MB"
        )
    c = result["client"]
    m = result["machine"]
    lines.append(
        f"load generator ({c['processes']} process(es)): CPU {c['cpu_percent']}%, event-loop "
        f"lag p95 {c['loop_lag_ms_p95']} ms (the first); "
        f"machine ({m['cores']} cores) busy {m['busy_cpu_percent']}%, of which other "
        f"processes {m['others_cpu_percent']}%"
    )
    lines.append(
        f"converged: {result['converged']}; errors: {result['errors']} {result['error_codes']}"
    )
    print("\n".join(lines))
