"""Restore checks what a backup means, not only its shape.

Every table of the schema must be there; every value must fit its column (type, length, range, NULL), point
at rows that exist (foreign keys, primary and unique keys), and make sense: answers on the questionnaire's
scale (0–4, na, dk) for indicators that questionnaire has, regions from the roster, JSON columns that parse.
A file that is deeply nested or holds huge numbers is refused cleanly. Each refusal is `store.Invalid` naming
the table and the row, and leaves the database exactly as it was — on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json

import pytest

import store
from questionnaires.actionplan import PlanItem

DEEP = 100_000


def _prepare(db, w) -> None:
    store.save_answer(db, w.lead, w.lead_sheet, "D1.2", "na", comment="rad ett\nrad två", confidence="low")
    store.save_plan(db, w.lead, w.assessment, [PlanItem(None, "D1", "Åtgärd", ("D1.1",), extra={"Not": "x"})])


@pytest.fixture
def original(world, tmp_path):
    """(db, world, path of a valid backup, its document)."""
    db, w = world
    _prepare(db, w)
    path = tmp_path / "valid.json"
    store.backup(db, path)
    return db, w, path, json.loads(path.read_text("utf-8"))


def _table(document: dict, name: str) -> dict:
    return next(entry for entry in document["tables"] if entry["name"] == name)


def _cell(document: dict, table: str, row: int, column: str, value) -> None:
    entry = _table(document, table)
    entry["rows"][row][entry["columns"].index(column)] = value


def _row_where(document: dict, table: str, column: str, value) -> int:
    entry = _table(document, table)
    position = entry["columns"].index(column)
    return next(number for number, row in enumerate(entry["rows"]) if row[position] == value)


def _refused(db, tmp_path, original_path, text: str) -> store.Invalid:
    """Restore `text`; it must be refused and the database must be byte for byte what it was."""
    bad = tmp_path / "bad.json"
    bad.write_text(text, "utf-8")
    with pytest.raises(store.Invalid) as caught:
        store.restore(db, bad, force=True)
    after = tmp_path / "after.json"
    store.backup(db, after)
    assert after.read_bytes() == original_path.read_bytes(), "a refused restore changed the database"
    for lang in ("sv", "en"):
        assert caught.value.lines(lang) and all("\n" not in line for line in caught.value.lines(lang))
    return caught.value


def _names_row(error: store.Invalid, table: str, row: int) -> None:
    sv, en = error.lines("sv"), error.lines("en")
    assert any(f"'{table}'" in line and f"rad {row}:" in line for line in sv), sv
    assert any(f"'{table}'" in line and f"row {row}:" in line for line in en), en


# -- the table set ---------------------------------------------------------------------------------------------

def test_a_backup_with_only_the_regions_table_is_refused(original, tmp_path):
    db, _, path, document = original
    document["tables"] = [_table(document, "regions")]
    error = _refused(db, tmp_path, path, json.dumps(document))
    assert {problem.code for problem in error.problems} == {"backup_table"}
    text = " ".join(error.lines("en"))
    for missing in ("users", "answer_revisions", "audit", "plan_actions"):
        assert f"'{missing}'" in text
    assert "saknas" in " ".join(error.lines("sv"))


def test_a_backup_missing_one_table_is_refused(original, tmp_path):
    db, _, path, document = original
    document["tables"] = [entry for entry in document["tables"] if entry["name"] != "audit"]
    error = _refused(db, tmp_path, path, json.dumps(document))
    assert error.problems[0].code == "backup_table" and "'audit'" in error.message("en")


def test_a_table_given_twice_is_refused(original, tmp_path):
    db, _, path, document = original
    document["tables"].append(_table(document, "regions"))
    error = _refused(db, tmp_path, path, json.dumps(document))
    assert error.problems[0].code == "backup_table" and "'regions'" in error.message("en")


# -- values that do not fit their column ------------------------------------------------------------------------

def _first_answer(document):
    return _row_where(document, "answer_revisions", "indicator", "D1.1")


CELLS = [
    # (name, table, how to find the row, column, bad value)
    ("answer above the scale", "answer_revisions", _first_answer, "value", 7),
    ("answer code for 'missing'", "answer_revisions", _first_answer, "value", 255),
    ("answer as text", "answer_revisions", _first_answer, "value", "3"),
    ("answer as a fraction", "answer_revisions", _first_answer, "value", 2.5),
    ("unknown indicator", "answer_revisions", _first_answer, "indicator", "D9.9"),
    ("unknown confidence", "answer_revisions", _first_answer, "confidence", "sure"),
    ("revision zero", "answer_revisions", _first_answer, "revision", 0),
    ("NUL in a comment", "answer_revisions", _first_answer, "comment", "belägg\x00"),
    ("broken character in a comment", "answer_revisions", _first_answer, "comment", "belägg \ud800"),
    ("sheet that does not exist", "answer_revisions", _first_answer, "respondent_id", 999),
    ("respondent in no assessment", "respondents", lambda d: 0, "assessment_id", 4242),
    ("respondent role the questionnaire lacks", "respondents", lambda d: 0, "role", "kung"),
    ("region outside the roster", "regions", lambda d: 0, "code", "99"),
    ("membership in an unknown region", "memberships", lambda d: 0, "region_code", "99"),
    ("membership with an unknown role", "memberships", lambda d: 0, "role", "chef"),
    ("membership of no account", "memberships", lambda d: 0, "user_id", 999),
    ("assessment status", "assessments", lambda d: 0, "status", "finished"),
    ("assessment on another questionnaire than its round", "assessments", lambda d: 0, "questionnaire_ref", "x@1"),
    ("round label too long", "rounds", lambda d: 0, "label", "x" * 41),
    ("round status", "rounds", lambda d: 0, "status", "ajar"),
    ("national role", "users", lambda d: 0, "national_role", "king"),
    ("negative failure count", "users", lambda d: 0, "failed_logins", -1),
    ("integer beyond the column", "users", lambda d: 0, "failed_logins", 2 ** 40),
    ("true/false as a number", "users", lambda d: 0, "disabled", 1),
    ("missing e-mail address", "users", lambda d: 0, "email", None),
    ("e-mail address too long", "users", lambda d: 0, "email", "x" * 250 + "@x.se"),
    ("time that is not a time", "users", lambda d: 0, "created_at", "yesterday"),
    ("date that is not a date", "plan_actions", lambda d: 0, "due", "2026-02-30"),
    ("plan dimension", "plan_actions", lambda d: 0, "dimension", "D99"),
    ("plan indicators not JSON", "plan_actions", lambda d: 0, "indicators", "[D1.1"),
    ("plan indicators unknown", "plan_actions", lambda d: 0, "indicators", '["D9.9"]'),
    ("plan indicators not a list", "plan_actions", lambda d: 0, "indicators", '{"D1.1": 1}'),
    ("plan extra not an object", "plan_actions", lambda d: 0, "extra", "[]"),
    ("plan extra nested too deep", "plan_actions", lambda d: 0, "extra", "[" * DEEP + "]" * DEEP),
    ("plan status", "plan_actions", lambda d: 0, "status", "forgotten"),
    ("plan of no assessment", "plans", lambda d: 0, "assessment_id", 77),
    ("audit JSON broken", "audit", lambda d: 0, "new", "{"),
    ("audit JSON nested too deep", "audit", lambda d: 0, "new", "[" * DEEP + "]" * DEEP),
    ("audit JSON with a huge number", "audit", lambda d: 0, "new", "1" + "0" * 5000),
    ("audit JSON with NaN", "audit", lambda d: 0, "old", "NaN"),
    ("audit region outside the roster", "audit", lambda d: 0, "region_code", "99"),
    ("questionnaire that does not match its checksum", "questionnaires", lambda d: 0, "sha256", "0" * 64),
    ("questionnaire that is not YAML", "questionnaires", lambda d: 0, "definition", "id: [unclosed"),
]


@pytest.mark.parametrize(("table", "find", "column", "value"), [case[1:] for case in CELLS],
                         ids=[case[0] for case in CELLS])
def test_a_value_that_does_not_fit_is_refused_naming_table_and_row(original, tmp_path, table, find, column, value):
    db, _, path, document = original
    row = find(document)
    _cell(document, table, row, column, value)
    error = _refused(db, tmp_path, path, json.dumps(document))
    assert error.problems[0].code == "backup_row"
    _names_row(error, table, row + 1)


def test_a_duplicate_primary_key_is_refused(original, tmp_path):
    db, _, path, document = original
    users = _table(document, "users")
    users["rows"].append(list(users["rows"][0]))
    users["rows"][-1][users["columns"].index("email")] = "kopia@test.se"
    error = _refused(db, tmp_path, path, json.dumps(document))
    _names_row(error, "users", len(users["rows"]))


def test_a_duplicate_unique_value_is_refused(original, tmp_path):
    db, _, path, document = original
    users = _table(document, "users")
    copy = list(users["rows"][1])
    copy[users["columns"].index("id")] = 4242
    users["rows"].append(copy)
    error = _refused(db, tmp_path, path, json.dumps(document))
    _names_row(error, "users", len(users["rows"]))


# -- files that are hostile as a whole ----------------------------------------------------------------------------

def test_a_file_nested_too_deep_is_refused_cleanly(original, tmp_path):
    db, _, path, document = original
    _cell(document, "users", 0, "name", "@@DEEP@@")
    text = json.dumps(document).replace('"@@DEEP@@"', "[" * DEEP + "]" * DEEP)
    error = _refused(db, tmp_path, path, text)
    assert error.problems[0].code == "not_backup"


def test_a_file_with_a_huge_integer_is_refused_cleanly(original, tmp_path):
    db, _, path, document = original
    _cell(document, "users", 0, "failed_logins", "@@HUGE@@")
    text = json.dumps(document).replace('"@@HUGE@@"', "9" * 5000)
    error = _refused(db, tmp_path, path, text)
    assert error.problems[0].code == "not_backup"


def test_infinity_and_nan_are_not_numbers_here(original, tmp_path):
    db, _, path, document = original
    _cell(document, "users", 0, "failed_logins", "@@INF@@")
    error = _refused(db, tmp_path, path, json.dumps(document).replace('"@@INF@@"', "Infinity"))
    assert error.problems[0].code in ("not_backup", "backup_row")


def test_column_names_that_are_not_text_are_refused_cleanly(original, tmp_path):
    db, _, path, document = original
    _table(document, "meta")["columns"] = [1, "key"]
    error = _refused(db, tmp_path, path, json.dumps(document))
    assert error.problems[0].code in ("not_backup", "backup_table")


def test_every_problem_is_reported_at_once_but_not_without_end(original, tmp_path):
    db, _, path, document = original
    users = _table(document, "users")
    for row in users["rows"]:
        row[users["columns"].index("national_role")] = "king"
    error = _refused(db, tmp_path, path, json.dumps(document))
    assert len(error.problems) == len(users["rows"])


def test_a_valid_backup_still_restores_after_all_this(original, tmp_path):
    db, w, path, _ = original
    store.restore(db, path, force=True)
    again = tmp_path / "again.json"
    store.backup(db, again)
    assert again.read_bytes() == path.read_bytes()


def test_a_questionnaire_that_does_not_build_is_refused_even_with_a_matching_checksum(original, tmp_path):
    import hashlib

    db, _, path, document = original
    broken = "id: metodexempel\nversion: '1'\ndimensions: [unclosed\n"
    _cell(document, "questionnaires", 0, "definition", broken)
    _cell(document, "questionnaires", 0, "sha256", hashlib.sha256(broken.encode("utf-8")).hexdigest())
    error = _refused(db, tmp_path, path, json.dumps(document))
    _names_row(error, "questionnaires", 1)
