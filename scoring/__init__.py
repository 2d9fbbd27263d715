"""The scoring method as pure functions over pandas: score, aggregate, compare, plan (docs/method.md)."""

from scoring.plan import plan, priority
from scoring.score import Scores, score
from scoring.summary import region_summary

__all__ = ["Scores", "plan", "priority", "region_summary", "score"]
