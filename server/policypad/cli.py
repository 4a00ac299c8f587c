"""The `policypad` command line."""

from __future__ import annotations

import argparse
import sys

from policypad import __version__


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the `policypad` command."""
    parser = argparse.ArgumentParser(prog="policypad", description=__doc__)
    parser.add_argument("--version", action="version", version=f"policypad {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the collaboration server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=9001)
    serve.add_argument("--db", default=None, help="database URL (default: SQLite file here)")
    serve.add_argument("--config", default=None, help="settings file")
    serve.add_argument("--insecure", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the `policypad` command; returns the process exit status."""
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        # The server lands with its own issue; the command exists so the README's promise holds.
        print("policypad serve: not yet implemented (the collaboration server is issue 4)")
        return 2
    return 1


if __name__ == "__main__":
    sys.exit(main())
