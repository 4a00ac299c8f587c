"""The `policypad` command line: `policypad serve`, `token`, `import-etherpad`, `import`,
`export`, `bench load|trace|etherpad|history|formats`."""

from __future__ import annotations

import argparse
import gc
import sys

from policypad import __version__


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the `policypad` command."""
    parser = argparse.ArgumentParser(prog="policypad", description="PolicyPad collaboration server")
    parser.add_argument("--version", action="version", version=f"policypad {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the collaboration server")
    serve.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default 9001)")
    serve.add_argument("--db", default=None, help="database URL (default: SQLite file here)")
    serve.add_argument("--config", default=None, help="settings file (TOML)")
    serve.add_argument(
        "--redis", default=None, help="redis://host:port: share pads with other processes"
    )
    serve.add_argument(
        "--insecure", action="store_true", default=None, help="allow running open on a public host"
    )
    token = commands.add_parser("token", help="print a token (JWT) for a user of a pad")
    token.add_argument("--sub", required=True, help="the user's id in your application")
    token.add_argument("--name", default=None, help="the name others see")
    token.add_argument("--pad", default="*", help="a pad id, or * for every pad")
    token.add_argument("--perm", choices=["edit", "read"], default="edit")
    token.add_argument("--ttl", type=float, default=3600, help="seconds it stays valid")
    token.add_argument("--create", action="store_true", help="its first join may create the pad")
    token.add_argument("--config", default=None, help="settings file with the secret (TOML)")
    pull = commands.add_parser(
        "import-etherpad", help="copy pads with their history from a running Etherpad"
    )
    pull.add_argument("--url", required=True, help="the Etherpad, e.g. http://localhost:9001")
    pull.add_argument("--apikey", required=True, help="Etherpad's API key (APIKEY.txt)")
    pull.add_argument("--pads", default=None, help="comma-separated pad ids (default: all)")
    pull.add_argument("--to", default="http://127.0.0.1:9001", help="the PolicyPad server")
    pull.add_argument("--api-key", default=None, help="PolicyPad's API key (or POLICYPAD_API_KEY)")
    files = commands.add_parser(
        "import", help="create pads from DOCX and ODT files (a running server, over REST)"
    )
    files.add_argument("files", nargs="+", help="the files; each pad is named after its file")
    files.add_argument("--to", default="http://127.0.0.1:9001", help="the PolicyPad server")
    files.add_argument("--api-key", default=None, help="PolicyPad's API key (or POLICYPAD_API_KEY)")
    files.add_argument(
        "--replace", action="store_true", help="write a file into its pad if the pad exists"
    )
    export = commands.add_parser(
        "export", help="write pads as DOCX, ODT, PDF, HTML, Markdown or text files"
    )
    export.add_argument(
        "--format", default="docx", choices=["docx", "odt", "pdf", "html", "md", "txt"]
    )
    export.add_argument("--out", required=True, help="the folder to write into")
    export.add_argument("--rev", type=int, default=None, help="this revision (default: head)")
    export.add_argument("--pads", default=None, help="comma-separated pad ids (default: all)")
    export.add_argument("--from", dest="source", default="http://127.0.0.1:9001",
                        help="the PolicyPad server")  # fmt: skip
    export.add_argument("--api-key", default=None, help="PolicyPad's key (or POLICYPAD_API_KEY)")
    from policypad import bench

    bench.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the `policypad` command; returns the process exit status."""
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    if args.command == "token":
        return print_token(args)
    if args.command == "import-etherpad":
        return import_etherpad(args)
    if args.command in ("import", "export"):
        return transfer_files(args)
    if args.command == "bench":
        from policypad import bench

        return bench.main(args)
    return 1


def check_database(url: str) -> str | None:
    """None if the server can use the database at `url`; else one line saying why not
    (driver missing, host unreachable, file not writable, URL malformed)."""
    import asyncio

    from policypad.storage.store import probe_database

    try:
        asyncio.run(probe_database(url))
    except Exception as error:  # every failure is the operator's to read, in one line
        return describe_database_error(url, error)
    return None


def describe_database_error(url: str, error: Exception) -> str:
    """One line for why the database at `url` cannot be used."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return f"--db {url!r} is not a database URL (e.g. sqlite+aiosqlite:///pads.sqlite3)"
    cause = getattr(error, "orig", None) or error
    if isinstance(error, NoSuchModuleError | ModuleNotFoundError):
        return f"no driver for {shown}: {cause} (install that driver)"
    message = str(cause).splitlines()[0] if str(cause) else type(cause).__name__
    if "unable to open database file" in message or "readonly" in message:
        return f"cannot write the SQLite file of {shown}: {message} (check the path and rights)"
    return f"cannot use the database {shown}: {message}"


GC_THRESHOLDS = (20_000, 20, 100)
"""Allocations before a young collection, young collections before a middle one, middle
ones before a full one (Python's defaults: 700, 10, 10)."""


def tune_garbage_collector() -> None:
    """Keep the cyclic garbage collector from pausing the event loop for long.

    With Python's defaults, a server with 200 clients on a busy pad ran a full
    collection every 2 seconds, each pausing every pad for 100 to 300 ms (the p95
    latency of the whole pad). What is loaded at start lives as long as the process, so
    it is frozen out of every collection; young collections run 30 times less often,
    and full ones only after 100 middle ones.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def import_etherpad(args: argparse.Namespace) -> int:
    """Copy pads from Etherpad into PolicyPad (see policypad.etherpad_pull)."""
    import os

    from policypad.etherpad_pull import PullError, pull

    pads = [pad for pad in (args.pads or "").split(",") if pad] or None
    api_key = args.api_key or os.environ.get("POLICYPAD_API_KEY")
    try:
        counts = pull(args.url, args.apikey, args.to, api_key, pads)
    except PullError as error:
        print(f"policypad import-etherpad: {error}", file=sys.stderr)
        return 2
    return 1 if counts["failed"] else 0


def transfer_files(args: argparse.Namespace) -> int:
    """`policypad import` and `policypad export` (see policypad.file_transfer); exits 1 if
    any file failed, 2 if it could not start."""
    import os
    from pathlib import Path

    from policypad.etherpad_pull import PullError
    from policypad.file_transfer import export_pads, import_files

    api_key = args.api_key or os.environ.get("POLICYPAD_API_KEY")
    try:
        if args.command == "import":
            files = [Path(name) for name in args.files]
            counts = import_files(args.to, api_key, files, replace=args.replace)
        else:
            pads = [pad for pad in (args.pads or "").split(",") if pad] or None
            counts = export_pads(
                args.source, api_key, args.format, Path(args.out), pads=pads, rev=args.rev
            )
    except (PullError, OSError) as error:
        print(f"policypad {args.command}: {error}", file=sys.stderr)
        return 2
    return 1 if counts["failed"] else 0


def print_token(args: argparse.Namespace) -> int:
    """Print a token signed with the configured POLICYPAD_SECRET."""
    from policypad.settings import load_settings
    from policypad.tokens import mint

    try:
        settings = load_settings(args.config)
        if not settings.secret:
            raise ValueError("no POLICYPAD_SECRET (environment or --config) to sign with")
        print(
            mint(
                settings.secret,
                args.sub,
                pad=args.pad,
                perm=args.perm,
                name=args.name,
                ttl_seconds=args.ttl,
                create=args.create,
            )
        )
    except (ValueError, OSError) as error:
        print(f"policypad token: {error}", file=sys.stderr)
        return 2
    return 0


def serve(args: argparse.Namespace) -> int:
    """Start the server in the foreground until interrupted."""
    from policypad.logs import configure_logging
    from policypad.settings import load_settings
    from policypad.web import create_app
    from policypad.web.server import run

    try:
        settings = load_settings(
            args.config,
            host=args.host,
            port=args.port,
            db=args.db,
            insecure=args.insecure,
            redis=args.redis,
        )
        settings.check()
        problem = check_database(settings.db)
        if problem is not None:
            raise ValueError(problem)
    except (ValueError, OSError) as error:
        print(f"policypad serve: {error}", file=sys.stderr)
        return 2
    configure_logging(settings.log_format)
    app = create_app(settings)
    tune_garbage_collector()
    run(app, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
