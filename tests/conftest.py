from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from questionnaires import load
from questionnaires.loader import BUNDLED_DIR

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "questionnaires" / "examples" / "metodexempel.yaml"
EXAMPLE_ANSWERS = ROOT / "docs" / "examples" / "metodexempel-svar.json"
INSTRUMENT = BUNDLED_DIR / "regional-validering-1.yaml"


@pytest.fixture(scope="session")
def example():
    return load(EXAMPLE)


@pytest.fixture(scope="session")
def instrument():
    return load(INSTRUMENT)


@pytest.fixture(scope="session")
def example_data() -> dict:
    return yaml.safe_load(EXAMPLE.read_text("utf-8"))


@pytest.fixture
def definition(example_data):
    """A fresh, mutable copy of the worked-example definition."""
    return copy.deepcopy(example_data)


@pytest.fixture(scope="session")
def chromium():
    """The session's one Chromium (Playwright sync API; see tests/chromium.py)."""
    from tests.chromium import ARGS, CHROMIUM, need

    need(CHROMIUM.exists(), f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()
