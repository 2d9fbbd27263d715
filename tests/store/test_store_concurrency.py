"""Two tabs, two users, eight threads: nothing accepted is ever lost, everything refused is reported."""

from __future__ import annotations

import random
import threading
from collections import defaultdict

import store

WRITERS = 8
SAVES_EACH = 12
INDICATORS = ("D1.1", "D1.2", "D2.1")


def test_eight_writers_on_one_assessment(world):
    db, w = world
    sheets = [w.lead_sheet, w.own_sheet]
    seen = {(sheet, ind): rec.revision for rec in store.current_answers(db, w.admin, w.assessment)
            for sheet in sheets for ind in INDICATORS if (rec.respondent_id, rec.indicator) == (sheet, ind)}
    accepted: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)  # key → [(revision, value)]
    refused: list[tuple[int, str, int, store.Conflict]] = []
    failures: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(WRITERS)

    def writer(number: int) -> None:
        rng = random.Random(number)
        known = dict(seen)  # what this "tab" last saw
        try:
            start.wait()
            for _ in range(SAVES_EACH):
                key = (rng.choice(sheets), rng.choice(INDICATORS))
                value = rng.randint(0, 4)
                try:
                    revision = store.save_answer(db, w.lead, key[0], key[1], value, base_revision=known.get(key, 0))
                except store.Conflict as conflict:
                    with lock:
                        refused.append((*key, value, conflict))
                    known[key] = conflict.stored_revision  # the tab reloads what is stored
                    continue
                known[key] = revision
                with lock:
                    accepted[key].append((revision, value))
        except BaseException as error:  # any other failure is a bug: report it from the main thread
            failures.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert sum(len(v) for v in accepted.values()) + len(refused) == WRITERS * SAVES_EACH
    assert refused, "with eight writers on six answers, some saves must have been refused"
    for key, saves in accepted.items():
        history = store.answer_history(db, w.admin, *key)
        initial = seen.get(key, 0)
        # Every accepted save is in the history, exactly once, under the revision it was told.
        assert [(r.revision, r.value) for r in history if r.revision > initial] == sorted(saves)
        assert [r.revision for r in history] == list(range(1, len(history) + 1))
    for _sheet, _indicator, value, conflict in refused:
        assert conflict.attempted["value"] == value
        assert conflict.stored_revision >= 1
        assert conflict.attempted_revision != conflict.stored_revision


def test_concurrent_saves_without_base_revision_all_land(world):
    db, w = world
    results: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(WRITERS)

    def writer(number: int) -> None:
        start.wait()
        for step in range(5):
            revision = store.save_answer(db, w.lead, w.lead_sheet, "D2.2", (number + step) % 5)
            with lock:
                results.append(revision)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(results) == list(range(1, WRITERS * 5 + 1))
    assert len(store.answer_history(db, w.lead, w.lead_sheet, "D2.2")) == WRITERS * 5


def test_concurrent_plan_saves_one_wins_the_rest_conflict(world):
    from questionnaires.actionplan import PlanItem

    db, w = world
    outcomes: list[object] = []
    lock = threading.Lock()
    start = threading.Barrier(4)

    def editor(number: int) -> None:
        start.wait()
        try:
            version = store.save_plan(db, w.lead, w.assessment, [PlanItem(None, "D1", f"Åtgärd {number}")], base_version=0)
            outcome: object = version
        except store.Conflict as conflict:
            outcome = conflict
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=editor, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    wins = [o for o in outcomes if o == 1]
    assert len(wins) == 1 and len(outcomes) == 4
    assert all(isinstance(o, store.Conflict) for o in outcomes if o != 1)
    assert len(store.plan_items(db, w.lead, w.assessment)) == 1
