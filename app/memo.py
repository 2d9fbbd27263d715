"""Results remembered per browser session until the data change (store.data_version).

A report is read and scored once and then reused while a person changes a radio button or downloads a
file; any save, submission, publication or new round anywhere moves the data version and the next run
builds it again. The memory is the session's own (never shared between people, so two callers who may see
different things never share an entry), keyed by everything the result depends on, and bounded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

import store

T = TypeVar("T")
KEY = "_memo"
ENTRIES = 8  # the few results a person moves between; the least recently used is dropped first


def remembered(db, who: store.Identity, name: str, args: tuple, build: Callable[[], T]) -> T:
    version = store.data_version(db, who)
    memo: dict = st.session_state.setdefault(KEY, {})
    key = (name, who.email, who.national_role, tuple(sorted(who.regions.items())), args)
    found = memo.get(key)
    if found is not None and found[0] == version:
        memo[key] = memo.pop(key)  # just used: dropped last (least recently used goes first)
        return found[1]
    value = build()
    memo.pop(key, None)
    memo[key] = (version, value)
    while len(memo) > ENTRIES:
        memo.pop(next(iter(memo)))
    return value
