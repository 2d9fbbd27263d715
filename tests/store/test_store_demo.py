"""The fictional demo data set: complete, varied, deterministic, and with working accounts."""

from __future__ import annotations

import pytest

import store
from questionnaires import load_regions
from store import demo


@pytest.fixture
def loaded(db):
    return db, store.load_demo(db)


def test_demo_covers_every_region_and_both_rounds(loaded):
    db, result = loaded
    assert result.questionnaire == "regional-validering@1"
    assert store.is_demo(db)
    admin = store.system_identity()
    rounds = {r.label: r for r in store.list_rounds(db, admin)}
    assert (rounds["2025"].status, rounds["2025"].published) == ("closed", True)
    assert (rounds["2026"].status, rounds["2026"].published) == ("open", False)
    listed = store.list_assessments(db, admin)
    assert {a.region for a in listed} == {r.code for r in load_regions()}
    statuses_2026 = {a.status for a in listed if a.round == "2026"}
    assert {"draft", "submitted", "reopened"} <= statuses_2026
    sheet, comments = store.answer_sheet(db, admin, result.questionnaire)
    per_assessment = sheet.groupby(["region", "round"]).size()
    assert per_assessment.min() >= 2 and per_assessment.max() <= 5
    values = sheet.iloc[:, 4:].to_numpy()
    assert (values == 253).any() and (values == 254).any() and (values == 255).any()  # na, dk, not answered
    assert len(comments) > 0
    with_plan = [a for a in listed if store.plan_version(db, admin, a.id) > 0]
    statuses = {item.status for a in with_plan for item in store.plan_items(db, admin, a.id)}
    assert len(with_plan) >= 5 and len(statuses) >= 3


def test_demo_accounts_sign_in_with_the_printed_passwords(loaded):
    db, result = loaded
    by_role = {}
    for account in result.accounts:
        who = store.authenticate(db, account.email, account.password)
        by_role[account.email.split("@")[0]] = who
    assert by_role["admin"].national_role == "admin"
    assert by_role["analytiker"].national_role == "analyst"
    assert by_role["ledare"].regions == {"19": "lead", "03": "lead"}
    assert by_role["lasare"].regions == {"19": "viewer"}
    respondent = by_role["respondent"]
    assert len(respondent.respondent_ids) == 1
    sheet_id = next(iter(respondent.respondent_ids))
    assert store.save_answer(store_db := db, respondent, sheet_id, "D1.1", 2) >= 1
    assert store_db is db
    text = demo.credentials_text(result, "sv")
    assert all(account.password in text for account in result.accounts)


def test_demo_is_deterministic(db, tmp_path, backend, request):
    from tests.store.conftest import fresh_database

    first = store.load_demo(db)
    sheet_a, comments_a = store.answer_sheet(db, store.system_identity(), first.questionnaire)
    other = fresh_database(backend, tmp_path / "again", request) if backend == "sqlite" else db
    store.load_demo(other, force=True)
    sheet_b, comments_b = store.answer_sheet(other, store.system_identity(), first.questionnaire)
    assert sheet_a.equals(sheet_b) and comments_a.equals(comments_b)


def test_demo_refuses_a_database_in_use(db, admin):
    store.create_user(db, admin, "riktig@region.se", "Riktig")
    with pytest.raises(store.NotEmpty):
        store.load_demo(db)
    store.load_demo(db, force=True)
    assert store.identity_for_email(db, "riktig@region.se") is None


def test_a_fresh_database_is_not_a_demo(db):
    assert not store.is_demo(db)
