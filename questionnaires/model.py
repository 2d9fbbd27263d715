"""The questionnaire as typed, immutable data. Built by the loader only after the linter found no problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from questionnaires.text import Text

NA = "na"
DK = "dk"


@dataclass(frozen=True)
class Level:
    value: int
    name: Text
    descriptor: Text


@dataclass(frozen=True)
class SpecialAnswer:
    value: str  # "na" or "dk"
    name: Text
    descriptor: Text


@dataclass(frozen=True)
class Stage:
    id: str
    index: int
    lower: float
    name: Text
    description: Text


@dataclass(frozen=True)
class Source:
    id: str
    citation: str
    url: str | None


@dataclass(frozen=True)
class Role:
    id: str
    name: Text


@dataclass(frozen=True)
class Action:
    """One step in the action library: moves an indicator from `from_level` to `from_level + 1`."""

    id: str
    indicator: str
    from_level: int
    text: Text


@dataclass(frozen=True)
class Indicator:
    id: str
    dimension: str
    statement: Text
    guidance: Text
    levels: tuple[Text, ...]  # descriptor for level 0..max
    weight: float
    roles: tuple[str, ...]  # empty: asked of every respondent role
    sources: tuple[str, ...]
    na_allowed: bool = True  # method 2: is "na" a valid answer here? (method 1 accepts it everywhere)
    requires: tuple[tuple[str, int], ...] = ()  # method 2: (indicator, level) prerequisites for the plan

    def applies_to(self, role: str | None) -> bool:
        return not self.roles or role in self.roles


@dataclass(frozen=True)
class Dimension:
    id: str
    title: Text
    description: Text
    weight: float
    sources: tuple[str, ...]
    measures: tuple[Text, ...]
    indicators: tuple[Indicator, ...]
    foundation: bool = False  # method 2: a foundation dimension ("instabil grund", foundation-first plan)


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    title: Text
    description: Text | None
    published: str | None
    min_completeness: float
    disagreement_spread: int
    roles: tuple[Role, ...]
    levels: tuple[Level, ...]
    special: tuple[SpecialAnswer, ...]
    stages: tuple[Stage, ...]
    sources: tuple[Source, ...]
    dimensions: tuple[Dimension, ...]
    actions: tuple[Action, ...]
    path: str | None = field(default=None, compare=False)
    method: int = 1  # the scoring method of docs/method.md: 1 or 2
    disagreement_below: float = 0.5  # method 2: agreement (Tastle–Wierman) below this is a disagreement
    min_dimensions: int | None = None  # method 2: scored dimensions the overall needs (None: 80 %, rounded up)

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def required_dimensions(self) -> int:
        """Method 2: how many dimensions must have a score for an overall score."""
        if self.min_dimensions is not None:
            return self.min_dimensions
        return -(-len(self.dimensions) * 4 // 5)  # 80 %, rounded up, in exact integers

    @property
    def scale_max(self) -> int:
        return self.levels[-1].value

    @cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(ind for dim in self.dimensions for ind in dim.indicators)

    @cached_property
    def indicator_by_id(self) -> dict[str, Indicator]:
        return {ind.id: ind for ind in self.indicators}

    @cached_property
    def dimension_by_id(self) -> dict[str, Dimension]:
        return {dim.id: dim for dim in self.dimensions}

    @cached_property
    def source_by_id(self) -> dict[str, Source]:
        return {src.id: src for src in self.sources}

    @cached_property
    def role_by_id(self) -> dict[str, Role]:
        return {role.id: role for role in self.roles}

    def actions_for(self, indicator: str, from_level: int) -> tuple[Action, ...]:
        return self._actions_by_step.get((indicator, from_level), ())

    @cached_property
    def _actions_by_step(self) -> dict[tuple[str, int], tuple[Action, ...]]:
        steps: dict[tuple[str, int], list[Action]] = {}
        for action in self.actions:
            steps.setdefault((action.indicator, action.from_level), []).append(action)
        return {key: tuple(value) for key, value in steps.items()}

    def stage_for(self, score: float) -> Stage:
        """The highest stage whose lower bound is at most `score` (see docs/method.md on tolerance)."""
        chosen = self.stages[0]
        for stage in self.stages:
            if stage.lower <= score + STAGE_TOLERANCE:
                chosen = stage
        return chosen

    def special_name(self, value: str) -> Text:
        return next(s.name for s in self.special if s.value == value)


# Weighted means of exact inputs can land a hair below a bound (2.9999999999999996); a score is never
# reported to more than three decimals, so a tolerance far below that only absorbs floating-point noise.
STAGE_TOLERANCE = 1e-9
