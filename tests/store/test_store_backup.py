"""Backups: lossless and byte-identical round trips, refusal to overwrite, and bad files."""

from __future__ import annotations

import json

import pytest

import store
from tests.store.conftest import POSTGRES_URL, fresh_database


def _rich(db, w):
    """A little of everything: history, removed respondents, plans, status changes, a published round."""
    from questionnaires.actionplan import PlanItem

    store.save_answer(db, w.lead, w.lead_sheet, "D1.1", "na", comment="åäö \"citat\" \n rad två", confidence="low")
    store.save_answer(db, w.respondent, w.own_sheet, "D2.2", 4)
    store.remove_respondent(db, w.lead_other, w.other_sheet)
    store.save_plan(db, w.lead, w.assessment, [PlanItem(None, "D1", "Åtgärd ✓", ("D1.1",), status="ongoing")])
    store.submit_assessment(db, w.lead, w.assessment)
    store.close_round(db, w.admin, "2025")
    store.publish_round(db, w.admin, "2025")


def test_backup_restore_backup_is_byte_identical(world, tmp_path, backend, request):
    db, w = world
    _rich(db, w)
    first = tmp_path / "first.json"
    summary = store.backup(db, first)
    assert summary.rows["answer_revisions"] >= 5 and summary.rows["audit"] > 10
    target = fresh_database(backend, tmp_path / "target", request) if backend == "sqlite" else db
    store.restore(target, first, force=True)
    second = tmp_path / "second.json"
    store.backup(target, second)
    assert first.read_bytes() == second.read_bytes()
    document = json.loads(first.read_text("utf-8"))
    assert document["format"] == "mognad-backup/1"
    assert "answers" not in [t["name"] for t in document["tables"]]  # derived; rebuilt on restore


def test_restored_data_work_as_before(world, tmp_path, backend, request, example):
    db, w = world
    _rich(db, w)
    before = store.answer_sheet(db, w.admin, example.ref)
    path = tmp_path / "b.json"
    store.backup(db, path)
    target = fresh_database(backend, tmp_path / "target", request) if backend == "sqlite" else db
    store.restore(target, path, force=True)
    after = store.answer_sheet(target, w.admin, example.ref)
    assert before[0].equals(after[0]) and before[1].equals(after[1])
    assert store.authenticate(target, "ledare19@test.se", "rätt-lösenord-123").regions == {"19": "lead"}
    # New rows continue after the restored ids (sequences on PostgreSQL).
    store.open_round(target, w.admin, "2026", example.ref)
    assessment = store.ensure_assessment(target, w.lead, "19", "2026")
    sheet = store.add_respondent(target, w.lead, assessment.id, "Ny", "region")
    assert store.save_answer(target, w.lead, sheet.id, "D1.1", 2) == 1
    assert store.plan_version(target, w.lead, w.assessment) == 1


def test_restore_into_a_database_with_data_refuses_unless_forced(world, tmp_path):
    db, w = world
    path = tmp_path / "b.json"
    store.backup(db, path)
    store.save_answer(db, w.lead, w.lead_sheet, "D1.2", 1)
    with pytest.raises(store.NotEmpty) as caught:
        store.restore(db, path)
    assert "--force" in caught.value.message("sv")
    assert "D1.2" in {r.indicator for r in store.current_answers(db, w.lead, w.assessment)}  # untouched
    store.restore(db, path, force=True)
    assert "D1.2" not in {r.indicator for r in store.current_answers(db, w.lead, w.assessment)}


def test_restore_into_an_empty_database_needs_no_force(world, tmp_path, backend, request):
    db, _ = world
    path = tmp_path / "b.json"
    store.backup(db, path)
    target = fresh_database(backend, tmp_path / "target", request)
    store.restore(target, path)
    assert not target.is_empty()


@pytest.mark.parametrize(("content", "code"), [
    (b"\xff\xfe not utf-8", "not_backup"),
    (b"{not json", "not_backup"),
    (b'{"format": "something-else"}', "not_backup"),
    (b'{"format": "mognad-backup/1", "schema": "0042", "tables": []}', "unknown_schema"),
    (b'{"format": "mognad-backup/1", "schema": "0001", "tables": [{"name": "secrets", "columns": [], "rows": []}]}',
     "backup_table"),
    (b'{"format": "mognad-backup/1", "schema": "0001", "tables": [{"name": "meta", "columns": ["key", "value"], '
     b'"rows": [["a"]]}]}', "backup_row"),
    (b'{"format": "mognad-backup/1", "schema": "0001", "tables": [{"name": "memberships", '
     b'"columns": ["user_id", "region_code", "role"], "rows": [[42, "19", "lead"]]}]}', "backup_table"),
])
def test_a_bad_backup_is_refused_and_the_database_is_left_as_it_was(world, tmp_path, content, code):
    db, w = world
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    before = store.current_answers(db, w.admin, w.assessment)
    with pytest.raises(store.Invalid) as caught:
        store.restore(db, path, force=True)
    assert caught.value.problems[0].code == code
    assert "\n" not in caught.value.message("sv")
    assert store.current_answers(db, w.admin, w.assessment) == before


def test_a_missing_file_is_not_found(db, tmp_path):
    with pytest.raises(store.NotFound):
        store.restore(db, tmp_path / "nope.json")
    with pytest.raises(store.NotFound):
        store.backup(db, tmp_path / "no" / "such" / "dir.json")


@pytest.mark.skipif(not POSTGRES_URL, reason="MOGNAD_TEST_POSTGRES_URL is not set")
@pytest.mark.postgres
def test_a_sqlite_backup_restores_byte_identically_on_postgres(world_snapshots, tmp_path, request):
    snapshot = world_snapshots("sqlite")
    lite = snapshot.open(tmp_path / "lite", request)
    _rich(lite, snapshot.world)
    first = tmp_path / "from-sqlite.json"
    store.backup(lite, first)
    postgres = fresh_database("postgres", tmp_path, request)
    store.restore(postgres, first)
    second = tmp_path / "from-postgres.json"
    store.backup(postgres, second)
    assert first.read_bytes() == second.read_bytes()
    lite.dispose()
    postgres.dispose()
