"""One broken definition per linter rule; each must be reported with its code, id and line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from questionnaires.lint import MESSAGES, lint
from tests.conftest import EXAMPLE, INSTRUMENT


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def only(problems, code):
    found = [p for p in problems if p.code == code]
    assert found, f"no {code} in {[p.render() for p in problems]}"
    return found


def line_of(path: Path, needle: str, start: int = 1) -> int:
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if number >= start and needle in line:
            return number
    raise AssertionError(needle)


def test_bundled_instrument_and_example_are_valid():
    assert lint(INSTRUMENT) == []
    assert lint(EXAMPLE) == []


def test_unknown_key(tmp_path, definition):
    definition["dimensions"][0]["indicators"][1]["wieght"] = 1
    path = write(tmp_path, definition)
    [p] = only(lint(path), "unknown_key")
    assert (p.ref, p.line, p.file) == ("D1.2", line_of(path, "wieght"), str(path))
    assert p.message("sv") == "okänd nyckel 'wieght'"
    assert p.message("en") == "unknown key 'wieght'"


def test_duplicate_indicator_id_across_dimensions(tmp_path, definition):
    definition["dimensions"][1]["indicators"][0]["id"] = "D1.1"
    path = write(tmp_path, definition)
    dup = only(lint(path), "duplicate_id")
    assert [p.ref for p in dup] == ["D1.1"]
    assert dup[0].params["first"] == line_of(path, "id: D1.1")


def test_duplicate_dimension_and_source_ids(tmp_path, definition):
    definition["dimensions"][2]["id"] = "D2"
    definition["sources"].append({"id": "exempel", "citation": "igen"})
    problems = lint(write(tmp_path, definition))
    assert sorted(p.params["value"] for p in only(problems, "duplicate_id")) == ["D2", "exempel"]


def test_missing_translation_names_the_twin(tmp_path, definition):
    del definition["dimensions"][0]["indicators"][2]["statement::en"]
    path = write(tmp_path, definition)
    [p] = lint(path)
    assert (p.code, p.ref) == ("missing_translation", "D1.3")
    assert p.line == line_of(path, "statement::sv: Samordningen")
    assert "statement::en" in p.message("en")


def test_missing_key(tmp_path, definition):
    del definition["dimensions"][1]["weight"]
    [p] = lint(write(tmp_path, definition))
    assert (p.code, p.ref, p.params["key"]) == ("missing_key", "D2", "weight")


def test_missing_level_descriptor(tmp_path, definition):
    del definition["dimensions"][0]["indicators"][0]["levels"][3]
    [p] = lint(write(tmp_path, definition))
    assert (p.code, p.ref, p.params["missing"]) == ("levels_missing", "D1.1", "3")


def test_unordered_level_descriptors(tmp_path, definition):
    levels = definition["dimensions"][1]["indicators"][1]["levels"]
    levels[1], levels[2] = levels[2], levels[1]
    [p] = lint(write(tmp_path, definition))
    assert (p.code, p.ref, p.params["found"]) == ("levels_unordered", "D2.2", "0, 2, 1, 3, 4")


def test_duplicate_and_extra_levels(tmp_path, definition):
    levels = definition["dimensions"][0]["indicators"][0]["levels"]
    levels[4]["level"] = 3
    levels.append({"level": 7, "descriptor::sv": "x", "descriptor::en": "x"})
    assert sorted(codes(lint(write(tmp_path, definition)))) == ["levels_duplicate", "levels_extra", "levels_missing"]


@pytest.mark.parametrize("weight", [0, -1, -0.5])
def test_weight_must_be_positive(tmp_path, definition, weight):
    definition["dimensions"][0]["indicators"][1]["weight"] = weight
    definition["dimensions"][2]["weight"] = weight
    problems = lint(write(tmp_path, definition))
    assert sorted((p.code, p.ref) for p in problems) == [("weight_not_positive", "D1.2"), ("weight_not_positive", "D3")]


def test_weight_must_be_a_number(tmp_path, definition):
    definition["dimensions"][0]["weight"] = "tung"
    [p] = lint(write(tmp_path, definition))
    assert (p.code, p.ref, p.params["expected"]) == ("wrong_type", "D1", "number")
    assert p.message("sv") == "'weight' ska vara ett tal"


def test_stage_bounds_not_increasing(tmp_path, definition):
    definition["stages"][3]["lower"] = 2.0
    [p] = lint(write(tmp_path, definition))
    assert (p.code, p.ref, p.params["value"], p.params["previous"]) == ("stages_not_increasing", "S3", 2.0, 2.0)


def test_stages_must_start_at_zero(tmp_path, definition):
    definition["stages"][0]["lower"] = 0.5
    [p] = lint(write(tmp_path, definition))
    assert (p.code, p.ref) == ("stages_start", "S0")


def test_stage_beyond_scale(tmp_path, definition):
    definition["stages"][4]["lower"] = 4.5
    [p] = lint(write(tmp_path, definition))
    assert (p.code, p.ref) == ("stages_beyond_scale", "S4")


def test_action_pointing_at_unknown_indicator(tmp_path, definition):
    definition["actions"].append({"indicator": "D7.1", "from": 0, "text::sv": "Gör", "text::en": "Do"})
    path = write(tmp_path, definition)
    [p] = lint(path)
    assert (p.code, p.ref, p.line) == ("action_unknown_indicator", "D7.1/from 0", line_of(path, "indicator: D7.1"))


def test_action_from_top_level(tmp_path, definition):
    definition["actions"].append({"indicator": "D1.1", "from": 4, "text::sv": "Gör", "text::en": "Do"})
    [p] = lint(write(tmp_path, definition))
    assert (p.code, p.params["limit"], p.params["value"]) == ("action_level", 3, 4)


def test_missing_action_step(tmp_path, definition):
    definition["actions"] = [a for a in definition["actions"] if not (a["indicator"] == "D2.1" and a["from"] in (1, 3))]
    path = write(tmp_path, definition)
    [p] = lint(path)
    assert (p.code, p.ref, p.params["levels"]) == ("action_missing", "D2.1", "1, 3")
    assert p.line == line_of(path, "id: D2.1")


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_text(tmp_path, definition, text):
    definition["dimensions"][2]["indicators"][0]["guidance::en"] = text
    [p] = lint(write(tmp_path, definition))
    assert (p.code, p.ref, p.params["key"]) == ("empty_text", "D3.1", "guidance::en")


def test_unknown_source_and_role_and_no_sources(tmp_path, definition):
    indicator = definition["dimensions"][0]["indicators"][0]
    indicator["sources"] = ["saknas"]
    indicator["roles"] = ["rektor"]
    definition["dimensions"][0]["indicators"][1]["sources"] = []
    assert sorted(codes(lint(write(tmp_path, definition)))) == ["no_sources", "unknown_role", "unknown_source"]


def test_indicator_id_must_carry_its_dimension(tmp_path, definition):
    definition["dimensions"][1]["indicators"][0]["id"] = "D3.9"
    assert "indicator_prefix" in codes(lint(write(tmp_path, definition)))


def test_scale_levels_and_special_answers(tmp_path, definition):
    levels = definition["scale"]["levels"]
    levels[0], levels[1] = levels[1], levels[0]
    definition["scale"]["special"] = definition["scale"]["special"][:1]
    assert sorted(codes(lint(write(tmp_path, definition)))) == ["scale_levels", "special_answers"]


def test_format_tag_and_ids(tmp_path, definition):
    definition["format"] = "mognad-questionnaire/9"
    definition["id"] = "Med Mellanslag"
    definition["version"] = 1
    assert sorted(codes(lint(write(tmp_path, definition)))) == ["bad_id", "wrong_format_tag", "wrong_type"]


def test_too_few_indicators(tmp_path, definition):
    definition["dimensions"][2]["indicators"] = []
    definition["actions"] = [a for a in definition["actions"] if not a["indicator"].startswith("D3")]
    [p] = lint(write(tmp_path, definition))
    assert (p.code, p.ref) == ("too_few", "D3")


def test_every_problem_is_reported_at_once(tmp_path, definition):
    definition["dimensions"][0]["bogus"] = 1
    definition["dimensions"][1]["indicators"][0]["weight"] = 0
    definition["stages"][2]["lower"] = 0.5
    del definition["dimensions"][2]["indicators"][2]["levels"][0]
    definition["actions"][0]["indicator"] = "D0.0"
    problems = lint(write(tmp_path, definition))
    assert sorted(codes(problems)) == ["action_missing", "action_unknown_indicator", "levels_missing",
                                       "stages_not_increasing", "unknown_key", "weight_not_positive"]
    assert [p.line for p in problems] == sorted(p.line for p in problems)


# -- files that are not definitions at all: a message, never a traceback ------------------------------------

def _file(tmp_path, content: bytes) -> Path:
    path = tmp_path / "q.yaml"
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(("content", "code", "line"), [
    (b"", "file_empty", 1),
    (b"   \n# bara kommentar\n", "file_empty", 1),
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "file_binary", 1),
    (b"id: x\ntitle::sv: \xff\xfe\n", "file_not_utf8", 2),
    (b"id: [1, 2\nversion: 1\n", "yaml_syntax", 2),
    (b"- a\n- b\n", "not_a_mapping", 1),
    (b"a: &x [1]\nb: *x\n", "yaml_alias", 1),
    (b"id: a\nversion: '1'\nid: b\n", "yaml_duplicate_key", 3),
    (b"base: {a: 1}\nother:\n  <<: {a: 1}\n", "yaml_merge", 3),
    (b"? [1, 2]\n: x\n", "yaml_key_type", 1),
])
def test_not_a_definition(tmp_path, content, code, line):
    [problem] = only(lint(_file(tmp_path, content)), code)
    assert problem.line == line
    assert problem.message("sv") and problem.message("en")


def test_huge_and_missing_files(tmp_path):
    huge = _file(tmp_path, b"a: " + b"x" * (3 * 1024 * 1024))
    assert codes(lint(huge)) == ["file_too_large"]
    assert codes(lint(tmp_path / "finns-inte.yaml")) == ["file_unreadable"]


def test_billion_laughs_is_refused_fast(tmp_path):
    lol = b"a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n" + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n".encode()
        for i in range(9))
    assert codes(lint(_file(tmp_path, lol))) == ["yaml_alias"]


def test_every_message_code_renders_in_both_languages():
    for code in MESSAGES._messages:
        for lang in ("sv", "en"):
            assert MESSAGES._messages[code][lang]
