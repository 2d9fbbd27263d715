"""The method of docs/method.md as pure functions over pandas/NumPy: score, aggregate, compare, plan; no I/O."""

from scoring.plan import plan, priority
from scoring.score import Scores, score
from scoring.summary import region_summary

__all__ = ["Scores", "plan", "priority", "region_summary", "score"]
