"""Benchmark: the comparison and the national report at data scale (issue 15), and Jämförelse at 21 × 10.

    .venv/bin/python bench/scale.py [--runs 3] [--respondents 5,10,30] [--rounds 1,2,5,10]
                                    [--postgres URL|start] [--page-runs 15] [--no-page] [--page-only]
                                    [--profile] [--keep DIR]

`--postgres start` starts a throwaway cluster with run.py's start_postgres() and stops it afterwards; a URL is
used in a schema of its own (bench/store.py), dropped afterwards. `--keep DIR` keeps the SQLite files and reuses
them on the next run (with `--page-only`, Jämförelse is timed without building anything).

FICTIONAL data only: every database starts as the demo data set (`store.load_demo`, so the app shows its
banner), then gets 10 more rounds of the same instrument, labelled "Fiktiv 01" … "Fiktiv 10", with synthetic
answers (tests/sample_data.synthetic_sheet, never real results) for all 21 regions, imported through
`store.import_answers`, submitted, closed and published. One database per respondents-per-region figure;
"rounds R" means the comparison of the R-th bench round, which reads the bench rounds 1…R plus the demo's
two earlier rounds of the same instrument (2025, 2026: 2–5 respondents each), so the answer rows column is
the rows really read.

For each (rounds, respondents) point, as the national analyst, named, the p50 of `--runs` calls of:
- SQL: `store.answer_sheet` (the rows into the scoring frame) and `store.comparison_basis` (read + score +
  disclosure), the store's part;
- `service.reports.national_report` of the R-th round (read, score, model);
- the national HTML (`reports.national_html.render_national_html`) and workbook (`national_workbook`);
- floor, same run: the same answer rows fetched bare, `SELECT respondent_id, indicator, value` → tuples; and,
  for reference, a plain `SELECT region, round, respondent, indicator, value` into pandas (`read_sql`).
The table gives seconds and the cost per 1,000 answer rows; a flat ms/1k column down the grid means linear.

Then Jämförelse at 21 regions × 10 bench rounds × 30 respondents (`--no-page` skips it), server-side with
AppTest as bench/app.py does, as the national analyst: the first run after the data changed (a saved answer), and
a rerun after a radio change (peer group; both groupings seen once before), against bench/app.py's bare page with the same number of charts and tables.
Aim: rerun < 300 ms and ≤ 2× the bare page. `--profile` prints the rerun's cProfile (top 40 by cumulative
time, top 15 by own time).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

import pandas as pd  # noqa: E402
from sqlalchemy import select  # noqa: E402

import store  # noqa: E402
from questionnaires import load_regions  # noqa: E402
from questionnaires.answers import DK_CODE, MISSING, NA_CODE, AnswersFile, RespondentAnswers  # noqa: E402
from store.database import Database  # noqa: E402
from store.demo import demo_questionnaire  # noqa: E402
from tests.sample_data import synthetic_sheet  # noqa: E402

ROUNDS = [f"Fiktiv {n:02d}" for n in range(1, 11)]
ANALYST = "analytiker@demo.invalid"  # the demo's national analyst


def build(url: str, respondents: int) -> None:
    """The demo data, then 21 regions × 10 fictional rounds × `respondents`, submitted, closed and published."""
    db = Database(url)
    db.upgrade()
    store.load_demo(db)
    admin = store.system_identity("bench")
    q = demo_questionnaire()
    sheet = synthetic_sheet(q, ROUNDS, respondents=respondents, seed=15)
    ids = [ind.id for ind in q.indicators]
    decode = {NA_CODE: "na", DK_CODE: "dk"}
    for label in ROUNDS:
        store.open_round(db, admin, label, q.ref)
        of_round = sheet[sheet["round"] == label]
        for region in load_regions():
            people = []
            for row in of_round[of_round["region"] == region.code].itertuples(index=False):
                values = dict(zip(ids, row[4:], strict=True))
                answers = {i: decode.get(v, int(v)) for i, v in values.items() if v != MISSING}
                people.append(RespondentAnswers(row.respondent, row.role, None, None, answers, {}, {}))
            store.import_answers(db, admin, AnswersFile(q.ref, region.code, label, tuple(people)))
    for assessment in store.list_assessments(db, admin):
        if assessment.round in ROUNDS:
            store.submit_assessment(db, admin, assessment.id)
    for label in ROUNDS:
        store.close_round(db, admin, label)
        store.publish_round(db, admin, label)
    db.dispose()


def _answer_rows(q, labels: list[str], *columns):
    from store.schema import answers, assessments, respondents
    from store.schema import rounds as round_table

    return (select(*columns).join_from(answers, respondents).join(assessments)
            .join(round_table, assessments.c.round_id == round_table.c.id)
            .where(assessments.c.questionnaire_ref == q.ref, assessments.c.status.in_(store.access.SUBMITTED),
                   respondents.c.removed_at.is_(None), answers.c.value.is_not(None), round_table.c.label.in_(labels)))


def floor_fetch(db: Database, q, labels: list[str]) -> list:
    """The bare floor: the same answer rows (submitted, not removed, these rounds) fetched as (respondent,
    indicator, value) tuples, nothing else."""
    from store.schema import answers

    with db.reading() as conn:
        return conn.execute(_answer_rows(q, labels, answers.c.respondent_id, answers.c.indicator,
                                         answers.c.value)).all()


def floor_pandas(db: Database, q, labels: list[str]) -> pd.DataFrame:
    """A plain SELECT of the same rows with region, round and respondent into pandas (pandas.read_sql)."""
    from store.schema import answers, assessments, respondents
    from store.schema import rounds as round_table

    with db.reading() as conn:
        return pd.read_sql(_answer_rows(q, labels, assessments.c.region_code, round_table.c.label,
                                        respondents.c.key, answers.c.indicator, answers.c.value), conn)


def p50(fn, runs: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(runs):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def curve(url: str, respondents: int, rounds: list[int], runs: int) -> list[dict]:
    from reports.national_html import render_national_html
    from reports.national_workbook import national_workbook
    from service.reports import national_report
    from service.rounds import rounds_upto

    db = Database(url)
    q = demo_questionnaire()
    who = store.identity_for_email(db, ANALYST)
    national_report(db, who, ROUNDS[0], named=True)  # warm: imports, the questionnaire cache, the pool
    points = []
    for r in rounds:
        label = ROUNDS[r - 1]
        labels = rounds_upto(db, who, label)[1]
        floor, rows = p50(lambda labels=labels: floor_fetch(db, q, labels), runs)
        pandas_s, _ = p50(lambda labels=labels: floor_pandas(db, q, labels), runs)
        sheet_s, _ = p50(lambda labels=labels: store.answer_sheet(db, who, q.ref, rounds=labels), runs)
        basis_s, _ = p50(lambda labels=labels: store.comparison_basis(db, who, q.ref, rounds=labels), runs)
        report_s, report = p50(lambda label=label: national_report(db, who, label, named=True), runs)
        html_s, _ = p50(lambda report=report: render_national_html(report, "sv"), runs)
        book_s, _ = p50(lambda report=report: national_workbook(report, "sv"), runs)
        points.append({"rounds": r, "respondents": respondents, "read rounds": len(labels), "rows": len(rows),
                       "floor": floor, "read_sql": pandas_s, "answer_sheet": sheet_s, "comparison_basis": basis_s,
                       "national_report": report_s, "html": html_s, "workbook": book_s})
    db.dispose()
    return points


COLUMNS = ["floor", "read_sql", "answer_sheet", "comparison_basis", "national_report", "html", "workbook"]


def print_curve(points: list[dict], backend: str) -> None:
    print(f"\n== {backend}: seconds (p50) per point, then ms per 1,000 answer rows")
    head = f"{'rounds':>6} {'resp':>4} {'read':>4} {'answer rows':>11} | " + " ".join(f"{c:>16}" for c in COLUMNS)
    print(head)
    for p in sorted(points, key=lambda p: p["rows"]):
        print(f"{p['rounds']:>6} {p['respondents']:>4} {p['read rounds']:>4} {p['rows']:>11} | "
              + " ".join(f"{p[c]:>9.3f} s {1000 * p[c] / (p['rows'] / 1000):>4.1f}" for c in COLUMNS))
    print("  (each cell: seconds, then ms per 1,000 answer rows; 'read' = rounds read, the demo's two included)")
    print("  ratio to the floor (same run):")
    for p in sorted(points, key=lambda p: p["rows"]):
        print(f"{p['rounds']:>6} {p['respondents']:>4} {p['rows']:>11} | "
              + " ".join(f"{c} {p[c] / p['floor']:.1f}×" for c in COLUMNS[1:]))
    # linearity: the cost per row at the largest point against the smallest (1.0 = linear, < 1 = sublinear)
    small, large = min(points, key=lambda p: p["rows"]), max(points, key=lambda p: p["rows"])
    growth = large["rows"] / small["rows"]
    print(f"  growth of answer rows {growth:.1f}×; growth of cost: "
          + ", ".join(f"{c} {large[c] / small[c]:.1f}×" for c in COLUMNS))


# -- Jämförelse, server-side (AppTest), as bench/app.py times it ---------------------------------------------------

def page(url: str, runs: int, profile: bool) -> None:
    from streamlit.testing.v1 import AppTest

    from bench.app import BARE_COMPARE, percentiles, signed_in, timed

    os.environ["MOGNAD_DATABASE_URL"] = url
    db = Database(url)
    admin = store.system_identity("bench")
    at = signed_in(ANALYST)
    at.session_state["chosen_round"] = ROUNDS[-1]
    at.run()
    at.switch_page("app/views/compare.py").run()
    assert not at.exception, at.exception
    charts, tables = len(at.get("vega_lite_chart")), len(at.table)
    peer = at.radio(key="compare_peer_by")
    options = list(peer.options)

    def radio(app, i):
        app.radio(key="compare_peer_by").set_value(["size_group", "nuts2"][i % 2])

    for i in range(2):  # each peer grouping's first run builds its report: that is the first run, timed below
        radio(at, i + 1)
        at.run()
    reruns = timed(at, radio, runs)

    draft = next(a for a in store.list_assessments(db, admin) if a.round == "2026" and a.editable)
    sheet = store.list_respondents(db, admin, draft.id)[0]

    def data_changed(app, i):  # a save anywhere (here the demo's open round) moves store.data_version
        store.save_answer(db, admin, sheet.id, "D1.1", i % 5)

    firsts = timed(at, data_changed, max(3, runs // 3))
    bare = AppTest.from_string(BARE_COMPARE.format(charts=charts, tables=tables), default_timeout=60).run()
    bare_times = timed(bare, lambda app, i: app.radio[0].set_value(["a", "b"][i % 2]), runs)
    (rp50, rp95), (fp50, fp95), (bp50, bp95) = percentiles(reruns), percentiles(firsts), percentiles(bare_times)
    print(f"\n== Jämförelse, national analyst, 21 regions × {len(ROUNDS)} bench rounds (+2 demo), {charts} charts, "
          f"{tables} tables; radio options {options}")
    print(f"  rerun (radio)      p50 {rp50 * 1000:7.1f} ms  p95 {rp95 * 1000:7.1f} ms   ({runs} runs)")
    print(f"  first after change p50 {fp50 * 1000:7.1f} ms  p95 {fp95 * 1000:7.1f} ms   ({len(firsts)} runs)")
    print(f"  bare page          p50 {bp50 * 1000:7.1f} ms  p95 {bp95 * 1000:7.1f} ms")
    print(f"  ratio rerun/bare: p50 {rp50 / bp50:.2f}, p95 {rp95 / bp95:.2f} (aim ≤ 2 and rerun < 300 ms)")
    if profile:
        import threading

        profiler = cProfile.Profile()

        def start(frame, event, arg):  # AppTest runs the script in a thread of its own: profile that thread
            sys.setprofile(None)
            profiler.enable()

        for i in range(2):  # after the data changed above: build both peer groups' entries first
            radio(at, i)
            at.run()
        for i in range(6):
            radio(at, i)
            threading.setprofile(start)
            at.run()
            threading.setprofile(None)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
        print(out.getvalue())
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--respondents", default="5,10,30")
    parser.add_argument("--rounds", default="1,2,5,10")
    parser.add_argument("--postgres", default=None, help="also on PostgreSQL: a URL, or 'start' for a throwaway cluster")
    parser.add_argument("--page-runs", type=int, default=15)
    parser.add_argument("--no-page", action="store_true")
    parser.add_argument("--page-only", action="store_true", help="no curve: only Jämförelse (with --keep: fast)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--keep", default=None, help="a folder for the SQLite files, kept and reused when present")
    args = parser.parse_args()
    people = [int(n) for n in args.respondents.split(",")]
    rounds = [int(n) for n in args.rounds.split(",")]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; FICTIONAL data")
    with tempfile.TemporaryDirectory(prefix="mognad-scale-") as temporary:
        folder = args.keep or temporary
        backends = [("sqlite", lambda n: f"sqlite:///{folder}/scale-{n}.sqlite", None)]
        stop = None
        if args.postgres == "start":
            import run

            started = run.start_postgres()
            if started is None:
                sys.exit("PostgreSQL is not installed here")
            args.postgres, stop = started
        if args.postgres:
            from bench.store import postgres_in_own_schema

            backends.append(("postgresql", None, args.postgres))
        try:
            for backend, sqlite_url, pg in backends:
                points, largest = [], None
                for n in people:
                    url, cleanup = postgres_in_own_schema(pg) if pg else (sqlite_url(n), None)
                    try:
                        start = time.perf_counter()
                        if pg or not (args.keep and Path(folder, f"scale-{n}.sqlite").exists()):
                            build(url, n)
                        print(f"{backend}: built 21 regions × {len(ROUNDS)} rounds × {n} respondents in "
                              f"{time.perf_counter() - start:.1f} s (load {os.getloadavg()[0]:.2f})")
                        if not args.page_only:
                            points += curve(url, n, rounds, args.runs)
                    finally:
                        if cleanup:
                            cleanup()
                    if not pg and n == max(people):
                        largest = url
                if points:
                    print_curve(points, backend)
                if largest and not args.no_page:
                    page(largest, args.page_runs, args.profile)
        finally:
            if stop:
                stop()
    print(f"load at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
