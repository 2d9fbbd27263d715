"""Rounds in the order people lived them, and the rounds a report looks back over."""

from __future__ import annotations

import store


def round_order(db, who) -> list[str]:
    """Every round label the identity may see, oldest first (the store lists them in opening order)."""
    return [r.label for r in store.list_rounds(db, who)]


def rounds_upto(db, who, label: str) -> tuple[str, list[str]]:
    """(questionnaire ref of round `label`, the rounds with that questionnaire up to `label`, oldest first).

    Change and trend compare like with like: rounds of another questionnaire version are left out.
    Raises store.NotFound for an unknown round.
    """
    known = store.list_rounds(db, who)
    chosen = next((r for r in known if r.label == label), None)
    if chosen is None:
        store.get_round(db, who, label)  # raises NotFound with the store's own message
    labels = [r.label for r in known if r.questionnaire == chosen.questionnaire]
    return chosen.questionnaire, labels[: labels.index(label) + 1]
