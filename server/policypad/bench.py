"""Benchmarks against a running server: `policypad bench load` and `policypad bench trace`.

Both talk to a server on this machine only (the URL must be a loopback address) and stop
by themselves; they print figures, then one JSON line with the same figures.

load
    K simulated authors on one pad over real WebSockets, each typing 5 characters per
    second for S seconds and committing at most every 500 ms (edits typed meanwhile are
    buffered into the next commit, as Etherpad's client does; one commit in flight per
    author). Each author types at its cursor, which starts at a random place and jumps
    to another random place before a keystroke with probability --jump (0.1 by default;
    1 puts every keystroke at an independent random place, so one commit touches
    several places of the document). Latency is measured from a commit being sent to its
    revision arriving at a few observer clients. To keep the load generator cheap, most
    authors are *light*: they read every message the server sends them but only parse
    their own acks, and build each commit on the latest text known to a silent tracker
    client. The observers run the full OT client (`BenchClient`): one commit in flight,
    later edits composed into a buffer, both transformed through incoming revisions.
    Server CPU and RSS come from /proc (the process listening on the port, or
    --server-pid). The generator turns its own garbage collector off while the authors
    type, so that its pauses are not counted as the server's latency.

trace
    One client pushes a recorded editing trace through the server in commits of ~100
    edits, each acknowledged before the next (a fast typist), then the document is
    rebuilt at random revisions with GET /api/pads/{id}/content?rev=N&format=atext.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from policypad.bench_common import (
    check_loopback,
    client_loop_factory,
)
from policypad.bench_history import print_history, run_history
from policypad.bench_load import print_load, run_load
from policypad.bench_trace import DEFAULT_TRACE, print_trace, run_trace

# -- the command line -------------------------------------------------------------------


def add_parser(commands: Any) -> None:
    """Add `bench load` and `bench trace` to the `policypad` command's subparsers."""
    bench = commands.add_parser("bench", help="benchmark a running server (127.0.0.1 only)")
    kinds = bench.add_subparsers(dest="bench", required=True)

    def common(parser: argparse.ArgumentParser, several: bool = False) -> None:
        if several:
            parser.add_argument(
                "--url", required=True, action="append",
                help="a server, http://127.0.0.1:PORT (again for each process: authors spread)",
            )  # fmt: skip
        else:
            parser.add_argument("--url", required=True, help="the server, http://127.0.0.1:PORT")
        parser.add_argument("--api-key", default=None, help="REST API key, if the server has one")
        parser.add_argument("--token", default=None, help="JWT for every client (pad '*')")
        parser.add_argument("--seed", type=int, default=1, help="random seed")

    load = kinds.add_parser("load", help="K authors typing into one pad")
    common(load, several=True)
    load.add_argument("--authors", type=int, default=50, help="simulated authors (K)")
    load.add_argument("--pads", type=int, default=1, help="pads the authors spread over")
    load.add_argument(
        "--route",
        choices=("author", "pad"),
        default="author",
        help="with several --url: authors spread over the processes whatever their pad "
        "(author), or all authors of a pad on one process (pad)",
    )
    load.add_argument("--seconds", type=float, default=20, help="how long they type")
    load.add_argument("--pad", default=None, help="an existing pad (default: a new one)")
    load.add_argument("--server-pid", type=int, default=None, help="default: the port's owner")
    load.add_argument("--observers", type=int, default=3, help="typing observers (full clients)")
    load.add_argument(
        "--generators", type=int, default=1,
        help="load-generator processes the light authors are dealt to (one event loop "
        "reading hundreds of sockets lags, and its lag counts as latency)",
    )  # fmt: skip
    load.add_argument("--cps", type=float, default=5, help="characters per second per author")
    load.add_argument("--commit-interval", type=float, default=0.5, help="seconds between commits")
    load.add_argument("--drain", type=float, default=30, help="seconds to wait for the last acks")
    load.add_argument("--no-compression", action="store_true", help="no permessage-deflate")
    load.add_argument(
        "--jump",
        type=float,
        default=0.1,
        help="chance that an author's cursor jumps to a random place before a keystroke "
        "(1: every keystroke at an independent random place)",
    )

    trace = kinds.add_parser("trace", help="push an editing trace, then rebuild old revisions")
    common(trace)
    trace.add_argument("--trace", default=DEFAULT_TRACE, help="trace file (.json.gz)")
    trace.add_argument("--limit", type=int, default=None, help="first N edits only")
    trace.add_argument("--batch", type=int, default=100, help="edits per commit")
    trace.add_argument("--samples", type=int, default=20, help="revisions to rebuild")
    trace.add_argument("--timeout", type=float, default=60, help="seconds to wait for one ack")

    from policypad import bench_import

    bench_import.add_parser(kinds, common)
    from policypad import bench_formats

    bench_formats.add_parser(kinds, common)
    history = kinds.add_parser("history", help="time the history API on a long pad")
    common(history)
    history.add_argument("--pad", required=True, help="a pad with a long history (bench trace)")
    history.add_argument("--samples", type=int, default=50, help="random revisions and pairs")


def main(args: argparse.Namespace) -> int:
    """Run `policypad bench load|trace`; returns the exit status."""
    try:
        for url in args.url if isinstance(args.url, list) else [args.url]:
            check_loopback(url)
    except ValueError as error:
        print(f"policypad bench: {error}", file=sys.stderr)
        return 2
    if args.bench == "load":
        if args.authors < 1 or args.seconds <= 0:
            print("policypad bench load: --authors >= 1 and --seconds > 0", file=sys.stderr)
            return 2
        budget = args.seconds + args.drain + 60 + args.authors * 0.2
        try:
            with asyncio.Runner(loop_factory=client_loop_factory()) as runner:
                result = runner.run(asyncio.wait_for(run_load(args), budget))
        except TimeoutError:
            print(f"policypad bench load: gave up after {budget:.0f} s", file=sys.stderr)
            return 1
        print_load(result)
    elif args.bench == "etherpad":
        from policypad import bench_import

        result = bench_import.run(args)
        bench_import.print_result(result)
    elif args.bench == "formats":
        from policypad import bench_formats

        result = bench_formats.run(args)
        bench_formats.print_result(result)
    elif args.bench == "history":
        result = run_history(args)
        print_history(result)
    else:
        result = asyncio.run(run_trace(args))
        print_trace(result)
    print(json.dumps(result))
    return 0 if result.get("converged", True) and result.get("text_matches", True) else 1
