"""Method 1 is untouched by method 2: every version-1 round reproduces its numbers exactly."""

from __future__ import annotations

import hashlib
import importlib
import json

import pandas as pd
import pytest

import scoring
from questionnaires import find
from scoring import region_summary
from tests.sample_data import synthetic_sheet

# The modules themselves (the package's attributes of these names are the functions that dispatch by method).
score_module = importlib.import_module("scoring.score")
plan_module = importlib.import_module("scoring.plan")

# sha256 of method 1's frames, plan and JSON summaries for the sheet below, computed by the code as it was
# before method 2 existed (scoring/ and questionnaires/ of that commit, same pandas).
METHOD_1_DIGEST = "b234c2a4dbae1034ff5ff655b5def16ee3234446c1de0a8e31bdf9b6df1492da"


def digest(q, scores, proposal) -> str:
    h = hashlib.sha256()
    for frame in (scores.indicators, scores.dimensions, scores.overall, proposal):
        h.update(frame.to_csv().encode())
    for region, round_ in scores.overall.index:
        h.update(json.dumps(region_summary(scores, proposal, q, region, round_, "sv"), ensure_ascii=False,
                            indent=2).encode())
    return h.hexdigest()


def test_method_1_numbers_are_those_computed_before_method_2():
    q = find("regional-validering@1")
    assert q.method == 1
    sheet = synthetic_sheet(q, rounds=("2025", "2026"), respondents=5, seed=7)
    scores = scoring.score(sheet, q)
    assert digest(q, scores, scoring.plan(scores, q)) == METHOD_1_DIGEST


@pytest.fixture(scope="module")
def demo_sheet(tmp_path_factory):
    from argon2 import PasswordHasher

    import store
    import store.auth
    from store.database import Database

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store.auth, "HASHER", cheap)
        patch.setattr(store.auth, "_DUMMY_HASH", None)
        db = Database(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}")
        db.upgrade()
        result = store.load_demo(db)
        sheet, _ = store.answer_sheet(db, store.system_identity(), result.questionnaire)
        db.dispose()
    return result.questionnaire, sheet


def test_the_demo_data_is_scored_by_method_1_exactly_as_before(demo_sheet):
    ref, sheet = demo_sheet
    q = find(ref)
    through = scoring.score(sheet, q)
    direct = score_module.score(sheet, q)
    for x, y in ((through.indicators, direct.indicators), (through.dimensions, direct.dimensions),
                 (through.overall, direct.overall)):
        pd.testing.assert_frame_equal(x, y)
    proposal, original = scoring.plan(through, q), plan_module.plan(direct, q)
    pd.testing.assert_frame_equal(proposal, original)
    assert "interval_lo" not in through.dimensions and "agreement" not in through.indicators
    for region, round_ in through.overall.index:
        summary = region_summary(through, proposal, q, region, round_, "sv")
        assert "method" not in summary and "flags" not in summary
        assert summary == region_summary(direct, original, q, region, round_, "sv")
