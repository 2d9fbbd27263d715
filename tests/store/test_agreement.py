"""Inter-rater agreement for the pilot: Krippendorff's ordinal alpha, as a hand computation gives it, and
`mognad agreement ROUND` over a constructed two-rater round."""

from __future__ import annotations

import json

import numpy as np
import pytest

import store
from cli import main
from scoring.interrater import ordinal_alpha


def test_the_hand_computed_example():
    # Regions A–D, two raters each: (0,0), (1,2), (2,2), (3,4). Pairable values n = 8 with margins
    # n0..n4 = 2, 1, 3, 1, 1. Observed: o12 = o21 = 1 with δ² = ((1+3)/2)² = 4, o34 = o43 = 1 with δ² = 1,
    # Σ o δ² = 10. Expected: Σ_ck n_c n_k δ²_ck = 2 · 316 = 632 (docs/pilot.md lists the ten pairs).
    # alpha = 1 − (8 − 1) · 10 / 632 = 281/316.
    assert ordinal_alpha([(0, 0), (1, 2), (2, 2), (3, 4)]) == pytest.approx(281 / 316, abs=1e-12)


def test_perfect_agreement_and_undefined_cases():
    assert ordinal_alpha([(0, 0), (2, 2), (4, 4)]) == 1.0
    assert ordinal_alpha([(2, 2), (2, 2)]) is None  # no variation: nothing to compare with chance
    assert ordinal_alpha([(1,), (None, 3)]) is None  # no unit with two values


def test_it_agrees_with_the_reference_implementation():
    krippendorff = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(7)
    for _ in range(20):
        data = rng.integers(0, 5, size=(3, 15)).astype(float)
        data[rng.random(data.shape) < 0.25] = np.nan
        units = [[None if np.isnan(x) else int(x) for x in data[:, j]] for j in range(data.shape[1])]
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal",
                                      value_domain=[0, 1, 2, 3, 4])
        assert ordinal_alpha(units) == pytest.approx(expected, abs=1e-9)


def test_mognad_agreement_on_a_two_rater_round(db, example, capsys):
    system = store.system_identity("tester")
    store.register_questionnaire(db, system, example)
    store.open_round(db, system, "pilot", example.ref)
    first = example.indicators[0].id
    ratings = {"03": (0, 0), "04": (1, 2), "05": (2, 2), "18": (3, 4)}
    for region, pair in ratings.items():
        assessment = store.ensure_assessment(db, system, region, "pilot")
        for n, value in enumerate(pair):
            sheet = store.add_respondent(db, system, assessment.id, f"Bedömare {n + 1}", "region")
            store.save_answer(db, system, sheet.id, first, value)
    url = str(db.engine.url.render_as_string(hide_password=False))
    assert main(["agreement", "pilot", "--format", "json", "--database", url]) == 0
    rows = {row["indicator"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows[first] == {"indicator": first, "alpha": round(281 / 316, 3), "regions": 4, "ratings": 8}
    assert all(row["alpha"] is None for key, row in rows.items() if key != first)


def test_only_national_roles_read_agreement(world):
    db, w = world
    from service.agreement import agreement

    with pytest.raises(store.Forbidden):
        agreement(db, w.lead, "2025")
    assert agreement(db, w.analyst, "2025")
