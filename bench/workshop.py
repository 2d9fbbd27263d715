"""Workshop load: N phones voting on one indicator while the facilitator's console counts, through the app's own
server (`mognad serve`'s command line, `--runner.postScriptGC=false` included) on a fresh demo SQLite database.

The Streamlit WebSocket protocol is bench/load.py's: `Person` (connect, rerun a page or a fragment with widget
states, read the deltas), `server_usage` (/proc CPU and RSS) and `p` (percentiles) are imported from there, not
copied. What is added here: a cookie on the WebSocket handshake, and a tap on the socket that timestamps every
ForwardMsg as it arrives (alerts, metrics, the fragments' `auto_rerun` timers).

Each simulated participant, like a phone:
  1. joins over plain HTTP: GET /delta?kod=… (the form's CSRF cookie and token), then POST /delta with
     form_token, kod, grupp, namn → the `mognad_deltagare` cookie of the 303 (each from an address of its own
     in X-Forwarded-For, which uvicorn trusts from loopback, so that many runs in a row stay inside
     store/workshops.py's limit of 80 seats per address in 10 minutes);
  2. opens /rosta over the WebSocket with that cookie;
  3. once a second reruns the page's `follow` fragment, as the browser's run_every timer does (one indexed
     query, nothing written: the floor), and every ~2 s changes its vote — two values in turn, so each is a real
     change — by sending the radio's new value with the `ballot` fragment's id.
One facilitator (a lead of region 19, signed in with the login form) is on /workshop with the workshop chosen
and reruns its `live` fragment once a second, like the browser.

Figures per run:
  click→Sparat   sending the radio value → the "Din röst är sparad: <value>" alert arriving;
  vote→counter   the k-th first vote sent → the facilitator's rendered metric first showing "k av N har röstat"
                 (only first votes move the count: N samples a run; first votes are spread over the first ~10 s);
  floor          the round trip of a `follow` fragment rerun that writes nothing, in the same run;
  CPU s          the server process's CPU seconds during the voting phase (/proc/<pid>/stat);
  RSS/p          the server's resident memory growth from before the phones connected to the end, per participant.
Each simulated phone sends one run at a time and waits for it (a poll and a click never overlap on one phone;
the server runs a session's scripts one at a time anyway). The simulator shares the machine's cores with the
server, so the figures are an upper bound for the server on its own.

    .venv/bin/python bench/workshop.py [--participants 10 20 30] [--seconds 120]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import websockets  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

from bench.load import PASSWORD, Person, p, server_usage  # noqa: E402

FACILITATOR = "samtalsledare@belastning.invalid"
GROUPS = ("region", "kommun", "af")
INDICATOR = "D1.1"
COUNTER = re.compile(r"(\d+) av (\d+) har röstat")
SAVED = "Din röst är sparad: "
FIRST_VOTES_WITHIN = 10.0  # s: people do not all vote in the same second


class Tap:
    """The WebSocket, with the time each ForwardMsg arrived and what it said (alerts, metrics, timers)."""

    def __init__(self, ws, owner: Client):
        self.ws, self.owner = ws, owner

    async def send(self, data) -> None:
        await self.ws.send(data)

    async def close(self) -> None:
        await self.ws.close()

    async def recv(self):
        raw = await self.ws.recv()
        now = time.perf_counter()
        message = ForwardMsg()
        message.ParseFromString(raw)
        kind = message.WhichOneof("type")
        if kind == "auto_rerun":
            self.owner.timers[message.auto_rerun.fragment_id] = message.auto_rerun.interval
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            shown = element.WhichOneof("type")
            if shown == "metric":
                self.owner.heard.append((now, element.metric.body))
            elif shown == "alert":
                self.owner.heard.append((now, element.alert.body))
        return raw


class Client(Person):
    """bench/load.py's Person with a cookie on the handshake and a tapped socket."""

    def __init__(self, url: str, email: str = "", cookie: str | None = None):
        super().__init__(url, email)
        self.cookie = cookie
        self.heard: list[tuple[float, str]] = []
        self.timers: dict[str, float] = {}  # fragment id → run_every seconds

    async def connect(self) -> float:
        ws_url = self.url.replace("http://", "ws://") + "/_stcore/stream"
        headers = {"Cookie": f"mognad_deltagare={self.cookie}"} if self.cookie else {}
        start = time.perf_counter()
        self.ws = Tap(await websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=60,
                                               additional_headers=headers), self)
        await self.rerun()
        return time.perf_counter() - start

    async def open(self, path: str) -> float:
        self.states.clear()
        self.timers.clear()
        return await self.rerun(page=self.pages[path])

    async def tick(self) -> float:
        """The page's run_every fragment, as the browser's timer sends it."""
        (fragment,) = self.timers
        return await self.rerun(fragment=fragment)


# -- set-up ---------------------------------------------------------------------------------------------------------

def prepare(folder: str) -> tuple[str, int, str]:
    """(database URL, workshop id, room code): the demo data, a facilitator account of our own (load.py's password,
    so its sign-in works), and an open workshop on region 19's 2026 assessment, showing D1.1."""
    import store
    from store import workshops

    url = f"sqlite:///{folder}/mognad.sqlite"
    db = store.Database(url)
    db.upgrade()
    store.load_demo(db)
    system = store.system_identity("bench")
    store.create_user(db, system, FACILITATOR, "Samtalsledare", password=PASSWORD, regions={"19": "lead"})
    lead = store.identity_for_email(db, FACILITATOR)
    assessment = store.get_assessment(db, lead, "19", "2026")
    planned = workshops.create_workshop(db, lead, assessment.id, "Belastningsworkshop", [INDICATOR, "D1.2"],
                                        list(GROUPS))
    opened = workshops.open_workshop(db, lead, planned.id)
    workshops.show_indicator(db, lead, opened.id, INDICATOR)
    db.dispose()
    return url, opened.id, opened.code


async def join(http: httpx.AsyncClient, code: str, n: int) -> str:
    """One phone's join through /delta; the seat's secret from the cookie."""
    address = {"X-Forwarded-For": f"10.77.{n // 250}.{n % 250 + 1}"}
    page = await http.get("/delta", params={"kod": code, "lang": "sv"}, headers=address)
    page.raise_for_status()
    token = re.search(r'name="form_token" value="([^"]+)"', page.text).group(1)
    form = {"form_token": token, "kod": code, "grupp": GROUPS[n % len(GROUPS)], "namn": f"Deltagare {n}"}
    done = await http.post("/delta", params={"lang": "sv"}, data=form,
                           headers={**address, "Origin": str(http.base_url).rstrip("/")},
                           cookies={"mognad_form": page.cookies["mognad_form"]})
    if done.status_code != 303 or "mognad_deltagare" not in done.cookies:
        raise RuntimeError(f"join {n}: {done.status_code} {done.text[:200]}")
    return done.cookies["mognad_deltagare"]


# -- the run ----------------------------------------------------------------------------------------------------------

async def phone(client: Client, start: float, until: float, figures: dict) -> None:
    ballot = next(key for key in client.page.widgets if key.startswith("ballot_") and not key.endswith("_saved"))
    ident, _, radio = client.page.widgets[ballot]
    fragment = client.page.fragments[ident]
    values = [radio.options[2], radio.options[3]]  # "2 Under uppbyggnad – …", "3 Etablerad – …"
    turn = random.randrange(2)
    next_vote = start + random.uniform(0, min(FIRST_VOTES_WITHIN, (until - start) / 4))
    first = True
    tick = start + random.uniform(0, 1)
    while True:
        await asyncio.sleep(max(0.0, tick - time.monotonic()))
        if time.monotonic() >= until:
            return
        figures["floor"].append(await client.tick())
        if client.page.exceptions:
            figures["errors"] += 1
        if time.monotonic() >= next_vote:
            value = values[turn]
            turn = 1 - turn
            heard = len(client.heard)
            sent = time.perf_counter()
            await client.rerun([WidgetState(id=ident, string_value=value)], fragment=fragment)
            level = value.split(" ", 2)[:2]
            saved = next((at for at, text in client.heard[heard:] if text.startswith(f"{SAVED}{' '.join(level)}")),
                         None)
            if saved is None:
                figures["errors"] += 1
                figures["failures"].append("no confirmation: " + " | ".join(t for _, t in client.heard[heard:])[:200])
            else:
                figures["saved"].append(saved - sent)
            if first:
                figures["first_votes"].append(sent)
                first = False
            next_vote = time.monotonic() + random.uniform(1.0, 2.0)  # the next tick but one: ~2 s
        tick += 1.0


async def facilitator(client: Client, until: float, figures: dict) -> None:
    while time.monotonic() < until:
        started = time.monotonic()
        await client.tick()
        await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
    for at, text in client.heard:
        counted = COUNTER.search(text)
        if counted:
            figures["counter"].setdefault(int(counted.group(1)), at)


async def run(url: str, code: str, participants: int, seconds: float, pid: int) -> dict:
    figures = {"saved": [], "floor": [], "first_votes": [], "counter": {}, "errors": 0, "failures": []}
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        secrets = [await join(http, code, n) for n in range(participants)]
    lead = Client(url, FACILITATOR)
    await lead.connect()
    await lead.sign_in()
    await lead.open("workshop")
    assert lead.timers, "the console's live fragment did not start"
    phones = [Client(url, cookie=secret) for secret in secrets]
    before = server_usage(pid)
    for one in phones:  # a room's phones open the page within seconds of each other
        await one.connect()
        await one.open("rosta")
    settle_until = time.monotonic() + 2
    while time.monotonic() < settle_until:  # every phone's first poll: the page as the room will see it
        await asyncio.gather(*(one.tick() for one in phones))
    cpu_start = server_usage(pid)[0]
    start = time.monotonic()
    until = start + seconds
    await asyncio.gather(facilitator(lead, until + 3, figures),
                         *(phone(one, start, until, figures) for one in phones))
    after = server_usage(pid)
    figures["cpu"] = after[0] - cpu_start
    figures["rss_growth"] = after[1] - before[1]
    figures["rss"] = after[1]
    figures["elapsed"] = time.monotonic() - start
    for one in [lead, *phones]:
        await one.ws.close()
    sent = sorted(figures["first_votes"])
    figures["to_counter"] = [figures["counter"][k] - sent[k - 1] for k in range(1, len(sent) + 1)
                             if k in figures["counter"]]
    missing = [k for k in range(1, len(sent) + 1) if k not in figures["counter"]]
    # counts that jumped (two votes inside one poll) are seen at the next higher count's time
    for k in missing:
        later = min((figures["counter"][j] for j in figures["counter"] if j > k), default=None)
        if later is not None:
            figures["to_counter"].append(later - sent[k - 1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, nargs="+", default=[10, 20, 30])
    parser.add_argument("--seconds", type=float, default=120, help="voting time per run (default 120 s)")
    args = parser.parse_args()
    from cli.serve import command
    from tests.browser.conftest import free_port, wait_healthy

    rows = []
    for participants in args.participants:
        with tempfile.TemporaryDirectory(prefix="mognad-workshop-") as folder:
            database, _, code = prepare(folder)
            env = {**os.environ, "MOGNAD_DATABASE_URL": database, "MOGNAD_DATA_DIR": folder}
            env.pop("MOGNAD_PUBLIC_URL", None)
            port = free_port()
            process = subprocess.Popen(command(port, "127.0.0.1"), cwd=ROOT, env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            url = f"http://127.0.0.1:{port}"
            try:
                wait_healthy(url, process)
                figures = asyncio.run(run(url, code, participants, args.seconds, process.pid))
            finally:
                process.terminate()
                process.wait(timeout=20)
        rows.append((participants, figures))
        for failure in sorted(set(figures["failures"]))[:5]:
            print(f"  {participants} participants, failure: {failure}")

    ms = lambda values, q: p(values, q) * 1000  # noqa: E731
    print(f"\nworkshop voting, {args.seconds:.0f} s per run; one facilitator console polling every 1 s; "
          f"every phone polls every 1 s and votes every ~2 s")
    head = (f"{'phones':>6} {'votes':>6} {'err':>4} | {'click→Sparat p50/p95 ms':>23} | {'vote→counter p50/p95 ms':>23} |"
            f" {'floor p50/p95 ms':>16} | {'CPU s':>6} {'CPU/s':>5} | {'RSS MB':>6} {'+MB/phone':>9} | {'ratio':>5}")
    print(head)
    print("-" * len(head))
    for participants, f in rows:
        ratio = p(f["saved"], .5) / p(f["floor"], .5) if f["floor"] and f["saved"] else float("nan")
        print(f"{participants:>6} {len(f['saved']):>6} {f['errors']:>4} | "
              f"{ms(f['saved'], .5):>10.0f} / {ms(f['saved'], .95):>10.0f} | "
              f"{ms(f['to_counter'], .5):>10.0f} / {ms(f['to_counter'], .95):>10.0f} | "
              f"{ms(f['floor'], .5):>7.0f} / {ms(f['floor'], .95):>6.0f} | "
              f"{f['cpu']:>6.1f} {f['cpu'] / f['elapsed']:>5.2f} | {f['rss'] / 2**20:>6.0f} "
              f"{f['rss_growth'] / 2**20 / participants:>+9.2f} | {ratio:>5.1f}")
    print("ratio: click→Sparat p50 / floor p50 (a follow-fragment rerun that writes nothing, same run). "
          "CPU/s: server cores busy. vote→counter: the k-th first vote sent → the console's metric shows k.")


if __name__ == "__main__":
    main()
