"""Method 2 from the outside: the worked example of docs/method.md ("Metod 2") reproduced by `mognad score`,
the answers format `mognad-answers/2`, and the definition keys of method 2 in the linter."""

from __future__ import annotations

import copy
import json

import pytest
import yaml

from cli import main
from questionnaires import load
from questionnaires.answers import AnswersError, dump, parse
from questionnaires.lint import lint
from questionnaires.regions import load_regions
from tests.conftest import EXAMPLE, ROOT

EXAMPLE_2 = ROOT / "questionnaires" / "examples" / "metodexempel-2.yaml"
ANSWERS_2 = ROOT / "docs" / "examples" / "metodexempel-2-svar.json"
METHOD = ROOT / "docs" / "method.md"
CODES = [r.code for r in load_regions()]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def q2():
    return load(EXAMPLE_2)


def score_json(capsys) -> dict:
    code, out, err = run(capsys, "score", str(ANSWERS_2), "--questionnaire", str(EXAMPLE_2), "--format", "json")
    assert (code, err) == (0, "")
    return json.loads(out)


# -- the worked example, to the digit -------------------------------------------------------------------------

def test_worked_example_indicators(capsys):
    result = score_json(capsys)
    assert result["method"] == 2 and result["questionnaire"] == "metodexempel@2"
    rows = {i["id"]: i for i in result["indicators"]}
    assert {k: (v["value"], v["status"]) for k, v in rows.items()} == {
        "D1.1": (2.0, "value"), "D1.2": (1.0, "consensus"), "D1.3": (2.5, "value"), "D1.4": (1.5, "value"),
        "D2.1": (4.0, "value"), "D2.2": (4.0, "value"), "D2.3": (2.0, "value"),
        "D3.1": (3.0, "value"), "D3.2": (None, "unknown"), "D3.3": (None, "not_applicable")}
    assert rows["D1.1"]["roles"] == {"region": 3.0, "kommun": 1.0, "af": 2.0}
    assert rows["D1.2"]["roles"] == {"region": 4.0, "kommun": 0.5}
    assert rows["D1.4"]["roles"] == {"region": 1.0, "kommun": 1.5, "af": 2.0}
    assert {k: v["agreement"] for k, v in rows.items()} == {
        "D1.1": 0.692, "D1.2": 0.232, "D1.3": 0.829, "D1.4": 0.807, "D2.1": 1.0, "D2.2": 0.855, "D2.3": 1.0,
        "D3.1": 1.0, "D3.2": None, "D3.3": None}
    assert [k for k, v in rows.items() if v["disagreement"]] == ["D1.2"]
    assert rows["D1.2"]["consensus"] == {
        "value": 1.0, "rationale": "Handlingsplanen finns som utkast men är inte beslutad; parterna enades om nivå 1.",
        "evidence": "Utkast till handlingsplan, version 2026-02-10", "decided_at": "2026-03-12",
        "decided_by": "Regionala valideringsforumet, workshop 12 mars"}
    assert "consensus" not in rows["D1.1"]


def test_worked_example_dimensions_overall_and_flags(capsys):
    result = score_json(capsys)
    d1, d2, d3 = result["dimensions"]
    assert {k: d1[k] for k in ("score", "percent", "stage", "completeness", "interval",
                                                   "low_confidence", "foundation")} == {
        "score": 1.75, "percent": 43.75, "stage": "S1", "completeness": 1.0, "interval": [1.625, 1.875],
        "low_confidence": False, "foundation": True}
    assert d1["panel"] == {"respondents": 4, "roles": 3} and d1["scored_share"] == 1.0
    assert {k: d2[k] for k in ("score", "stage", "interval", "low_confidence")} == {
        "score": 3.333, "stage": "S2", "interval": [3.333, 3.333], "low_confidence": False}
    assert {k: d3[k] for k in ("score", "stage", "completeness", "answered", "not_applicable", "unknown", "interval",
                               "low_confidence")} == {
        "score": None, "stage": None, "completeness": 0.5, "answered": 1, "not_applicable": 1, "unknown": 1,
        "interval": None, "low_confidence": None}
    assert result["overall"] == {
        "score": 2.806, "percent": 70.139, "stage": "S1", "stage_label": "Initierad", "completeness": 0.889,
        "interval": [2.764, 2.847], "scored_share": 1.0, "low_confidence": True,
        "low_confidence_reasons": ["completeness"]}
    assert result["flags"] == ["foundation"]


def test_worked_example_plan_foundation_first_and_prerequisites(capsys):
    plan = score_json(capsys)["plan"]
    assert [(p["dimension"], p["target_stage"], p["target"], p["gap"], p["priority"], p["foundation"])
            for p in plan] == [("D1", "S2", 2.0, 0.375, 0.891, True), ("D2", "S3", 3.0, 0.333, 1.556, False)]
    assert [(a["indicator"], a["from_level"], a.get("prerequisite_for")) for a in plan[0]["actions"]] == [
        ("D1.2", 1, None), ("D1.4", 1, None)]
    assert [(a["indicator"], a["from_level"], a.get("prerequisite_for")) for a in plan[1]["actions"]] == [
        ("D1.1", 2, "D2.3"), ("D2.3", 2, None)]


def test_docs_describe_the_example_mognad_score_reproduces(capsys):
    text = METHOD.read_text("utf-8")
    section = text[text.index("## 10. Metod 2"):]
    assert "mognad score docs/examples/metodexempel-2-svar.json --questionnaire " \
           "questionnaires/examples/metodexempel-2.yaml" in section
    result = score_json(capsys)
    shown = {"D1": "1,750", "D2": "3,333", "overall": "2,806", "interval D1": "1,625–1,875",
             "interval overall": "2,764–2,847", "D1.1": "0,692", "D1.2": "0,232", "gap": "0,375", "D1 prio": "0,891",
             "D2 prio": "1,556"}
    for words in shown.values():
        assert words in section, words
    assert result["overall"]["interval"] == [2.764, 2.847]


def test_worked_example_table_in_both_languages(capsys):
    _, sv, _ = run(capsys, "score", str(ANSWERS_2), "--questionnaire", str(EXAMPLE_2))
    assert "Osäkert: bara 89\u00a0% av frågorna har fått ett svar." in sv  # Babel's Swedish percent
    assert "Instabil grund: en grunddimension (D1)" in sv and "D1.1 2→3 (förutsättning för D2.3)" in sv
    _, en, _ = run(capsys, "--lang", "en", "score", str(ANSWERS_2), "--questionnaire", str(EXAMPLE_2))
    assert "Uncertain: only 89% of the questions have been answered." in en and "Decided in a workshop: D1.2" in en


# -- the answers format --------------------------------------------------------------------------------------------

def document(**changes) -> dict:
    data = json.loads(ANSWERS_2.read_text("utf-8"))
    data.update(changes)
    return data


def problems(data, q) -> list[str]:
    with pytest.raises(AnswersError) as caught:
        parse(json.dumps(data), lambda ref: q, CODES, q)
    return [p.render("sv") for p in caught.value.problems]


def test_format_2_round_trips_and_format_1_still_reads(q2):
    answers, _ = parse(ANSWERS_2.read_bytes(), lambda ref: q2, CODES, q2)
    assert answers.consensus["D1.2"].value == 1 and answers.consensus["D1.2"].decided_at == "2026-03-12"
    again, _ = parse(json.dumps(dump(answers)), lambda ref: q2, CODES, q2)
    assert again == answers and dump(answers)["format"] == "mognad-answers/2"
    old = document(format="mognad-answers/1")
    del old["consensus"]
    answers, _ = parse(json.dumps(old), lambda ref: q2, CODES, q2)
    assert answers.consensus == {} and dump(answers)["format"] == "mognad-answers/1"


def test_consensus_belongs_to_format_2_and_method_2(q2, example):
    assert problems(document(format="mognad-answers/1"), q2) == ["okänt fält 'consensus'"]
    assert "fältet format ska vara 'mognad-answers/1' eller 'mognad-answers/2' (är \"x\")" in \
        problems(document(format="x"), q2)
    v1 = json.loads((ROOT / "docs" / "examples" / "metodexempel-svar.json").read_text("utf-8"))
    v1.update(format="mognad-answers/2", consensus={})
    assert problems(v1, example) == ["okänt fält 'consensus'",
                                     "fältet format ska vara 'mognad-answers/1' (är \"mognad-answers/2\")"]


@pytest.mark.parametrize(("record", "expected"), [
    ({"value": 5}, "indikator D1.1: konsensusvärdet ska vara ett heltal 0–4 eller \"na\" (är 5)"),
    ({"value": "dk"}, "indikator D1.1: konsensusvärdet ska vara ett heltal 0–4 eller \"na\" (är \"dk\")"),
    ({"value": True}, "indikator D1.1: konsensusvärdet ska vara ett heltal 0–4 eller \"na\" (är true)"),
    ({"value": "na"}, "indikator D1.1: konsensusvärdet \"na\" (ej relevant) är inte tillåtet för den här indikatorn"),
    ({"rationale": "x"}, "indikator D1.1: konsensusposten ska vara ett JSON-objekt med minst fältet value"),
    (3, "indikator D1.1: konsensusposten ska vara ett JSON-objekt med minst fältet value"),
    ({"value": 2, "vem": "x"}, "indikator D1.1: okänt fält 'vem'"),
    ({"value": 2, "evidence": 7}, "indikator D1.1: fältet 'evidence' i konsensusposten ska vara text"),
    ({"value": 2, "decided_at": "12 mars"}, "indikator D1.1: fältet decided_at ska vara ett datum som 2026-03-12"),
])
def test_bad_consensus_records_are_named_by_indicator(q2, record, expected):
    found = problems(document(consensus={"D1.1": record}), q2)
    assert any(expected in line for line in found), found


def test_consensus_na_where_allowed_and_unknown_indicators(q2):
    answers, _ = parse(json.dumps(document(consensus={"D3.3": {"value": "na"}})), lambda ref: q2, CODES, q2)
    assert answers.consensus["D3.3"].value == "na"
    assert problems(document(consensus={"D9.9": {"value": 1}}), q2) == ["indikator D9.9: okänd indikator"]
    assert problems(document(consensus=[1]), q2) == [
        "fältet 'consensus' ska vara ett objekt med indikator-id som nycklar"]


def test_na_is_refused_where_the_indicator_does_not_allow_it(q2, capsys, tmp_path):
    data = document()
    data["respondents"][1]["answers"]["D1.1"] = "na"
    assert problems(data, q2) == ["respondent r2: indikator D1.1: \"na\" (ej relevant) är inte tillåtet för den här "
                                  "indikatorn; svara med en nivå 0–4 eller \"dk\" (vet ej)"]
    path = tmp_path / "svar.json"
    path.write_text(json.dumps(data), "utf-8")
    code, out, err = run(capsys, "--lang", "en", "score", str(path), "--questionnaire", str(EXAMPLE_2))
    assert code == 2 and out == "" and "respondent r2: indicator D1.1: \"na\" (not relevant) is not allowed" in err


def test_a_duplicate_consensus_key_is_refused_not_guessed(q2):
    raw = ANSWERS_2.read_text("utf-8").replace('"consensus": {', '"consensus": {"D1.1": {"value": 2}, "D1.1": {"value": 3}, ')
    with pytest.raises(AnswersError) as caught:
        parse(raw, lambda ref: q2, CODES, q2)
    assert [p.render("sv") for p in caught.value.problems] == [
        "indikator D1.1: indikatorn står flera gånger i fältet 'consensus'; det går inte att veta vilket värde som gäller"]


# -- the definition keys of method 2 --------------------------------------------------------------------------------

def write(tmp_path, data) -> str:
    path = tmp_path / "def.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return str(path)


@pytest.fixture
def data2():
    return yaml.safe_load(EXAMPLE_2.read_text("utf-8"))


def test_the_example_and_its_keys_load(q2):
    assert lint(EXAMPLE_2) == []
    assert (q2.method, q2.min_completeness, q2.disagreement_below, q2.required_dimensions) == (2, 0.75, 0.5, 2)
    assert [d.foundation for d in q2.dimensions] == [True, False, False]
    assert q2.indicator_by_id["D3.3"].na_allowed and not q2.indicator_by_id["D1.1"].na_allowed
    assert q2.indicator_by_id["D2.3"].requires == (("D1.1", 3),)


def test_defaults_keep_version_1_as_it_was(example, data2, tmp_path):
    assert (example.method, example.min_completeness, example.required_dimensions) == (1, 0.5, 3)
    assert all(ind.na_allowed for ind in example.indicators)  # method 1 takes "na" everywhere, as before
    del data2["min_dimensions"], data2["min_completeness"]
    q = load(write(tmp_path, data2))
    assert (q.min_completeness, q.required_dimensions) == (0.75, 3)  # 80 % of 3, rounded up


def test_method_2_keys_in_a_method_1_definition_are_refused(tmp_path):
    data = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    data["min_dimensions"] = 2
    data["dimensions"][0]["foundation"] = True
    data["dimensions"][0]["indicators"][0]["na_allowed"] = True
    data["dimensions"][0]["indicators"][1]["requires"] = {"D1.1": 2}
    found = lint(write(tmp_path, data))
    assert sorted((p.ref, p.params["key"]) for p in found if p.code == "method2_only") == [
        ("D1", "foundation"), ("D1.1", "na_allowed"), ("D1.2", "requires"), ("min_dimensions", "min_dimensions")]


@pytest.mark.parametrize(("change", "code", "ref"), [
    (lambda d: d["dimensions"][0]["indicators"][0].update(requires={"D9.1": 2}), "requires_unknown", "D1.1"),
    (lambda d: d["dimensions"][0]["indicators"][0].update(requires={"D1.1": 2}), "requires_self", "D1.1"),
    (lambda d: d["dimensions"][0]["indicators"][0].update(requires={"D1.2": 5}), "requires_level", "D1.1"),
    (lambda d: (d["dimensions"][0]["indicators"][0].update(requires={"D2.3": 1})), "requires_cycle", "D1.1"),
    (lambda d: d.update(min_dimensions=4), "min_dimensions_too_many", "min_dimensions"),
    (lambda d: d["stages"].pop(), "method2_stages", "stages"),
    (lambda d: d["stages"][4].update(lower=3.5), "method2_stage_lower", "S4"),
    (lambda d: d.update(method=3), "bad_value", "method"),
    (lambda d: d["dimensions"][0].update(foundation="ja"), "wrong_type", "D1"),
    (lambda d: d["dimensions"][0]["indicators"][0].update(requires={"x": 1}), "bad_value", "D1.1"),
    (lambda d: d.update(disagreement_below=1.5), "bad_value", "disagreement_below"),
])
def test_each_method_2_rule_is_reported(tmp_path, data2, change, code, ref):
    change(data2)
    found = [p for p in lint(write(tmp_path, data2)) if p.code == code]
    assert found and found[0].ref == ref, [p.render() for p in lint(write(tmp_path, data2))]
    assert found[0].line > 0 and found[0].message("sv") and found[0].message("en")


def test_a_cycle_is_named(tmp_path, data2):
    data = copy.deepcopy(data2)
    data["dimensions"][0]["indicators"][0]["requires"] = {"D2.3": 1}
    (cycle,) = [p for p in lint(write(tmp_path, data)) if p.code == "requires_cycle"]
    assert cycle.message("sv") == "förutsättningarna bildar en cirkel: D1.1 → D2.3 → D1.1"
