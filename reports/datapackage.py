"""The publication as a Frictionless Data Package v2: `datapackage.json` with a Table Schema per resource, and
two CSV distributions of every table — a machine one (RFC 4180, UTF-8, comma, decimal point, ISO dates) and
the Swedish Excel one of open data (`;`, decimal comma, BOM: `reports.opendata.to_csv`).

Plain data in, bytes out. Which rounds and which regions may be published is decided above this floor
(`service.publication`); here every region and round of the scores given becomes rows.

Tables (one row per …):
- `regions`     region (SCB länskod), the key every other table's `region_code` points at;
- `rounds`      published round: questionnaire, method, dates; the key every other table's `round` points at;
- `overall`     round × region;
- `dimensions`  round × region × dimension;
- `indicators`  round × region × indicator;
- `statistics`  round × group (the country, each size group, each NUTS2 area) × dimension or overall: the
                 released group figures, suppressed by the store's rule (`suppressed` says why).

The columns are the same for every round whatever its method (docs/method.md): method 2's interval bounds,
low-confidence flag, tier and rank interval are empty for method-1 rounds, and `method` says which method
made the row. Values of partner groups (a role's median) and free text never enter a table.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from questionnaires.model import Questionnaire
from questionnaires.regions import NUTS2_NAMES, SIZE_GROUPS, Region, load_regions
from questionnaires.text import Text
from reports import xlsx
from reports.model import rounded
from reports.opendata import DICTIONARY
from reports.provenance import version as mognad_version
from scoring.score import Scores

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
LAYOUT = 1  # the major of the package's version: bumped when a column changes meaning or goes away
CC_BY = "http://creativecommons.org/licenses/by/4.0/"  # exactly as dataportal.se expects it
LICENSE_NAMES = {CC_BY: ("CC-BY-4.0", "Creative Commons Attribution 4.0"),
                 "http://creativecommons.org/publicdomain/zero/1.0/": ("CC0-1.0", "CC0 1.0")}
COUNTRY = "SE"  # the `group` of the national statistics
OVERALL = "overall"  # the `dimension` of a statistic of the overall score
SUPPRESSION = {
    "fewer_than_k": Text("visas inte: färre än {k} regioner med poäng i gruppen",
                         "not shown: fewer than {k} regions with a score in the group"),
    "complementary": Text("visas inte: skillnaden mot en annan visad grupp skulle peka ut färre än {k} regioner",
                          "not shown: the difference from another group shown would point at fewer than {k} regions"),
}


@dataclass(frozen=True)
class Publisher:
    """Who publishes: the package's contributor and the catalogue's publisher (configuration, not data)."""

    name: str
    orgnr: str  # ten digits, no hyphen
    email: str
    base_url: str  # absolute http(s) IRI without a trailing slash: where the files are served
    license: str = CC_BY
    kind: str = "NationalAuthority"  # http://purl.org/adms/publishertype/…

    @property
    def iri(self) -> str:
        """The organisation's identifier on dataportal.se (docs/harvesting.md of DCAT-AP-SE)."""
        return f"http://dataportal.se/organisation/SE{self.orgnr}"

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path}"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type: string, integer, number, boolean
    description: Text
    constraints: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    name: str
    title: Text
    description: Text
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str], ...] = (("round", "rounds"), ("region_code", "regions"))  # field → resource

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class RoundInfo:
    """A published round as the package and the catalogue describe it."""

    label: str
    questionnaire: str  # id@version
    opened_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    published_at: dt.datetime | None = None


@dataclass(frozen=True)
class PackagePart:
    """The scores of the rounds of one questionnaire, with the store's released group statistics of them
    (`store.comparison.GroupStatistics` or anything with national, national_overall, peers, peers_overall
    and k); `rounds` in the order people lived them (default: as they come in the scores)."""

    q: Questionnaire
    scores: Scores
    statistics: object | None = None
    rounds: tuple[str, ...] | None = None


# -- the columns ----------------------------------------------------------------------------------------------

SCORE, PERCENT, SHARE, COUNT = "score", "percent", "share", "count"  # constraint families, bound at writing


def _known(name: str, kind: str, family: str | None = None, **constraints) -> Column:
    return Column(name, kind, DICTIONARY[name][1], {"family": family, **constraints} if family else constraints)


def _new(name: str, kind: str, sv: str, en: str, family: str | None = None, **constraints) -> Column:
    return Column(name, kind, Text(sv, en), {"family": family, **constraints} if family else constraints)


ROUND = _new("round", "string", "Mätomgång.", "Assessment round.", required=True)
REGION_CODE = _new("region_code", "string", "Länskod (SCB) med två siffror, 01–25; nyckel till tabellen regions.",
                   "Two-digit county code (SCB), 01–25; key to the regions table.", required=True, pattern="[0-9]{2}")
REGION = _new("region", "string", "Regionens namn.", "The region's name.", required=True)
QUESTIONNAIRE = _known("questionnaire", "string", required=True)
METHOD = _new("method", "integer", "Metodversion som räknade raden (docs/method.md): 1 eller 2.",
              "The method version that computed the row (docs/method.md): 1 or 2.", required=True, enum=[1, 2])
STAGE_SV = _new("stage_name_sv", "string", "Stadiets namn på svenska.", "The stage's name in Swedish.")
STAGE_EN = _new("stage_name_en", "string", "Stadiets namn på engelska.", "The stage's name in English.")
INTERVAL_LO = _new("interval_lo", "number", "Metod 2: nedre gräns för poängens 90-procentiga osäkerhetsintervall "
                   "(bootstrap över svarande); tom för metod 1.",
                   "Method 2: lower bound of the score's 90 % uncertainty interval (bootstrap over respondents); "
                   "empty for method 1.", SCORE)
INTERVAL_HI = _new("interval_hi", "number", "Metod 2: övre gräns för poängens 90-procentiga osäkerhetsintervall; "
                   "tom för metod 1.", "Method 2: upper bound of the score's 90 % uncertainty interval; empty for "
                   "method 1.", SCORE)
LOW_CONFIDENCE = _new("low_confidence", "boolean", "Metod 2: sant när poängen vilar på svagt underlag (få svarande "
                      "eller roller, brett intervall eller låg fullständighet); tom för metod 1.",
                      "Method 2: true when the score rests on thin evidence (few respondents or roles, a wide "
                      "interval or low completeness); empty for method 1.")
SUPPRESSED = _new("suppressed", "string",
                  "Tom när värdena visas. Annars varför de inte visas (värdena är då tomma): fewer_than_k – färre än "
                  "3 regioner med poäng i gruppen; complementary – skillnaden mot en annan visad grupp skulle peka ut "
                  "färre än 3 regioner. En region i en publicerad omgång visas alltid med namn (docs/store.md, "
                  "Disclosure control).",
                  "Empty when the figures are shown. Otherwise why they are not (the figures are then empty): "
                  "fewer_than_k – fewer than 3 regions with a score in the group; complementary – the difference "
                  "from another group shown would point at fewer than 3 regions. A region in a published round is "
                  "always shown by name (docs/store.md, Disclosure control).", enum=list(SUPPRESSION))
RESPONDENTS = _known("respondents", "integer", COUNT)


def _counts(*names: str) -> list[Column]:
    return [_known(name, "integer", COUNT) for name in names]


def _shares(*names: str) -> list[Column]:
    return [_known(name, "number", SHARE) for name in names]


REGION_KEY = [ROUND, REGION_CODE, REGION, QUESTIONNAIRE, METHOD]
SCORE_COLUMNS = [_known("score", "number", SCORE), _known("percent", "number", PERCENT), _known("stage", "string"),
                 STAGE_SV, STAGE_EN]

TABLES: dict[str, Table] = {
    "regions": Table(
        "regions", Text("Regioner", "Regions"),
        Text("Sveriges 21 regioner med länskod (SCB), NUTS2-område och storleksgrupp.",
             "Sweden's 21 regions with county code (SCB), NUTS2 area and size group."),
        (_new("region_code", "string", "Länskod (SCB) med två siffror, 01–25.", "Two-digit county code (SCB), 01–25.",
              required=True, unique=True, pattern="[0-9]{2}"),
         REGION,
         _new("county", "string", "Länets namn.", "The county's name.", required=True),
         _new("iso_3166_2", "string", "Länets kod enligt ISO 3166-2.", "The county's ISO 3166-2 code.",
              required=True, pattern="SE-[A-Z]{1,2}"),
         _known("nuts2", "string", required=True, pattern="SE[0-9]{2}"),
         _new("nuts2_name", "string", "NUTS2-områdets namn.", "The NUTS2 area's name."),
         _known("size_group", "string", required=True, enum=[g for g, _, _ in SIZE_GROUPS]),
         _new("population", "integer", "Folkmängd (SCB, 31 december 2023).", "Population (SCB, 31 December 2023).",
              required=True, minimum=0)),
        ("region_code",), foreign_keys=()),
    "rounds": Table(
        "rounds", Text("Mätomgångar", "Rounds"),
        Text("De publicerade mätomgångarna: frågeformulär, metod och datum.",
             "The published rounds: questionnaire, method and dates."),
        (_new("round", "string", "Mätomgång.", "Assessment round.", required=True, unique=True),
         QUESTIONNAIRE, METHOD,
         _new("opened", "date", "Dag då omgången öppnades (ISO 8601).", "Day the round opened (ISO 8601)."),
         _new("closed", "date", "Dag då omgången stängdes (ISO 8601).", "Day the round closed (ISO 8601)."),
         _new("published", "date", "Dag då omgången publicerades (ISO 8601).", "Day the round was published (ISO 8601).")),
        ("round",), foreign_keys=()),
    "overall": Table(
        "overall", Text("Total mognad per region", "Overall maturity by region"),
        Text("En rad per omgång och region: totalpoäng, stadium och datakvalitet.",
             "One row per round and region: overall score, stage and data quality."),
        (*REGION_KEY, *SCORE_COLUMNS, *_counts("dimensions_scored", "dimensions"), RESPONDENTS,
         *_shares("answered_share", "na_share", "dk_share"), INTERVAL_LO, INTERVAL_HI, LOW_CONFIDENCE,
         _new("tier", "string", "Metod 2: över, inom eller under rikets median (när hela intervallet ligger på ena "
              "sidan); tom för metod 1.", "Method 2: above, within or below the national median (when the whole "
              "interval lies on one side); empty for method 1.", enum=["above", "within", "below"]),
         _new("rank_median", "number", "Metod 2: regionens medianplacering i omgången (1 = högst); tom för metod 1.",
              "Method 2: the region's median rank in the round (1 = highest); empty for method 1.", minimum=1),
         _new("rank_lo", "number", "Metod 2: bästa placering i det 90-procentiga rangintervallet.",
              "Method 2: best rank of the 90 % rank interval.", minimum=1),
         _new("rank_hi", "number", "Metod 2: sämsta placering i det 90-procentiga rangintervallet.",
              "Method 2: worst rank of the 90 % rank interval.", minimum=1),
         SUPPRESSED),
        ("round", "region_code")),
    "dimensions": Table(
        "dimensions", Text("Mognad per region och dimension", "Maturity by region and dimension"),
        Text("En rad per omgång, region och dimension: poäng, stadium, fullständighet och datakvalitet.",
             "One row per round, region and dimension: score, stage, completeness and data quality."),
        (*REGION_KEY, _known("dimension", "string", required=True),
         _new("dimension_title_sv", "string", "Dimensionens namn på svenska.", "The dimension's name in Swedish."),
         _new("dimension_title_en", "string", "Dimensionens namn på engelska.", "The dimension's name in English."),
         *SCORE_COLUMNS, _known("completeness", "number", SHARE), _known("sufficient", "boolean"),
         _known("reason", "string", enum=["insufficient", "not_applicable"]),
         *_counts("indicators", "answered", "not_applicable", "unknown"), RESPONDENTS,
         *_shares("answered_share", "na_share", "dk_share"), *_counts("disagreements"),
         INTERVAL_LO, INTERVAL_HI, LOW_CONFIDENCE, SUPPRESSED),
        ("round", "region_code", "dimension")),
    "indicators": Table(
        "indicators", Text("Mognad per region och indikator", "Maturity by region and indicator"),
        Text("En rad per omgång, region och indikator: överenskommet värde, svar och spridning.",
             "One row per round, region and indicator: agreed value, answers and spread."),
        (*REGION_KEY, _known("dimension", "string", required=True), _known("indicator", "string", required=True),
         _known("value", "number", SCORE),
         _known("status", "string", required=True, enum=["value", "not_applicable", "unknown", "consensus"]),
         *_counts("respondents", "asked", "n_value", "n_na", "n_dk"),
         _known("min", "integer", SCORE), _known("max", "integer", SCORE), _known("spread", "integer", SCORE),
         _known("disagreement", "boolean"),
         _new("agreement", "number", "Metod 2: samstämmighet mellan svaren (Tastle–Wierman, 0–1); tom för metod 1.",
              "Method 2: agreement among the answers (Tastle–Wierman, 0–1); empty for method 1.", SHARE),
         SUPPRESSED),
        ("round", "region_code", "indicator")),
    "statistics": Table(
        "statistics", Text("Mognad i riket och jämförelsegrupperna", "Maturity in the country and the peer groups"),
        Text("Median (och för riket kvartiler) över regionerna med poäng, per omgång, grupp och dimension; "
             "undertryckt enligt regeln i kolumnen suppressed.",
             "Median (and for the country quartiles) over the regions with a score, per round, group and "
             "dimension; suppressed by the rule in the suppressed column."),
        (ROUND, QUESTIONNAIRE, METHOD,
         _new("group_type", "string", "national (riket), size_group (storleksgrupp) eller nuts2 (NUTS2-område).",
              "national (the country), size_group or nuts2 (NUTS2 area).", required=True,
              enum=["national", "size_group", "nuts2"]),
         _new("group", "string", "Gruppen: SE för riket, storleksgruppens bokstav eller NUTS2-koden.",
              "The group: SE for the country, the size group's letter or the NUTS2 code.", required=True),
         _new("dimension", "string", "Dimensionens id, eller overall för totalpoängen.",
              "The dimension's id, or overall for the overall score.", required=True),
         _new("n", "integer", "Antal regioner med poäng i gruppen.", "Number of regions with a score in the group.",
              required=True, minimum=0),
         _new("median", "number", "Medianen av regionernas poäng.", "The median of the regions' scores.", SCORE),
         _new("q1", "number", "Första kvartilen (bara riket).", "First quartile (the country only).", SCORE),
         _new("q3", "number", "Tredje kvartilen (bara riket).", "Third quartile (the country only).", SCORE),
         SUPPRESSED),
        ("round", "group_type", "group", "dimension"), foreign_keys=(("round", "rounds"),)),
}
RESULT_TABLES = ("overall", "dimensions", "indicators", "statistics")
FILES = {name: (f"{name}.csv", f"{name}_sv.csv") for name in TABLES}  # machine, Swedish Excel


# -- the tables -------------------------------------------------------------------------------------------------

def publication_tables(parts: Sequence[PackagePart], roster: Iterable[Region] | None = None,
                       rounds: Sequence[RoundInfo] | None = None) -> dict[str, pd.DataFrame]:
    """Every table of the package, in the schema's column order, rows in round, region and instrument order.
    `rounds`: the published rounds with their dates (default: the parts' rounds, without dates)."""
    roster = tuple(roster or load_regions())
    methods = {part.q.ref: part.q.method for part in parts}
    if rounds is None:
        rounds = [RoundInfo(label, part.q.ref) for part in parts for label in _labels(part)]
    by_code = {r.code: r for r in roster}
    chunks: dict[str, list[pd.DataFrame]] = {name: [] for name in RESULT_TABLES}
    for part in parts:
        labels = _labels(part)
        for name, frame in (("overall", part.scores.overall), ("dimensions", part.scores.dimensions),
                            ("indicators", part.scores.indicators)):
            chunks[name].append(_region_rows(name, frame, part.q, labels, by_code))
        if part.statistics is not None:
            chunks["statistics"].append(_statistics_rows(part.statistics, part.q, labels))
    tables = {"regions": _typed("regions", pd.DataFrame({
        "region_code": [r.code for r in roster], "region": [r.name for r in roster],
        "county": [r.county for r in roster], "iso_3166_2": [r.iso for r in roster],
        "nuts2": [r.nuts2 for r in roster], "nuts2_name": [NUTS2_NAMES.get(r.nuts2) for r in roster],
        "size_group": [r.size_group for r in roster], "population": [r.population for r in roster]})),
              "rounds": _typed("rounds", pd.DataFrame({
        "round": [r.label for r in rounds], "questionnaire": [r.questionnaire for r in rounds],
        "method": [methods.get(r.questionnaire) for r in rounds],
        "opened": [_date(r.opened_at) for r in rounds], "closed": [_date(r.closed_at) for r in rounds],
        "published": [_date(r.published_at) for r in rounds]}))}
    for name, frames in chunks.items():
        frames = [f for f in frames if len(f)]
        tables[name] = _typed(name, pd.concat(frames, ignore_index=True) if frames else pd.DataFrame())
    return tables


def _labels(part: PackagePart) -> list[str]:
    """The part's rounds in their order: as given, or as they come in the scores."""
    return list(part.rounds or dict.fromkeys(part.scores.overall.index.get_level_values("round").astype(str)))


def _region_rows(name: str, frame: pd.DataFrame, q: Questionnaire, rounds: list[str],
                 roster: Mapping[str, Region]) -> pd.DataFrame:
    data = frame.reset_index()
    data["round"] = data["round"].astype(str)
    data = data[data["round"].isin(rounds)].copy()
    data["region_code"] = data["region"].astype(str)
    names = {code: region.name for code, region in roster.items()}
    data["region"] = data["region_code"].map(names).fillna(data["region_code"])
    data["questionnaire"], data["method"] = q.ref, q.method
    if "stage" in data:
        data["stage_name_sv"] = data["stage"].map({s.id: s.name.sv for s in q.stages})
        data["stage_name_en"] = data["stage"].map({s.id: s.name.en for s in q.stages})
    if name == "dimensions":
        data["dimension_title_sv"] = data["dimension"].map({d.id: d.title.sv for d in q.dimensions})
        data["dimension_title_en"] = data["dimension"].map({d.id: d.title.en for d in q.dimensions})
    if "reason" in data:
        data["reason"] = data["reason"].where(data["reason"].astype(str) != "", None)
    # method 2's columns, when the method made them (method 1 has none: they stay empty)
    for target, candidates in (("interval_lo", ("interval_lo", "lo")), ("interval_hi", ("interval_hi", "hi"))):
        found = next((c for c in candidates if c in data), None)
        data[target] = data[found] if found else np.nan
    data["suppressed"] = None  # a region of a published round is shown by name: nothing to suppress
    order = {"round": {r: i for i, r in enumerate(rounds)}, "dimension": {d.id: i for i, d in enumerate(q.dimensions)},
             "indicator": {ind.id: i for i, ind in enumerate(q.indicators)}}
    keys = ["round", "region_code"] + [c for c in ("dimension", "indicator") if c in TABLES[name].primary_key]
    sort = pd.DataFrame({k: data[k].map(order[k]) if k in order else data[k] for k in keys})
    data = data.loc[sort.sort_values(keys, kind="stable").index]
    return data.reindex(columns=TABLES[name].names).reset_index(drop=True)


def _statistics_rows(statistics, q: Questionnaire, rounds: list[str]) -> pd.DataFrame:
    k = getattr(statistics, "k", 3)
    frames = []
    for frame, group_type, overall in ((statistics.national, "national", False),
                                       (statistics.national_overall, "national", True),
                                       (statistics.peers, None, False), (statistics.peers_overall, None, True)):
        if not len(frame):
            continue
        data = frame.reset_index()
        if group_type is not None:
            data["group_type"], data["group"] = group_type, COUNTRY
        else:
            data["group_type"] = data["peer_by"]
            data["group"] = data["group"].astype(str)
        if overall:
            data["dimension"] = OVERALL
        frames.append(data)
    if not frames:
        return pd.DataFrame(columns=TABLES["statistics"].names)
    data = pd.concat(frames, ignore_index=True)
    data["round"] = data["round"].astype(str)
    data = data[data["round"].isin(rounds)].copy()
    hidden = data["suppressed"].astype(bool).to_numpy()
    data["suppressed"] = np.where(hidden, np.where(data["n"].to_numpy() < k, "fewer_than_k", "complementary"), None)
    for column in ("median", "q1", "q3"):
        data[column] = data[column].where(~hidden) if column in data else np.nan
    data["questionnaire"], data["method"] = q.ref, q.method
    order = {"national": 0, "size_group": 1, "nuts2": 2}
    position = {d.id: i for i, d in enumerate(q.dimensions)} | {OVERALL: -1}
    round_at = {r: i for i, r in enumerate(rounds)}
    sort = pd.DataFrame({"r": data["round"].map(round_at), "t": data["group_type"].map(order),
                         "g": data["group"], "d": data["dimension"].map(position)})
    data = data.loc[sort.sort_values(["r", "t", "g", "d"], kind="stable").index]
    return data.reindex(columns=TABLES["statistics"].names).reset_index(drop=True)


def _typed(name: str, data: pd.DataFrame) -> pd.DataFrame:
    """The schema's columns with the schema's types: numbers by the reports' rounding rule (three decimals),
    integers and flags that may be missing, text with None for nothing."""
    out = {}
    for column in TABLES[name].columns:
        values = data[column.name] if column.name in data else pd.Series([None] * len(data), dtype=object)
        values = values.reset_index(drop=True)
        if column.type == "number":
            values = pd.Series(_rounded(pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)))
        elif column.type == "integer":
            values = pd.to_numeric(values, errors="coerce").astype(float).round().astype("Int64")
        elif column.type == "boolean":
            values = values.astype(object).where(values.notna(), None).astype("boolean")
        elif column.type == "date":
            values = pd.Series([value if isinstance(value, dt.date) else None for value in values], dtype=object)
        else:
            values = pd.Series(np.where(values.notna(), values.astype(str), None), dtype=object)
        out[column.name] = values
    return pd.DataFrame(out, columns=TABLES[name].names)


def _date(moment: dt.datetime | dt.date | None) -> dt.date | None:
    """The day of a time the store keeps in UTC (a naive time is UTC)."""
    if isinstance(moment, dt.datetime):
        return _utc(moment).date()
    return moment


def _rounded(numbers: np.ndarray) -> np.ndarray:
    """`reports.model.rounded` (the one rounding rule) on an array, once per distinct value."""
    result = np.full(len(numbers), np.nan)
    present = ~np.isnan(numbers)
    distinct, where = np.unique(numbers[present], return_inverse=True)
    result[present] = np.array([rounded(value) for value in distinct], dtype=float)[where] if len(distinct) else []
    return result


# -- the files --------------------------------------------------------------------------------------------------

def machine_csv(frame: pd.DataFrame) -> bytes:
    """RFC 4180: UTF-8 without BOM, comma, CRLF, decimal point, true/false, nothing for a missing value."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_bool_dtype(out[column]):
            out[column] = out[column].map({True: "true", False: "false"}, na_action="ignore")
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def swedish_csv(frame: pd.DataFrame) -> bytes:
    """Open data's Swedish Excel CSV (`reports.opendata.to_csv(frame, "sv")`, byte for byte — a test holds the two
    together): UTF-8 with BOM, `;`, CRLF, decimal comma, true/false, text neutralised against formulas. Text is
    neutralised once per distinct value, which is what makes it fast for tens of thousands of rows."""
    safe = frame.copy()
    for column in safe.columns:
        if pd.api.types.is_bool_dtype(safe[column]):
            safe[column] = safe[column].map({True: "true", False: "false"})
        elif pd.api.types.is_string_dtype(safe[column]) or safe[column].dtype == object:
            safe[column] = safe[column].map({value: xlsx.csv_safe(value) for value in safe[column].dropna().unique()})
    text = safe.to_csv(sep=";", index=False, decimal=",", lineterminator="\r\n")
    return text.encode("utf-8-sig")


def package_files(tables: Mapping[str, pd.DataFrame], publisher: Publisher, *, rounds: Sequence[str],
                  questionnaires: Sequence[Questionnaire], created: dt.datetime) -> dict[str, bytes]:
    """{file name: bytes}: every table as machine and Swedish CSV, then `datapackage.json` describing them."""
    files: dict[str, bytes] = {}
    for name in TABLES:
        machine, swedish = FILES[name]
        files[machine] = machine_csv(tables[name])
        files[swedish] = swedish_csv(tables[name])
    files["datapackage.json"] = (json.dumps(descriptor(publisher, rounds, questionnaires, created), ensure_ascii=False,
                                            indent=2) + "\n").encode("utf-8")
    return files


def descriptor(publisher: Publisher, rounds: Sequence[str], questionnaires: Sequence[Questionnaire],
               created: dt.datetime) -> dict:
    scale = max((q.scale_max for q in questionnaires), default=4)
    licence = {"path": publisher.license, "title": LICENSE_NAMES.get(publisher.license, ("", publisher.license))[1]}
    if publisher.license in LICENSE_NAMES:
        licence = {"name": LICENSE_NAMES[publisher.license][0], **licence}
    resources = []
    for name, table in TABLES.items():
        machine, swedish = FILES[name]
        resources.append(_resource(table, name, machine, scale, swedish=False))
        resources.append(_resource(table, f"{name}_sv", swedish, scale, swedish=True))
    return {
        "$schema": PACKAGE_PROFILE,
        "name": "mognad-validering",
        "id": publisher.url("datapackage.json"),
        "title": "Mognad i regionala strukturer för validering / Maturity of regional structures for validation",
        "description": _both(PACKAGE_DESCRIPTION),
        "version": f"{LAYOUT}.{max(len(rounds) - 1, 0)}.0",
        "created": _utc(created).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "homepage": publisher.base_url,
        "keywords": ["validering", "validation", "kompetens", "skills", "region", "mognad", "maturity"],
        "licenses": [licence],
        "contributors": [{"title": publisher.name, "path": publisher.base_url, "email": publisher.email,
                          "roles": ["publisher"]}],
        "sources": [*({"title": q.ref, "path": publisher.url(questionnaire_path(q.ref)),
                       "description": _both(q.title)} for q in questionnaires),
                    {"title": f"mognad {mognad_version()}",
                     "description": _both(Text("Programmet som räknade fram tabellerna.",
                                               "The software that computed the tables."))}],
        "rounds": list(rounds),
        "resources": resources,
    }


PACKAGE_DESCRIPTION = Text(
    "Hur mogna Sveriges regioners strukturer för validering är (fördjupad kartläggning, bedömning, erkännande; "
    "förordning 2022:1549), mätt med ett versionerat frågeformulär i återkommande omgångar. Bara publicerade "
    "omgångar och inlämnade bedömningar. Poäng 0–4 med tre decimaler; metoden i kolumnen method (docs/method.md). "
    "Siffror för riket och jämförelsegrupper visas bara när minst 3 regioner bidrar och ingen annan visad grupp "
    "skiljer sig med färre än 3 regioner (kolumnen suppressed). Svar från enskilda svarande, rollgruppers värden "
    "och kommentarer publiceras inte. Filerna *_sv.csv innehåller samma tabeller för svenska Excel "
    "(semikolon, decimalkomma, BOM).",
    "How mature the structures for validation (in-depth skills mapping, assessment, recognition; ordinance "
    "2022:1549) of Sweden's regions are, measured with a versioned questionnaire in recurring rounds. Published "
    "rounds and submitted assessments only. Scores 0–4 with three decimals; the method in the method column "
    "(docs/method.md). Figures for the country and the peer groups are shown only when at least 3 regions "
    "contribute and no other group shown differs by fewer than 3 regions (the suppressed column). Single "
    "respondents' answers, role groups' values and comments are not published. The *_sv.csv files hold the same "
    "tables for Swedish Excel (semicolon, decimal comma, BOM).")


def questionnaire_path(ref: str) -> str:
    """`regional-validering@1` → `questionnaires/regional-validering/1`: the instrument version's IRI path."""
    identifier, _, release = ref.partition("@")
    return f"questionnaires/{identifier}/{release}"


def _utc(moment: dt.datetime) -> dt.datetime:
    """The store keeps times in UTC; a naive time is taken as UTC, never as the machine's local time."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _both(text: Text) -> str:
    return f"{text.sv}\n\n{text.en}"


def _resource(table: Table, name: str, path: str, scale: int, *, swedish: bool) -> dict:
    fields = [_field(column, scale, swedish) for column in table.columns]
    schema: dict = {"fields": fields, "missingValues": [""], "primaryKey": list(table.primary_key)}
    if table.foreign_keys:
        schema["foreignKeys"] = [{"fields": [key], "reference": {"resource": resource, "fields": [key]}}
                                 for key, resource in table.foreign_keys]
    title, description = table.title, table.description
    if swedish:
        title = Text(f"{title.sv} (svenska Excel)", f"{title.en} (Swedish Excel)")
        description = Text(f"{description.sv} Samma tabell som {table.name}.csv, för svenska Excel: semikolon, "
                           "decimalkomma, UTF-8 med BOM.",
                           f"{description.en} The same table as {table.name}.csv, for Swedish Excel: semicolon, "
                           "decimal comma, UTF-8 with BOM.")
    return {
        "name": name, "type": "table", "path": path, "scheme": "file", "format": "csv", "mediatype": "text/csv",
        "encoding": "utf-8-sig" if swedish else "utf-8",
        "title": f"{title.sv} / {title.en}", "description": _both(description),
        "dialect": {"delimiter": ";" if swedish else ",", "lineTerminator": "\r\n", "header": True},
        "schema": schema,
    }


def _field(column: Column, scale: int, swedish: bool) -> dict:
    constraints = dict(column.constraints)
    family = constraints.pop("family", None)
    if family == SCORE:
        constraints.update(minimum=0, maximum=scale)
    elif family == PERCENT:
        constraints.update(minimum=0, maximum=100)
    elif family == SHARE:
        constraints.update(minimum=0, maximum=1)
    elif family == COUNT:
        constraints.update(minimum=0)
    out: dict = {"name": column.name, "type": column.type, "description": _both(column.description)}
    if column.type == "number" and swedish:
        out["decimalChar"] = ","
    if column.type == "boolean":
        out.update(trueValues=["true"], falseValues=["false"])
    if constraints:
        out["constraints"] = constraints
    return out
