"""Debian's Chromium, axe-core and the skip-or-fail rule for tests that need a real outside program.

Two sync Playwright instances cannot be open at once, so the browser is a single session fixture
(`chromium` in tests/conftest.py). In CI a missing Chromium or axe-core is a failure, not a skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("MOGNAD_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
ARGS = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def need(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests)")
    pytest.skip(reason)


def axe(page, tags: list[str] = WCAG_AA) -> list[dict]:
    """axe-core's violations for what `page` shows now."""
    need(AXE.exists(), f"axe-core is not installed at {AXE} (npm install --prefix .cache/node axe-core)")
    page.add_script_tag(content=AXE.read_text("utf-8"))
    return page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations)",
                         tags)
