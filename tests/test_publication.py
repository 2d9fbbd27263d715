"""`mognad publish`: the Frictionless data package of the published rounds, on the demo data, checked with the
real `frictionless` tool; only published rounds; suppression; the two CSV distributions agree."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli import main

ENVIRONMENT = {
    "MOGNAD_PUBLISHER_NAME": "Valideringsmyndigheten (fiktiv)",
    "MOGNAD_PUBLISHER_ORGNR": "2021001234",
    "MOGNAD_PUBLISHER_EMAIL": "oppnadata@example.org",
    "MOGNAD_PUBLISHER_URL": "https://data.example.org/mognad",
}
TABLES = ("overall", "dimensions", "indicators", "statistics")
FRICTIONLESS = Path(sys.executable).with_name("frictionless")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "internt fel" not in err and "internal error" not in err
    return code, out, err


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory):
    """The fictional demo data: round 2025 closed and published (region 23 never submitted), 2026 open."""
    from store import list_rounds, system_identity
    from store.database import Database
    from store.demo import load_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'mognad.sqlite'}"
    db = Database(url)
    load_demo(db)
    rounds = {r.label: r for r in list_rounds(db, system_identity())}
    assert rounds["2025"].published and not rounds["2026"].published  # what the tests below rely on
    db.dispose()
    return url


@pytest.fixture
def environment(monkeypatch):
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("MOGNAD_LICENSE", raising=False)


@pytest.fixture(scope="module")
def published(demo_database, tmp_path_factory):
    """`mognad publish --round 2025` into a fresh directory."""
    target = tmp_path_factory.mktemp("publication") / "oppna-data"
    with pytest.MonkeyPatch.context() as patch:
        for name, value in ENVIRONMENT.items():
            patch.setenv(name, value)
        patch.delenv("MOGNAD_LICENSE", raising=False)
        code = main(["publish", "--round", "2025", "-o", str(target), "--database", demo_database])
    assert code == 0
    return target


def frictionless_validate(directory: Path) -> dict:
    """The standard tool, as a publisher or a portal would run it."""
    done = subprocess.run([str(FRICTIONLESS), "validate", "--json", "datapackage.json"], cwd=directory,
                          capture_output=True, text=True, timeout=300)
    report = json.loads(done.stdout)
    assert (done.returncode == 0) == report["valid"]
    return report


def read_machine(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))


def read_swedish(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


# -- the package ------------------------------------------------------------------------------------------

def test_the_package_validates_with_frictionless(published):
    report = frictionless_validate(published)
    assert report["valid"], [(t["name"], [e["message"] for e in t["errors"]][:3]) for t in report["tasks"]]
    names = {task["name"] for task in report["tasks"]}
    assert {"regions", "rounds", *TABLES, *(f"{t}_sv" for t in TABLES)} <= names


def test_a_column_renamed_without_its_schema_fails_validation(published, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(published, broken)
    path = broken / "dimensions.csv"
    header, rest = path.read_bytes().split(b"\r\n", 1)
    assert b",score," in header
    path.write_bytes(header.replace(b",score,", b",poang,") + b"\r\n" + rest)
    report = frictionless_validate(broken)
    assert not report["valid"]
    errors = [e for t in report["tasks"] if t["name"] == "dimensions" for e in t["errors"]]
    assert any(e["type"] == "incorrect-label" and "poang" in e["message"] for e in errors)


def test_the_descriptor_is_a_data_package_v2_with_licence_contributors_and_sources(published):
    descriptor = json.loads((published / "datapackage.json").read_text("utf-8"))
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert descriptor["version"] and descriptor["created"].startswith("2025-12-10")
    assert descriptor["licenses"][0]["path"] == "http://creativecommons.org/licenses/by/4.0/"
    assert {"publisher"} <= set(descriptor["contributors"][0]["roles"])
    assert descriptor["contributors"][0]["title"] == ENVIRONMENT["MOGNAD_PUBLISHER_NAME"]
    assert "regional-validering@1" in json.dumps(descriptor["sources"])
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert resources["regions"]["schema"]["primaryKey"] == ["region_code"]
    dimensions = resources["dimensions"]["schema"]
    assert dimensions["primaryKey"] == ["round", "region_code", "dimension"]
    assert dimensions["foreignKeys"] == [
        {"fields": ["round"], "reference": {"resource": "rounds", "fields": ["round"]}},
        {"fields": ["region_code"], "reference": {"resource": "regions", "fields": ["region_code"]}}]
    fields = {f["name"]: f for f in dimensions["fields"]}
    for name in ("method", "interval_lo", "interval_hi", "low_confidence", "respondents", "suppressed"):
        assert name in fields
    assert fields["score"]["type"] == "number" and fields["respondents"]["type"] == "integer"
    for resource in descriptor["resources"]:
        assert resource["type"] == "table"
        for field in resource["schema"]["fields"]:
            assert field["name"].isascii() and field["name"] == field["name"].lower()
            assert "\n\n" in field["description"], field["name"]  # Swedish, then English
    assert resources["dimensions_sv"]["dialect"]["delimiter"] == ";"
    assert {f["decimalChar"] for f in resources["dimensions_sv"]["schema"]["fields"] if f["type"] == "number"} == {","}


def test_only_published_rounds_and_submitted_regions(published):
    rows = read_machine(published / "overall.csv")
    assert {row["round"] for row in rows} == {"2025"}
    assert len(rows) == 20 and "23" not in {row["region_code"] for row in rows}  # 23 never submitted in 2025
    assert {row["method"] for row in rows} == {"1"} and {row["questionnaire"] for row in rows} == {"regional-validering@1"}
    assert all(row["interval_lo"] == row["interval_hi"] == row["tier"] == "" for row in rows)  # method 1: empty
    regions = read_machine(published / "regions.csv")
    assert len(regions) == 21 and regions[0]["region_code"] == "01"
    assert read_machine(published / "rounds.csv") == [{  # ISO 8601 dates, in both distributions
        "round": "2025", "questionnaire": "regional-validering@1", "method": "1", "opened": "2025-02-03",
        "closed": "2025-11-28", "published": "2025-12-10"}]
    assert read_swedish(published / "rounds_sv.csv")[0]["published"] == "2025-12-10"


def test_an_unpublished_round_cannot_be_published(capsys, tmp_path, demo_database, environment):
    target = tmp_path / "ut"
    code, _, err = run(capsys, "publish", "--round", "2026", "-o", str(target), "--database", demo_database)
    assert code == 2 and "2026" in err and "inte publicerad" in err
    assert not target.exists() or not any(target.iterdir())
    code, _, err = run(capsys, "--lang", "en", "publish", "--round", "2026", "-o", str(target), "--catalogue-only",
                       "--database", demo_database)
    assert code == 2 and "not published" in err and not target.exists()
    code, _, err = run(capsys, "publish", "--round", "1999", "-o", str(target), "--database", demo_database)
    assert code == 2 and "1999" in err


def test_suppressed_cells_are_empty_with_the_reason(published):
    for reader, name in ((read_machine, "statistics.csv"), (read_swedish, "statistics_sv.csv")):
        rows = reader(published / name)
        suppressed = [row for row in rows if row["suppressed"]]
        shown = [row for row in rows if not row["suppressed"]]
        assert suppressed and shown
        for row in suppressed:
            assert row["median"] == row["q1"] == row["q3"] == ""
            assert row["suppressed"] in {"fewer_than_k", "complementary"}
            if int(row["n"]) < 3:
                assert row["suppressed"] == "fewer_than_k"
        assert all(row["median"] != "" for row in shown)
        # Övre Norrland (SE33: Norrbotten, Västerbotten) has two regions: never a median
        upper_north = [row for row in rows if row["group_type"] == "nuts2" and row["group"] == "SE33"]
        assert upper_north and all(row["suppressed"] == "fewer_than_k" for row in upper_north)
        national = [row for row in rows if row["group_type"] == "national"]
        assert national and all(row["group"] == "SE" and row["q1"] != "" and row["n"] == "20" for row in national)


def test_the_machine_and_the_swedish_csv_hold_the_same_numbers(published):
    descriptor = json.loads((published / "datapackage.json").read_text("utf-8"))
    kinds = {r["name"]: {f["name"]: f["type"] for f in r["schema"]["fields"]} for r in descriptor["resources"]}
    for table in TABLES:
        machine = read_machine(published / f"{table}.csv")
        swedish = read_swedish(published / f"{table}_sv.csv")
        assert len(machine) == len(swedish) > 0
        assert list(machine[0]) == list(swedish[0])
        numbers = [name for name, kind in kinds[table].items() if kind == "number"]
        assert numbers
        for a, b in zip(machine, swedish, strict=True):
            for name, value in a.items():
                if name in numbers:
                    assert "," not in value and "." not in b[name]
                    assert (float(value) if value else None) == (float(b[name].replace(",", ".")) if b[name] else None)
                else:
                    assert value == b[name], (table, name)
    # and a figure is written with a decimal comma at all
    assert any("," in row["score"] for row in read_swedish(published / "dimensions_sv.csv"))


def test_catalogue_only_writes_the_catalogue(capsys, tmp_path, demo_database, environment):
    code, out, _ = run(capsys, "publish", "--round", "2025", "-o", str(tmp_path), "--catalogue-only",
                       "--database", demo_database)
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog.rdf", "catalog.ttl"]
    assert "catalog.rdf" in out


@pytest.mark.parametrize(("unset", "change", "expected_sv", "expected_en"), [
    ("MOGNAD_PUBLISHER_EMAIL", {}, "MOGNAD_PUBLISHER_EMAIL saknas", "MOGNAD_PUBLISHER_EMAIL is not set"),
    ("MOGNAD_PUBLISHER_URL", {}, "MOGNAD_PUBLISHER_URL saknas", "MOGNAD_PUBLISHER_URL is not set"),
    (None, {"MOGNAD_PUBLISHER_ORGNR": "12345"}, "MOGNAD_PUBLISHER_ORGNR", "ten digits"),
    (None, {"MOGNAD_PUBLISHER_NAME": "Myndigheten\x07"}, "MOGNAD_PUBLISHER_NAME: namnet", "U+0007"),
    (None, {"MOGNAD_PUBLISHER_EMAIL": "<oppnadata@example.org>"}, "MOGNAD_PUBLISHER_EMAIL", "not an e-mail"),
    (None, {"MOGNAD_PUBLISHER_URL": "data/mognad"}, "MOGNAD_PUBLISHER_URL", "absolute"),
    (None, {"MOGNAD_LICENSE": "https://creativecommons.org/licenses/by/4.0"}, "MOGNAD_LICENSE",
     "http://creativecommons.org/licenses/by/4.0/"),
])
def test_missing_or_bad_configuration_is_refused_naming_the_variable(capsys, tmp_path, demo_database, environment,
                                                                     monkeypatch, unset, change, expected_sv,
                                                                     expected_en):
    if unset:
        monkeypatch.delenv(unset)
    for name, value in change.items():
        monkeypatch.setenv(name, value)
    target = tmp_path / "ut"
    code, _, err = run(capsys, "publish", "--round", "2025", "-o", str(target), "--database", demo_database)
    assert code == 2 and expected_sv in err and not target.exists()
    code, _, err = run(capsys, "--lang", "en", "publish", "--round", "2025", "-o", str(target), "--database",
                       demo_database)
    assert code == 2 and expected_en in err
