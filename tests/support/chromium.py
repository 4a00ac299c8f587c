"""How the browser tests and the browser benchmark start Debian's Chromium with Playwright
(browsers cannot be downloaded here: Playwright drives the system's chromium)."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("POLICYPAD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
