"""Issue 14: no English in Swedish mode, no Swedish in English mode.

Every page each role can open is run with AppTest; the visible text and every label, help text, placeholder,
option and table header are collected and checked for giveaways of the other language. Streamlit's own words in
the browser (the uploader's "Drag and drop", "Skip to main content" …) are outside AppTest's reach: the browser
walk (tests/browser/test_finish_language.py) covers those.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from google.protobuf.json_format import MessageToDict

from tests.app.conftest import ADMIN, ANALYST, LEAD, RESPONDENT, app

ROLES = {"lead": (LEAD, "19"), "respondent": (RESPONDENT, "19"), "analyst": (ANALYST, None), "admin": (ADMIN, "19")}
PAGES = ("overview", "fill", "results", "compare", "plan", "export", "admin", "welcome", "account", "instrument",
         "score_file")

# Words that give English away in Swedish mode (whole words, case-sensitive where case matters)
ENGLISH = re.compile(r"\b(Drag and drop|Browse files|Limit \d+|Press Enter|Press Ctrl|None|NaN|nan|Page not found|"
                     r"Skip to main content|Show password|Link to heading|True|False|label|Submit|Upload|Download|"
                     r"Save|Cancel|Delete|Stage|Score|Round|the|and|of|per file|Help for|id@version)\b")
SNAKE = re.compile(r"(?<![\w./@-])[a-z]+_[a-z_]+(?![\w./@-])")  # answered_share, dimensions_scored …
# Words that give Swedish away in English mode: the app's own words (stage and status names, common labels). Names
# of regions, people and organisations, and what people typed, are the same in both languages and are not checked.
SWEDISH = re.compile(r"\b(Saknas|Initierad|Under uppbyggnad|Etablerad|Integrerad och lärande|utkast|inlämnad|"
                     r"återöppnad|låst|ej påbörjad|Lämna in|Spara|Avbryt|Omgång|omgång|Fullständighet|Poäng|"
                     r"Rikets median|Ej relevant|Vet ej|Stadium|Mål|Åtgärd|Ansvarig|Klart senast|ja|nej)\b")
SKIP_FIELDS = {"id", "formId", "key", "spec", "data", "useContainerWidth", "icon", "pageScriptHash", "page",
               "fragmentId", "type", "columns", "selectionMode", "vegaLiteChart", "arrowVegaLiteChart"}


def _strings(value, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for key, inner in value.items():
            if key not in SKIP_FIELDS:
                _strings(inner, out)
    elif isinstance(value, list):
        for inner in value:
            _strings(inner, out)


def visible_texts(at) -> list[str]:
    """Text, labels, help, placeholders, options, metric labels and table headers and cells of one run."""
    out: list[str] = []

    def walk(node) -> None:
        kind = getattr(node, "type", "")
        if kind in ("html", "arrow_vega_lite_chart", "vega_lite_chart", "plotly_chart", "code", "json"):
            return  # our own scripts and chart specs (a chart's words are in its data table)
        if kind in ("dataframe", "table", "arrow_data_frame", "arrow_table"):
            frame = node.value
            if isinstance(frame, pd.DataFrame):  # the headers as shown: a column's configured label, hidden ones not
                config = json.loads(getattr(node.proto, "columns", "") or "{}")
                shown = [c for c in frame.columns if not (config.get(str(c)) or {}).get("hidden")]
                out.extend(str((config.get(str(c)) or {}).get("label") or c) for c in shown)
                out.extend(str(i) for i in frame.index if not isinstance(i, int))
                out.extend(str(name) for name in frame.index.names if name is not None)  # a table's first header
                out.extend(str(v) for v in frame[shown].to_numpy().ravel() if isinstance(v, str) or v is None)
            return
        proto = getattr(node, "proto", None)
        if proto is not None and not hasattr(node, "children"):
            _strings(MessageToDict(proto), out)
        elif proto is not None:  # a block: expander, tab, form … its label
            _strings({k: v for k, v in MessageToDict(proto).items() if k in ("expandable", "tab", "label")}, out)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return out


def _run(role: str, page: str, lang: str):
    email, region = ROLES[role]
    at = app(lang, email)
    if region:
        at.session_state["chosen_region"] = region
    at.session_state["chosen_round"] = "2026"
    at.run()
    at.switch_page(f"app/views/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _leaks(texts: list[str], pattern: re.Pattern, allowed: set[str]) -> list[str]:
    found = []
    for text in texts:
        for match in pattern.finditer(text):
            word = match.group(0)
            if word not in allowed:
                found.append(f"{word!r} in {text[:120]!r}")
    return sorted(set(found))


# Names and codes that are the same in both languages (e-mail addresses and file formats are skipped by the pattern)
SV_ALLOWED: set[str] = set()
EN_ALLOWED: set[str] = set()


@pytest.mark.parametrize("role", list(ROLES))
def test_no_english_in_swedish_mode(demo_db, role):
    import store
    from app.context import pages_for

    db, _ = demo_db
    allowed_pages = pages_for(store.identity_for_email(db, ROLES[role][0])) | {"instrument", "score_file"}
    problems = {}
    for page in PAGES:
        if page not in allowed_pages:
            continue
        texts = visible_texts(_run(role, page, "sv"))
        leaks = _leaks(texts, ENGLISH, SV_ALLOWED) + _leaks(texts, SNAKE, SV_ALLOWED)
        if leaks:
            problems[page] = leaks
    assert not problems, problems


@pytest.mark.parametrize("role", list(ROLES))
def test_no_swedish_in_english_mode(demo_db, role):
    import store
    from app.context import pages_for

    db, _ = demo_db
    allowed_pages = pages_for(store.identity_for_email(db, ROLES[role][0])) | {"instrument", "score_file"}
    problems = {}
    for page in PAGES:
        if page not in allowed_pages:
            continue
        texts = visible_texts(_run(role, page, "en"))
        leaks = _leaks(texts, SWEDISH, EN_ALLOWED)
        if leaks:
            problems[page] = leaks
    assert not problems, problems
