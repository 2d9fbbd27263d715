"""Benchmark: render the reports and read plan workbooks back, for all 21 regions of the bundled instrument.

Synthetic answers (tests/sample_data.py: 5 respondents per region and round, two rounds) are scored once; then
every region's HTML report and action-plan workbook, the national HTML report and workbook, and reading
21 edited-free plan workbooks back are timed. vl-convert starts its JavaScript engine on the first chart of a
process (0.5–1 s) and Jinja compiles the templates on first use; both are timed separately and left out of the
per-report figures.

    .venv/bin/python bench/reports.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would shadow the package; the
# repository's root goes first instead, for the test data (tests/sample_data.py is not part of the product).
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from questionnaires import find, load_regions  # noqa: E402
from questionnaires.actionplan import PlanItem  # noqa: E402
from reports.model import national_report, plan_items, region_report  # noqa: E402
from reports.national_html import render_national_html  # noqa: E402
from reports.national_workbook import national_workbook  # noqa: E402
from reports.opendata import open_data, open_data_workbook, to_csv  # noqa: E402
from reports.planbook import plan_workbook  # noqa: E402
from reports.planbook_reader import read_plan_workbook  # noqa: E402
from reports.region_html import render_region_html  # noqa: E402
from reports.svg import to_svg  # noqa: E402
from scoring import score  # noqa: E402
from tests.sample_data import synthetic_sheet  # noqa: E402

ROUNDS = ["2024", "2025"]
AIM = {"region": 0.5, "national": 3.0}


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3, help="runs of the national figures (best is shown)")
    args = parser.parse_args()
    q = find("regional-validering@1")
    codes = [r.code for r in load_regions()]

    seconds, sheet = timed(synthetic_sheet, q, ROUNDS)
    seconds_score, scores = timed(score, sheet, q)
    print(f"data: {len(sheet)} respondents × {len(q.indicators)} indicators, {len(codes)} regions, "
          f"{len(ROUNDS)} rounds (made in {seconds:.2f} s, scored in {seconds_score:.3f} s)")

    first = region_report(scores, q, codes[0], ROUNDS[-1], sheet=sheet, rounds=ROUNDS)
    from reports import charts

    warm, _ = timed(to_svg, charts.profile_chart(first.comparison, q, "sv", "x")[0])
    first_html, _ = timed(render_region_html, first, "sv")
    first_xlsx, _ = timed(plan_workbook, first, "sv")
    print(f"once per process: vl-convert start {warm:.2f} s; then the first HTML report {first_html:.2f} s "
          f"(templates compiled) and the first workbook {first_xlsx:.2f} s")

    build, html, xlsx, items_by_region, books = [], [], [], {}, {}
    for code in codes:
        seconds, report = timed(region_report, scores, q, code, ROUNDS[-1], sheet=sheet, rounds=ROUNDS)
        build.append(seconds)
        items = [PlanItem(**{**item.__dict__, "id": f"{code}-{i}"}) for i, item in enumerate(plan_items(report, "sv"))]
        items_by_region[code] = items
        report = report.__class__(**{**report.__dict__, "items": tuple(items)})
        seconds, _ = timed(render_region_html, report, "sv")
        html.append(seconds)
        seconds, books[code] = timed(plan_workbook, report, "sv")
        xlsx.append(seconds)

    reads = []
    for code in codes:
        seconds, back = timed(read_plan_workbook, books[code], q, "sv")
        assert back == items_by_region[code]
        reads.append(seconds)

    national = {"model": [], "html": [], "xlsx": [], "open data xlsx": [], "open data csv": []}
    for _ in range(args.repeat):
        seconds, report = timed(national_report, scores, q, ROUNDS[-1], rounds=ROUNDS)
        national["model"].append(seconds)
        national["html"].append(timed(render_national_html, report, "sv")[0])
        national["xlsx"].append(timed(national_workbook, report, "sv")[0])
        seconds, data = timed(open_data, scores, q, "sv", rounds=ROUNDS)
        national["open data xlsx"].append(seconds + timed(open_data_workbook, data, "sv")[0])
        national["open data csv"].append(seconds + timed(to_csv, data.tables["indicators"], "sv")[0])

    def row(name: str, values: list[float], aim: float | None = None) -> None:
        verdict = "" if aim is None else ("  ok" if max(values) < aim else f"  OVER the aim of {aim} s")
        print(f"  {name:<34} mean {statistics.mean(values):6.3f} s   max {max(values):6.3f} s{verdict}")

    print(f"\nper region ({len(codes)} regions, round {ROUNDS[-1]}):")
    row("report model (comparisons, plan)", build)
    row("region HTML", html, AIM["region"])
    row("region XLSX (action plan)", xlsx, AIM["region"])
    row("region HTML incl. model", [a + b for a, b in zip(build, html, strict=True)], AIM["region"])
    row("region XLSX incl. model", [a + b for a, b in zip(build, xlsx, strict=True)], AIM["region"])
    row("read a plan workbook back", reads)
    print(f"  {'read all 21 plan workbooks':<34} total {sum(reads):6.3f} s "
          f"({sum(len(v) for v in items_by_region.values())} actions)")
    print(f"\nnational (best of {args.repeat}):")
    for name, values in national.items():
        aim = AIM["national"] if name in ("html", "xlsx") else None
        best = min(values)
        verdict = "" if aim is None else ("  ok" if best < aim else f"  OVER the aim of {aim} s")
        print(f"  {name:<34} {best:6.3f} s{verdict}")
    model = min(national["model"])
    print(f"  {'national HTML incl. model':<34} {model + min(national['html']):6.3f} s")
    print(f"  {'national XLSX incl. model':<34} {model + min(national['xlsx']):6.3f} s")


if __name__ == "__main__":
    main()
