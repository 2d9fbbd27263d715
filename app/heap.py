"""Keep Streamlit's collection after every run cheap: freeze the long-lived heap once per process.

Streamlit runs a full garbage collection after every script run (`runner.postScriptGC`). With pandas,
SQLAlchemy, Altair, Jinja2 and the instrument loaded that is ~230,000 long-lived objects, ~120 ms per run
holding the GIL for every session — most of the server's time once 15–20 people answer at once.
`gc.freeze()` moves everything alive after the imports into a permanent generation the collector skips;
what sessions allocate later is still collected after each run, so memory stays bounded.
"""

from __future__ import annotations

import gc
import importlib
import threading

# What the pages import on their first run: imported here first so that their objects are frozen too.
LONG_LIVED = ("pandas", "numpy", "altair", "sqlalchemy", "jinja2", "openpyxl", "service.reports",
              "service.answers", "service.opendata", "service.progress", "reports.charts", "reports.region_html",
              "reports.national_html", "reports.planbook", "reports.planbook_reader", "reports.offline",
              "reports.national_workbook", "scoring", "store")

_lock = threading.Lock()
_frozen = False


def settle(warm=None) -> bool:
    """Import the long-lived modules, run `warm` (e.g. load the questionnaire), collect once and freeze.

    Only the first call in a process does anything; returns whether this call froze the heap."""
    global _frozen
    if _frozen:
        return False
    with _lock:
        if _frozen:
            return False
        for name in LONG_LIVED:
            importlib.import_module(name)
        store = importlib.import_module("store")
        for name in store.__all__:  # store loads its modules on first use (a fast CLI): load them all now
            getattr(store, name)
        if warm is not None:
            warm()
        gc.collect()
        gc.freeze()
        _frozen = True
        return True
