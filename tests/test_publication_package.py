"""The data package writer (`reports.datapackage`) on its own: one schema whatever the method — method 2's
intervals, low-confidence flags and tiers filled where the scores have them, empty for method 1 with the method
in a column — and every package it writes validates with frictionless."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from frictionless import validate

from questionnaires import load
from questionnaires.regions import load_regions
from reports.datapackage import TABLES, PackagePart, Publisher, package_files, publication_tables
from scoring import score
from store.comparison import group_statistics
from tests.conftest import EXAMPLE, ROOT
from tests.sample_data import synthetic_sheet

PUBLISHER = Publisher(name="Valideringsmyndigheten (fiktiv)", orgnr="2021001234", email="oppnadata@example.org",
                      base_url="https://data.example.org/mognad")
CREATED = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def mixed():
    """Rounds 2024–2025 on a method-1 questionnaire, 2026 on a method-2 one: one package."""
    roster = load_regions()
    one = load(EXAMPLE)
    two = load(ROOT / "questionnaires" / "examples" / "metodexempel-2.yaml")
    assert (one.method, two.method) == (1, 2)
    scores_one = score(synthetic_sheet(one, ["2024", "2025"], respondents=4, seed=3), one)
    scores_two = score(synthetic_sheet(two, ["2026"], respondents=4, seed=5), two)
    parts = [PackagePart(one, scores_one, group_statistics(scores_one, one, roster)),
             PackagePart(two, scores_two, group_statistics(scores_two, two, roster))]
    return publication_tables(parts, roster), [one, two]


def test_every_table_has_the_schema_columns_whatever_the_method(mixed):
    tables, _ = mixed
    for name, table in TABLES.items():
        assert list(tables[name].columns) == [column.name for column in table.columns], name
    overall = tables["overall"]
    assert set(overall["method"]) == {1, 2}
    first, second = overall[overall["method"] == 1], overall[overall["method"] == 2]
    for column in ("interval_lo", "interval_hi", "low_confidence", "tier", "rank_lo", "rank_hi"):
        assert first[column].isna().all(), column
        assert second[column].notna().any(), column
    dims = tables["dimensions"]
    scored = dims[(dims["method"] == 2) & dims["score"].notna()]
    assert len(scored) and scored["interval_lo"].notna().all() and scored["interval_hi"].notna().all()
    assert (scored["interval_lo"] <= scored["score"]).all() and (scored["score"] <= scored["interval_hi"]).all()
    assert set(dims[dims["method"] == 2]["low_confidence"].dropna()) <= {True, False}
    assert set(second["tier"].dropna()) <= {"above", "within", "below"}
    # no partner-group (role) values and no free text ever leave: only the schema's columns
    indicators = tables["indicators"]
    assert not [c for c in indicators.columns if c.startswith("role") or c in ("rationale", "evidence", "decided_by")]


def test_the_mixed_package_validates(mixed, tmp_path):
    tables, questionnaires = mixed
    files = package_files(tables, PUBLISHER, rounds=["2024", "2025", "2026"], questionnaires=questionnaires,
                          created=CREATED)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])[:5]
    descriptor = json.loads(files["datapackage.json"])
    assert descriptor["version"] == "1.2.0"  # three rounds
    assert {s["title"] for s in descriptor["sources"]} >= {"metodexempel@1", "metodexempel@2"}


def test_the_schema_catches_a_value_out_of_range(mixed, tmp_path):
    tables, questionnaires = mixed
    files = package_files(tables, PUBLISHER, rounds=["2024", "2025", "2026"], questionnaires=questionnaires,
                          created=CREATED)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    lines = (tmp_path / "overall.csv").read_bytes().decode("utf-8").split("\r\n")
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("score")] = "7.5"
    row[header.index("region_code")] = "99"
    lines[1] = ",".join(row)
    (tmp_path / "overall.csv").write_text("\r\n".join(lines), "utf-8", newline="")
    report = validate(tmp_path / "datapackage.json")
    kinds = {error.type for task in report.tasks for error in task.errors}
    assert not report.valid and {"constraint-error", "foreign-key"} <= kinds


def test_the_swedish_csv_is_open_datas_swedish_csv_byte_for_byte(mixed):
    """`reports.datapackage.swedish_csv` is the fast twin of `reports.opendata.to_csv(frame, "sv")`."""
    from reports.datapackage import swedish_csv
    from reports.opendata import to_csv

    tables, _ = mixed
    for name, table in tables.items():
        assert swedish_csv(table) == to_csv(table, "sv"), name
    tricky = tables["regions"].copy()
    tricky.loc[0, "region"] = "=HYPERLINK(\"http://x\")"  # a formula is neutralised alike
    tricky.loc[1, "region"] = None
    assert swedish_csv(tricky) == to_csv(tricky, "sv") and b"'=HYPERLINK" in swedish_csv(tricky)
