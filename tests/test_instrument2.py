"""Instrument version 2 (issue 11): valid, method 2, and the review's content rules held by every indicator.

Each test names the rule it guards; docs/instrument.md ("Version 2") says why the rule exists.
"""

from __future__ import annotations

import hashlib
import re

import pytest
import yaml

from questionnaires import load
from questionnaires.lint import lint
from questionnaires.loader import BUNDLED_DIR, bundled

V1 = BUNDLED_DIR / "regional-validering-1.yaml"
V2 = BUNDLED_DIR / "regional-validering-2.yaml"
V1_SHA256 = "dceac0c1148fdd84f8ac12a588f0fe5f84c4004830d7ba06c63fd41bf4455674"

RULE_SV = "Välj den högsta nivå där allt på nivån och nivåerna under stämmer."
RULE_EN = "Choose the highest level at which everything on that level and the levels below holds."
FALLBACK_SV = "Saknas en lista på minst nivå 2 i D3.1, bedöm mot reservlistan"
FALLBACK_EN = "Without a list at level 2 or higher in D3.1, rate against the fallback list"
# "Ej relevant" is legitimate only here, each for the reason its guidance states
NA_ALLOWED = {
    "D2.2": "Gotlands län",  # one organisation, no municipal borders
    "D4.3": "Gotlands län",  # the region is itself the municipality
    "D3.5": "ingen kommun i länet har sökt statsbidrag",  # no consultation took place
    "D5.6": "inget universitet och ingen högskola",  # no higher education institution in the county
    "D9.4": "inget sådant projekt har avslutats",  # no project in five years
}
REGION_ONLY = {"D1.4", "D1.6", "D2.5", "D8.5"}
PRIORITY = re.compile(r"prioritera(de|t|d) (yrkesområde|bransch)")


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def v2():
    return load(V2)


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(V2.read_text("utf-8"))


def test_version_1_is_byte_for_byte_unchanged():
    """Rounds that used version 1 must keep reproducing their numbers."""
    assert hashlib.sha256(V1.read_bytes()).hexdigest() == V1_SHA256


def test_version_2_is_valid_bundled_and_declares_method_2(v2, raw):
    assert lint(V2) == []
    assert bundled()["regional-validering@2"] == V2
    assert (v2.id, v2.version, v2.method) == ("regional-validering", "2", 2)
    assert raw["min_completeness"] == 0.75 and raw["disagreement_below"] == 0.5
    assert raw["min_dimensions"] == 8 and len(v2.dimensions) == 10
    assert [s.id for s in v2.stages] == ["S0", "S1", "S2", "S3", "S4"]


def test_counts(v2):
    assert len(v2.indicators) == 49
    assert len(v2.actions) >= 4 * len(v2.indicators)
    assert len(v2.sources) == 44


def test_foundation_dimensions_are_remit_and_partnership(v2):
    assert [d.id for d in v2.dimensions if d.foundation] == ["D1", "D2"]
    # the funding of the region's own coordination sits in the foundation, counted once
    assert "finansieras i regionens ordinarie budget" in v2.indicator_by_id["D1.6"].statement.sv
    assert "D1.6" in v2.dimension_by_id["D9"].description.sv


def test_not_relevant_only_where_justified_in_the_guidance(v2):
    allowed = {ind.id for ind in v2.indicators if ind.na_allowed}
    assert allowed == set(NA_ALLOWED)
    for ind in v2.indicators:
        guidance_sv, guidance_en = one_line(ind.guidance.sv), one_line(ind.guidance.en)
        if ind.na_allowed:
            assert "Ej relevant får bara väljas" in guidance_sv and NA_ALLOWED[ind.id] in guidance_sv, ind.id
            assert "Not relevant may be chosen only" in guidance_en, ind.id
        else:
            assert "Ej relevant" not in guidance_sv and "Not relevant" not in guidance_en, ind.id


def test_answering_rule_printed_with_every_indicator(v2):
    for ind in v2.indicators:
        assert RULE_SV in one_line(ind.guidance.sv), ind.id
        assert RULE_EN in one_line(ind.guidance.en), ind.id


def test_levels_are_cumulative_single_conditions(v2):
    """Levels 1–4 name something present (nothing that stops being true higher up); levels 3–4 are one
    sentence with one condition – no 'och' joining two."""
    limiter = re.compile(r"\b(inte|bara|saknas|saknar|ännu|ingen|inga|inget)\b")
    for ind in v2.indicators:
        for level, text in enumerate(ind.levels):
            sv = one_line(text.sv)
            if level >= 1:
                assert not limiter.search(sv), (ind.id, level, sv)
            if level >= 3:
                assert not re.search(r"\boch\b", sv), (ind.id, level, sv)
                assert sv.count(". ") == 0 and sv.endswith("."), (ind.id, level, sv)


def test_every_rating_against_the_priority_list_requires_it_with_a_fallback(v2):
    def prerequisites(ident: str) -> set[str]:
        seen, stack = set(), [ident]
        while stack:
            for other, _ in v2.indicator_by_id[stack.pop()].requires:
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        return seen

    dependent = [ind for ind in v2.indicators if ind.id != "D3.1" and
                 PRIORITY.search(" ".join([ind.statement.sv, *(lv.sv for lv in ind.levels)]))]
    assert len(dependent) >= 15
    for ind in dependent:
        assert "D3.1" in prerequisites(ind.id), ind.id
        if ("D3.1", 2) in ind.requires:
            assert FALLBACK_SV in one_line(ind.guidance.sv), ind.id
            assert FALLBACK_EN in one_line(ind.guidance.en), ind.id
    assert ("D1.5", 2) in v2.indicator_by_id["D10.3"].requires  # the learning loop revises an existing plan


def test_no_size_bias_and_shares_by_population(v2, raw):
    text = yaml.safe_dump(raw, allow_unicode=True, width=10**6)
    assert "alla kommuner" not in text.lower()
    assert "minst 90 procent av länets invånare" in one_line(v2.description.sv)


def test_learning_loop_and_each_fact_owned_by_one_indicator(v2):
    levels_4 = {ind.id: ind.levels[4].sv for ind in v2.indicators}
    assert not any("handlingsplan" in text.lower() for ident, text in levels_4.items() if ident != "D1.5")
    assert "enda indikatorn som mäter det årliga lärandet" in v2.indicator_by_id["D10.3"].guidance.sv
    def ladder(ident: str) -> str:
        ind = v2.indicator_by_id[ident]
        return " ".join([ind.statement.sv, *(lv.sv for lv in ind.levels)]).lower()

    # workplace assessors were counted in D2.4, D5.2 and D8.4; now only D8.4 rates them
    assert [ind.id for ind in v2.indicators if "yrkesbedömare" in ladder(ind.id)] == ["D8.4"]
    # the staff network was counted in D4.3, D7.3 and D8.3; now only D8.3 rates it
    assert "nätverk" in ladder("D8.3") and not any("nätverk" in ladder(i) for i in ("D4.3", "D7.3"))
    # core funding of coordination was counted in D1.4 and D9.1; now only D1.6
    assert [ind.id for ind in v2.indicators if "samordningen finansieras" in ladder(ind.id)] == ["D1.6"]


def test_roles_extended_and_region_only_questions(v2):
    roles = {role.id for role in v2.roles}
    assert {"fack", "larosate"} <= roles and {"region", "kommun", "af", "bransch", "utbildning"} <= roles
    assert {ind.id for ind in v2.indicators if ind.roles == ("region",)} == REGION_ONLY


def test_legal_corrections_with_their_sources(v2, raw):
    by_id = v2.indicator_by_id
    definitions = one_line(v2.description.sv)
    assert "en strukturerad process som innehåller en fördjupad kartläggning och en bedömning som syftar till " \
           "ett erkännande av en persons kunnande oberoende av hur det förvärvats" in definitions
    assert "(valideringsförordningen (2022:1549) 2 §)" in definitions
    expected = {
        "D6.1": "vf2022",  # initial mapping and top-up training are not steps of validation
        "D7.5": "skollagen-28-18",  # no appeal of komvux grades
        "D5.4": "vuxf-4-24",  # a grade after validation needs a prövning
        "D6.3": "skolfs2014-120",  # the komvux certificate is regulated
        "D5.1": "skollagen-20-42",  # the duty to offer validation is no maturity level
        "D3.5": "yrkesvux-20",  # the region's consultation on regional yrkesvux
    }
    for ident, source in expected.items():
        assert source in by_id[ident].sources, ident
    assert "inte ett steg i den" in one_line(v2.description.sv)
    assert "räknas som högst nivå 1" in one_line(by_id["D6.1"].guidance.sv)
    assert "får därför inte utlova" in one_line(by_id["D7.5"].guidance.sv)
    assert "ingen mognadsnivå" in one_line(by_id["D5.1"].guidance.sv)
    assert "ska därför inte ta fram egna intygsmallar" in one_line(by_id["D6.3"].guidance.sv)
    text = yaml.safe_dump(raw, allow_unicode=True, width=10**6).lower()
    for wrong in ("omprövat", "tar emot branschintyg", "erbjuder inte validering"):
        assert wrong not in text, wrong


def texts(node, key=""):
    """Every bilingual text in the definition, as (key, text)."""
    if isinstance(node, dict):
        for child_key, child in node.items():
            yield from texts(child, child_key)
    elif isinstance(node, list):
        for child in node:
            yield from texts(child, key)
    elif isinstance(node, str) and "::" in key:
        yield key, node


def test_one_term_per_thing_and_impersonal_language(raw):
    text = " ".join(t for _, t in texts(raw)).lower()
    for avoided in ("samverkansgrupp", "partnerskapet", "yrkeshögskolor", "dataskyddsbedömning",
                    "kompetensförsörjningsstrategin", "fair and sound", "higher vocational school"):
        assert avoided not in text, avoided
    swedish = " ".join(t for key, t in texts(raw) if key.endswith("::sv"))
    assert not re.search(r"\b(du|dig|din|ditt|dina)\b", swedish, re.IGNORECASE)
    assert "valideringsforumet" in swedish and "legally secure" in text


def test_every_source_is_used_specific_and_real_looking(v2):
    cited = {s for dim in v2.dimensions for s in dim.sources} | {s for ind in v2.indicators for s in ind.sources}
    assert cited == set(v2.source_by_id)
    for source in v2.sources:
        assert source.url and source.url.startswith(("http://", "https://")), source.id
        assert re.sub(r"^https?://[^/]+/?", "", source.url), f"{source.id}: a site root is not a source"
        assert re.search(r"\d{4}|§|kap\.", source.citation) or "Sobona" in source.citation or \
            source.id in {"tva-uppdrag", "tva-guide", "yhflex", "uhr-bedomning", "skolverket-validering",
                          "branschvalidering-standard",
                          "skolverket-kartlaggning", "nvl-kompass", "valideringipraktiken", "ruva", "oms2022"}, \
            source.id
    assert "5dok" not in " ".join(s.url for s in v2.sources)


def test_action_library_covers_every_step_with_real_levers(v2):
    for ind in v2.indicators:
        for level in range(4):
            assert v2.actions_for(ind.id, level), (ind.id, level)
    levers = re.compile(r"^(Föreslå|Erbjud|Stöd|Bjud in|Be|Ge|Låt) ")
    for action in v2.actions:
        assert re.match(r"^[A-ZÅÄÖ][a-zåäö]+ ", action.text.sv), action.id  # starts with a verb
        assert "alla kommuner" not in action.text.sv.lower()
    assert sum(bool(levers.match(a.text.sv)) for a in v2.actions) >= len(v2.actions) / 2
    joined = " ".join(a.text.sv for a in v2.actions)
    for lever in ("samrådet om regionalt yrkesvux", "regionala utvecklingsmedel", "ESF+", "Nordic Quality Compass",
                  "Skolverkets", "MYH"):
        assert lever in joined, lever
    assert "beslutar" in joined


def test_measures_per_dimension(v2):
    for dim in v2.dimensions:
        assert 3 <= len(dim.measures) <= 5, dim.id
