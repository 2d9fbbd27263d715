"""A fictional demo data set, clearly labelled, for trying mognad out and for showing it to people.

All 21 regions, two rounds ("2025" closed and published, "2026" open), two to five respondents per
assessment with realistic variety (disagreement, "na" and "dk", incomplete drafts, answers changed
over time), action plans in mixed states for some regions, and one demo account per role whose
passwords are generated now and shown once. Beside them, a pilot of instrument version 2 ("2025-pilot",
four regions, closed and not published, opened between the two): role-balanced panels, "na" only where the
indicator allows it, comments. The pilot is drawn last and from a random source of its own, so the rounds
2025 and 2026 are exactly what they are without it. The data are deterministic (seeded); nothing in them
describes any real region's work. `is_demo()` lets the app show a banner.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import statistics
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, select

from questionnaires import crosswalk, load, load_regions
from questionnaires.actionplan import PlanItem
from questionnaires.answers import code
from questionnaires.model import DK, NA, Questionnaire
from questionnaires.text import Catalogue
from store import audit, auth, migrate, plans, reference
from store import respondents as sheets
from store.answers import Change, write_many
from store.database import Database
from store.errors import NotEmpty
from store.identity import Identity
from store.schema import assessments, memberships, meta, plan_actions, rounds, users
from store.schema import plans as plan_table

SEED = 20250203
DOMAIN = "demo.invalid"  # a reserved top-level domain: no demo address can ever reach anyone
PREFERRED = "regional-validering@1"
FALLBACK = Path(__file__).resolve().parent.parent / "questionnaires" / "examples" / "metodexempel.yaml"
UTC = dt.UTC

ROUNDS = (
    # label, opened, closed, published, answering window
    ("2025", dt.datetime(2025, 2, 3, 8, tzinfo=UTC), dt.datetime(2025, 11, 28, 15, tzinfo=UTC),
     dt.datetime(2025, 12, 10, 9, tzinfo=UTC), (dt.datetime(2025, 2, 10, tzinfo=UTC), dt.datetime(2025, 10, 31, tzinfo=UTC))),
    ("2026", dt.datetime(2026, 2, 2, 8, tzinfo=UTC), None, None,
     (dt.datetime(2026, 2, 9, tzinfo=UTC), dt.datetime(2026, 6, 30, tzinfo=UTC))),
)
NEVER_SUBMITTED_2025 = {"23"}  # one region that did not finish in time
DRAFT_2026 = {"19", "09", "23", "25"}  # still working (19: the demo respondent can answer)
REOPENED_2026 = {"07"}
PLANS_2025 = ("01", "03", "06", "12", "14", "19", "20", "24")
PLANS_2026 = ("03", "12", "14")

# The version-2 pilot: four regions try instrument version 2 in the autumn of 2025 (docs/instrument.md,
# "Known limits of version 2": a 3–4 region pilot before the first national comparison).
PILOT_QUESTIONNAIRE = "regional-validering@2"
PILOT = "2025-pilot"
PILOT_ROUND = (dt.datetime(2025, 9, 1, 8, tzinfo=UTC), dt.datetime(2025, 12, 12, 15, tzinfo=UTC),
               (dt.datetime(2025, 9, 8, tzinfo=UTC), dt.datetime(2025, 11, 28, tzinfo=UTC)))
PILOT_REGIONS = ("03", "09", "19", "25")  # Uppsala, Gotland, Västmanland, Norrbotten
PILOT_OTHERS = ("bransch", "fack", "utbildning", "larosate", "annan")  # one or two of these join each panel
PILOT_NA = {"09": ("D2.2", "D4.3"),  # Gotland is one municipality (the guidance's reason for "ej relevant")
            "25": ("D9.4",)}  # no validation project ended in the last five years (fictional)
PILOT_NAMES = {
    "region": ("Regionens valideringssamordnare", "Samordnare för kompetensförsörjning"),
    "kommun": ("Vuxenutbildningen i Exempelby", "Komvux Exempelstad", "Kommunförbundet i Exempellänet"),
    "af": ("Arbetsförmedlingen, regional kontakt", "Arbetsförmedlingen, lokalt kontor"),
    "bransch": ("Branschråd vård och omsorg", "Industriföretagen i Exempellänet"),
    "fack": ("Fackförbundets regionala ombud", "Omställningsorganisationens regionala kontakt"),
    "utbildning": ("Anordnare av yrkeshögskoleutbildning Exempel", "Folkhögskolan Exempelgården",
                   "Studieförbundet Exempel"),
    "larosate": ("Högskolan i Exempelstad, studievägledningen", "Universitetets antagningsenhet, Exempelstad"),
    "annan": ("Integrationsenheten, Exempelstad",),
}
PILOT_COMMENTS = (
    "Andelen av länets invånare är räknad på SCB:s folkmängd per kommun (fiktivt).",
    "Bedömt mot de fem yrkesområden med störst brist, eftersom prioriteringslistan saknas (fiktivt).",
    "Nivån diskuterades i valideringsforumet (fiktivt).",
    "Underlaget är protokollet från samrådet om regionalt yrkesvux (fiktivt).",
    "Vi vet inte hur många som avbryter en validering (fiktivt).",
)
NA_COMMENTS = {
    "D2.2": "Gotland är en enda kommun, så det finns ingen samverkan mellan kommuner att bedöma (fiktivt).",
    "D4.3": "En enda kommun: frågan om stöd till kommunerna gäller inte här (fiktivt).",
    "D9.4": "Inget valideringsprojekt har avslutats de senaste fem åren (fiktivt).",
}

ACCOUNTS = (
    # e-mail, name, national role, region roles, what to show
    (f"admin@{DOMAIN}", "Demo Admin (fiktiv)", "admin", {}, "nationell administratör / national admin"),
    (f"analytiker@{DOMAIN}", "Demo Analytiker (fiktiv)", "analyst", {}, "nationell analytiker / national analyst"),
    (f"ledare@{DOMAIN}", "Demo Ledare (fiktiv)", None, {"19": "lead", "03": "lead"}, "regional ledare 19 + 03 / lead"),
    (f"respondent@{DOMAIN}", "Demo Respondent (fiktiv)", None, {"19": "respondent"}, "respondent 19 (2026)"),
    (f"lasare@{DOMAIN}", "Demo Läsare (fiktiv)", None, {"19": "viewer"}, "läsare 19 / viewer"),
)

RESPONDENT_NAMES = {
    "region": ("Samordnare för kompetensförsörjning", "Regionens valideringssamordnare"),
    "kommun": ("Vuxenutbildningen i Exempelby", "Komvux Exempelstad", "Kommunförbundet i Exempellänet"),
    "af": ("Arbetsförmedlingen, regional kontakt", "Arbetsförmedlingen, lokalt kontor"),
    "bransch": ("Branschråd vård och omsorg", "Byggbranschens yrkesnämnd, regionalt", "Industriföretagen i Exempellänet"),
    "utbildning": ("Yrkeshögskolan Exempel", "Folkhögskolan Exempelgården", "Exempelstads tekniska college"),
    "annan": ("Studieförbundet Exempel", "Integrationsenheten, Exempelstad"),
}
COMMENTS = (
    "Beslut i regional utvecklingsnämnd finns (fiktivt exempel).",
    "Arbetet pågår i ett projekt som avslutas i år (fiktivt).",
    "Vi saknar uppföljningsdata för detta (fiktivt).",
    "Överenskommelse med tre av kommunerna, inte alla (fiktivt).",
    "Bedömningen diskuterades i regionens valideringsråd (fiktivt).",
    "Osäkert – olika bilder hos parterna (fiktivt).",
)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str  # shown once; only its hash is stored
    role: str


@dataclass(frozen=True)
class DemoResult:
    questionnaire: str
    accounts: tuple[DemoAccount, ...]
    assessments: int
    respondents: int
    answers: int


def is_demo(db: Database) -> bool:
    """True when the database holds the fictional demo data (the app shows a banner)."""
    if db.schema_state()[0] != "current":
        return False
    with db.reading() as conn:
        return conn.execute(select(meta.c.value).where(meta.c.key == "demo")).scalar() == "1"


def demo_questionnaire() -> Questionnaire:
    return reference.shipped(PREFERRED) or load(FALLBACK)


def load_demo(db: Database, force: bool = False, seed: int = SEED) -> DemoResult:
    """Replace an empty database (or, with `force`, any database) with the demo data set."""
    if not force and not db.is_empty():
        raise NotEmpty("not_empty")
    q = demo_questionnaire()
    pilot_q = reference.shipped(PILOT_QUESTIONNAIRE)
    accounts = tuple(DemoAccount(email, secrets.token_urlsafe(12), shown) for email, _, _, _, shown in ACCOUNTS)
    hashes = {account.email: auth.hash_password(account.password) for account in accounts}
    system = Identity(user_id=None, email=f"demo@{DOMAIN}", name="mognad demo", national_role="admin", system=True)
    with db.writing() as conn:
        migrate.recreate(conn)
        reference.sync_regions(conn)
        reference.register(conn, q)
        conn.execute(meta.insert(), [{"key": "demo", "value": "1"}, {"key": "demo_seed", "value": str(seed)}])
        _accounts(conn, hashes)
        builder = _Builder(conn, q, random.Random(seed), system)
        counts = builder.build()
        if pilot_q is not None:  # last, from its own random source: the rounds above stay as they are
            reference.register(conn, pilot_q)
            pilot = _Pilot(conn, pilot_q, random.Random(f"{seed}:pilot"), system, builder.maturity, q)
            counts = {key: counts[key] + value for key, value in pilot.build().items()}
        audit.record(conn, system, "demo.load", "database", new={"seed": seed, "questionnaire": q.ref, **counts})
    db.forget_questionnaires()
    db.remember(q)
    if pilot_q is not None:
        db.remember(pilot_q)
    return DemoResult(q.ref, accounts, counts["assessments"], counts["respondents"], counts["answers"])


def _accounts(conn: Connection, hashes: dict[str, str]) -> None:
    created = dt.datetime(2025, 1, 20, 9, tzinfo=UTC)
    for email, name, national, regions, _ in ACCOUNTS:
        user_id = conn.execute(users.insert().values(
            email=email, name=name, password_hash=hashes[email], national_role=national, disabled=False,
            failed_logins=0, created_at=created)).inserted_primary_key[0]
        for region, role in regions.items():
            conn.execute(memberships.insert().values(user_id=user_id, region_code=region, role=role))


class _Builder:
    """Draws the data from one seeded random source, always in the same order."""

    def __init__(self, conn: Connection, q: Questionnaire, rng: random.Random, system: Identity):
        self.conn, self.q, self.rng, self.system = conn, q, rng, system
        self.counts = {"assessments": 0, "respondents": 0, "answers": 0}

    def build(self) -> dict[str, int]:
        regions = [region.code for region in load_regions()]
        maturity = self.maturity = {code: self._region_profile() for code in regions}
        for index, (label, opened, closed, published, window) in enumerate(ROUNDS):
            round_id = self.conn.execute(rounds.insert().values(
                label=label, questionnaire_ref=self.q.ref, status="closed" if closed else "open",
                published=published is not None, opened_at=opened, opened_by=f"admin@{DOMAIN}", closed_at=closed,
                published_at=published)).inserted_primary_key[0]
            for region in regions:
                status = self._status(label, region)
                growth = index * self.rng.uniform(0.0, 0.55)
                self._assessment(round_id, label, region, status, maturity[region], growth, window, closed)
        return self.counts

    def _region_profile(self) -> dict[str, float]:
        base = min(3.2, max(0.4, self.rng.gauss(1.7, 0.55)))
        return {ind.id: base + self.rng.gauss(0, 0.35) + self._dimension_shift(ind.dimension) for ind in self.q.indicators}

    def _dimension_shift(self, dimension: str) -> float:
        # Some dimensions are harder nationally (e.g. follow-up), others further along (e.g. collaboration).
        position = [d.id for d in self.q.dimensions].index(dimension)
        return ((position * 37) % 11 - 5) / 12

    def _status(self, label: str, region: str) -> str:
        if label == "2025":
            return "draft" if region in NEVER_SUBMITTED_2025 else "locked"
        if region in DRAFT_2026:
            return "draft"
        return "reopened" if region in REOPENED_2026 else "submitted"

    def _assessment(self, round_id, label, region, status, profile, growth, window, closed) -> None:
        start, end = window
        created = start + dt.timedelta(days=self.rng.randint(0, 20))
        submitted = created + dt.timedelta(days=self.rng.randint(30, 120)) if status != "draft" else None
        lead = f"ledare@{DOMAIN}" if region in ("19", "03") else f"ledare.{region}@{DOMAIN}"
        assessment_id = self.conn.execute(assessments.insert().values(
            round_id=round_id, region_code=region, questionnaire_ref=self.q.ref, status=status, created_at=created,
            created_by=lead, updated_at=submitted or end, submitted_at=submitted,
            submitted_by=lead if submitted else None, locked_at=closed if status == "locked" else None)
        ).inserted_primary_key[0]
        self.counts["assessments"] += 1
        author = Identity(user_id=None, email=lead, name=lead, system=True)
        self._history(assessment_id, region, label, status, author, created, submitted, closed)
        people = self._respondents(assessment_id, region, label, author, created)
        complete = status != "draft"
        disagreeing = self.rng.random() < 0.35
        final: list[Change] = []
        earlier: list[Change] = []
        for position, (respondent_id, role) in enumerate(people):
            share = 1.0 if complete else (0.0 if position == len(people) - 1 and len(people) > 2
                                          else self.rng.uniform(0.35, 0.85))
            bias = self.rng.gauss(0, 0.3)
            odd = disagreeing and position == 1
            applicable = [ind for ind in self.q.indicators if ind.applies_to(role)]
            answered = applicable[: round(share * len(applicable))]
            for ind in answered:
                value = self._answer(profile[ind.id] + growth + bias, role, odd and self.rng.random() < 0.25)
                comment = self.rng.choice(COMMENTS) if self.rng.random() < 0.07 else None
                confidence = self.rng.choice(("low", "medium", "high")) if self.rng.random() < 0.5 else None
                final.append(Change(respondent_id, ind.id, code(value), comment, confidence))
                if isinstance(value, int) and self.rng.random() < 0.12:  # changed their mind along the way
                    earlier.append(Change(respondent_id, ind.id, code(max(0, min(self.q.scale_max, value - 1)))))
        when = created + dt.timedelta(days=self.rng.randint(3, 15))
        self.counts["answers"] += write_many(self.conn, author, earlier, at=when)
        for respondent_id, _ in people:  # each respondent answers in a sitting of their own
            sitting = when + dt.timedelta(days=self.rng.randint(5, 25), minutes=self.rng.randint(0, 600))
            mine = [change for change in final if change.respondent_id == respondent_id]
            self.counts["answers"] += write_many(self.conn, author, mine, at=sitting)
        if (label == "2025" and region in PLANS_2025) or (label == "2026" and region in PLANS_2026):
            self._plan(assessment_id, region, final, author, label, (submitted or end) + dt.timedelta(days=7))

    def _history(self, assessment_id, region, label, status, author, created, submitted, closed) -> None:
        """The audit trail a real assessment in this state would have."""
        target = f"assessment:{assessment_id}"
        audit.record(self.conn, author, "assessment.create", target, region=region, at=created,
                     new={"round": label, "questionnaire": self.q.ref, "status": "draft"})
        if submitted is None:
            return
        audit.record(self.conn, author, "assessment.submit", target, region=region, at=submitted,
                     old={"status": "draft"}, new={"status": "submitted"})
        if status == "reopened":
            audit.record(self.conn, author, "assessment.reopen", target, region=region,
                         at=submitted + dt.timedelta(days=9), old={"status": "submitted"}, new={"status": "reopened"})
        if status == "locked":
            admin = Identity(user_id=None, email=f"admin@{DOMAIN}", name="admin", system=True)
            audit.record(self.conn, admin, "assessment.lock", target, region=region, at=closed,
                         old={"status": "submitted"}, new={"status": "locked"})

    def _respondents(self, assessment_id, region, label, author, created) -> list[tuple[int, str]]:
        count = self.rng.randint(2, 5)
        roles = ["region", *self.rng.sample(["kommun", "af", "bransch", "utbildning", "annan"], count - 1)]
        people = []
        for number, role in enumerate(roles, start=1):
            name = f"{self.rng.choice(RESPONDENT_NAMES[role])} (fiktiv)"
            email = f"respondent@{DOMAIN}" if (region, label, number) == ("19", "2026", 2) else None
            respondent_id = sheets.insert(self.conn, author, assessment_id, region, name, role, None, email, f"r{number}",
                                          at=created)
            people.append((respondent_id, role))
        self.counts["respondents"] += len(people)
        return people

    def _answer(self, level: float, role: str, contrary: bool) -> int | str:
        unsure = 0.04 + (0.08 if role in ("bransch", "annan", "af") else 0.0)
        draw = self.rng.random()
        if draw < unsure:
            return DK
        if draw < unsure + 0.025:
            return NA
        value = level + self.rng.gauss(0, 0.55)
        if contrary:
            value += self.rng.choice((-2.2, 2.2))
        return int(max(0, min(self.q.scale_max, round(value))))

    def _plan(self, assessment_id, region, final: list[Change], author: Identity, label: str, at: dt.datetime) -> None:
        levels: dict[str, list[int]] = {}
        for change in final:
            if change.value is not None and change.value <= self.q.scale_max:
                levels.setdefault(change.indicator, []).append(change.value)
        medians = {ind: int(statistics.median_low(values)) for ind, values in levels.items()}
        weakest = sorted(medians, key=lambda ind: (medians[ind], ind))[:8]
        steps = [action for ind in weakest for action in self.q.actions_for(ind, medians[ind])[:1]]
        chosen = self.rng.sample(steps, min(len(steps), self.rng.randint(3, 5)))
        statuses = (("done", "ongoing", "ongoing", "paused", "dropped", "not_started") if label == "2025"
                    else ("not_started", "not_started", "ongoing"))
        year = int(label) + 1
        items = []
        for action in chosen:
            start = dt.date(year, self.rng.choice((1, 3, 5)), 1)
            items.append(PlanItem(
                id=None, dimension=self.q.indicator_by_id[action.indicator].dimension, action=action.text.sv,
                indicators=(action.indicator,), owner=self.rng.choice(("Regional valideringssamordnare (fiktiv)",
                                                                      "Kompetensplattformens styrgrupp (fiktiv)")),
                start=start, due=start + dt.timedelta(days=self.rng.choice((120, 180, 270))),
                resources=self.rng.choice(("0,5 tjänst under ett år (fiktivt)", "Ingår i ordinarie budget (fiktivt)",
                                           "Projektmedel söks (fiktivt)")),
                success_indicator="Beslut eller rutin finns dokumenterad (fiktivt)",
                status=self.rng.choice(statuses), source_action=action.id))
        for position, item in enumerate(items):
            values = plans.row_values(item)
            ident = f"{self.rng.getrandbits(128):032x}"  # seeded, so the demo is the same every time
            self.conn.execute(plan_actions.insert().values(
                id=ident, assessment_id=assessment_id, position=position, **values, created_at=at,
                created_by=author.email, updated_at=at, updated_by=author.email))
            audit.record(self.conn, author, "plan.add", f"plan_action:{ident}", region=region, at=at,
                         new={**values, "indicators": list(item.indicators), "extra": {}})
        self.conn.execute(plan_table.insert().values(assessment_id=assessment_id, version=1, updated_at=at,
                                                     updated_by=author.email))


class _Pilot(_Builder):
    """The version-2 pilot: each region's maturity carried over from its version-1 profile through the
    crosswalk (a new indicator starts a little below the region's mean), complete panels of five or six
    respondents with at most two per role, "na" only in PILOT_NA and only where the indicator allows it."""

    def __init__(self, conn: Connection, q: Questionnaire, rng: random.Random, system: Identity,
                 maturity: dict[str, dict[str, float]], old: Questionnaire):
        super().__init__(conn, q, rng, system)
        try:
            links = crosswalk.find(old.ref, q.ref).origins
        except (KeyError, crosswalk.CrosswalkError):
            links = {}
        self.profiles = {region: self._carried(maturity[region], links) for region in PILOT_REGIONS}

    def _carried(self, profile: dict[str, float], links: dict) -> dict[str, float]:
        mean = statistics.fmean(profile.values())
        carried = {}
        for ind in self.q.indicators:
            before = [profile[old] for old in getattr(links.get(ind.id), "sources", ()) if old in profile]
            carried[ind.id] = statistics.fmean(before) if before else mean - 0.3
        return carried

    def build(self) -> dict[str, int]:
        opened, closed, window = PILOT_ROUND
        round_id = self.conn.execute(rounds.insert().values(
            label=PILOT, questionnaire_ref=self.q.ref, status="closed", published=False, opened_at=opened,
            opened_by=f"admin@{DOMAIN}", closed_at=closed, published_at=None)).inserted_primary_key[0]
        for region in PILOT_REGIONS:
            self._pilot_assessment(round_id, region, window, closed)
        return self.counts

    def _pilot_assessment(self, round_id, region: str, window, closed: dt.datetime) -> None:
        start, end = window
        created = start + dt.timedelta(days=self.rng.randint(0, 10))
        submitted = min(end, created + dt.timedelta(days=self.rng.randint(30, 60)))
        lead = f"ledare@{DOMAIN}" if region in ("19", "03") else f"ledare.{region}@{DOMAIN}"
        assessment_id = self.conn.execute(assessments.insert().values(
            round_id=round_id, region_code=region, questionnaire_ref=self.q.ref, status="locked", created_at=created,
            created_by=lead, updated_at=submitted, submitted_at=submitted, submitted_by=lead, locked_at=closed)
        ).inserted_primary_key[0]
        self.counts["assessments"] += 1
        author = Identity(user_id=None, email=lead, name=lead, system=True)
        self._history(assessment_id, region, PILOT, "locked", author, created, submitted, closed)
        roles = ["region", "kommun", "kommun", "af", *self.rng.sample(PILOT_OTHERS, self.rng.randint(1, 2))]
        not_relevant = PILOT_NA.get(region, ())
        for number, role in enumerate(roles, start=1):
            name = f"{self.rng.choice(PILOT_NAMES[role])} (fiktiv)"
            respondent_id = sheets.insert(self.conn, author, assessment_id, region, name, role, None, None,
                                          f"r{number}", at=created)
            self.counts["respondents"] += 1
            bias = self.rng.gauss(0, 0.3)
            mine = []
            for ind in self.q.indicators:
                if not ind.applies_to(role):
                    continue
                value = self._level(self.profiles[region][ind.id] + bias, role, ind.id in not_relevant
                                    and ind.na_allowed)
                comment = None
                if value == NA and role == "region":
                    comment = NA_COMMENTS.get(ind.id)
                elif self.rng.random() < 0.04:
                    comment = self.rng.choice(PILOT_COMMENTS)
                confidence = self.rng.choice(("low", "medium", "high")) if self.rng.random() < 0.5 else None
                mine.append(Change(respondent_id, ind.id, code(value), comment, confidence))
            sitting = created + dt.timedelta(days=self.rng.randint(5, 25), minutes=self.rng.randint(0, 600))
            self.counts["answers"] += write_many(self.conn, author, mine, at=sitting)

    def _level(self, level: float, role: str, not_relevant: bool) -> int | str:
        if not_relevant:
            return NA
        if self.rng.random() < 0.03 + (0.07 if role in ("bransch", "fack", "larosate", "annan") else 0.0):
            return DK
        return int(max(0, min(self.q.scale_max, round(level + self.rng.gauss(0, 0.5)))))


DEMO_TEXTS = Catalogue({
    "accounts": {"sv": "Demokonton (lösenorden visas bara nu):", "en": "Demo accounts (passwords are shown only now):"},
})


def credentials_text(result: DemoResult, lang: str = "sv") -> str:
    """The one-time listing of demo accounts for the terminal."""
    head = DEMO_TEXTS.render("accounts", lang)
    width = max(len(account.email) for account in result.accounts)
    lines = [head] + [f"  {account.email:<{width}}  {account.password}  {account.role}" for account in result.accounts]
    return "\n".join(lines)
