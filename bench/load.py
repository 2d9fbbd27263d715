"""Load harness: N simulated people signing in and answering at once, against a real `mognad serve`.

Each simulated person speaks Streamlit's own WebSocket protocol (the BackMsg/ForwardMsg protobufs the
browser sends and receives, `/_stcore/stream`), not a browser: a person is one connection that signs in
with the login form, opens Fyll i on a sheet of their own, and answers one indicator every ~2 s, as the
browser would — a change inside the indicator's fragment is sent with that fragment's id. Figures:
initial load (connect → first page finished), sign-in, click → page (or fragment) finished ("Sparat"),
errors, and the server's CPU and resident memory, read from /proc.

    .venv/bin/python bench/load.py [--users 10 30] [--seconds 60] [--url http://127.0.0.1:8501]

Without --url it sets up a fresh SQLite database with the demo data and one account and respondent sheet
per simulated person, starts one `mognad serve` and stops it afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

PASSWORD = "belastning-2026-lösenord"
WIDGETS = ("text_input", "radio", "button", "selectbox", "text_area", "checkbox", "button_group")


@dataclass
class Page:
    """What one run showed: widgets by their key, the fragment each sits in, texts, exceptions."""

    widgets: dict[str, tuple[str, str, object]] = field(default_factory=dict)  # key → (id, type, element)
    fragments: dict[str, str] = field(default_factory=dict)  # widget id → fragment id
    texts: list[str] = field(default_factory=list)
    exceptions: int = 0


class Person:
    def __init__(self, url: str, email: str):
        self.url, self.email = url, email
        self.states: dict[str, WidgetState] = {}
        self.pages: dict[str, str] = {}
        self.page = Page()
        self.page_hash = ""

    async def connect(self) -> float:
        ws_url = self.url.replace("http://", "ws://").replace("https://", "wss://") + "/_stcore/stream"
        start = time.perf_counter()
        self.ws = await websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=60)
        await self.rerun()
        return time.perf_counter() - start

    async def rerun(self, changes: list[WidgetState] = (), fragment: str = "", page: str | None = None) -> float:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = ""
        state.page_script_hash = page if page is not None else self.page_hash
        if fragment:
            state.fragment_id = fragment
        for change in changes:
            if not change.HasField("trigger_value"):
                self.states[change.id] = change
        sent = {**self.states, **{c.id: c for c in changes}}
        state.widget_states.widgets.extend(sent.values())
        start = time.perf_counter()
        await self.ws.send(message.SerializeToString())
        seen = Page() if not fragment else self.page
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=120)
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in forward.navigation.app_pages}
                self.page_hash = forward.navigation.page_script_hash or self.page_hash
            elif kind == "new_session":
                self.page_hash = forward.new_session.page_script_hash or self.page_hash
            elif kind == "delta":
                self._read(forward, seen)
            elif kind == "script_finished":
                if forward.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    seen = Page()  # the page asked for another run (st.rerun): what counts is that one
                    continue
                self.page = seen
                return time.perf_counter() - start

    def _read(self, forward: ForwardMsg, seen: Page) -> None:
        delta = forward.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            seen.exceptions += 1
            seen.texts.append(f"exception: {element.exception.type}: {element.exception.message}")
        elif kind == "markdown":
            seen.texts.append(element.markdown.body)
        elif kind in WIDGETS:
            widget = getattr(element, kind)
            ident = widget.id
            key = ident.rsplit("-", 1)[-1] if ident.startswith("$$ID") else ident
            seen.widgets[key] = (ident, kind, widget)
            if delta.fragment_id:
                seen.fragments[ident] = delta.fragment_id

    async def sign_in(self) -> float:
        email_id = self.page.widgets["login_email"][0]
        password_id = self.page.widgets["login_password"][0]
        submit = next(ident for key, (ident, kind, w) in self.page.widgets.items()
                      if kind == "button" and getattr(w, "is_form_submitter", False))
        changes = [WidgetState(id=email_id, string_value=self.email),
                   WidgetState(id=password_id, string_value=PASSWORD),
                   WidgetState(id=submit, trigger_value=True)]
        took = await self.rerun(changes)
        took += await self.rerun()  # the page reruns itself after signing in
        return took

    async def open_fill(self) -> float:
        page = next(h for path, h in self.pages.items() if path == "fyll-i")
        self.states.clear()
        return await self.rerun(page=page)

    async def answer(self) -> float:
        radios = [(ident, widget) for key, (ident, kind, widget) in self.page.widgets.items()
                  if kind == "radio" and key.startswith("answer_")]
        ident, widget = random.choice(radios)
        option = widget.options[random.randrange(5)]  # a radio's value travels as its option's text
        return await self.rerun([WidgetState(id=ident, string_value=option)],
                                fragment=self.page.fragments.get(ident, ""))


def prepare(folder: str, users: int) -> str:
    import store

    url = f"sqlite:///{folder}/mognad.sqlite"
    db = store.Database(url)
    db.upgrade()
    store.load_demo(db)
    system = store.system_identity("bench")
    assessment = store.get_assessment(db, system, "19", "2026")
    for n in range(users):
        email = f"partner{n:03d}@belastning.invalid"
        store.create_user(db, system, email, f"Partner {n}", password=PASSWORD)
        store.add_respondent(db, system, assessment.id, f"Partner {n}", "kommun", user_email=email)
    db.dispose()
    return url


def server_usage(pid: int) -> tuple[float, int]:
    """(CPU seconds so far, resident memory in bytes) of a process and its children."""
    ticks = os.sysconf("SC_CLK_TCK")
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(stat[11]) + int(stat[12])) / ticks
    rss = next(int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
               if line.startswith("VmRSS:")) * 1024
    return cpu, rss


async def one(url: str, n: int, until: float, figures: dict, delay: float = 0.0) -> None:
    person = Person(url, f"partner{n:03d}@belastning.invalid")
    await asyncio.sleep(delay)  # people join over the ramp, as they do when a workshop starts
    try:
        figures["load"].append(await person.connect())
        figures["sign_in"].append(await person.sign_in())
        await person.open_fill()
        await asyncio.sleep(random.uniform(0, 2))
        while time.monotonic() < until:
            took = await person.answer()
            figures["answer"].append(took)
            if person.page.exceptions:
                figures["errors"] += 1
            await asyncio.sleep(random.uniform(1.5, 2.5))
    except Exception as error:  # noqa: BLE001 — every failure is a figure, not a crash of the harness
        figures["errors"] += 1
        figures["failures"].append(f"{type(error).__name__}: {error}"[:200])
    finally:
        if hasattr(person, "ws"):
            await person.ws.close()


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


async def run_load(url: str, users: int, seconds: float, pid: int | None, ramp: float = 0.0) -> dict:
    figures = {"load": [], "sign_in": [], "answer": [], "errors": 0, "failures": []}
    before = server_usage(pid) if pid else None
    start = time.monotonic()
    until = start + seconds
    await asyncio.gather(*(one(url, n, until, figures, ramp * n / max(1, users)) for n in range(users)))
    elapsed = time.monotonic() - start
    if pid:
        after = server_usage(pid)
        figures["cpu"] = (after[0] - before[0]) / elapsed
        figures["rss_growth"] = after[1] - before[1]
        figures["rss"] = after[1]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, nargs="+", default=[10, 30])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--url")
    parser.add_argument("--ramp", type=float, default=0.0, help="seconds over which people join (0: all at once)")
    args = parser.parse_args()
    from cli.serve import command
    from tests.browser.conftest import free_port, wait_healthy

    for users in args.users:
        with tempfile.TemporaryDirectory(prefix="mognad-load-") as folder:
            process, url = None, args.url
            if url is None:
                env = {**os.environ, "MOGNAD_DATABASE_URL": prepare(folder, users)}
                port = free_port()
                process = subprocess.Popen(command(port, "127.0.0.1"), cwd=ROOT, env=env,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                url = f"http://127.0.0.1:{port}"
                wait_healthy(url, process)
            try:
                figures = asyncio.run(run_load(url, users, args.seconds, process.pid if process else None,
                                               args.ramp))
            finally:
                if process is not None:
                    process.terminate()
                    process.wait(timeout=20)
        ms = lambda values, q: p(values, q) * 1000  # noqa: E731
        print(f"{users} users joining over {args.ramp:.0f} s, {args.seconds:.0f} s: {len(figures['answer'])} answers, "
              f"{figures['errors']} errors")
        print(f"  initial load  p50 {ms(figures['load'], .5):7.0f} ms  p95 {ms(figures['load'], .95):7.0f} ms")
        print(f"  sign-in       p50 {ms(figures['sign_in'], .5):7.0f} ms  p95 {ms(figures['sign_in'], .95):7.0f} ms")
        print(f"  answer→Sparat p50 {ms(figures['answer'], .5):7.0f} ms  p95 {ms(figures['answer'], .95):7.0f} ms")
        if "cpu" in figures:
            print(f"  server CPU {figures['cpu']:.2f} cores, RSS {figures['rss'] / 2**20:.0f} MB "
                  f"(growth {figures['rss_growth'] / 2**20:+.0f} MB)")
        for failure in sorted(set(figures["failures"]))[:5]:
            print(f"  failure: {failure}")
        if figures["answer"]:
            print(f"  answers per second {len(figures['answer']) / args.seconds:.1f}; "
                  f"mean {statistics.mean(figures['answer']) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
