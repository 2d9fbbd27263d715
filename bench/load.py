"""Load harness: N simulated people signing in and answering at once, against a real `mognad serve`.

Each simulated person speaks Streamlit's own WebSocket protocol (the BackMsg/ForwardMsg protobufs the
browser sends and receives, `/_stcore/stream`), not a browser: a person is one connection that signs in
with the login form, opens Fyll i on a sheet of their own, and answers one indicator every ~2 s, as the
browser would — a change inside the indicator's fragment is sent with that fragment's id. Figures:
initial load (connect → first page finished), sign-in, click → page (or fragment) finished ("Sparat"),
errors, and the server's CPU and resident memory, read from /proc.

    .venv/bin/python bench/load.py [--users 10 30] [--seconds 60] [--ramp 30] [--url http://127.0.0.1:8501]
        [--database sqlite|postgresql] [--replicas 2] [--reconnect 60 --sample 30]

Without --url it sets up a fresh database (SQLite, or PostgreSQL: the test server in
MOGNAD_TEST_POSTGRES_URL or a throwaway cluster) with the demo data and one account and respondent sheet
per simulated person, starts one `mognad serve` — or several behind HAProxy with deploy/haproxy.cfg, the
deploy kit's proxy, where each person first loads the page for the sticky cookie as a browser does — and
stops them afterwards. A soak: `--seconds 600 --reconnect 60 --sample 30` keeps the people coming back as
new sessions and prints the servers' resident memory over time.
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
        headers = {"Cookie": self.cookie} if getattr(self, "cookie", "") else None
        self.ws = await websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=60,
                                           additional_headers=headers)
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


def prepare(url: str, users: int) -> str:
    """The demo data plus one account and one respondent sheet in region 19 per simulated person."""
    import store

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


def fresh_postgres(base: str, name: str) -> str:
    """A new, empty database on the PostgreSQL server behind `base` (a SQLAlchemy URL)."""
    import psycopg

    plain = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return base.rsplit("/", 1)[0] + "/" + name


def server_usage(pids: int | list[int]) -> tuple[float, int]:
    """(CPU seconds so far, resident memory in bytes), summed over the server processes."""
    pids = [pids] if isinstance(pids, int) else pids
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = rss = 0
    for pid in pids:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu += (int(stat[11]) + int(stat[12])) / ticks
        rss += next(int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                    if line.startswith("VmRSS:")) * 1024
    return cpu, rss


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy (every process: servers, database, proxy, this harness)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def affinity_cookie(url: str) -> str:
    """What a browser holds after loading the page: behind the proxy, the replica's sticky cookie."""
    import urllib.request

    with urllib.request.urlopen(url + "/", timeout=30) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
    return "; ".join(c.split(";", 1)[0] for c in cookies)


async def one(url: str, n: int, until: float, figures: dict, delay: float = 0.0, reconnect: float = 0.0) -> None:
    """One person: joins after `delay`, signs in, opens Fyll i and answers every ~2 s until `until`; with
    `reconnect`, closes the tab and comes back as a new session that often (a soak's churn of sessions)."""
    await asyncio.sleep(delay)  # people join over the ramp, as they do when a workshop starts
    while time.monotonic() < until:
        person = Person(url, f"partner{n:03d}@belastning.invalid")
        leave = min(until, time.monotonic() + reconnect) if reconnect else until
        try:
            person.cookie = await asyncio.to_thread(affinity_cookie, url)
            figures["load"].append(await person.connect())
            figures["sign_in"].append(await person.sign_in())
            await person.open_fill()
            await asyncio.sleep(random.uniform(0, 2))
            while time.monotonic() < leave:
                took = await person.answer()
                figures["answer"].append(took)
                if person.page.exceptions:
                    figures["errors"] += 1
                    figures["failures"].extend(t for t in person.page.texts if t.startswith("exception"))
                await asyncio.sleep(random.uniform(1.5, 2.5))
        except Exception as error:  # noqa: BLE001 — every failure is a figure, not a crash of the harness
            figures["errors"] += 1
            figures["failures"].append(f"{type(error).__name__}: {error}"[:200])
            await asyncio.sleep(1)
        finally:
            if hasattr(person, "ws"):
                await person.ws.close()


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


async def sample(pids: list[int], every: float, samples: list, start: float) -> None:
    """Resident memory over time, to show it levels off instead of growing with every run."""
    while True:
        samples.append((time.monotonic() - start, server_usage(pids)[1]))
        await asyncio.sleep(every)


async def run_load(url: str, users: int, seconds: float, pids: list[int], ramp: float = 0.0,
                   reconnect: float = 0.0, every: float = 0.0) -> dict:
    figures = {"load": [], "sign_in": [], "answer": [], "errors": 0, "failures": [], "rss_samples": []}
    before = server_usage(pids) if pids else None
    busy, harness = machine_busy(), time.process_time()
    start = time.monotonic()
    until = start + seconds
    sampler = asyncio.create_task(sample(pids, every, figures["rss_samples"], start)) if pids and every else None
    await asyncio.gather(*(one(url, n, until, figures, ramp * n / max(1, users), reconnect) for n in range(users)))
    if sampler:
        sampler.cancel()
    elapsed = time.monotonic() - start
    figures["machine"] = (machine_busy() - busy) / elapsed
    figures["harness"] = (time.process_time() - harness) / elapsed
    if pids:
        after = server_usage(pids)
        figures["cpu"] = (after[0] - before[0]) / elapsed
        figures["rss_before"] = before[1]
        figures["rss_growth"] = after[1] - before[1]
        figures["rss"] = after[1]
    return figures


class Topology:
    """One `mognad serve`, or several behind HAProxy with deploy/haproxy.cfg (sticky cookie, WebSocket)."""

    def __init__(self, database_url: str, replicas: int, folder: str):
        from cli.serve import command
        from tests.browser.conftest import free_port, wait_healthy

        env = {**os.environ, "MOGNAD_DATABASE_URL": database_url}
        self.processes, self.proxy, ports = [], None, []
        for _ in range(replicas):
            port = free_port()
            self.processes.append(subprocess.Popen(command(port, "127.0.0.1"), cwd=ROOT, env=env,
                                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            ports.append(port)
        for port, process in zip(ports, self.processes, strict=True):
            wait_healthy(f"http://127.0.0.1:{port}", process)
        self.ports = ports
        self.url = f"http://127.0.0.1:{ports[0]}"
        if replicas > 1:
            config = Path(folder) / "haproxy.cfg"
            text = (ROOT / "deploy" / "haproxy.cfg").read_text()
            extra = "".join(f'    server replica{i} "127.0.0.1:{port}" check cookie r{i}\n'
                            for i, port in enumerate(ports[2:], start=3))
            config.write_text(text + extra)  # replicas beyond the file's two, when asked for
            proxy_port = free_port()
            proxy_env = {**os.environ, "MOGNAD_PROXY_BIND": f"127.0.0.1:{proxy_port}",
                         "MOGNAD_REPLICA_1": f"127.0.0.1:{ports[0]}", "MOGNAD_REPLICA_2": f"127.0.0.1:{ports[1]}"}
            proxy_env.pop("MOGNAD_TLS_CERT", None)
            self.proxy = subprocess.Popen(["haproxy", "-db", "-f", str(config)], env=proxy_env,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.url = f"http://127.0.0.1:{proxy_port}"
            wait_healthy(self.url, self.proxy)

    async def warm(self) -> float:
        """One page load on each replica before the clock starts: a server imports the app's libraries on its
        first session (the cold start is bench/app.py's figure, not a load figure)."""
        start = time.perf_counter()
        for port in self.ports:
            person = Person(f"http://127.0.0.1:{port}", "")
            await person.connect()
            await person.ws.close()
        return time.perf_counter() - start

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    def stop(self) -> None:
        for process in [*self.processes, *([self.proxy] if self.proxy else [])]:
            process.terminate()
        for process in [*self.processes, *([self.proxy] if self.proxy else [])]:
            process.wait(timeout=30)


def report(users: int, args, figures: dict, label: str) -> None:
    ms = lambda values, q: p(values, q) * 1000  # noqa: E731
    print(f"{label}: {users} users joining over {args.ramp:.0f} s, {args.seconds:.0f} s"
          f"{f', a new session every {args.reconnect:.0f} s' if args.reconnect else ''}: "
          f"{len(figures['answer'])} answers, {figures['errors']} errors")
    print(f"  initial load  p50 {ms(figures['load'], .5):7.0f} ms  p95 {ms(figures['load'], .95):7.0f} ms")
    print(f"  sign-in       p50 {ms(figures['sign_in'], .5):7.0f} ms  p95 {ms(figures['sign_in'], .95):7.0f} ms")
    print(f"  answer→Sparat p50 {ms(figures['answer'], .5):7.0f} ms  p95 {ms(figures['answer'], .95):7.0f} ms")
    if "cpu" in figures:
        print(f"  server CPU {figures['cpu']:.2f} cores, RSS {figures['rss'] / 2**20:.0f} MB "
              f"(from {figures['rss_before'] / 2**20:.0f} MB, growth {figures['rss_growth'] / 2**20:+.0f} MB)")
    print(f"  the whole machine {figures['machine']:.2f} of {os.cpu_count()} cores busy, of which this harness "
          f"{figures['harness']:.2f}")
    if figures["rss_samples"]:
        print("  RSS over time: " + ", ".join(f"{t / 60:.0f} min {rss / 2**20:.0f} MB"
                                               for t, rss in figures["rss_samples"]))
    for failure in sorted(set(figures["failures"]))[:5]:
        print(f"  failure: {failure}")
    if figures["answer"]:
        print(f"  answers per second {len(figures['answer']) / args.seconds:.1f}; "
              f"mean {statistics.mean(figures['answer']) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, nargs="+", default=[10, 30])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--url", help="an already running server (nothing is set up or measured on it)")
    parser.add_argument("--ramp", type=float, default=0.0, help="seconds over which people join (0: all at once)")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite",
                        help="postgresql: MOGNAD_TEST_POSTGRES_URL's server, else a throwaway cluster (run.py)")
    parser.add_argument("--replicas", type=int, default=1, help="2 or more: behind HAProxy (deploy/haproxy.cfg)")
    parser.add_argument("--reconnect", type=float, default=0.0,
                        help="each person closes the tab and comes back as a new session this often (s)")
    parser.add_argument("--sample", type=float, default=0.0, help="print the servers' RSS this often (s)")
    args = parser.parse_args()

    postgres, stop_postgres = os.environ.get("MOGNAD_TEST_POSTGRES_URL"), None
    if args.database == "postgresql" and not postgres and not args.url:
        import run

        postgres, stop_postgres = run.start_postgres()
    try:
        for users in args.users:
            with tempfile.TemporaryDirectory(prefix="mognad-load-") as folder:
                topology, url, pids = None, args.url, []
                if url is None:
                    database = (fresh_postgres(postgres, "mognad_load") if args.database == "postgresql"
                                else f"sqlite:///{folder}/mognad.sqlite")
                    topology = Topology(prepare(database, users), args.replicas, folder)
                    url, pids = topology.url, topology.pids
                    print(f"warm-up (first page on each replica): {asyncio.run(topology.warm()):.1f} s")
                label = (f"{args.database}, {args.replicas} replica{'s behind HAProxy' if args.replicas > 1 else ''}"
                         if topology else url)
                try:
                    figures = asyncio.run(run_load(url, users, args.seconds, pids, args.ramp, args.reconnect,
                                                   args.sample))
                finally:
                    if topology is not None:
                        topology.stop()
            report(users, args, figures, label)
    finally:
        if stop_postgres:
            stop_postgres()


if __name__ == "__main__":
    main()
