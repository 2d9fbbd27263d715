"""The CLI contract of `mognad validate`, `regions` and `score` (issue: the instrument and the method)."""

from __future__ import annotations

import json

import pytest

from cli import main
from tests.conftest import EXAMPLE, EXAMPLE_ANSWERS, INSTRUMENT


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_ok_and_broken(capsys, tmp_path):
    code, out, _ = run(capsys, "validate", str(INSTRUMENT))
    assert code == 0 and "regional-validering@1" in out and "46" in out
    broken = tmp_path / "b.yaml"
    broken.write_text(EXAMPLE.read_text("utf-8").replace("weight: 2", "weight: 0").replace("id: D2.2", "id: D2.1"), "utf-8")
    code, out, err = run(capsys, "--lang", "en", "validate", str(broken))
    assert code == 1
    lines = out.splitlines()
    assert any(f"{broken}:" in line and ": D1: the weight must be greater than 0 (is 0)" in line for line in lines)
    assert any(": D2.1: id 'D2.1' is already used on line" in line for line in lines)
    assert "Traceback" not in out + err


@pytest.mark.parametrize("content", [b"", b"\x00\x01", b"[", b"- a"])
def test_validate_never_tracebacks(capsys, tmp_path, content):
    path = tmp_path / "x.yaml"
    path.write_bytes(content)
    code, out, err = run(capsys, "validate", str(path))
    assert code == 1 and "Traceback" not in out + err and str(path) in out


def test_regions_lists_the_roster(capsys):
    code, out, _ = run(capsys, "regions", "--format", "json")
    roster = json.loads(out)
    assert code == 0 and len(roster) == 21
    assert {r["code"] for r in roster} >= {"01", "09", "25"}
    gotland = next(r for r in roster if r["code"] == "09")
    assert gotland["name"] == "Region Gotland" and gotland["size_group"] == "D"
    code, out, _ = run(capsys, "regions")
    assert "Region Västmanland" in out and "280\xa0813" in out  # Babel: non-breaking group separator


def test_score_reproduces_the_worked_example(capsys):
    code, out, err = run(capsys, "score", str(EXAMPLE_ANSWERS), "--questionnaire", str(EXAMPLE), "--format", "json")
    assert code == 0 and err == ""
    result = json.loads(out)
    assert set(result) == {"questionnaire", "region", "round", "overall", "dimensions", "indicators", "plan"}
    assert result["overall"] == {"score": 2.556, "percent": 63.889, "stage": "S2", "stage_label": "Under uppbyggnad"}
    assert [d["score"] for d in result["dimensions"]] == [2.333, 3.0, None]
    assert [d["completeness"] for d in result["dimensions"]] == [0.667, 1.0, 0.333]
    assert result["indicators"][0] == {"id": "D1.1", "dimension": "D1", "value": 2.0, "status": "value",
                                       "respondents": 3, "spread": 2.0, "disagreement": True}
    assert [(p["dimension"], p["target"], p["gap"], p["priority"]) for p in result["plan"]] == [
        ("D1", 3.0, 0.667, 3.556), ("D2", 3.5, 0.5, 1.25)]


def test_score_table_in_both_languages(capsys):
    _, sv, _ = run(capsys, "score", str(EXAMPLE_ANSWERS), "--questionnaire", str(EXAMPLE))
    assert "2,33" in sv and "otillräckligt underlag" in sv and "64\xa0%" in sv
    _, en, _ = run(capsys, "--lang", "en", "score", str(EXAMPLE_ANSWERS), "--questionnaire", str(EXAMPLE))
    assert "2.33" in en and "insufficient evidence" in en


def test_score_uses_the_bundled_instrument_named_in_the_file(capsys, tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"format": "mognad-answers/1", "questionnaire": "regional-validering@1", "region": "09",
                                "round": "2026", "respondents": [{"id": "r1", "role": "region",
                                                                  "answers": {"D1.1": 3, "D1.2": 2}}]}), "utf-8")
    code, out, _ = run(capsys, "score", str(path), "--format", "json")
    result = json.loads(out)
    assert code == 0 and result["questionnaire"] == "regional-validering@1"
    assert result["dimensions"][0]["score"] is None and result["overall"]["score"] is None


def answers_file(tmp_path, **changes):
    data = json.loads(EXAMPLE_ANSWERS.read_text("utf-8"))
    data.update(changes)
    path = tmp_path / "svar.json"
    path.write_text(json.dumps(data), "utf-8")
    return path


def respondent(ident="r9", role="region", **answers):
    return {"id": ident, "role": role, "answers": answers}


BAD = {
    "not_json": (b"{\"format\": ", "inte giltig JSON (rad 1, kolumn 12"),
    "not_object": (b"[1, 2]", "ska innehålla ett JSON-objekt"),
    "not_utf8": (b"\xff\xfe{", "inte kodad i UTF-8"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_score_rejects_unreadable_files(capsys, tmp_path, case):
    content, message = BAD[case]
    path = tmp_path / "svar.json"
    path.write_bytes(content)
    code, out, err = run(capsys, "score", str(path), "--questionnaire", str(EXAMPLE))
    assert (code, out) == (2, "")
    assert err.strip() == f"{path}: " + err.strip().split(": ", 1)[1] and message in err


@pytest.mark.parametrize(("changes", "expected"), [
    ({"format": "mognad-answers/2"}, "fältet format ska vara 'mognad-answers/1' (är \"mognad-answers/2\")"),
    ({"questionnaire": "okand@1"}, "okänt frågeformulär 'okand@1'"),
    ({"region": "99"}, "okänd regionkod '99'"),
    ({"region": 19}, "fältet 'region' ska vara text"),
    ({"respondents": []}, "minst en respondent"),
    ({"respondents": [respondent(D9={"x": 1})]}, "respondent r9: indikator D9: okänd indikator"),
    ({"respondents": [respondent(**{"D1.1": 5})]}, "respondent r9: indikator D1.1: värdet 5 ligger utanför skalan 0–4"),
    ({"respondents": [respondent(**{"D1.1": -1})]}, "respondent r9: indikator D1.1: värdet -1 ligger utanför skalan"),
    ({"respondents": [respondent(**{"D1.1": 2.5})]}, "respondent r9: indikator D1.1: värdet 2.5 är inte ett heltal"),
    ({"respondents": [respondent(**{"D1.1": "3"})]}, "respondent r9: indikator D1.1: värdet \"3\" är inte ett heltal"),
    ({"respondents": [respondent(**{"D1.1": True})]}, "respondent r9: indikator D1.1: värdet true är inte ett heltal"),
    ({"respondents": [respondent(), respondent()]}, "respondent r9: respondent-id 'r9' förekommer mer än en gång"),
    ({"respondents": [respondent(role="chef")]}, "respondent r9: okänd roll 'chef'"),
    ({"respondents": [respondent(role="kommun", **{"D3.1": 2})]}, "respondent r9: indikator D3.1: indikatorn ställs inte till rollen 'kommun'"),
    ({"respondents": [{"id": "r9", "role": "region", "answers": {}, "comments": {"D1.1": 5}}]}, "respondent r9: indikator D1.1: kommentaren ska vara text"),
    ({"respondents": [{"id": "r9", "role": "region", "svar": {}}]}, "respondent r9: okänt fält 'svar'"),
    ({"extra": 1}, "okänt fält 'extra'"),
    ({"questionnaire": "regional-validering"}, "fältet questionnaire ska ha formen id@version (är regional-validering)"),
    ({"respondents": ["r1"]}, "respondent #1: respondenten ska vara ett JSON-objekt"),
    ({"respondents": [{"role": "region", "answers": {}}]}, "respondent #1: respondenten saknar id (text)"),
    ({"respondents": [{"id": "r9", "role": "region", "answers": [3, 2]}]},
     "respondent r9: fältet 'answers' ska vara ett objekt med indikator-id som nycklar"),
    ({"respondents": [{"id": "r9", "role": "region", "answers": {}, "comments": {"D1.1": "x" * 4001}}]},
     "respondent r9: indikator D1.1: kommentaren är för lång (4001 tecken, högst 4000)"),
    ({"respondents": [{"id": "r9", "role": "region", "answers": {}, "confidence": {"D1.1": "säker"}}]},
     "respondent r9: indikator D1.1: säkerheten ska vara low, medium eller high (är \"säker\")"),
])
def test_score_rejects_bad_answers(capsys, tmp_path, changes, expected):
    path = answers_file(tmp_path, **changes)
    questionnaire = [] if "questionnaire" in changes else ["--questionnaire", str(EXAMPLE)]
    code, out, err = run(capsys, "score", str(path), *questionnaire, "--format", "json")
    assert code == 2 and out == ""
    assert any(line.startswith(f"{path}: ") and expected in line for line in err.splitlines()), err
    assert "Traceback" not in err


def test_a_huge_answers_file_is_refused_before_parsing(capsys, tmp_path):
    path = tmp_path / "svar.json"
    path.write_bytes(b"{" + b" " * (20 * 1024 * 1024) + b"}")
    code, out, err = run(capsys, "score", str(path), "--questionnaire", str(EXAMPLE))
    assert (code, out) == (2, "")
    assert err.strip() == f"{path}: filen är för stor ({20 * 1024 * 1024 + 2} byte, högst {20 * 1024 * 1024})"


def test_every_problem_in_an_answers_file_is_listed(capsys, tmp_path):
    path = answers_file(tmp_path, region="00", respondents=[
        respondent("a", **{"D1.1": 9, "D1.2": "kanske", "X": 1}), respondent("a", role="x")])
    code, _, err = run(capsys, "--lang", "en", "score", str(path), "--questionnaire", str(EXAMPLE))
    lines = err.splitlines()
    assert code == 2 and len(lines) == 6
    assert f"{path}: respondent a: indicator D1.1: the value 9 is outside the scale 0–4" in lines
    assert f"{path}: respondent a: indicator X: unknown indicator" in lines


def test_questionnaire_mismatch_and_missing_file(capsys, tmp_path):
    path = answers_file(tmp_path, questionnaire="regional-validering@1")
    code, _, err = run(capsys, "score", str(path), "--questionnaire", str(EXAMPLE))
    assert code == 2 and "svaren gäller 'regional-validering@1' men frågeformuläret är 'metodexempel@1'" in err
    code, _, err = run(capsys, "score", str(tmp_path / "saknas.json"))
    assert code == 2 and "filen kan inte läsas" in err
