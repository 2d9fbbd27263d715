"""Open data: one row per region × round × dimension, per indicator and overall (the national report as a
workbook, built on the same tables: `reports.national_workbook`).

Column names are stable identifiers in English whatever the language (they are an interface); the data
dictionary describes each column in Swedish and English, and text values (titles, stage names) follow the
language. Figures use the reports' rounding rule. Anonymised exports carry only "Region A, B, …" and
nothing else that identifies a region (no code, county, NUTS2 area or size group).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from questionnaires.model import Questionnaire
from questionnaires.regions import Region, load_regions
from questionnaires.text import Text, normalise_language
from reports import xlsx
from reports.labels import label, peer_group_name
from reports.marking import UNMARKED, Marking
from reports.model import anonymous_labels, rounded
from reports.provenance import method_paragraphs, version
from scoring.score import Scores

TABLE_NAMES = {
    "overall": Text("Totalt", "Overall"),
    "dimensions": Text("Dimensioner", "Dimensions"),
    "indicators": Text("Indikatorer", "Indicators"),
    "dictionary": Text("Datadefinitioner", "Data dictionary"),
    "about": Text("Om", "About"),
    "summary": Text("Sammanfattning", "Summary"),
}

# column → (type, description)
DICTIONARY: dict[str, tuple[str, Text]] = {
    "region_code": ("text", Text("Länskod med två siffror (01–25). Saknas i avidentifierade filer.",
                                 "Two-digit county code (01–25). Absent from anonymised files.")),
    "region": ("text", Text("Regionens namn, eller Region A, B, … i avidentifierade filer (bokstäverna lottas för varje fil).",
                            "The region's name, or Region A, B, … in anonymised files (letters drawn anew for each file).")),
    "size_group": ("text", Text("Storleksgrupp efter folkmängd: A över 1 miljon, B 300 000–1 miljon, C 200 000–300 000, D under 200 000.",
                                "Size group by population: A over 1 million, B 300,000–1 million, C 200,000–300,000, D under 200,000.")),
    "nuts2": ("text", Text("NUTS2-område.", "NUTS2 area.")),
    "round": ("text", Text("Mätomgång.", "Assessment round.")),
    "publication_status": ("text", Text(
        "Omgångens status när filen togs fram: Publicerad, eller Preliminär – omgången är inte publicerad (talen kan "
        "ändras). Är uppgifterna fiktiva demodata står Demodata – fiktiva uppgifter först.",
        "The round's status when the file was made: Published, or Preliminary – the round is not published (the "
        "figures may change). Fictional demo data say Demo data – fictional first.")),
    "questionnaire": ("text", Text("Frågeformulär och version (id@version).", "Questionnaire and version (id@version).")),
    "dimension": ("text", Text("Dimensionens id.", "The dimension's id.")),
    "dimension_title": ("text", Text("Dimensionens namn.", "The dimension's name.")),
    "indicator": ("text", Text("Indikatorns id.", "The indicator's id.")),
    "score": ("decimal", Text("Poäng 0–4 (viktat medelvärde), tre decimaler; tom när underlaget är för litet.",
                              "Score 0–4 (weighted mean), three decimals; empty when the evidence is too thin.")),
    "percent": ("decimal", Text("Poängen i procent av skalans maximum.", "The score as a percentage of the scale's maximum.")),
    "stage": ("text", Text("Stadiets id (S0–S4); tomt utan poäng.", "The stage's id (S0–S4); empty without a score.")),
    "stage_name": ("text", Text("Stadiets namn.", "The stage's name.")),
    "completeness": ("decimal", Text("Andel av dimensionens indikatorer med värde eller ej relevant (0–1).",
                                     "Share of the dimension's indicators with a value or not relevant (0–1).")),
    "sufficient": ("boolean", Text("Sant när dimensionen fick poäng.", "True when the dimension got a score.")),
    "reason": ("text", Text("Varför poäng saknas: insufficient (för litet underlag) eller not_applicable (inget värde).",
                            "Why a score is missing: insufficient (too little evidence) or not_applicable (no value).")),
    "indicators": ("integer", Text("Antal indikatorer i dimensionen.", "Number of indicators in the dimension.")),
    "answered": ("integer", Text("Indikatorer med värde.", "Indicators with a value.")),
    "not_applicable": ("integer", Text("Indikatorer som är ej relevanta.", "Indicators that are not relevant.")),
    "unknown": ("integer", Text("Indikatorer utan värde (vet ej eller utan svar).", "Indicators without a value (don't know or unanswered).")),
    "respondents": ("integer", Text("Antal svarande.", "Number of respondents.")),
    "answered_share": ("decimal", Text("Andel av de ställda frågorna som fick en nivå (0–1).", "Share of the questions asked that got a level (0–1).")),
    "na_share": ("decimal", Text("Andel svar ej relevant (0–1).", "Share of not-relevant answers (0–1).")),
    "dk_share": ("decimal", Text("Andel svar vet ej (0–1).", "Share of don't-know answers (0–1).")),
    "disagreements": ("integer", Text("Indikatorer med oenighet.", "Indicators with disagreement.")),
    "value": ("decimal", Text("Indikatorns överenskomna värde: medianen av svaren 0–4.", "The indicator's agreed value: the median of the answers 0–4.")),
    "status": ("text", Text("value (har värde), not_applicable (ej relevant) eller unknown.", "value, not_applicable or unknown.")),
    "asked": ("integer", Text("Svarande som fick frågan.", "Respondents who were asked.")),
    "n_value": ("integer", Text("Svar med en nivå.", "Answers giving a level.")),
    "n_na": ("integer", Text("Svar ej relevant.", "Not-relevant answers.")),
    "n_dk": ("integer", Text("Svar vet ej.", "Don't-know answers.")),
    "min": ("integer", Text("Lägsta nivå bland svaren.", "Lowest level among the answers.")),
    "max": ("integer", Text("Högsta nivå bland svaren.", "Highest level among the answers.")),
    "spread": ("integer", Text("Högsta minus lägsta nivå.", "Highest minus lowest level.")),
    "disagreement": ("boolean", Text("Sant när spridningen når gränsen för oenighet.", "True when the spread reaches the disagreement threshold.")),
    "dimensions_scored": ("integer", Text("Dimensioner med poäng.", "Dimensions with a score.")),
    "dimensions": ("integer", Text("Antal dimensioner.", "Number of dimensions.")),
    # method 2 only (docs/method.md, "Metod 2"): the columns are there only when a round was scored by it
    "interval_lo": ("decimal", Text("Metod 2: nedre gräns för poängens osäkerhetsintervall (90 %).",
                                    "Method 2: lower bound of the score's uncertainty interval (90 %).")),
    "interval_hi": ("decimal", Text("Metod 2: övre gräns för poängens osäkerhetsintervall (90 %).",
                                    "Method 2: upper bound of the score's uncertainty interval (90 %).")),
    "low_confidence": ("boolean", Text("Metod 2: sant när poängen är osäker (färre än 3 respondenter eller 2 roller, "
                                       "intervall bredare än 1,0 eller fullständighet under 90 %).",
                                       "Method 2: true when the score is uncertain (fewer than 3 respondents or 2 roles, "
                                       "an interval wider than 1.0 or completeness below 90 %).")),
    "tier": ("text", Text("Metod 2: above (över riket), within (i nivå med riket) eller below (under riket): om hela "
                          "intervallet ligger över eller under rikets median.",
                          "Method 2: above, within or below the national level: whether the whole interval lies above "
                          "or below the national median.")),
    "rank_median": ("integer", Text("Metod 2: regionens medianrang i omgången (1 = högst); visas alltid med "
                                    "rangintervallet.", "Method 2: the region's median rank in the round (1 = highest); "
                                    "always shown with the rank interval.")),
    "rank_lo": ("integer", Text("Metod 2: bästa rang i 90 %-rangintervallet.", "Method 2: best rank of the 90 % rank "
                                "interval.")),
    "rank_hi": ("integer", Text("Metod 2: sämsta rang i 90 %-rangintervallet.", "Method 2: worst rank of the 90 % rank "
                                "interval.")),
}

REGION_COLUMNS = ["region_code", "region", "size_group", "nuts2"]
TABLE_COLUMNS = {
    "overall": ["round", "publication_status", "questionnaire", "score", "percent", "stage", "stage_name", "dimensions_scored", "dimensions",
                "respondents", "answered_share", "na_share", "dk_share"],
    "dimensions": ["round", "publication_status", "questionnaire", "dimension", "dimension_title", "score", "percent", "stage", "stage_name",
                   "completeness", "sufficient", "reason", "indicators", "answered", "not_applicable", "unknown",
                   "respondents", "answered_share", "na_share", "dk_share", "disagreements"],
    "indicators": ["round", "publication_status", "questionnaire", "dimension", "indicator", "value", "status", "respondents", "asked",
                   "n_value", "n_na", "n_dk", "min", "max", "spread", "disagreement"],
}
METHOD_2_COLUMNS = {  # appended to TABLE_COLUMNS for a method-2 questionnaire; method 1's tables are unchanged
    "overall": ["interval_lo", "interval_hi", "low_confidence", "tier", "rank_median", "rank_lo", "rank_hi"],
    "dimensions": ["interval_lo", "interval_hi", "low_confidence"],
    "indicators": [],
}
# What a person reads above a column in a workbook; the CSV keeps the documented ids (the dictionary maps both).
HEADERS: dict[str, Text] = {
    "region_code": Text("Länskod", "County code"),
    "size_group": Text("Storleksgrupp", "Size group"),
    "nuts2": Text("NUTS2-område", "NUTS2 area"),
    "publication_status": Text("Publiceringsstatus", "Publication status"),
    "questionnaire": Text("Frågeformulär", "Questionnaire"),
    "dimension_title": Text("Dimensionens namn", "Dimension name"),
    "stage_name": Text("Stadiets namn", "Stage name"),
    "sufficient": Text("Fick poäng", "Scored"),
    "reason": Text("Skäl till att poäng saknas", "Why no score"),
    "indicators": Text("Antal indikatorer", "Number of indicators"),
    "answered": Text("Indikatorer med värde", "Indicators with a value"),
    "not_applicable": Text("Ej relevanta indikatorer", "Indicators not relevant"),
    "unknown": Text("Indikatorer utan värde", "Indicators without a value"),
    "status": Text("Status", "Status"),
    "asked": Text("Tillfrågade", "Asked"),
    "n_value": Text("Svar med nivå", "Answers with a level"),
    "n_na": Text("Svar ej relevant", "Not-relevant answers"),
    "n_dk": Text("Svar vet ej", "Don't-know answers"),
    "min": Text("Lägsta nivå", "Lowest level"),
    "max": Text("Högsta nivå", "Highest level"),
    "disagreement": Text("Oenighet", "Disagreement"),
    "dimensions_scored": Text("Dimensioner med poäng", "Dimensions with a score"),
    "dimensions": Text("Antal dimensioner", "Number of dimensions"),
    "interval_lo": Text("Intervall från", "Interval from"),
    "interval_hi": Text("Intervall till", "Interval to"),
    "low_confidence": Text("Osäker poäng", "Uncertain score"),
    "tier": Text("Jämfört med riket", "Compared with the country"),
    "rank_median": Text("Rang, median", "Rank, median"),
    "rank_lo": Text("Rangintervall från", "Rank interval from"),
    "rank_hi": Text("Rangintervall till", "Rank interval to"),
}
# columns named by a domain word: the glossary's word (questionnaires/glossary.py, through reports.labels)
GLOSSARY_HEADERS = ("region", "round", "dimension", "indicator", "score", "percent", "stage", "completeness",
                    "respondents", "answered_share", "na_share", "dk_share", "value", "spread", "disagreements")
DICTIONARY_HEADERS = {"table": Text("Tabell", "Table"), "column": Text("Kolumn i CSV", "Column in CSV"),
                      "header": Text("Rubrik i Excel", "Header in Excel"), "type": Text("Typ", "Type"),
                      "description": Text("Beskrivning", "Description")}
TYPES = {"text": Text("text", "text"), "decimal": Text("decimaltal", "decimal number"),
         "integer": Text("heltal", "whole number"), "boolean": Text("sant/falskt", "true/false")}
SHARE_COLUMNS = ("completeness", "answered_share", "na_share", "dk_share")  # 0–1, shown as percent in a workbook


# Codes a workbook shows in words (the CSV keeps the documented codes): peer groups by name, never "C" or "SE12"
VALUE_WORDS: dict[str, dict[str, Text]] = {
    "status": {"value": Text("värde", "value"), "consensus": Text("konsensusvärde", "consensus value"),
               "not_applicable": Text("ej relevant", "not relevant"), "unknown": Text("utan värde", "no value")},
    "reason": {"insufficient": Text("för litet underlag", "too little evidence"),
               "not_applicable": Text("inget värde", "no value")},
    "tier": {"above": Text("över riket", "above the national level"),
             "within": Text("i nivå med riket", "in line with the national level"),
             "below": Text("under riket", "below the national level")},
}


def for_people(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table as a workbook shows it: peer groups named, status and reason codes in words."""
    frame = frame.copy()
    for column, peer_by in (("size_group", "size_group"), ("nuts2", "nuts2")):
        if column in frame:
            frame[column] = [peer_group_name(peer_by, value, lang) if isinstance(value, str) else None
                             for value in frame[column]]
    for column, words in VALUE_WORDS.items():
        if column in frame:
            frame[column] = [words[value][lang] if value in words else value for value in frame[column]]
    return frame


def header(column: str, lang: str) -> str:
    """A column's header for people (a workbook, the data dictionary's own columns included); the id itself
    where none is known."""
    if column in GLOSSARY_HEADERS:
        return label(column, lang)
    known = HEADERS.get(column) or DICTIONARY_HEADERS.get(column)
    return known[lang] if known else column


def cell_format(column: str) -> str | None:
    """The number format of a column in a workbook: scores with two decimals, shares as percent."""
    if column in ("score", "value", "interval_lo", "interval_hi"):
        return xlsx.SCORE_FORMAT
    if column in SHARE_COLUMNS:
        return xlsx.SHARE_FORMAT
    if column == "percent":
        return xlsx.PERCENT_NUMBER_FORMAT
    return "0.000" if column in DECIMAL else None


DECIMAL = [c for c, (kind, _) in DICTIONARY.items() if kind == "decimal"]
INTEGER = [c for c, (kind, _) in DICTIONARY.items() if kind == "integer"]


@dataclass(frozen=True)
class OpenData:
    tables: dict[str, pd.DataFrame]  # overall, dimensions, indicators
    q: Questionnaire
    named: bool
    generated_at: dt.datetime
    rounds: tuple[str, ...]
    marking: Marking = Marking()  # demo data; `preliminary` when any round in it is not published


def open_data(scores: Scores, q: Questionnaire, lang: str = "sv", *, roster: Sequence[Region] | None = None,
              rounds: Sequence[str] | None = None, named: bool = False, labels: Mapping[str, str] | None = None,
              seed: int | None = None, generated_at: dt.datetime | None = None,
              unpublished: Collection[str] = (), demo: bool = False) -> OpenData:
    """Every region and round in `scores` (or only `rounds`) as three tidy tables.

    `unpublished` are the rounds not yet published (their rows say "Preliminär"), `demo` that the scores are
    the fictional demo data; both are the caller's knowledge (service.opendata asks the store)."""
    lang = normalise_language(lang)
    roster_map = {r.code: r for r in (roster or load_regions())}
    present = list(dict.fromkeys(scores.overall.index.get_level_values("round")))
    chosen = [r for r in (rounds or sorted(present)) if r in set(present)]
    codes = sorted(set(scores.overall.index.get_level_values("region")))
    if labels is None:
        labels = {c: roster_map[c].name if c in roster_map else c for c in codes} if named else anonymous_labels(codes, seed)
    frames = {
        "overall": scores.overall,
        "dimensions": scores.dimensions,
        "indicators": scores.indicators,
    }
    marking = Marking(demo=demo, preliminary=any(r in set(unpublished) for r in chosen))
    tables = {}
    for name, frame in frames.items():
        frame = frame[frame.index.get_level_values("round").isin(chosen)]
        tables[name] = tidy_table(name, frame, q, lang, roster_map, labels, named, chosen, unpublished, marking)
    return OpenData(tables, q, named, generated_at or dt.datetime.now().replace(microsecond=0), tuple(chosen),
                    marking)


def tidy_table(name: str, frame: pd.DataFrame, q: Questionnaire, lang: str, roster: Mapping[str, Region],
           labels: Mapping[str, str], named: bool, rounds: Sequence[str], unpublished: Collection[str] = (),
           marking: Marking = UNMARKED) -> pd.DataFrame:
    data = frame.reset_index()
    data["questionnaire"] = q.ref
    status = {r: marking.round_status(lang, r not in set(unpublished)) for r in rounds}
    data["publication_status"] = data["round"].astype(str).map(status)
    codes = data["region"].astype(str)
    region_columns = REGION_COLUMNS if named else ["region"]
    out = pd.DataFrame({"region": codes.map(labels)})
    if named:
        out.insert(0, "region_code", codes)
        out["size_group"] = codes.map(lambda c: roster[c].size_group if c in roster else None)
        out["nuts2"] = codes.map(lambda c: roster[c].nuts2 if c in roster else None)
    if "dimension" in data and name == "dimensions":
        data["dimension_title"] = data["dimension"].map({d.id: d.title[lang] for d in q.dimensions})
    if "stage" in data:
        names = {s.id: s.name[lang] for s in q.stages}
        data["stage"] = data["stage"].where(data["stage"].notna(), None)
        data["stage_name"] = data["stage"].map(lambda s: names.get(s) if isinstance(s, str) else None)
    if "reason" in data:
        data["reason"] = data["reason"].replace("", None)
    columns = table_columns(name, q.method)
    for column in columns:
        values = data[column]
        if column in DECIMAL:
            values = values.map(rounded).astype(float)
        elif column in INTEGER:
            values = values.astype(float).round().astype("Int64")
        elif DICTIONARY[column][0] == "boolean":
            values = values.astype(bool)
        out[column] = values.to_numpy()
    position = {r: i for i, r in enumerate(rounds)}
    # named: by county code; anonymised: Region A, B, … Z, AA (never by code, which would give names away)
    ranked = sorted(labels) if named else sorted(labels, key=lambda code: (len(labels[code]), labels[code]))
    rank = {code: i for i, code in enumerate(ranked)}
    keys = ["_round", "_region"] + ([c for c in ("dimension", "indicator") if c in out])
    out["_round"] = out["round"].map(position)
    out["_region"] = codes.map(rank).to_numpy()
    order = {d.id: i for i, d in enumerate(q.dimensions)} | {ind.id: i for i, ind in enumerate(q.indicators)}
    for column in ("dimension", "indicator"):
        if column in out:
            out[f"_{column}"] = out[column].map(order)
            keys[keys.index(column)] = f"_{column}"
    out = out.sort_values(keys, kind="stable").drop(columns=[c for c in out.columns if c.startswith("_")])
    return out[region_columns + columns].reset_index(drop=True)


def table_columns(name: str, method: int = 1) -> list[str]:
    """The columns of table `name` (after the region columns) for a questionnaire scored by `method`."""
    return TABLE_COLUMNS[name] + (METHOD_2_COLUMNS[name] if method == 2 else [])


def data_dictionary(lang: str = "sv", named: bool = True, method: int = 1) -> pd.DataFrame:
    lang = normalise_language(lang)
    rows = []
    for table in TABLE_COLUMNS:
        for column in (REGION_COLUMNS if named else ["region"]) + table_columns(table, method):
            kind, text = DICTIONARY[column]
            rows.append({"table": table, "column": column, "header": header(column, lang), "type": kind,
                         "description": text[lang]})
    return pd.DataFrame(rows)


def to_csv(frame: pd.DataFrame, lang: str = "sv") -> bytes:
    """UTF-8 with BOM and ';' so Swedish Excel opens it directly; decimal comma in Swedish."""
    lang = normalise_language(lang)
    safe = frame.copy()
    for column in safe.columns:
        if pd.api.types.is_bool_dtype(safe[column]):
            safe[column] = safe[column].map({True: "true", False: "false"})
        elif pd.api.types.is_string_dtype(safe[column]) or safe[column].dtype == object:
            safe[column] = safe[column].map(xlsx.csv_safe)
    text = safe.to_csv(sep=";", index=False, decimal="," if lang == "sv" else ".", lineterminator="\r\n")
    return text.encode("utf-8-sig")


def open_data_workbook(data: OpenData, lang: str = "sv") -> bytes:
    """All tables and the data dictionary in one workbook (write-only mode: fast and lean for many rows)."""
    lang = normalise_language(lang)
    wb = Workbook(write_only=True)
    xlsx.mark_properties(wb, data.marking.text(lang))
    about = wb.create_sheet(TABLE_NAMES["about"][lang])
    for line in data.marking.lines(lang):  # the first sheet's top rows: before anyone reads a number
        about.append([xlsx.write_only_cell(about, line, font=xlsx.MARKING_FONT, fill=xlsx.MARKING_FILL)])
    for line in about_lines(data.q, lang, data.named, data.generated_at, data.rounds):
        about.append([xlsx.write_only_cell(about, value, font=xlsx.BOLD if i == 0 else None)
                      for i, value in enumerate(line)])
    for name in ("overall", "dimensions", "indicators"):
        _frame_sheet(wb.create_sheet(TABLE_NAMES[name][lang]), for_people(data.tables[name], lang), lang)
    _frame_sheet(wb.create_sheet(TABLE_NAMES["dictionary"][lang]),
                 dictionary_for_people(data_dictionary(lang, data.named, data.q.method), lang), lang)
    return xlsx.save(wb)


def dictionary_for_people(dictionary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The data dictionary as a workbook shows it: the table's sheet name and the type in words (the column
    ids stay: they are what the CSV files use)."""
    frame = dictionary.copy()
    frame["table"] = frame["table"].map(lambda name: TABLE_NAMES[name][lang])
    frame["type"] = frame["type"].map(lambda kind: TYPES[kind][lang])
    return frame


def about_lines(q: Questionnaire, lang: str, named: bool, generated_at, rounds) -> list[list[object]]:
    return [
        [label("questionnaire", lang), f"{q.title[lang]} ({q.ref})"],
        [label("round", lang), ", ".join(rounds)],
        [label("publication", lang), label("named" if named else "anonymised", lang)],
        [label("generated", lang), generated_at],
        ["mognad", version()],
        [],
        *[["", text] for text in method_paragraphs(q, lang, 3)],
    ]


def column_width(column: str) -> int:
    if column == "description":
        return 90
    if column in ("publication_status", "size_group", "nuts2"):
        return 44
    return 34 if column in ("dimension_title", "region", "stage_name", "header") else 14


def _frame_sheet(ws, frame: pd.DataFrame, lang: str) -> None:
    """A frame as a sheet in a write-only workbook: a header for people, frozen, filterable, sensible widths."""
    columns = list(frame.columns)
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column_width(column)
    ws.freeze_panes = "A2"
    headers = [header(c, lang) for c in columns]
    ws.append([xlsx.write_only_cell(ws, text, font=xlsx.HEADER_FONT, fill=xlsx.HEADER_FILL) for text in headers])
    formats = [cell_format(c) for c in columns]
    for row in frame.itertuples(index=False, name=None):
        ws.append([xlsx.write_only_cell(ws, None if value is pd.NA else value, number_format=fmt)
                   for value, fmt in zip(row, formats, strict=True)])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"
