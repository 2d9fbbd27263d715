"""Which method scores a questionnaire: `method: 2` in its definition → method 2 (scoring/method2.py);
everything else → method 1 (scoring/score.py, scoring/plan.py), exactly as before method 2 existed."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from questionnaires.model import Questionnaire
from scoring import bootstrap, method2
from scoring.plan import MAX_INDICATORS_PER_DIMENSION
from scoring.plan import plan as plan_method_1
from scoring.score import Scores
from scoring.score import score as score_method_1


def score(sheet: pd.DataFrame, q: Questionnaire, consensus=None, *, replicates: int | None = None) -> Scores:
    """Score an answer sheet by the questionnaire's method. `consensus` and `replicates` (the bootstrap's B)
    concern method 2 only (see `scoring.method2.score`)."""
    if q.method == 2:
        return method2.score(sheet, q, consensus, bootstrap.REPLICATES if replicates is None else replicates)
    return score_method_1(sheet, q)


def plan(scores: Scores, q: Questionnaire, targets: Mapping[tuple[str, str, str] | str, str] | None = None,
         max_indicators: int = MAX_INDICATORS_PER_DIMENSION) -> pd.DataFrame:
    """The action-plan proposal by the questionnaire's method."""
    if q.method == 2:
        return method2.plan(scores, q, targets, max_indicators)
    return plan_method_1(scores, q, targets, max_indicators)
