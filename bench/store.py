"""Benchmark the store: autosave latency, sign-in latency, loading the national comparison, backup and restore.

    .venv/bin/python bench/store.py [--saves 400] [--signins 40] [--postgres URL]

SQLite always (a temporary file); PostgreSQL too when --postgres or MOGNAD_TEST_POSTGRES_URL gives a URL.
On PostgreSQL everything happens in a schema of its own (mognad_bench), dropped afterwards, so the
benchmark never touches other data in that database.

Figures:
- autosave: one answer per call through store.save_answer with a base revision (what the app does on
  every click), p50/p95/p99 over --saves calls;
- sign-in: store.authenticate with the right password at production argon2 cost (the atomic lockout: a
  read, the argon2 verification, then one writing transaction holding the account's row), p50/p95 over
  --signins calls, against a floor measured in the same run and interleaved with it: a bare argon2 verify
  of the same hash. The ratio says what the lockout's bookkeeping costs on top of the hashing;
- national comparison: 21 regions × 10 rounds × 5 respondents × every indicator of the bundled instrument,
  loaded with import_answers and submitted, then read into the scoring frame by store.answer_sheet as
  the national analyst sees it (best and median of 5);
- backup and restore of that database (and whether backup → restore → backup is byte-identical).
Aims: p95 save < 20 ms on SQLite; comparison load < 200 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would shadow the package.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

from sqlalchemy.engine import make_url  # noqa: E402

import store  # noqa: E402
from questionnaires import load_regions  # noqa: E402
from questionnaires.answers import AnswersFile, RespondentAnswers  # noqa: E402
from scoring import score  # noqa: E402
from store.database import Database  # noqa: E402
from store.demo import demo_questionnaire  # noqa: E402

ROUNDS = [str(year) for year in range(2017, 2027)]
RESPONDENTS = 5
BENCH_SCHEMA = "mognad_bench"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def autosave(db: Database, q, saves: int) -> list[float]:
    admin = store.system_identity("bench")
    store.open_round(db, admin, "autosave", q.ref)
    assessment = store.ensure_assessment(db, admin, "19", "autosave")
    roles = [role.id for role in q.roles]
    sheets = [store.add_respondent(db, admin, assessment.id, f"Respondent {n}", roles[n % len(roles)])
              for n in range(RESPONDENTS)]
    rng = random.Random(7)
    revisions: dict[tuple[int, str], int] = {}
    latencies = []
    for _ in range(saves):
        sheet = rng.choice(sheets)
        indicator = rng.choice([ind.id for ind in q.indicators if ind.applies_to(sheet.role)])
        key = (sheet.id, indicator)
        value = rng.choice([0, 1, 2, 3, 4, "na", "dk"])
        start = time.perf_counter()
        revisions[key] = store.save_answer(db, admin, sheet.id, indicator, value, comment="",
                                           base_revision=revisions.get(key, 0))
        latencies.append(time.perf_counter() - start)
    return latencies


def sign_ins(db: Database, count: int) -> tuple[list[float], list[float]]:
    """(seconds per sign-in, seconds per bare argon2 verify of the same hash), interleaved so drift hits both."""
    from sqlalchemy import select

    from store import auth
    from store.schema import users

    email, password = "inloggning@bench.invalid", "bench-lösenord-1234"
    store.create_user(db, store.system_identity("bench"), email, "Inloggning", password=password)
    with db.reading() as conn:
        stored = conn.execute(select(users.c.password_hash).where(users.c.email == email)).scalar_one()
    store.authenticate(db, email, password)  # warm: connection pool, argon2 memory
    signing, floor = [], []
    for _ in range(count):
        signing.append(timed(lambda: store.authenticate(db, email, password)))
        floor.append(timed(lambda: auth.HASHER.verify(stored, password)))
    return signing, floor


def national(db: Database, q) -> tuple[float, float]:
    """Load the national comparison data; returns (seconds to import, seconds to submit)."""
    admin = store.system_identity("bench")
    rng = random.Random(11)
    roles = [role.id for role in q.roles]
    files = []
    for label in ROUNDS:
        store.open_round(db, admin, label, q.ref)
        for region in load_regions():
            people = []
            for n in range(RESPONDENTS):
                role = "region" if n == 0 else rng.choice(roles)
                level = rng.uniform(0.5, 3.5)
                answers = {ind.id: (rng.choice(["na", "dk"]) if rng.random() < 0.08
                                    else max(0, min(4, round(level + rng.gauss(0, 0.7)))))
                           for ind in q.indicators if ind.applies_to(role)}
                comments = {ind: "Belägg finns i protokoll." for ind in list(answers)[:2]}
                people.append(RespondentAnswers(f"r{n + 1}", role, f"Respondent {n + 1}", None, answers, comments, {}))
            files.append(AnswersFile(q.ref, region.code, label, tuple(people)))
    import_seconds = timed(lambda: [store.import_answers(db, admin, data) for data in files])
    assessments = store.list_assessments(db, admin)
    submit_seconds = timed(lambda: [store.submit_assessment(db, admin, a.id) for a in assessments
                                    if a.round in ROUNDS])
    return import_seconds, submit_seconds


def run(label: str, url: str, q, saves: int, signins: int, folder: Path) -> None:
    db = Database(url)
    db.upgrade()
    print(f"\n== {label}: {db.display_url}")
    latencies = autosave(db, q, saves)
    ms = [value * 1000 for value in latencies]
    print(f"autosave, {saves} single-answer saves: p50 {percentile(ms, 0.5):.2f} ms, p95 {percentile(ms, 0.95):.2f} ms, "
          f"p99 {percentile(ms, 0.99):.2f} ms, mean {statistics.mean(ms):.2f} ms")

    if signins:
        signing, floor = sign_ins(db, signins)
        s_ms, f_ms = [v * 1000 for v in signing], [v * 1000 for v in floor]
        print(f"sign-in (atomic lockout), {signins} right-password sign-ins: p50 {percentile(s_ms, 0.5):.1f} ms, "
              f"p95 {percentile(s_ms, 0.95):.1f} ms; floor (bare argon2 verify, same run): p50 "
              f"{percentile(f_ms, 0.5):.1f} ms, p95 {percentile(f_ms, 0.95):.1f} ms; ratio p50 "
              f"{percentile(s_ms, 0.5) / percentile(f_ms, 0.5):.2f}×, p95 {percentile(s_ms, 0.95) / percentile(f_ms, 0.95):.2f}×, "
              f"overhead p50 {percentile(s_ms, 0.5) - percentile(f_ms, 0.5):.1f} ms")

    import_seconds, submit_seconds = national(db, q)
    cells = len(load_regions()) * len(ROUNDS) * RESPONDENTS * len(q.indicators)
    print(f"national data: {len(load_regions())} regions × {len(ROUNDS)} rounds × {RESPONDENTS} respondents × "
          f"{len(q.indicators)} indicators (≤ {cells} answers): import {import_seconds:.2f} s, "
          f"submit {submit_seconds:.2f} s")
    store.create_user(db, store.system_identity("bench"), "analytiker@bench.invalid", "Analytiker",
                      national_role="analyst")
    analyst = store.identity_for_email(db, "analytiker@bench.invalid")
    loads, sheet = [], None
    for _ in range(5):
        start = time.perf_counter()
        sheet, comments = store.answer_sheet(db, analyst, q.ref, rounds=ROUNDS)
        loads.append(time.perf_counter() - start)
    scoring = timed(lambda: score(sheet, q))
    print(f"comparison load (answer_sheet, analyst): best {min(loads) * 1000:.0f} ms, median "
          f"{statistics.median(loads) * 1000:.0f} ms for {len(sheet)} respondents × {len(q.indicators)} indicators "
          f"({int((sheet.iloc[:, 4:] != 255).to_numpy().sum())} answers, {len(comments)} comments); "
          f"scoring it: {scoring * 1000:.0f} ms")

    # Issue 9: what a regional lead reads before publication — named scores of the own region and the store's
    # group statistics of the others — against the floor of reading and scoring the same sheet.
    store.create_user(db, store.system_identity("bench"), "ledare@bench.invalid", "Ledare", regions={"19": "lead"})
    lead = store.identity_for_email(db, "ledare@bench.invalid")
    regional = []
    for _ in range(5):
        start = time.perf_counter()
        store.comparison_basis(db, lead, q.ref, rounds=ROUNDS)
        regional.append(time.perf_counter() - start)
    floor = min(loads) + scoring
    print(f"comparison read (comparison_basis, regional lead, aggregates only): best {min(regional) * 1000:.0f} ms, "
          f"median {statistics.median(regional) * 1000:.0f} ms; floor (analyst's read + one scoring) "
          f"{floor * 1000:.0f} ms, ratio {min(regional) / floor:.2f}×")

    first, second = folder / f"{label}-1.json", folder / f"{label}-2.json"
    summary = None

    def do_backup():
        nonlocal summary
        summary = store.backup(db, first)

    backup_seconds = timed(do_backup)
    restore_seconds = timed(lambda: store.restore(db, first, force=True))
    store.backup(db, second)
    print(f"backup: {backup_seconds:.2f} s ({summary.bytes / 1e6:.1f} MB, {sum(summary.rows.values())} rows); "
          f"restore: {restore_seconds:.2f} s; backup → restore → backup identical: "
          f"{first.read_bytes() == second.read_bytes()}")
    db.dispose()


def postgres_in_own_schema(url: str):
    """(url using the bench schema, cleanup): the benchmark's tables live and die in a schema of their own."""
    base = Database(url)
    with base.writing() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {BENCH_SCHEMA} CASCADE")
        conn.exec_driver_sql(f"CREATE SCHEMA {BENCH_SCHEMA}")

    def cleanup():
        with base.writing() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {BENCH_SCHEMA} CASCADE")
        base.dispose()

    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={BENCH_SCHEMA}"})
    return scoped.render_as_string(hide_password=False), cleanup


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=400)
    parser.add_argument("--signins", type=int, default=40)
    parser.add_argument("--postgres", default=os.environ.get("MOGNAD_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    q = demo_questionnaire()
    print(f"instrument {q.ref}: {len(q.indicators)} indicators; python {sys.version.split()[0]}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="mognad-bench-") as folder:
        run("sqlite", f"sqlite:///{Path(folder) / 'bench.sqlite'}", q, args.saves, args.signins, Path(folder))
        if args.postgres:
            url, cleanup = postgres_in_own_schema(args.postgres)
            try:
                run("postgresql", url, q, args.saves, args.signins, Path(folder))
            finally:
                cleanup()
        else:
            print("\n(PostgreSQL skipped: give --postgres URL or set MOGNAD_TEST_POSTGRES_URL)")


if __name__ == "__main__":
    main()
