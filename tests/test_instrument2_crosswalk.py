"""The crosswalk from version 1 to version 2: valid against both definitions, every indicator accounted for,
and one broken crosswalk per rule reported with its code, reference and line (questionnaires/crosswalk.py)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from questionnaires import find as find_questionnaire
from questionnaires.crosswalk import (
    COMPARABLE,
    MESSAGES,
    RELATIONS,
    CrosswalkError,
    bundled_crosswalks,
    check,
    find,
    load,
)
from questionnaires.loader import BUNDLED_DIR

CROSSWALK = BUNDLED_DIR / "crosswalk-1-2.yaml"
COMPARABLE_PAIRS = {("D1.1", "D1.1"), ("D9.1", "D1.6")}


@pytest.fixture(scope="module")
def versions():
    return find_questionnaire("regional-validering@1"), find_questionnaire("regional-validering@2")


@pytest.fixture(scope="module")
def crosswalk_data() -> dict:
    return yaml.safe_load(CROSSWALK.read_text("utf-8"))


@pytest.fixture
def data(crosswalk_data) -> dict:
    return copy.deepcopy(crosswalk_data)


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "crosswalk.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def line_of(path: Path, needle: str, start: int = 1) -> int:
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if number >= start and needle in line:
            return number
    raise AssertionError(needle)


def problems_of(tmp_path, data, versions, code):
    path = write(tmp_path, data)
    found = [p for p in check(path, *versions) if p.code == code]
    assert found, f"no {code} in {[p.render() for p in check(path, *versions)]}"
    return path, found


def mapping(data: dict, old: str) -> dict:
    return next(m for m in data["mappings"] if m["from"] == old)


def origin(data: dict, new: str) -> dict:
    return next(o for o in data["origins"] if o["indicator"] == new)


# ---- the bundled crosswalk -------------------------------------------------------------------------------
def test_bundled_crosswalk_is_valid_against_both_versions(versions):
    assert check(CROSSWALK) == []
    assert check(CROSSWALK, *versions) == []
    assert bundled_crosswalks() == {("regional-validering@1", "regional-validering@2"): CROSSWALK}
    assert find("regional-validering@1", "regional-validering@2").to_ref == "regional-validering@2"


def test_every_indicator_of_both_versions_is_accounted_for(versions):
    old, new = versions
    crosswalk = load(CROSSWALK, old, new)
    assert set(crosswalk.mappings) == {ind.id for ind in old.indicators}
    assert set(crosswalk.origins) == {ind.id for ind in new.indicators}
    for m in crosswalk.mappings.values():
        assert m.relation in RELATIONS and m.reason.sv and m.reason.en
    new_ones = {ident for ident, o in crosswalk.origins.items() if o.new}
    assert new_ones == {"D3.5", "D4.6", "D5.7", "D7.6", "D10.5", "D10.6"}
    assert all(crosswalk.origins[i].reason for i in new_ones)


def test_only_unchanged_meaning_and_scale_is_comparable(versions):
    crosswalk = load(CROSSWALK, *versions)
    assert set(crosswalk.comparable_pairs) == COMPARABLE_PAIRS
    assert crosswalk.comparable("D9.1") == "D1.6" and crosswalk.previous("D1.6") == "D9.1"
    assert crosswalk.comparable("D7.5") is None  # split: the review promise was a legal error
    assert crosswalk.previous("D6.4") is None  # merged from D6.4 and D7.5
    assert crosswalk.previous("D3.5") is None  # new
    assert not crosswalk.is_comparable("D5.1")  # changed: level 0 described a breach of the law
    assert {m.relation for m in crosswalk.mappings.values() if m.comparable} <= COMPARABLE


def test_comparable_indicators_keep_their_ladders(versions):
    """A comparable pair keeps the same number of levels, the same roles and the same weight."""
    old, new = versions
    for before, after in COMPARABLE_PAIRS:
        a, b = old.indicator_by_id[before], new.indicator_by_id[after]
        assert len(a.levels) == len(b.levels) and a.roles == b.roles and a.weight == b.weight


def test_messages_exist_in_both_languages():
    for code in MESSAGES.codes():
        assert code in MESSAGES


# ---- one broken crosswalk per rule -------------------------------------------------------------------------
def test_missing_old_indicator(tmp_path, data, versions):
    data["mappings"] = [m for m in data["mappings"] if m["from"] != "D4.4"]
    path, [p] = problems_of(tmp_path, data, versions, "cw_missing_old")
    assert (p.ref, p.line, p.file) == ("D4.4@1", line_of(path, "mappings:"), str(path))
    assert p.message("sv") == "indikatorn D4.4 i regional-validering@1 saknas under mappings"
    assert p.message("en") == "the indicator D4.4 of regional-validering@1 is missing under mappings"


def test_missing_new_indicator(tmp_path, data, versions):
    data["origins"] = [o for o in data["origins"] if o["indicator"] != "D10.6"]
    path, [p] = problems_of(tmp_path, data, versions, "cw_missing_new")
    assert (p.ref, p.line) == ("D10.6@2", line_of(path, "origins:"))


def test_unknown_old_and_new_ids(tmp_path, data, versions):
    mapping(data, "D2.5")["from"] = "D2.9"
    mapping(data, "D2.4")["to"] = ["D2.8"]
    path = write(tmp_path, data)
    codes = {(p.code, p.ref): p for p in check(path, *versions)}
    assert codes[("cw_unknown_old", "D2.9@1")].line == line_of(path, "from: D2.9")
    assert codes[("cw_unknown_new", "D2.4@1")].line == line_of(path, "- D2.8")
    assert ("cw_missing_old", "D2.5@1") in codes


def test_unknown_relation(tmp_path, data, versions):
    mapping(data, "D3.3")["relation"] = "comparable"
    path, [p] = problems_of(tmp_path, data, versions, "cw_relation")
    assert p.ref == "D3.3@1" and p.line == line_of(path, "relation: comparable")
    assert "same, reworded, changed, split, merged, removed" in p.message("en")


def test_split_needs_two_targets_and_removed_none(tmp_path, data, versions):
    mapping(data, "D5.3")["to"] = ["D5.3"]
    mapping(data, "D3.4")["relation"] = "removed"
    path = write(tmp_path, data)
    found = {p.ref: p for p in check(path, *versions) if p.code == "cw_targets"}
    assert found["D5.3@1"].params == {"relation": "split", "expected": "2–…", "count": 1}
    assert found["D3.4@1"].params == {"relation": "removed", "expected": "0", "count": 1}


def test_same_needs_identical_text(tmp_path, data, versions):
    mapping(data, "D1.1")["relation"] = "same"
    path, [p] = problems_of(tmp_path, data, versions, "cw_not_same")
    assert p.ref == "D1.1@1" and p.line == line_of(path, "relation: same")


def test_comparable_target_must_come_from_its_source_alone(tmp_path, data, versions):
    origin(data, "D1.1")["from"] = ["D1.1", "D1.3"]
    mapping(data, "D1.3")["to"] = ["D2.3", "D1.1"]
    mapping(data, "D1.3")["relation"] = "split"
    path, [p] = problems_of(tmp_path, data, versions, "cw_sole_origin")
    assert p.ref == "D1.1@1" and p.params["origins"] == "D1.1, D1.3"


def test_merged_needs_two_origins(tmp_path, data, versions):
    mapping(data, "D2.2")["relation"] = "merged"
    path, [p] = problems_of(tmp_path, data, versions, "cw_merged_alone")
    assert p.ref == "D2.2@1"


def test_both_directions_must_agree(tmp_path, data, versions):
    origin(data, "D3.2")["from"] = ["D3.2"]  # D3.4 still says it merged into D3.2
    path = write(tmp_path, data)
    found = {p.code: p for p in check(path, *versions)}
    assert found["cw_not_in_origin"].ref == "D3.4@1"
    origin(data, "D4.1")["from"] = ["D4.1", "D4.5"]  # D4.5 maps to D4.5 only
    found = {p.code: p for p in check(write(tmp_path, data), *versions)}
    assert found["cw_not_in_mapping"].ref == "D4.1@2"


def test_origin_is_either_from_or_new_with_a_reason(tmp_path, data, versions):
    origin(data, "D3.5")["from"] = ["D3.1"]
    new_without_reason = origin(data, "D4.6")
    del new_without_reason["reason::sv"], new_without_reason["reason::en"]
    path = write(tmp_path, data)
    found = {(p.code, p.ref) for p in check(path, *versions)}
    assert ("cw_origin_form", "D3.5@2") in found and ("cw_new_reason", "D4.6@2") in found


def test_duplicates_and_reasons(tmp_path, data, versions):
    data["mappings"].append(copy.deepcopy(mapping(data, "D8.1")))
    del mapping(data, "D8.2")["reason::en"]
    path = write(tmp_path, data)
    found = {(p.code, p.ref): p for p in check(path, *versions)}
    assert found[("cw_duplicate", "D8.1@1")].params["first"] == line_of(path, "from: D8.1")
    assert found[("missing_translation", "D8.2@1")].message("en").startswith("missing translation")


def test_header_rules(tmp_path, data, versions):
    data["format"] = "mognad-crosswalk/9"
    data["to"] = "regional-validering"
    data["extra"] = 1
    path = write(tmp_path, data)
    codes = {p.code for p in check(path, *versions)}
    assert {"cw_format", "cw_ref", "unknown_key"} <= codes
    data["to"] = "regional-validering@9"
    codes = {p.code for p in check(write(tmp_path, data))}
    assert "cw_unknown_questionnaire" in codes


def test_mismatched_questionnaire_and_same_version(tmp_path, data, versions):
    old, new = versions
    data["to"] = "regional-validering@1"
    path = write(tmp_path, data)
    codes = {p.code for p in check(path, old, new)}
    assert {"cw_ref_mismatch", "cw_same_version"} <= codes


def test_load_refuses_a_broken_crosswalk(tmp_path, data, versions):
    del data["origins"]
    with pytest.raises(CrosswalkError) as caught:
        load(write(tmp_path, data), *versions)
    assert any(p.code == "missing_key" for p in caught.value.problems)


def test_unreadable_and_not_a_mapping(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("- just\n- a list\n", "utf-8")
    assert [p.code for p in check(path)] == ["not_a_mapping"]
    path.write_text("from: [unclosed\n", "utf-8")
    assert [p.code for p in check(path)] == ["yaml_syntax"]


# ---- `mognad validate` runs the crosswalk checker ------------------------------------------------------------
def run(capsys, *argv):
    from cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_a_crosswalk_file(capsys):
    code, out, err = run(capsys, "validate", str(CROSSWALK))
    assert code == 0 and err == ""
    assert out.strip() == (f"{CROSSWALK}: giltig översättningsnyckel från regional-validering@1 till "
                           "regional-validering@2 (46 + 49 indikatorer, 2 jämförbara par)")
    code, out, _ = run(capsys, "--lang", "en", "validate", str(CROSSWALK))
    assert code == 0 and "valid crosswalk from regional-validering@1 to regional-validering@2" in out


def test_validate_reports_every_crosswalk_problem_with_file_line_and_ref(capsys, tmp_path, data):
    data["mappings"] = [m for m in data["mappings"] if m["from"] != "D4.4"]
    mapping(data, "D3.3")["relation"] = "comparable"
    path = write(tmp_path, data)
    code, out, err = run(capsys, "--lang", "en", "validate", str(path))
    assert code == 1 and "Traceback" not in out + err
    lines = out.splitlines()
    assert f"{path}:{line_of(path, 'mappings:')}: D4.4@1: the indicator D4.4 of regional-validering@1 is missing " \
           "under mappings" in lines
    assert any(line.startswith(f"{path}:{line_of(path, 'relation: comparable')}: D3.3@1: unknown relation")
               for line in lines)
    assert lines[-1] == "2 problem(s)"
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1 and "saknas under mappings" in out and out.splitlines()[-1] == "2 problem"


@pytest.mark.parametrize("content", ["format: mognad-crosswalk/1\nmappings: 3\n",
                                     "format: mognad-crosswalk/1\nfrom: [x\n"])
def test_validate_never_tracebacks_on_a_broken_crosswalk(capsys, tmp_path, content):
    path = tmp_path / "cw.yaml"
    path.write_text(content, "utf-8")
    code, out, err = run(capsys, "validate", str(path))
    assert code == 1 and "Traceback" not in out + err and f"{path}:" in out


@pytest.mark.parametrize("version", ["1", "2"])
def test_validate_a_definition_also_checks_the_bundled_crosswalk_naming_it(capsys, version):
    code, out, _ = run(capsys, "validate", str(BUNDLED_DIR / f"regional-validering-{version}.yaml"))
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert f"regional-validering@{version}" in lines[0]
    assert lines[1].startswith(f"{CROSSWALK}: giltig översättningsnyckel")


def test_validate_a_changed_definition_against_the_crosswalk_naming_it(capsys, tmp_path):
    """A draft of version 2 without D10.6 still passes the definition linter, but the crosswalk no longer
    fits it: the problem is reported in the crosswalk's file, at its line, with the reference."""
    raw = yaml.safe_load((BUNDLED_DIR / "regional-validering-2.yaml").read_text("utf-8"))
    d10 = next(d for d in raw["dimensions"] if d["id"] == "D10")
    d10["indicators"] = [i for i in d10["indicators"] if i["id"] != "D10.6"]
    raw["actions"] = [a for a in raw["actions"] if a["indicator"] != "D10.6"]
    cited = {s for d in raw["dimensions"] for s in d.get("sources", [])}
    cited |= {s for d in raw["dimensions"] for i in d["indicators"] for s in i.get("sources", [])}
    raw["sources"] = [s for s in raw["sources"] if s["id"] in cited]
    draft = tmp_path / "utkast.yaml"
    draft.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), "utf-8")
    code, out, _ = run(capsys, "--lang", "en", "validate", str(draft))
    lines = out.splitlines()
    assert code == 1
    assert lines[0].startswith(f"{draft}: valid (regional-validering@2")
    line = line_of(CROSSWALK, "indicator: D10.6")
    assert f"{CROSSWALK}:{line}: D10.6@2: the indicator D10.6 does not exist in regional-validering@2" in lines
    assert lines[-1] == "1 problem(s)"


def test_validate_an_unrelated_definition_checks_no_crosswalk(capsys):
    from tests.conftest import EXAMPLE

    code, out, _ = run(capsys, "validate", str(EXAMPLE))
    assert code == 0 and len(out.splitlines()) == 1


# ---- the definition linter's reference rules for version 2 --------------------------------------------------
@pytest.fixture
def v2_data() -> dict:
    return yaml.safe_load((BUNDLED_DIR / "regional-validering-2.yaml").read_text("utf-8"))


def test_every_source_must_be_cited_in_a_method_2_definition(tmp_path, v2_data):
    from questionnaires.lint import lint

    v2_data["sources"].append({"id": "oanvand", "citation": "Ingen citerar mig, 2026", "url": "https://example.org/x"})
    path = tmp_path / "v2.yaml"
    path.write_text(yaml.safe_dump(v2_data, allow_unicode=True, sort_keys=False), "utf-8")
    [p] = lint(path)
    assert (p.code, p.ref, p.line) == ("source_unused", "oanvand", line_of(path, "id: oanvand"))
    assert p.message("sv") == "källan 'oanvand' citeras inte av någon dimension eller indikator"
    assert p.message("en") == "the source 'oanvand' is not cited by any dimension or indicator"


def test_version_1_keeps_its_uncited_source():
    """Version 1 stays byte for byte as its rounds used it: the new rule applies to method 2 only."""
    from questionnaires.lint import lint

    assert lint(BUNDLED_DIR / "regional-validering-1.yaml") == []


def test_every_cited_id_must_be_defined_in_a_method_2_definition(tmp_path, v2_data):
    from questionnaires.lint import lint

    v2_data["dimensions"][0]["sources"].append("finns-inte")
    v2_data["dimensions"][1]["indicators"][0]["roles"] = ["region", "okand-roll"]
    v2_data["dimensions"][2]["indicators"][1]["requires"] = {"D3.9": 2}
    v2_data["actions"][0]["indicator"] = "D1.9"
    path = tmp_path / "v2.yaml"
    path.write_text(yaml.safe_dump(v2_data, allow_unicode=True, sort_keys=False), "utf-8")
    found = {(p.code, p.ref) for p in lint(path)}
    assert {("unknown_source", "D1"), ("unknown_role", "D2.1"), ("requires_unknown", "D3.2")} <= found
    assert any(code == "action_unknown_indicator" for code, _ in found)
