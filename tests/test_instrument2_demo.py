"""The demo data include a fictional version-2 round (a pilot of four regions, closed and not published),
with role-balanced panels, "ej relevant" only where the indicator allows it, and comments; the version-1
rounds 2025 and 2026 are exactly what they were without it."""

from __future__ import annotations

import pandas as pd
import pytest

import store
from questionnaires import find
from questionnaires.answers import DK_CODE, NA_CODE
from store import demo

V1, V2 = "regional-validering@1", "regional-validering@2"
ADMIN = store.system_identity()


def loaded(path) -> store.Database:
    db = store.Database(f"sqlite:///{path}")
    db.upgrade()
    store.load_demo(db)
    return db


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return loaded(tmp_path_factory.mktemp("demo") / "mognad.sqlite")


@pytest.fixture(scope="module")
def pilot(db):
    sheet, comments = store.answer_sheet(db, ADMIN, V2)
    return sheet, comments


def test_the_pilot_is_a_closed_unpublished_version_2_round_between_2025_and_2026(db):
    rounds = store.list_rounds(db, ADMIN)
    assert [r.label for r in rounds] == ["2025", demo.PILOT, "2026"]  # in the order they were opened
    found = {r.label: r for r in rounds}
    assert (found[demo.PILOT].questionnaire, found[demo.PILOT].status, found[demo.PILOT].published) == (
        V2, "closed", False)
    assert found["2025"].questionnaire == found["2026"].questionnaire == V1
    assessments = [a for a in store.list_assessments(db, ADMIN) if a.round == demo.PILOT]
    assert sorted(a.region for a in assessments) == sorted(demo.PILOT_REGIONS)
    assert {a.status for a in assessments} == {"locked"} and {a.questionnaire for a in assessments} == {V2}


def test_pilot_panels_are_role_balanced(pilot):
    sheet, _ = pilot
    assert set(sheet["round"]) == {demo.PILOT} and set(sheet["region"]) == set(demo.PILOT_REGIONS)
    for region, panel in sheet.groupby("region"):
        roles = panel["role"].value_counts()
        assert {"region", "kommun", "af"} <= set(roles.index), region
        assert len(roles) >= 4 and roles.max() <= 2 and roles["region"] == 1, region
        assert 5 <= len(panel) <= 7, region


def test_not_relevant_only_where_allowed_and_only_from_those_asked(pilot):
    sheet, _ = pilot
    q = find(V2)
    ids = [ind.id for ind in q.indicators]
    for ident in ids:
        indicator = q.indicator_by_id[ident]
        column = sheet[ident]
        if not indicator.na_allowed:
            assert not (column == NA_CODE).any(), ident
        asked = sheet["role"].map(indicator.applies_to)
        assert (column[~asked] == 255).all(), ident  # a role not asked has no answer
    gotland = sheet[sheet["region"] == "09"]
    assert (gotland["D2.2"] == NA_CODE).all()  # one municipality: no cooperation between municipalities
    assert (gotland[gotland["role"].isin(["region", "kommun"])]["D4.3"] == NA_CODE).all()
    others = sheet[sheet["region"] != "09"]
    assert not (others[["D2.2", "D4.3"]] == NA_CODE).any().any()
    asked = pd.DataFrame({ident: sheet["role"].map(q.indicator_by_id[ident].applies_to) for ident in ids})
    cells = sheet[ids].to_numpy()[asked.to_numpy()]
    assert (cells == DK_CODE).any() and (cells <= 4).mean() > 0.85  # every asked question answered, mostly a level


def test_pilot_comments_are_fictional(pilot):
    _, comments = pilot
    assert len(comments) >= 4 and all("fiktiv" in text for text in comments["comment"])
    assert "D2.2" in set(comments[comments["region"] == "09"]["indicator"])


def test_every_pilot_region_has_a_method_2_report(db):
    from service.reports import region_report

    for region in demo.PILOT_REGIONS:
        report = region_report(db, ADMIN, region, demo.PILOT)
        assert report.summary["method"] == 2 and report.overall["score"] == report.overall["score"], region


def rows_without_the_pilot(path) -> dict[str, list[tuple]]:
    """Every row of the tables that hold rounds, answers, plans and their history, the pilot's rows left out
    (users, whose password hashes are new each time, and the registered definitions are not compared)."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        def ids(query: str, *params) -> set:
            return {row[0] for row in conn.execute(query, params)}

        rounds = ids("SELECT id FROM rounds WHERE label = ?", demo.PILOT)
        assessments = ids(f"SELECT id FROM assessments WHERE round_id IN ({','.join(map(str, rounds)) or 0})")
        respondents = ids(f"SELECT id FROM respondents WHERE assessment_id IN ({','.join(map(str, assessments)) or 0})")
        targets = {f"assessment:{i}" for i in assessments} | {f"respondent:{i}" for i in respondents}
        keep = {
            "rounds": lambda row: row[0] not in rounds,
            "assessments": lambda row: row[0] not in assessments,
            "respondents": lambda row: row[0] not in respondents,
            "answers": lambda row: row[0] not in respondents,
            "answer_revisions": lambda row: row[0] not in respondents,
            "plans": lambda row: row[0] not in assessments,
            "plan_actions": lambda row: row[1] not in assessments,
            "audit": lambda row: row[3] != "demo.load" and row[5] not in targets,
            "memberships": lambda row: True,
            "regions": lambda row: True,
            "meta": lambda row: True,
        }
        return {table: [row for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2") if wanted(row)]
                for table, wanted in keep.items()}


def test_adding_the_pilot_leaves_the_version_1_rounds_exactly_as_they_were(db, tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "PILOT_QUESTIONNAIRE", "no-such-questionnaire@9")  # the demo without the pilot
    without = loaded(tmp_path / "without.sqlite")
    assert [r.label for r in store.list_rounds(without, ADMIN)] == ["2025", "2026"]
    with_pilot = rows_without_the_pilot(db.engine.url.database)
    assert with_pilot == rows_without_the_pilot(tmp_path / "without.sqlite")
    assert len(with_pilot["answer_revisions"]) > 6000 and len(with_pilot["audit"]) > 200
    sheet_a, comments_a = store.answer_sheet(db, ADMIN, V1)
    sheet_b, comments_b = store.answer_sheet(without, ADMIN, V1)
    pd.testing.assert_frame_equal(sheet_a, sheet_b)
    pd.testing.assert_frame_equal(comments_a, comments_b)
