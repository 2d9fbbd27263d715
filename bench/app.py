"""Benchmark: the app's server-side time, measured with AppTest, against bare pages.

- Fyll i: a rerun after one answer change (the autosave included), as the demo lead in region 19.
- Jämförelse: a rerun of the national comparison with the demo data, as the national analyst.
- Sessions: who is signed in, resolved on every run from the tab's session, and from the cookie on a refresh or a
  new tab (`--sessions-only` prints just these); sign-in → the first page.
- Handlingsplan: a rerun of the plan page plus its workbook download (what the button calls on click), as the
  demo lead in region 19, with the store reads and scorings counted (the page must read the region's answer
  sheet once and score the own region once, and the download must not read again).
Each is compared with a bare page that draws the same number of widgets or charts (and tables) without
mognad's logic, so the ratio is what mognad adds. Cold start: process start → /_stcore/health ok →
the first page rendered in Chromium.

AppTest runs the page script only: it skips what the server does around a run (the messages to the browser, the
post-run collection, the session's bookkeeping). bench/served.py times the same reruns through a real
`mognad serve` against bare pages on a real Streamlit server (`--server` runs it after these figures), and
bench/browser.py times what a person sees in Chromium: an answer click → "Sparat".

    .venv/bin/python bench/app.py [--runs 30] [--server]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

import store  # noqa: E402
from cli.serve import command  # noqa: E402

ENTRY = str(ROOT / "streamlit_app.py")

BARE_FILL = """
import streamlit as st
OPTIONS = {options!r}
st.title("Fyll i")
for i in range({selectboxes}):
    st.selectbox(f"Val {{i}}", ["a", "b"], key=f"sel{{i}}")
st.progress(0.5)
for i in range({markdowns}):
    st.markdown(f"Text {{i}}")
for i in range({expanders}):
    with st.expander(f"Belägg {{i}}"):
        st.write("belägg")
for i in range({radios}):
    st.radio(f"Fråga {{i}}", OPTIONS, index=None, key=f"r{{i}}")
for i in range({text_areas}):
    st.text_area(f"Kommentar {{i}}", key=f"c{{i}}")
for i in range({segmented}):
    st.segmented_control(f"Säkerhet {{i}}", ["låg", "medel", "hög"], key=f"s{{i}}")
for i in range({buttons}):
    st.button(f"Knapp {{i}}", key=f"b{{i}}")
for i in range({checkboxes}):
    st.checkbox(f"Ruta {{i}}", key=f"x{{i}}")
st.info("Preliminärt resultat")
"""

BARE_COMPARE = """
import altair as alt
import numpy as np
import pandas as pd
import streamlit as st
st.title("Jämförelse")
st.selectbox("Omgång", ["2026"])
group = st.radio("Grupp", ["a", "b"])
rng = np.random.default_rng(1 if group == "a" else 2)  # the radio changes what the charts show, as the peer group does
frame = pd.DataFrame({{"region": np.repeat([f"R{{i}}" for i in range(21)], 10),
                      "dimension": np.tile([f"D{{i}}" for i in range(10)], 21),
                      "score": rng.uniform(0, 4, 210)}})
for i in range({charts}):
    st.subheader(f"Diagram {{i}}")
    st.altair_chart(alt.Chart(frame).mark_rect().encode(x="dimension:N", y="region:N", color="score:Q"), key=f"c{{i}}")
    with st.expander("Tabell"):
        st.dataframe(frame.pivot(index="region", columns="dimension", values="score"), key=f"t{{i}}")
for i in range({tables}):
    st.table(frame.head(10))
"""


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def timed(at: AppTest, step, runs: int) -> list[float]:
    times = []
    for i in range(runs):
        step(at, i)
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return times


def signed_in(email: str) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=120)
    at.session_state["lang"] = "sv"
    at.session_state["auth_email"] = email
    at.session_state["auth_last_seen"] = time.time() + 10**6  # no idle timeout during the benchmark
    return at


def fill(runs: int) -> tuple[list[float], list[float]]:
    at = signed_in("ledare@demo.invalid")
    at.session_state["chosen_region"] = "19"
    at.run()
    at.switch_page("app/views/fill.py").run()
    key = next(r.key for r in at.radio if r.key and r.key.startswith("answer_"))
    counts = {"selectboxes": len(at.selectbox), "markdowns": len(at.markdown), "expanders": len(at.expander),
              "radios": len(at.radio), "text_areas": len(at.text_area), "segmented": len(at.get("button_group")),
              "buttons": len(at.button), "checkboxes": len(at.checkbox)}
    options = list(at.radio(key=key).options)

    def change(app, i):
        app.radio(key=key).set_value(i % 5)

    real = timed(at, change, runs)
    bare = AppTest.from_string(BARE_FILL.format(options=options, **counts), default_timeout=60).run()
    bare_times = timed(bare, lambda app, i: app.radio(key="r0").set_value(options[i % 5]), runs)
    return real, bare_times


def compare(runs: int) -> tuple[list[float], list[float], int]:
    at = signed_in("analytiker@demo.invalid")
    at.session_state["chosen_round"] = "2025"
    at.run()
    at.switch_page("app/views/compare.py").run()
    charts = len(at.get("vega_lite_chart"))
    tables = len(at.table)
    real = timed(at, lambda app, i: None, runs)
    bare = AppTest.from_string(BARE_COMPARE.format(charts=charts, tables=tables), default_timeout=60).run()
    return real, timed(bare, lambda app, i: None, runs), charts


BARE_PLAN = """
import io
import pandas as pd
import streamlit as st
from openpyxl import Workbook
st.title("Handlingsplan")
st.selectbox("Omgång", ["2026"]); st.selectbox("Region", ["19"])
for i in range({markdowns}):
    st.markdown(f"Text {{i}}")
for i in range({buttons}):
    st.button(f"Lägg till {{i}}", key=f"b{{i}}")
frame = pd.DataFrame({{"action": [f"Åtgärd {{i}}" for i in range(5)], "owner": ["x"] * 5}})
with st.form("f"):
    st.data_editor(frame, key="e", num_rows="dynamic")
    st.form_submit_button("Spara")
for i in range({tables}):
    st.table(frame)
book = io.BytesIO(); Workbook().save(book)
st.download_button("Ladda ned", data=book.getvalue(), file_name="x.xlsx", key="d")
st.file_uploader("Ladda upp", type=["xlsx"], key="u")
"""

# The functions whose calls are counted: (file, function) → what the figure is called.
def _targets() -> dict:
    """The functions whose calls are counted, by code object (found however a module imported them)."""
    import store.comparison
    import store.frames

    return {store.frames.answer_sheet.__code__: "answer-sheet reads",
            store.comparison.comparison_basis.__code__: "comparison reads",
            sys.modules["scoring.score"].score.__code__: "scorings"}  # the package exports a function of that name


class Counter:
    """Counts calls of the target functions in every thread (AppTest runs the page in a thread of its own)."""

    def __enter__(self):
        import threading

        self.targets = _targets()
        self.found = dict.fromkeys(self.targets.values(), 0)

        def profile(frame, event, arg):
            if event == "call" and frame.f_code in self.targets:
                self.found[self.targets[frame.f_code]] += 1
        self._profile = profile
        sys.setprofile(profile)
        threading.setprofile(profile)
        return self

    def __exit__(self, *exc):
        import threading

        sys.setprofile(None)
        threading.setprofile(None)



def plan_path(runs: int) -> tuple[list[float], list[float], list[float], dict, dict]:
    """(page reruns, downloads, bare reruns, reads of one page run, reads of one download)."""
    from service.reports import plan_workbook_bytes, region_report

    at = signed_in("ledare@demo.invalid")
    at.session_state["chosen_region"] = "19"
    at.session_state["chosen_round"] = "2026"
    at.run()
    at.switch_page("app/views/plan.py").run()
    assert not at.exception, at.exception
    with Counter() as counter:
        at.run()
    page_reads = counter.found
    real = timed(at, lambda app, i: None, runs)
    db = store.Database(os.environ["MOGNAD_DATABASE_URL"])
    lead = store.identity_for_email(db, "ledare@demo.invalid")
    report = region_report(db, lead, "19", "2026")  # what the page built on this run

    def download():
        return plan_workbook_bytes(db, lead, "19", "2026", lang="sv", report=report)

    with Counter() as counter:
        download()
    download_reads = counter.found
    downloads = []
    for _ in range(max(3, runs // 3)):
        start = time.perf_counter()
        download()
        downloads.append(time.perf_counter() - start)
    bare = AppTest.from_string(BARE_PLAN.format(markdowns=len(at.markdown), buttons=len(at.button),
                                                tables=len(at.table)), default_timeout=60).run()
    return real, downloads, timed(bare, lambda app, i: None, runs), page_reads, download_reads


def sessions(db, runs: int) -> dict[str, list[float]]:
    """Resolving who is signed in, per run: a tab's session (every rerun), the cookie (a refresh or a new tab), and
    what every run cost before sessions (the account by e-mail); then sign-in → first page (AppTest, argon2
    included)."""
    from store import sessions as store_sessions

    system = store.system_identity()
    lead = store.identity_for_email(db, "ledare@demo.invalid")
    session_id, cookie = store.start_session(db, lead, cookie=True)
    found = {"tab": [], "cookie": [], "email": []}
    for _ in range(max(runs * 20, 500)):
        for label, call in (("tab", lambda: store.session_identity(db, session_id)),
                            ("cookie", lambda: store_sessions.resume(db, cookie)),
                            ("email", lambda: store.identity_for_email(db, lead.email))):
            start = time.perf_counter()
            result = call()
            found[label].append(time.perf_counter() - start)
            assert getattr(result, "identity", result) is not None
    password = "bench-lösenord-123"
    store.set_password(db, system, lead.email, password)
    found["sign_in"] = []
    for _ in range(min(runs, 10)):
        at = AppTest.from_file(ENTRY, default_timeout=120)
        at.session_state["lang"] = "sv"
        at.run()
        at.text_input(key="login_email").input(lead.email)
        at.text_input(key="login_password").input(password)
        start = time.perf_counter()
        at.button[0].click().run()
        found["sign_in"].append(time.perf_counter() - start)
        assert at.title[0].value == "Översikt", at.title
    return found


def cold_start(env: dict) -> tuple[float, float]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import free_port, wait_for_app, wait_healthy
    from tests.chromium import ARGS, CHROMIUM

    port = free_port()
    start = time.perf_counter()
    process = subprocess.Popen(command(port, "127.0.0.1"), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, process)
        healthy = time.perf_counter() - start
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_page()
            page.goto(url)
            wait_for_app(page)
            page.get_by_role("heading", name="Logga in").wait_for()
            rendered = time.perf_counter() - start
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
    return healthy, rendered


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--sessions-only", action="store_true", help="only the sign-in figures")
    parser.add_argument("--server", action="store_true",
                        help="then the same reruns through a real server (bench/served.py)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mognad-bench-") as folder:
        url = f"sqlite:///{folder}/mognad.sqlite"
        db = store.Database(url)
        db.upgrade()
        store.load_demo(db)
        os.environ["MOGNAD_DATABASE_URL"] = url
        found = sessions(db, args.runs)
        print(f"Who is signed in, resolved per run on SQLite ({len(found['tab'])} runs each)")
        for label, what in (("tab", "a tab's session (every rerun)"), ("cookie", "the cookie (a refresh, a new tab)"),
                            ("email", "before sessions: the account by e-mail")):
            p50, p95 = percentiles(found[label])
            print(f"  {what:40s} p50 {p50 * 1000:6.2f} ms  p95 {p95 * 1000:6.2f} ms")
        p50, p95 = percentiles(found["sign_in"])
        print(f"  sign-in → Översikt ({len(found['sign_in'])} runs, argon2 included) p50 {p50 * 1000:.0f} ms  p95 {p95 * 1000:.0f} ms")
        if args.sessions_only:
            return
        real, bare = fill(args.runs)
        (rp50, rp95), (bp50, bp95) = percentiles(real), percentiles(bare)
        print(f"Fyll i, rerun after one answer change ({args.runs} runs)")
        print(f"  mognad  p50 {rp50 * 1000:7.1f} ms  p95 {rp95 * 1000:7.1f} ms")
        print(f"  bare    p50 {bp50 * 1000:7.1f} ms  p95 {bp95 * 1000:7.1f} ms   ratio p95 {rp95 / bp95:.2f}")
        real, bare, charts = compare(args.runs)
        (rp50, rp95), (bp50, bp95) = percentiles(real), percentiles(bare)
        print(f"Jämförelse, rerun with the demo data, {charts} charts ({args.runs} runs)")
        print(f"  mognad  p50 {rp50 * 1000:7.1f} ms  p95 {rp95 * 1000:7.1f} ms")
        print(f"  bare    p50 {bp50 * 1000:7.1f} ms  p95 {bp95 * 1000:7.1f} ms   ratio p95 {rp95 / bp95:.2f}")
        real, downloads, bare, page_reads, download_reads = plan_path(args.runs)
        (rp50, rp95), (bp50, bp95) = percentiles(real), percentiles(bare)
        print(f"Handlingsplan, rerun of the page ({args.runs} runs) and its workbook download")
        print(f"  mognad  p50 {rp50 * 1000:7.1f} ms  p95 {rp95 * 1000:7.1f} ms")
        print(f"  bare    p50 {bp50 * 1000:7.1f} ms  p95 {bp95 * 1000:7.1f} ms   ratio p95 {rp95 / bp95:.2f}")
        dp50, dp95 = percentiles(downloads)
        print(f"  download p50 {dp50 * 1000:7.1f} ms  p95 {dp95 * 1000:7.1f} ms")
        print("  one page run: " + ", ".join(f"{n} {label}" for label, n in page_reads.items()))
        print("  one download: " + ", ".join(f"{n} {label}" for label, n in download_reads.items()))
        healthy, rendered = cold_start({**os.environ, "MOGNAD_DATABASE_URL": url})
        print(f"Cold start: health ok {healthy:.2f} s, first page rendered {rendered:.2f} s")
    if args.server:
        import importlib.util

        spec = importlib.util.spec_from_file_location("bench_served", Path(__file__).with_name("served.py"))
        served = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(served)
        print("Through a real server (bench/served.py)")
        served.main(["--runs", str(args.runs)])


if __name__ == "__main__":
    main()
