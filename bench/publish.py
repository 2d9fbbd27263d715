"""Benchmark `mognad publish`: the open data of 21 regions × 10 published rounds, and its floor.

    .venv/bin/python bench/publish.py [--runs 5] [--respondents 5]

Builds a temporary SQLite database with the bundled instrument: 10 rounds, all 21 regions, synthetic answers
(tests/sample_data.py, never real results) imported, submitted, rounds closed and published. Then, interleaved
`--runs` times so that drift on a shared machine hits both alike:

- publish: `mognad publish --round <last> -o DIR` in-process (the command's whole work: read the store once,
  score, the store's group statistics, the tables, the data package with both CSV distributions, the
  DCAT-AP-SE catalogue in RDF/XML and Turtle, the atomic writes);
- floor: writing the same rows (every table, machine and Swedish CSV) with the csv module, nothing else.

Prints best and median of each, the ratio of the medians, the files' total size, and where publish spends
its time (one extra run, stage by stage). Aim: publish under 2 s.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

# Run as a script, this file's folder comes first on sys.path; the repository's root goes first instead, for
# the test data (tests/sample_data.py is not part of the product).
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

import store  # noqa: E402
from cli import main as mognad  # noqa: E402
from questionnaires import find, load_regions  # noqa: E402
from questionnaires.answers import DK_CODE, MISSING, NA_CODE, AnswersFile, RespondentAnswers  # noqa: E402
from store.database import Database  # noqa: E402
from tests.sample_data import synthetic_sheet  # noqa: E402

ROUNDS = [str(year) for year in range(2017, 2027)]
ENVIRONMENT = {
    "MOGNAD_PUBLISHER_NAME": "Valideringsmyndigheten (benchmark)",
    "MOGNAD_PUBLISHER_ORGNR": "2021001234",
    "MOGNAD_PUBLISHER_EMAIL": "oppnadata@example.org",
    "MOGNAD_PUBLISHER_URL": "https://data.example.org/mognad",
}


def build(url: str, respondents: int) -> None:
    """21 regions × 10 rounds, submitted, closed and published."""
    db = Database(url)
    db.upgrade()
    admin = store.system_identity("bench")
    q = find("regional-validering@1")
    sheet = synthetic_sheet(q, ROUNDS, respondents=respondents, seed=17)
    ids = [ind.id for ind in q.indicators]
    decode = {NA_CODE: "na", DK_CODE: "dk"}
    for label in ROUNDS:
        store.open_round(db, admin, label, q.ref)
        for region in load_regions():
            rows = sheet[(sheet["round"] == label) & (sheet["region"] == region.code)]
            people = []
            for row in rows.itertuples(index=False):
                values = dict(zip(ids, row[4:], strict=True))
                answers = {i: decode.get(v, int(v)) for i, v in values.items() if v != MISSING}
                people.append(RespondentAnswers(row.respondent, row.role, None, None, answers, {}, {}))
            store.import_answers(db, admin, AnswersFile(q.ref, region.code, label, tuple(people)))
    for assessment in store.list_assessments(db, admin):
        store.submit_assessment(db, admin, assessment.id)
    for label in ROUNDS:
        store.close_round(db, admin, label)
        store.publish_round(db, admin, label)
    db.dispose()


def publish(url: str, target: Path) -> float:
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        code = mognad(["publish", "--round", ROUNDS[-1], "-o", str(target), "--database", url])
    seconds = time.perf_counter() - start
    assert code == 0, code
    return seconds


def floor(tables: dict, target: Path) -> float:
    """The same rows, written with the csv module: machine (comma, point) and Swedish (semicolon, comma, BOM)."""
    start = time.perf_counter()
    target.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        header = list(frame.columns)
        rows = [["" if pd.isna(value) else value for value in row]
                for row in frame.astype(object).itertuples(index=False, name=None)]
        with open(target / f"{name}.csv", "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(rows)
        with open(target / f"{name}_sv.csv", "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out, delimiter=";")
            writer.writerow(header)
            writer.writerows([[str(v).replace(".", ",") if isinstance(v, float) else v for v in row] for row in rows])
    return time.perf_counter() - start


def stages(url: str) -> tuple[list[tuple[str, float]], dict]:
    """One publication, stage by stage, through the same functions the command calls."""
    from questionnaires.regions import load_regions as roster
    from reports.datapackage import PackagePart, RoundInfo, package_files, publication_tables
    from reports.dcat import catalogue, catalogue_files
    from service.publication import publisher_from_environment
    from service.reports import comparison_basis
    from store.comparison import K, group_statistics

    db = Database(url)
    who = store.system_identity("bench")
    spent = []

    def timed(label, fn):
        start = time.perf_counter()
        value = fn()
        spent.append((label, time.perf_counter() - start))
        return value

    publisher = publisher_from_environment(ENVIRONMENT)
    rounds = timed("list rounds", lambda: store.list_rounds(db, who))
    q = db.questionnaire(rounds[0].questionnaire)
    scores = timed("read and score (comparison_basis)", lambda: comparison_basis(db, who, q, ROUNDS)[0])
    stats = timed("group statistics (store's rule)", lambda: group_statistics(scores, q, roster(), K))
    info = [RoundInfo(r.label, r.questionnaire, r.opened_at, r.closed_at, r.published_at) for r in rounds]
    tables = timed("tables", lambda: publication_tables([PackagePart(q, scores, stats, tuple(ROUNDS))], roster(), info))
    timed("CSV files and datapackage.json",
          lambda: package_files(tables, publisher, rounds=ROUNDS, questionnaires=[q], created=rounds[-1].published_at))
    graph = timed("catalogue graph", lambda: catalogue(
        publisher, info, {q.ref: q.title}, nuts2={r.nuts2 for r in roster()}))
    timed("RDF/XML and Turtle", lambda: catalogue_files(graph))
    db.dispose()
    return spent, tables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--respondents", type=int, default=5)
    args = parser.parse_args()
    os.environ.update(ENVIRONMENT)
    os.environ.pop("MOGNAD_LICENSE", None)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        url = f"sqlite:///{root / 'bench.sqlite'}"
        start = time.perf_counter()
        build(url, args.respondents)
        print(f"setup: {len(load_regions())} regions × {len(ROUNDS)} rounds × {args.respondents} respondents, "
              f"imported, submitted and published in {time.perf_counter() - start:.1f} s")

        publish(url, root / "warm")  # imports, the questionnaire cache, the connection pool
        tables = stages(url)[1]  # the very tables publish writes, typed as it has them

        published, floors = [], []
        for n in range(args.runs):
            published.append(publish(url, root / f"publish-{n}"))
            floors.append(floor(tables, root / f"floor-{n}"))
        out = root / "publish-0"
        size = sum(p.stat().st_size for p in out.iterdir())
        rows = sum(len(frame) for frame in tables.values())
        print(f"output: {len(list(out.iterdir()))} files, {size / 1e6:.2f} MB ({rows} rows per distribution; "
              f"datapackage.json {(out / 'datapackage.json').stat().st_size / 1e3:.0f} kB, "
              f"catalog.rdf {(out / 'catalog.rdf').stat().st_size / 1e3:.0f} kB)")
        best, median = min(published), statistics.median(published)
        f_best, f_median = min(floors), statistics.median(floors)
        print(f"mognad publish (in-process, {args.runs} runs): best {best:.2f} s, median {median:.2f} s "
              f"(aim < 2 s)")
        print(f"floor (same rows with the csv module, same run): best {f_best:.3f} s, median {f_median:.3f} s; "
              f"ratio of medians {median / f_median:.1f}×")
        print("one publication, stage by stage:")
        for label, seconds in stages(url)[0]:
            print(f"  {label:<36} {seconds * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
