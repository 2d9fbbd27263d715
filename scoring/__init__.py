"""The method of docs/method.md as pure functions over pandas/NumPy: score, aggregate, compare, plan; no I/O.

`score` and `plan` follow the questionnaire's `method` (1 unless its definition says `method: 2`)."""

from scoring.methods import plan, score
from scoring.plan import priority
from scoring.score import Scores
from scoring.summary import region_summary

__all__ = ["Scores", "plan", "priority", "region_summary", "score"]
