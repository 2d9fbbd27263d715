"""Benchmark: what a person sees in Chromium, on an idle `mognad serve`, against a bare Streamlit page.

- Fyll i, an answer: the demo lead (region 19, round 2026) clicks another level of the first indicator; the time
  runs from the pointer going down to the animation frame after the run's last message from the server was
  handled (no further message for 300 ms, the app's script state "notRunning"), with the save line ("Sparat
  HH:MM av …", app/parts/fill.py; the minute only, so its text need not change) shown. The bare page
  (bench/served.py's BARE_FILL) draws as many fragments, radios, text areas and segmented controls and as many
  widgets outside them; its radio change writes "Sparat …" in its fragment.
- Jämförelse: the national analyst (round 2025) changes the peer-group radio; until the page has settled (the
  run finished, the status widget gone), against bench/app.py's bare comparison with as many charts and tables.

Clicks on mognad and on the bare page take turns, so the machine's load falls on both alike. The clock is the
page's own (performance.now()), so Playwright's round trips are not counted.

    .venv/bin/python bench/browser.py [--runs 30]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

_spec = importlib.util.spec_from_file_location("bench_served", Path(__file__).with_name("served.py"))
served = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = served
_spec.loader.exec_module(served)

# In every page, before Streamlit's own script: each message from the server is timestamped, and so is the
# animation frame after it has been handled (what the run drew has then been laid out). The stApp's script
# state does not do: when a short run's "running" and "not running" arrive together, React draws only the last,
# and the attribute never changes.
WATCH = """
(() => {
  const Native = window.WebSocket;
  const t = window.__bench = {start: null, last: 0, paint: 0};
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => {
        t.last = performance.now();
        setTimeout(() => requestAnimationFrame(() => { t.paint = performance.now(); }), 0);
      });
    }
  };
})();
"""
ARM = """
() => {
  const t = window.__bench;
  t.start = null;
  document.addEventListener('pointerdown', () => { if (t.start === null) t.start = performance.now(); },
                            {capture: true, once: true});
}
"""
QUIET_MS = 300  # no message for this long after the last one: the run is over (a run's messages come in a burst)
SETTLED = f"""() => {{
  const t = window.__bench;
  const app = document.querySelector('[data-testid="stApp"]');  // and a run with a pause in it is still running
  return t.start !== null && t.last > t.start && t.paint >= t.last && performance.now() - t.last > {QUIET_MS}
         && app.getAttribute('data-test-script-state') === 'notRunning';
}}"""


def timed_click(page, target) -> float:
    """Seconds from the pointer going down on `target` to the frame after the last message of the run it caused."""
    page.evaluate(ARM)
    target.click()
    try:
        page.wait_for_function(SETTLED, timeout=30_000, polling=50)
    except Exception as error:
        raise RuntimeError(f"no run seen after the click on {page.url}: {page.evaluate('window.__bench')}") from error
    return page.evaluate("window.__bench.paint - window.__bench.start") / 1000


def checked(group) -> int:
    return group.evaluate("g => [...g.querySelectorAll('input[type=radio]')].findIndex(r => r.checked)")


def pick(page, key: str, starts: str) -> None:
    """A keyed selectbox (st-key-… class), the option whose text starts with `starts`."""
    from tests.browser.conftest import wait_for_app

    page.locator(f".st-key-{key}").get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=re.compile("^" + re.escape(starts))).first.click()
    wait_for_app(page)


def sign_in(page, url: str, email: str, password: str) -> None:
    from tests.browser.conftest import wait_for_app

    page.goto(url)
    wait_for_app(page)
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    wait_for_app(page)
    page.get_by_role("heading", name="Översikt").wait_for()


def go(page, label: str) -> None:
    from tests.browser.conftest import wait_for_app

    page.get_by_test_id("stSidebar").get_by_role("link", name=label, exact=True).click()
    wait_for_app(page)


def answers(page):
    """The first indicator's radio group (mognad's answer_<sheet>_<indicator>, the bare page's answer_0)."""
    return page.locator("[class*='st-key-answer_']").first.get_by_role("radiogroup")


def fill_clicks(real, bare, runs: int, warm: int = 3) -> dict[str, list[float]]:
    found = {"real": [], "bare": []}
    groups = {"real": answers(real), "bare": answers(bare)}
    at = {side: max(checked(group), -1) + 1 for side, group in groups.items()}  # never the one already chosen
    for i in range(warm + runs):
        for side, page in (("real", real), ("bare", bare)):
            option = groups[side].locator("label").nth((at[side] + i) % 5)  # the five levels
            before = checked(groups[side])
            try:
                took = timed_click(page, option)
            except RuntimeError as error:
                raise RuntimeError(f"{side} click {i}: option {(at[side] + i) % 5}, checked before {before}, "
                                   f"now {checked(groups[side])}; {error}") from None
            page.get_by_text(re.compile(r"Sparat \d\d:\d\d")).first.wait_for(state="visible")
            if i >= warm:
                found[side].append(took)
    return found


def compare_clicks(real, bare, runs: int, warm: int = 3) -> dict[str, list[float]]:
    found = {"real": [], "bare": []}
    radios = {"real": real.locator(".st-key-compare_peer_by").get_by_role("radiogroup"),
              "bare": bare.get_by_role("radiogroup", name="Grupp")}
    at = {side: checked(group) + 1 for side, group in radios.items()}
    for i in range(warm + runs):
        for side, page in (("real", real), ("bare", bare)):
            took = timed_click(page, radios[side].locator("label").nth((at[side] + i) % 2))
            page.get_by_test_id("stStatusWidget").wait_for(state="detached")  # settled: nothing left running
            if i >= warm:
                found[side].append(took)
    return found


def measure(real_url: str, bare_url: str, passwords: dict, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import wait_for_app
    from tests.chromium import ARGS, CHROMIUM

    with sync_playwright() as playwright:
        browsers = []

        def new_page():
            # A browser of its own for every page: a page behind another gets no animation frames.
            browsers.append(playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS))
            context = browsers[-1].new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
            context.add_init_script(WATCH)
            page = context.new_page()
            page.set_default_timeout(60_000)
            return page

        lead, bare_fill = new_page(), new_page()
        sign_in(lead, real_url, served.LEAD, passwords[served.LEAD])
        go(lead, "Fyll i")
        pick(lead, "_w_chosen_region_sv", "Region Västmanland")
        bare_fill.goto(f"{bare_url}/fyll-i")
        wait_for_app(bare_fill)
        fill = fill_clicks(lead, bare_fill, runs)
        while browsers:  # one page at a time in front of its own browser, the comparison's come next
            browsers.pop().close()

        analyst, bare_compare = new_page(), new_page()
        sign_in(analyst, real_url, served.ANALYST, passwords[served.ANALYST])
        go(analyst, "Jämförelse")
        pick(analyst, "_w_chosen_round_sv", "2025")
        bare_compare.goto(f"{bare_url}/jamforelse")
        wait_for_app(bare_compare)
        compare = compare_clicks(analyst, bare_compare, runs)
        while browsers:
            browsers.pop().close()
    return {"Fyll i, an answer click → “Sparat” shown (fragment rerun)": fill,
            "Jämförelse, the peer-group radio → page settled": compare}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    print("Streamlit settings on both servers: " + " ".join(served.flags()))
    load = os.getloadavg()
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="mognad-browser-") as name:
        folder = Path(name)
        url, passwords = served.demo_database(name)
        env = {**os.environ, "MOGNAD_DATABASE_URL": url}
        with served.server(served.mognad_argv(), env, folder / "mognad.log") as (real_url, _):
            setup = asyncio.run(_probe(real_url, passwords))  # what the real pages draw, for the bare ones
            entry = served.write_bare(folder, setup["counts"], setup["compare"], setup["plan"])
            counts = {k: v for k, v in setup["counts"].items() if k != "options"}
            print(f"bare Fyll i drawn like the real one: {counts}; bare Jämförelse: {setup['compare']}")
            with served.server([sys.executable, "-m", "streamlit", "run", str(entry), *served.flags()], env,
                               folder / "bare.log", cwd=folder) as (bare_url, _):
                found = measure(real_url, bare_url, passwords, args.runs)
    for name, times in found.items():
        (rp50, rp95), (bp50, bp95) = served.percentiles(times["real"]), served.percentiles(times["bare"])
        print(f"{name} ({args.runs} clicks each, taking turns)")
        print(f"  mognad  p50 {rp50 * 1000:7.1f} ms  p95 {rp95 * 1000:7.1f} ms")
        print(f"  bare    p50 {bp50 * 1000:7.1f} ms  p95 {bp95 * 1000:7.1f} ms   ratio p50 {rp50 / bp50:.2f}  "
              f"p95 {rp95 / bp95:.2f}")
    load = os.getloadavg()
    print(f"load average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


async def _probe(url: str, passwords: dict) -> dict:
    setup = await served.measure(url, passwords)
    for visitor in setup["visitors"]:
        await visitor.ws.close()  # the browser comes next: the probe's sessions end here
    return setup


if __name__ == "__main__":
    main()
