"""The build backend: setuptools, whose wheels also carry the browser client, so that
`pip install policypad` serves it.

(An in-tree backend, so that setuptools finds `BuildWithClient` in this folder when pip
builds in an isolated environment; everything else is setuptools.build_meta.)

Copies into the package, under ``policypad/static/``: the client's ES modules (with
diff-match-patch wrapped as one), the adapters, the classic-script bundles and the demo
pages, all built by ``npm run build``, which runs here if its output is missing. An
editable install (``pip install -e .``) copies nothing: it serves the checkout itself.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from setuptools.build_meta import *  # noqa: F403 (the PEP 517 hooks themselves)
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
COPIED = ("client", "adapters", "demo")
"""Folders served under /static/ (client/ holds the ES modules, vendor/ and dist/)."""
BUILT = (ROOT / "client" / "dist", ROOT / "client" / "js" / "vendor" / "diff-match-patch.js")


class BuildWithClient(build_py):
    """build_py, plus the browser files in ``policypad/static/``."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        if not all(path.exists() for path in BUILT):
            self._build_client()
        target = Path(self.build_lib) / "policypad" / "static"
        shutil.rmtree(target, ignore_errors=True)
        for folder in COPIED:
            shutil.copytree(
                ROOT / folder, target / folder,
                ignore=shutil.ignore_patterns("*.map", "README.md", "__pycache__"),
            )  # fmt: skip

    def _build_client(self) -> None:
        try:
            subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
            subprocess.run(["npm", "run", "--silent", "build"], cwd=ROOT, check=True)
        except (OSError, subprocess.CalledProcessError) as error:
            raise RuntimeError(
                "building the wheel needs the browser client: run `npm install && npm run "
                f"build` first (Node.js 20), or have npm on PATH ({error})"
            ) from error
