"""Benchmark: reruns through a real `mognad serve`, against bare pages on a real Streamlit server, same run.

bench/app.py times the page scripts with AppTest, which skips what the server does around a run (the messages
to the browser, the post-run collection, the session's bookkeeping). Here both sides are real servers spoken to
over Streamlit's own WebSocket protocol (bench/load.py's `Person`), one rerun at a time, mognad and bare taking
turns so that the machine's load falls on both alike:

- Fyll i, an answer: the indicator's fragment rerun with its autosave (the demo lead, region 19, round 2026),
  against a bare page with as many fragments, radios, text areas and segmented controls, whose radio change
  writes "Sparat …" in its fragment.
- Fyll i, a full rerun: "Nästa dimension" / "Föregående dimension", against a button click on that bare page.
- Jämförelse: the peer-group radio (the national analyst, round 2025), against bench/app.py's bare comparison
  with as many charts and tables.
- Handlingsplan: a rerun without a change (the demo lead), against bench/app.py's bare plan page.

Figures: p50/p95 of click → script finished as the client sees it, the ratio to bare, and the server's CPU
seconds per rerun from /proc/PID/stat. The bare pages run under `streamlit run` of a one-line st.App, with
mognad's Streamlit flags (cli/serve.py), so both sides use the same server stack and settings.

    .venv/bin/python bench/served.py [--runs 30] [--profile]

--profile samples the mognad server with py-spy during the answers' timed reruns and names the project's
functions that take the most of them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]
sys.path.insert(0, str(ROOT))

from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

LEAD, ANALYST = "ledare@demo.invalid", "analytiker@demo.invalid"

# The Fyll i page in bare form, built from the counts the real page showed: the widgets outside the fragments,
# then one fragment per indicator with what mognad's block draws (heading, evidence expander, radio, comment,
# confidence, the save line). A change writes "Sparat …" through an on_change callback, as the autosave does.
BARE_FILL = """
import datetime as dt
import streamlit as st
OPTIONS = {options!r}
st.title("Fyll i")
for i in range({selectbox}):
    st.selectbox(f"Val {{i}}", ["a", "b"], key=f"sel{{i}}")
for i in range({text_input}):
    st.text_input(f"Fält {{i}}", key=f"in{{i}}")
st.progress(0.5, text="23 av 46 indikatorer besvarade")
for i in range({markdown}):
    st.markdown(f"Text {{i}}")
for i in range({expandable}):
    with st.expander(f"Mer {{i}}"):
        st.write("mer")


def saved(i):
    st.session_state.setdefault("_saved", {{}})[i] = dt.datetime.now()


@st.fragment
def block(i):
    st.markdown(f"#### D1.{{i}} Påstående {{i}}")
    with st.expander("Belägg"):
        st.write("belägg")
    st.radio(f"Vilken beskrivning stämmer bäst för D1.{{i}}?", OPTIONS, index=None, key=f"answer_{{i}}",
             on_change=saved, args=(i,))
    left, right = st.columns([3, 1])
    left.text_area(f"Kommentar {{i}}", key=f"comment_{{i}}", height=80, on_change=saved, args=(i,))
    right.segmented_control(f"Säkerhet {{i}}", ["låg", "medel", "hög"], key=f"confidence_{{i}}",
                            on_change=saved, args=(i,))
    when = st.session_state.get("_saved", {{}}).get(i)
    st.write(f":material/check_circle: Sparat {{when:%H:%M:%S.%f}} av bänk" if when else "Inte sparat ännu")


for i in range({blocks}):
    block(i)
st.info("Preliminärt resultat")
left, right = st.columns(2)
for i in range({button}):
    right.button(f"Knapp {{i}}", key=f"b{{i}}")
for i in range({checkbox}):
    st.checkbox(f"Ruta {{i}}", key=f"x{{i}}")
for i in range({radio}):
    st.radio(f"Val {{i}}", ["a", "b"], key=f"rv{{i}}")
"""

BARE_MAIN = """
import streamlit as st


def start():  # the default page, as Översikt is mognad's: the others then have their own paths
    st.title("Start")


st.navigation([st.Page(start, title="Start", url_path="start", default=True),
               st.Page({fill!r}, title="Fyll i", url_path="fyll-i"),
               st.Page({compare!r}, title="Jämförelse", url_path="jamforelse"),
               st.Page({plan!r}, title="Handlingsplan", url_path="handlingsplan")]).run()
"""


def flags() -> list[str]:
    """mognad's Streamlit flags (cli/serve.py), for both servers."""
    from cli.serve import FLAGS

    return list(FLAGS)


def bench_module(name: str):
    """bench/<name>.py as a module (bench/app.py cannot be imported as `app`: that is mognad's package)."""
    import importlib.util

    if f"bench_{name}" not in sys.modules:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return sys.modules[f"bench_{name}"]


def percentiles(times: list[float]) -> tuple[float, float]:
    return bench_module("app").percentiles(times)  # bench/app.py's, so the two benches count alike


@cache
def _visitor_class():
    Person = bench_module("load").Person

    class Visitor(Person):
        """A Person (bench/load.py) that also counts what each run drew, by kind and inside a fragment or not,
        and signs in with any account."""

        def _read(self, forward, seen) -> None:
            super()._read(forward, seen)
            kinds = seen.__dict__.setdefault("kinds", Counter())
            delta = forward.delta
            inside = bool(delta.fragment_id)
            if delta.WhichOneof("type") == "new_element":
                kinds[(delta.new_element.WhichOneof("type"), inside)] += 1
            elif delta.WhichOneof("type") == "add_block":
                kinds[(delta.add_block.WhichOneof("type"), inside)] += 1

        async def sign_in_as(self, password: str) -> float:
            email_id = self.page.widgets["login_email"][0]
            password_id = self.page.widgets["login_password"][0]
            submit = next(ident for ident, kind, w in self.page.widgets.values()
                          if kind == "button" and getattr(w, "is_form_submitter", False))
            took = await self.rerun([WidgetState(id=email_id, string_value=self.email),
                                     WidgetState(id=password_id, string_value=password),
                                     WidgetState(id=submit, trigger_value=True)])
            return took + await self.rerun()  # the page reruns itself after signing in

        async def go(self, path: str) -> float:
            self.states.clear()
            return await self.rerun(page=self.pages[path])

        async def choose(self, key: str, starts: str) -> float:
            ident, _, widget = self.page.widgets[key]
            option = next(o for o in widget.options if o.startswith(starts))
            return await self.rerun([WidgetState(id=ident, string_value=option)],
                                    fragment=self.page.fragments.get(ident, ""))

        async def click(self, key: str) -> float:
            ident = self.page.widgets[key][0]
            return await self.rerun([WidgetState(id=ident, trigger_value=True)],
                                    fragment=self.page.fragments.get(ident, ""))

        def kinds(self) -> Counter:
            return self.page.__dict__.get("kinds", Counter())

        def saw(self, text: str) -> bool:
            return any(text in shown for shown in self.page.texts)

    return Visitor


def demo_database(folder: str) -> tuple[str, dict[str, str]]:
    """A fresh SQLite file with the demo data; (url, e-mail → password)."""
    import store

    url = f"sqlite:///{folder}/mognad.sqlite"
    db = store.Database(url)
    db.upgrade()
    result = store.load_demo(db)
    db.dispose()
    return url, {account.email: account.password for account in result.accounts}


@contextmanager
def server(argv: list[str], env: dict, log: Path, cwd: Path = ROOT):
    """A running Streamlit server; yields (url, pid)."""
    from tests.browser.conftest import free_port, wait_healthy

    port = free_port()
    with open(log, "w") as out:
        process = subprocess.Popen([*argv, f"--server.port={port}", "--server.address=127.0.0.1"], cwd=cwd, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, process, timeout=120)
            yield url, process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def mognad_argv() -> list[str]:
    from cli.serve import ENTRY

    return [sys.executable, "-m", "streamlit", "run", str(ENTRY), *flags()]


def fill_counts(page, kinds: Counter) -> dict:
    """What the real Fyll i page drew outside its indicator fragments, and how many indicator fragments."""
    outside = Counter(kind for ident, kind, _ in page.widgets.values() if ident not in page.fragments)
    answers = [w for key, (_, kind, w) in page.widgets.items() if kind == "radio" and key.startswith("answer_")]
    return {"options": list(answers[0].options), "blocks": len(answers),
            **{kind: outside[kind] for kind in ("selectbox", "text_input", "button", "checkbox", "radio")},
            "markdown": kinds[("markdown", False)], "expandable": kinds[("expandable", False)]}


def write_bare(folder: Path, counts: dict, compare: dict, plan: dict) -> Path:
    """The bare pages and a one-line st.App that serves them, as asgi_app.py serves mognad; the app's path."""
    BARE_COMPARE, BARE_PLAN = bench_module("app").BARE_COMPARE, bench_module("app").BARE_PLAN

    (folder / "bare_fill.py").write_text(BARE_FILL.format(**counts), "utf-8")
    (folder / "bare_compare.py").write_text(BARE_COMPARE.format(**compare), "utf-8")
    (folder / "bare_plan.py").write_text(BARE_PLAN.format(**plan), "utf-8")
    (folder / "bare_main.py").write_text(BARE_MAIN.format(fill=str(folder / "bare_fill.py"),
                                                          compare=str(folder / "bare_compare.py"),
                                                          plan=str(folder / "bare_plan.py")), "utf-8")
    entry = folder / "bare_asgi.py"
    entry.write_text(f"import streamlit as st\napp = st.App({str(folder / 'bare_main.py')!r})\n", "utf-8")
    return entry


async def lead_on_fill(url: str, password: str):
    """The demo lead signed in, on Fyll i for region 19 (round 2026, the open one), first sheet, D1."""
    visitor = _visitor_class()(url, LEAD)
    await visitor.connect()
    await visitor.sign_in_as(password)
    await visitor.go("fyll-i")
    await visitor.choose("_w_chosen_region_sv", "Region Västmanland")
    assert not visitor.page.exceptions, visitor.page.texts
    return visitor


def answer_radio(visitor) -> str:
    return next(key for key, (_, kind, _w) in visitor.page.widgets.items()
                if kind == "radio" and key.startswith("answer_"))


async def measure(url: str, passwords: dict) -> dict:
    """Sign the visitors in and read what the real pages draw, so that the bare pages can draw as much."""
    Visitor = _visitor_class()
    lead = await lead_on_fill(url, passwords[LEAD])
    counts = fill_counts(lead.page, lead.kinds())
    analyst = Visitor(url, ANALYST)
    await analyst.connect()
    await analyst.sign_in_as(passwords[ANALYST])
    await analyst.go("jamforelse")
    await analyst.choose("_w_chosen_round_sv", "2025")
    kinds = analyst.kinds()
    compare = {"charts": sum(n for (kind, _), n in kinds.items() if "vega_lite" in (kind or "")),
               "tables": kinds[("table", False)]}
    plan_visitor = await lead_on_fill(url, passwords[LEAD])
    await plan_visitor.go("handlingsplan")
    pk = plan_visitor.kinds()
    plan = {"markdowns": pk[("markdown", False)], "tables": pk[("table", False)],
            "buttons": sum(1 for _, kind, _w in plan_visitor.page.widgets.values() if kind == "button")}
    return {"counts": counts, "compare": compare, "plan": plan, "visitors": (lead, analyst, plan_visitor)}


async def timed_pairs(steps: dict, runs: int, pids: tuple[int, int], warm: int = 3, profile: Path | None = None,
                      ) -> dict:
    """Each step is (mognad coroutine factory, bare coroutine factory); they take turns, one rerun each. With
    `profile`, py-spy samples the mognad server during the first step's timed reruns."""
    server_usage = bench_module("load").server_usage
    found = {}
    for name, (real, bare) in steps.items():
        for i in range(warm):
            await real(i)
            await bare(i)
        spy = sampling(pids[0], profile) if profile is not None and not found else None
        times = {"real": [], "bare": []}
        cpu = {"real": 0.0, "bare": 0.0}
        for i in range(warm, warm + runs):
            for side, step, pid in (("real", real, pids[0]), ("bare", bare, pids[1])):
                before = server_usage(pid)[0]
                times[side].append(await step(i))
                await asyncio.sleep(0.05)  # what the server still does after the run finished counts too
                cpu[side] += server_usage(pid)[0] - before
        if spy is not None:
            spy.send_signal(signal.SIGINT)  # py-spy writes what it sampled and stops
            spy.wait(timeout=60)
        found[name] = (times, {side: value / runs for side, value in cpu.items()})
    return found


def sampling(pid: int, out: Path) -> subprocess.Popen:
    """py-spy on the server (without pausing it), collapsed stacks into `out`."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    process = subprocess.Popen([spy, "record", "--pid", str(pid), "--rate", "500", "--nonblocking", "--format",
                                "raw", "--output", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)  # py-spy attaches before the first timed rerun
    return process


PROJECT = ("app/", "store/", "service/", "scoring/", "reports/", "questionnaires/", "streamlit_app.py", "asgi_app.py")


def top_costs(collapsed: Path, count: int = 20) -> list[tuple[int, float, str]]:
    """The project's functions by the share of busy samples they were on the stack for (inclusive), from
    py-spy's collapsed stacks; (samples, share, function)."""
    def own(frame: str) -> str | None:  # "function (file:line)" → "function (file)" when the file is the project's
        name, _, where = frame.rpartition(" (")
        path = where.rsplit(":", 1)[0]
        path = path[len(str(ROOT)) + 1:] if path.startswith(str(ROOT) + "/") else path
        if not path.startswith(PROJECT):  # py-spy names other files relative to their sys.path entry
            return None
        return f"{name} ({path})"

    inclusive: Counter = Counter()
    total = 0
    text = collapsed.read_text("utf-8") if collapsed.exists() else ""
    for line in text.splitlines():
        stack, _, n = line.rpartition(" ")
        total += int(n)
        for frame in {own(frame) for frame in stack.split(";")} - {None}:
            inclusive[frame] += int(n)
    print(f"py-spy: {total} busy samples of the mognad server")
    return [(n, n / total if total else 0.0, frame) for frame, n in inclusive.most_common(count)]


async def run(bare_url: str, pids: tuple[int, int], runs: int, setup: dict, profile: Path | None = None) -> dict:
    Visitor = _visitor_class()
    lead, analyst, planner = setup["visitors"]
    radio = answer_radio(lead)
    options = setup["counts"]["options"][:5]  # the five levels: an answer stays an answer, the counters stay
    # (a level given or taken back would rerun the whole page once, by design)
    bare = Visitor(bare_url, "bare")
    await bare.connect()
    await bare.go("fyll-i")
    bare_fill_options = options

    async def real_answer(i):
        took = await lead.choose(radio, options[i % 5])
        assert not lead.page.exceptions and lead.saw("Sparat"), lead.page.texts[-3:]
        return took

    async def bare_answer(i):
        took = await bare.choose("answer_0", bare_fill_options[i % 5])
        assert bare.saw("Sparat"), bare.page.texts[-3:]
        return took

    async def real_full(i):
        key = "next_dimension" if i % 2 == 0 else "previous_dimension"
        took = await lead.click(key)
        assert not lead.page.exceptions, lead.page.texts
        return took

    async def bare_full(i):
        return await bare.click("b0")

    steps = {"Fyll i, an answer (fragment rerun, autosave)": (real_answer, bare_answer),
             "Fyll i, Nästa/Föregående dimension (full rerun)": (real_full, bare_full)}
    fill = await timed_pairs(steps, runs, pids, profile=profile)

    bare_compare = Visitor(bare_url, "bare")
    await bare_compare.connect()
    await bare_compare.go("jamforelse")
    peer = analyst.page.widgets["compare_peer_by"][2].options
    group = next(key for key, (_, kind, _w) in bare_compare.page.widgets.items() if kind == "radio")
    group_options = bare_compare.page.widgets[group][2].options

    async def real_compare(i):
        took = await analyst.choose("compare_peer_by", peer[i % 2])
        assert not analyst.page.exceptions, analyst.page.texts
        return took

    async def bare_compare_step(i):
        return await bare_compare.choose(group, group_options[i % 2])

    bare_plan = Visitor(bare_url, "bare")
    await bare_plan.connect()
    await bare_plan.go("handlingsplan")

    async def real_plan(i):
        took = await planner.rerun()
        assert not planner.page.exceptions, planner.page.texts
        return took

    async def bare_plan_step(i):
        return await bare_plan.rerun()

    others = await timed_pairs({"Jämförelse, the peer-group radio (full rerun)": (real_compare, bare_compare_step),
                                "Handlingsplan, a rerun": (real_plan, bare_plan_step)}, runs, pids)
    for visitor in (lead, analyst, planner, bare, bare_compare, bare_plan):
        await visitor.ws.close()
    return {**fill, **others}


def report(found: dict, runs: int) -> None:
    for name, (times, cpu) in found.items():
        (rp50, rp95), (bp50, bp95) = percentiles(times["real"]), percentiles(times["bare"])
        print(f"{name} ({runs} runs each, taking turns)")
        print(f"  mognad  p50 {rp50 * 1000:7.1f} ms  p95 {rp95 * 1000:7.1f} ms   server CPU "
              f"{cpu['real'] * 1000:6.1f} ms/rerun")
        print(f"  bare    p50 {bp50 * 1000:7.1f} ms  p95 {bp95 * 1000:7.1f} ms   server CPU "
              f"{cpu['bare'] * 1000:6.1f} ms/rerun   ratio p50 {rp50 / bp50:.2f}  p95 {rp95 / bp95:.2f}")


async def _all(real_url: str, real_pid: int, folder: Path, env: dict, passwords: dict, runs: int,
               profile: Path | None = None) -> dict:
    """One event loop for the whole run: the visitors' connections belong to the loop that opened them."""
    setup = await measure(real_url, passwords)
    entry = write_bare(folder, setup["counts"], setup["compare"], setup["plan"])
    counts = {k: v for k, v in setup["counts"].items() if k != "options"}
    print(f"bare Fyll i drawn like the real one: {counts}")
    print(f"bare Jämförelse: {setup['compare']}; bare Handlingsplan: {setup['plan']}")
    with server([sys.executable, "-m", "streamlit", "run", str(entry), *flags()], env, folder / "bare.log",
                cwd=folder) as (bare_url, bare_pid):
        return await run(bare_url, (real_pid, bare_pid), runs, setup, profile)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--profile", action="store_true",
                        help="py-spy on the mognad server during the answers; its top costs are printed")
    args = parser.parse_args(argv)
    print("Streamlit settings on both servers: " + " ".join(flags()))
    load = os.getloadavg()
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="mognad-served-") as name:
        folder = Path(name)
        url, passwords = demo_database(name)
        env = {**os.environ, "MOGNAD_DATABASE_URL": url}
        with server(mognad_argv(), env, folder / "mognad.log") as (real_url, real_pid):
            found = asyncio.run(_all(real_url, real_pid, folder, env, passwords, args.runs,
                                     folder / "answers.txt" if args.profile else None))
        costs = top_costs(folder / "answers.txt") if args.profile else []
    report(found, args.runs)
    if costs:
        print("Where the mognad server spends an answer's fragment rerun (py-spy, share of busy samples, inclusive)")
        for samples, share, frame in costs:
            print(f"  {share:6.1%} {samples:6d}  {frame}")
    load = os.getloadavg()
    print(f"load average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
