"""Benchmark: the region report as PDF (issue 15: "the region PDF under 2 s"), stage by stage, with the demo data.

A fresh SQLite demo database (store.load_demo, fictional data) is made in a temporary folder; then, for region
19 and two other demo regions, --runs times each (default 5), as the national administrator sees them:

- model: service.reports.region_report (the reads, the scoring, the comparison, the plan);
- html:  reports.region_html.render_region_html;
- pdf:   reports.pdf.html_to_pdf (WeasyPrint: parse, style, lay out, write);
- total: the three together, what a download of the PDF costs (service.reports.render_region without the
  model is html + pdf); the PDF is converted anew in every run (reports.pdf's remembered bytes are cleared);
- again: the same download a second time — model and HTML made anew, the PDF bytes remembered by
  reports.pdf (the same HTML gives the same bytes).

Floors measured in the same run, interleaved with the reports so that machine load hits both alike:

- bare WeasyPrint: a page of the same length in characters as the region's HTML, one plain table of text,
  no stylesheet and no SVG of ours, converted by WeasyPrint with default options. The ratio pdf / bare says
  what our stylesheet, charts and layout rules cost on top of WeasyPrint itself;
- deliver the bytes: reading the finished PDF back from a file (what a cached download costs; the issue's
  "45× the time to deliver the same bytes").

vl-convert starts its JavaScript engine and Jinja compiles the templates on the first report of a process,
and WeasyPrint loads its fonts on its first document: one warm-up report (not counted) comes first.

    .venv/bin/python bench/pdf.py [--runs 5] [--regions 19 03 25] [--round 2026] [--profile N]

--profile N prints cProfile's top N functions (cumulative) of one HTML→PDF conversion of the first region.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would shadow the package.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

import store  # noqa: E402
from reports import pdf  # noqa: E402
from reports.pdf import html_to_pdf  # noqa: E402
from reports.region_html import render_region_html  # noqa: E402
from service.reports import region_report  # noqa: E402

AIM = 2.0  # seconds, model + HTML + PDF (issue 15)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def bare_page(length: int) -> str:
    """A page of `length` characters with no stylesheet and no SVG — WeasyPrint's own floor: sections of a heading,
    a paragraph and a plain table of eight rows, as the report has (one table of thousands of rows would be
    WeasyPrint's worst case, not its floor)."""
    head = '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Golv</title></head><body>'
    tail = "</body></html>"
    row = "<tr><th>D{i}.{j} Indikator med en text av vanlig längd</th><td>2,5</td><td>Nivå 3 och en beskrivning</td></tr>"
    parts, size, i = [], len(head) + len(tail), 0
    while size < length:
        piece = (f"<h2>Avsnitt {i}</h2><p>{'Ett stycke löptext som i rapporten. ' * 6}</p><table>"
                 + "".join(row.format(i=i, j=j) for j in range(8)) + "</table>")
        parts.append(piece)
        size += len(piece)
        i += 1
    return head + "".join(parts) + tail


def bare_pdf(page: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=page).write_pdf()


def load() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:  # not on every platform
        return "unknown"


def line(name: str, values: list[float], floor: float | None = None, aim: float | None = None) -> str:
    p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
    text = f"  {name:<28} p50 {p50 * 1000:9.1f} ms   p95 {p95 * 1000:9.1f} ms"
    if floor:
        text += f"   ×{p50 / floor:8.1f} the floor"
    if aim is not None:
        text += "   ok" if max(values) < aim else f"   OVER the aim of {aim} s"
    return text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--regions", nargs="+", default=["19", "03", "25"])
    parser.add_argument("--round", default="2026")
    parser.add_argument("--profile", type=int, default=0, help="print cProfile's top N of one HTML→PDF")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        db = store.Database(f"sqlite:///{Path(folder) / 'demo.sqlite'}")
        db.upgrade()
        store.load_demo(db)
        who = store.system_identity()

        seconds, report = timed(region_report, db, who, args.regions[0], args.round)
        warm_html, html = timed(render_region_html, report, "sv")
        warm_pdf, _ = timed(html_to_pdf, html)
        print(f"warm-up (not counted): model {seconds:.2f} s, first HTML {warm_html:.2f} s (vl-convert, Jinja), "
              f"first PDF {warm_pdf:.2f} s (WeasyPrint, fonts)")
        print(f"load average at start: {load()} on {os.cpu_count()} cores")

        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            html_to_pdf(html)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)

        figures: dict[str, dict[str, list[float]]] = {}
        for code in args.regions:
            stages = figures[code] = {"model": [], "html": [], "pdf": [], "total": [], "bare": [], "read": [],
                                     "pdf cpu": [], "bare cpu": [], "again": []}
            sizes = []
            for _ in range(args.runs):
                seconds_model, report = timed(region_report, db, who, code, args.round)
                seconds_html, html = timed(render_region_html, report, "sv")
                forget = getattr(pdf, "_DONE", {})  # every run converts anew: the cold cost is what is measured
                forget.clear()
                cpu = time.process_time()
                seconds_pdf, raw = timed(html_to_pdf, html)
                stages["pdf cpu"].append(time.process_time() - cpu)
                # the same report downloaded again: the model and the HTML are made again, the bytes remembered
                seconds_again, again = timed(html_to_pdf, html)
                assert again == raw
                stages["again"].append(seconds_model + seconds_html + seconds_again)
                stages["model"].append(seconds_model)
                stages["html"].append(seconds_html)
                stages["pdf"].append(seconds_pdf)
                stages["total"].append(seconds_model + seconds_html + seconds_pdf)
                page = bare_page(len(html))
                cpu = time.process_time()
                stages["bare"].append(timed(bare_pdf, page)[0])
                stages["bare cpu"].append(time.process_time() - cpu)
                path = Path(folder) / f"{code}.pdf"
                path.write_bytes(raw)
                stages["read"].append(timed(path.read_bytes)[0])
                sizes.append((len(html), html.count("<svg"), html.count("<"), len(raw)))
            characters, charts, tags, size = sizes[-1]
            name = report.region.name
            print(f"\nregion {code} {name}, round {args.round}: HTML {characters:,} characters, {charts} charts, "
                  f"{tags:,} tags; PDF {size:,} bytes ({args.runs} runs)")
            bare, read = percentile(stages["bare"], 0.5), percentile(stages["read"], 0.5)
            print(line("model", stages["model"]))
            print(line("html", stages["html"]))
            print(line("pdf (HTML→PDF)", stages["pdf"], floor=bare))
            print(line("total (model+html+pdf)", stages["total"], floor=read, aim=AIM))
            print(line("again: model+html+remembered", stages["again"], floor=read, aim=AIM))
            print(line("pdf, CPU time only", stages["pdf cpu"], floor=percentile(stages["bare cpu"], 0.5)))
            print(line("floor: bare WeasyPrint", stages["bare"]))
            print(line("floor: bare, CPU time only", stages["bare cpu"]))
            print(line("floor: read the bytes", stages["read"]))

        totals = [v for stages in figures.values() for v in stages["total"]]
        verdict = "ok" if max(totals) < AIM else f"OVER the aim of {AIM} s"
        print(f"\nall regions: total p50 {statistics.median(totals):.2f} s, max {max(totals):.2f} s — {verdict}")
        print(f"load average at end: {load()}")


if __name__ == "__main__":
    main()
