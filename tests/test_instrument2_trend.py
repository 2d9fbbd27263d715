"""Change across instrument versions follows the crosswalk: a region whose previous round used version 1 sees
a change only for the indicators and dimensions the crosswalk marks comparable; everything else is "inte
jämförbar (ny version av frågan)". Reports of version-1 rounds are unchanged."""

from __future__ import annotations

import json
import math

import pytest
import yaml

import store
from questionnaires import find, load
from questionnaires.crosswalk import Crosswalk, build, check
from questionnaires.crosswalk import find as find_crosswalk
from reports import model
from scoring import score
from service.answers import read_answers
from store import demo
from tests.conftest import EXAMPLE

EXAMPLE_2 = EXAMPLE.with_name("metodexempel-2.yaml")
ADMIN = store.system_identity()
ROLES = ("region", "kommun", "af")


def answers(q, round_: str, levels: dict[str, int]):
    """Three respondents (one per role) giving each indicator the level in `levels`, where it applies."""
    document = {"format": "mognad-answers/1", "questionnaire": q.ref, "region": "19", "round": round_,
                "respondents": [{"id": f"r{i}", "role": role,
                                 "answers": {ind.id: levels[ind.id] for ind in q.indicators
                                             if ind.id in levels and ind.applies_to(role)}}
                                for i, role in enumerate(ROLES, start=1)]}
    parsed, _ = read_answers("svar.json", json.dumps(document).encode(), lang="sv", questionnaire=q)
    return parsed


def example_crosswalk(tmp_path, old, new) -> Crosswalk:
    """metodexempel@1 → @2: D1.1 and all of D3 reworded (comparable), the rest changed, D1.4 and D2.3 new."""
    reworded = {"D1.1", "D3.1", "D3.2", "D3.3"}
    data = {
        "format": "mognad-crosswalk/1", "from": old.ref, "to": new.ref,
        "mappings": [{"from": ind.id, "to": [ind.id], "relation": "reworded" if ind.id in reworded else "changed",
                      "reason::sv": "Test.", "reason::en": "Test."} for ind in old.indicators],
        "origins": [{"indicator": ind.id, "new": True, "reason::sv": "Ny.", "reason::en": "New."}
                    if ind.id not in old.indicator_by_id else {"indicator": ind.id, "from": [ind.id]}
                    for ind in new.indicators],
    }
    path = tmp_path / "crosswalk.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    assert check(path, old, new) == []
    return build(data, str(path))


@pytest.fixture
def versions(tmp_path):
    old, new = load(EXAMPLE), load(EXAMPLE_2)
    before = answers(old, "2025", {ind.id: 1 for ind in old.indicators})
    after = answers(new, "2026", {ind.id: 3 for ind in new.indicators})
    earlier = model.EarlierVersion("2025", old, score(*_sheet(before, old)), example_crosswalk(tmp_path, old, new))
    return old, new, before, after, earlier


def _sheet(answers_file, q):
    from scoring.sheet import from_answers_file

    return from_answers_file(answers_file, q), q


def test_a_dimension_is_comparable_only_when_all_its_indicators_are(versions, tmp_path):
    old, new, _, _, earlier = versions
    crosswalk = earlier.crosswalk
    assert crosswalk.previous_dimension("D3", old, new) == "D3"
    assert crosswalk.previous_dimension("D1", old, new) is None  # D1.1 comparable, D1.2 changed, D1.4 new
    assert crosswalk.previous_dimension("D2", old, new) is None


def test_change_across_versions_only_where_the_crosswalk_says_comparable(versions):
    old, new, _, after, earlier = versions
    report = model.region_report_from_answers(after, new, earlier=earlier)
    change = report.version_change
    assert (change.previous_round, change.previous_ref) == ("2025", "metodexempel@1")
    # the change table keeps its shape and holds the comparable dimension only
    assert list(report.changes.index) == ["D3"]
    assert report.changes.loc["D3"].to_dict() == {"score": 3.0, "previous_round": "2025", "previous": 1.0,
                                                  "change": 2.0}
    dims = change.dimensions
    assert list(dims.index) == ["D1", "D2", "D3"]
    assert dims["comparable"].tolist() == [False, False, True]
    assert math.isnan(dims.loc["D1", "change"]) and math.isnan(dims.loc["D1", "previous"])
    assert dims.loc["D3", "previous_dimension"] == "D3" and dims.loc["D3", "change"] == 2.0
    inds = change.indicators
    assert list(inds.index) == [ind.id for ind in new.indicators]
    assert set(inds.index[inds["comparable"]]) == {"D1.1", "D3.1", "D3.2", "D3.3"}
    assert inds.loc["D1.1", ["previous_indicator", "previous", "value", "change"]].tolist() == ["D1.1", 1.0, 3.0, 2.0]
    assert inds.loc["D1.2", "previous_indicator"] == "" and math.isnan(inds.loc["D1.2", "change"])
    assert math.isnan(inds.loc["D1.4", "previous"])  # new in version 2


def test_no_earlier_version_no_change(versions):
    _, new, _, after, _ = versions
    report = model.region_report_from_answers(after, new)
    assert report.version_change is None and report.changes.empty


def test_an_earlier_round_of_the_same_version_wins(versions):
    """Once a region has two rounds of version 2, its change is within the version, as before."""
    _, new, _, after, earlier = versions
    later = answers(new, "2027", {ind.id: 4 for ind in new.indicators})
    import pandas as pd

    from scoring.sheet import from_answers_file

    sheet = pd.concat([from_answers_file(after, new), from_answers_file(later, new)], ignore_index=True)
    report = model.region_report(score(sheet, new), new, "19", "2027", rounds=("2026", "2027"), earlier=earlier)
    assert report.version_change is None
    assert set(report.changes["previous_round"]) == {"2026"}


# ---- the demo's version-2 pilot, through the service ---------------------------------------------------------
@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "mognad.sqlite"
    database = store.Database(f"sqlite:///{path}")
    database.upgrade()
    store.load_demo(database)
    return database


def test_a_pilot_region_sees_change_only_for_the_comparable_pairs(db):
    from service.reports import region_report

    report = region_report(db, ADMIN, "19", demo.PILOT)
    change = report.version_change
    assert (change.previous_round, change.previous_ref) == ("2025", "regional-validering@1")
    assert report.changes.empty  # no dimension of version 2 is comparable with version 1
    assert not change.dimensions["comparable"].any() and len(change.dimensions) == 10
    comparable = change.indicators[change.indicators["comparable"]]
    assert dict(comparable["previous_indicator"]) == {"D1.1": "D1.1", "D1.6": "D9.1"}
    v1 = find("regional-validering@1")
    sheet, _ = store.answer_sheet(db, ADMIN, v1.ref, rounds=["2025"], regions=["19"])
    before = score(sheet, v1).indicators.xs(("19", "2025"), level=["region", "round"])["value"]
    for new_id, old_id in (("D1.1", "D1.1"), ("D1.6", "D9.1")):
        row = comparable.loc[new_id]
        assert row["previous"] == pytest.approx(before[old_id], abs=1e-3)
        assert row["change"] == pytest.approx(row["value"] - row["previous"], abs=1e-3)


def test_the_lead_sees_the_same_change_as_the_administrator(db):
    from service.reports import region_report

    lead = store.identity_for_email(db, "ledare@demo.invalid")
    mine = region_report(db, lead, "19", demo.PILOT).version_change
    theirs = region_report(db, ADMIN, "19", demo.PILOT).version_change
    assert mine.indicators.equals(theirs.indicators) and mine.previous_round == theirs.previous_round


def test_version_1_reports_have_no_cross_version_change(db):
    from service.reports import region_report

    for label in ("2025", "2026"):
        report = region_report(db, ADMIN, "19", label)
        assert report.version_change is None
    assert list(region_report(db, ADMIN, "19", "2026").changes["previous_round"].unique()) == ["2025"]


def test_the_bundled_crosswalk_is_read_once():
    assert find_crosswalk("regional-validering@1", "regional-validering@2") is \
        find_crosswalk("regional-validering@1", "regional-validering@2")
