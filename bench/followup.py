"""Benchmark: the first render of a Fyll i sheet carrying last round's answers as proposals for all 46 indicators,
against the same page for an empty sheet (issue 17; aim: at most 1.3×).

Server-side time measured with Streamlit's AppTest (no browser): a new session signs in as the region's lead,
opens Fyll i on the sheet, and the page runs to the end — the first render a person waits for. Measured at the
first dimension (what opens) and summed over all ten dimensions (each opened in a new session). The store is a
fresh SQLite file: instrument version 1, round 2025 with one sheet answered on every indicator, round 2026 with
the same account's sheet started from it (46 proposals) and an empty sheet.

    .venv/bin/python bench/followup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

import store  # noqa: E402
from questionnaires.loader import BUNDLED_DIR, load  # noqa: E402

ENTRY = str(ROOT / "streamlit_app.py")
LEAD = "ledare@bench.invalid"


def build(path: Path) -> tuple[int, int, list[str]]:
    db = store.Database(f"sqlite:///{path}")
    db.upgrade()
    system = store.system_identity("bench")
    q = load(BUNDLED_DIR / "regional-validering-1.yaml")
    store.register_questionnaire(db, system, q)
    store.open_round(db, system, "2025", q.ref)
    store.create_user(db, system, LEAD, "Ledare", password="bench-lösenord-123", regions={"19": "lead"})
    lead = store.identity_for_email(db, LEAD)
    old = store.ensure_assessment(db, lead, "19", "2025").id
    before = store.add_respondent(db, lead, old, "Regionen", "region", user_email="partner@bench.invalid").id
    for n, ind in enumerate(q.indicators):
        store.save_answer(db, lead, before, ind.id, n % 5, comment=f"Belägg {ind.id} (fiktivt)")
    store.close_round(db, system, "2025")
    store.open_round(db, system, "2026", q.ref)
    new = store.ensure_assessment(db, lead, "19", "2026").id
    carried = store.add_respondent(db, lead, new, "Regionen", "region", user_email="partner@bench.invalid").id
    empty = store.add_respondent(db, lead, new, "Regionen (tomt)", "region").id
    made = store.carry_forward(db, lead, new, [carried])[carried]
    assert made == len(q.indicators) == 46, made
    db.dispose()
    return carried, empty, [d.id for d in q.dimensions]


def first_render(sheet: int, dimension: str) -> float:
    at = AppTest.from_file(ENTRY, default_timeout=120)
    at.session_state["lang"] = "sv"
    at.session_state["auth_email"] = LEAD
    at.session_state["auth_last_seen"] = time.time()
    at.session_state["chosen_region"] = "19"
    at.session_state["chosen_sheet"] = sheet
    at.session_state["chosen_dimension"] = dimension
    at.run()
    start = time.perf_counter()
    at.switch_page("app/views/fill.py").run()
    elapsed = time.perf_counter() - start
    assert not at.exception, [e.message for e in at.exception]
    return elapsed


def main() -> None:
    logging.disable(logging.WARNING)  # AppTest's "missing ScriptRunContext" chatter
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite"
        carried, empty, dimensions = build(path)
        os.environ["MOGNAD_DATABASE_URL"] = f"sqlite:///{path}"
        for sheet in (carried, empty):  # warm-up: imports, the questionnaire cache
            first_render(sheet, dimensions[0])
        first: dict[str, list[float]] = {"carried": [], "empty": []}
        every: dict[str, list[float]] = {"carried": [], "empty": []}
        sheets = {"carried": carried, "empty": empty}
        for run in range(args.runs):  # interleaved, so that drift in the machine hits both alike
            for name, sheet in sheets.items():
                first[name].append(first_render(sheet, dimensions[0]))
            if run % 5 == 0:
                for name, sheet in sheets.items():
                    every[name].append(sum(first_render(sheet, d) for d in dimensions))
        results = {name: (statistics.median(first[name]), statistics.median(every[name])) for name in sheets}
    (c1, c10), (e1, e10) = results["carried"], results["empty"]
    print("Fyll i, first render (AppTest, server side, median)")
    print(f"  first dimension:   46 proposals {c1 * 1000:7.1f} ms   empty sheet {e1 * 1000:7.1f} ms   ratio {c1 / e1:.2f}×")
    print(f"  all 10 dimensions: 46 proposals {c10 * 1000:7.1f} ms   empty sheet {e10 * 1000:7.1f} ms   ratio {c10 / e10:.2f}×")
    print(f"  aim ≤ 1.3×: {'met' if max(c1 / e1, c10 / e10) <= 1.3 else 'NOT met'}")


if __name__ == "__main__":
    main()
