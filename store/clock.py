"""The store's single source of "now": UTC, timezone-aware, and replaceable in tests (lockout windows)."""

from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
