"""What the store raises. Every error renders one line in the user's language (`message(lang)`).

Parameters may be `Text` (a status, an operation) so that the message is composed in the language it is
shown in, not in the language of whoever raised it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from questionnaires.freetext import TextProblem, shown, storable
from questionnaires.text import Text
from store.messages import MESSAGES, OPERATIONS, region_label


def _localise(params: dict, lang: str) -> dict:
    return {key: value[lang] if isinstance(value, Text) else value for key, value in params.items()}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, and where: e.g. ('respondent r2', 'indikator D1.3')."""

    code: str
    params: dict = field(default_factory=dict, hash=False, compare=False)
    place: tuple[Text | str, ...] = ()

    def message(self, lang: str = "sv") -> str:
        return MESSAGES.render(self.code, lang, **_localise(self.params, lang))

    def render(self, lang: str = "sv") -> str:
        where = [part[lang] if isinstance(part, Text) else part for part in self.place]
        return ": ".join([*where, self.message(lang)])


@dataclass(frozen=True)
class ForeignProblem:
    """A problem found by another layer (answers format, action plan), placed where the store found it."""

    problem: object  # has .message(lang) or .render(lang)
    place: tuple[Text | str, ...] = ()

    @property
    def code(self) -> str:
        return getattr(self.problem, "code", "invalid")

    def render(self, lang: str = "sv") -> str:
        inner = self.problem.render(lang) if hasattr(self.problem, "render") else self.problem.message(lang)
        where = [part[lang] if isinstance(part, Text) else part for part in self.place]
        return ": ".join([*where, inner])


def text_problems(found: Iterable[TextProblem], place: tuple[Text | str, ...] = ()) -> list[Problem]:
    """Problems the free-text rule (questionnaires/freetext.py) found, as the store's own, at `place`."""
    return [Problem(problem.code, {"field": problem.field, **problem.params}, place) for problem in found]


def searchable(key: object, code: str, param: str) -> str:
    """`key` to look something up by, or `NotFound(code)` (naming it as `param`) when no database could hold it —
    a NUL or a broken character — so that both backends answer alike instead of PostgreSQL failing."""
    if not storable(key):
        raise NotFound(code, **{param: shown(key)})
    return key  # type: ignore[return-value]


class StoreError(Exception):
    """Base of everything the store raises on purpose. `str()` is English (for logs); people get `message()`."""

    def __init__(self, code: str, **params: object):
        self.code = code
        self.params = params
        super().__init__(code)

    def message(self, lang: str = "sv") -> str:
        return MESSAGES.render(self.code, lang, **_localise(self.params, lang))

    def __str__(self) -> str:
        return self.message("en")


class StoreUnavailable(StoreError):
    """The database cannot be used at all: bad URL, unreachable, not set up, busy."""


class Forbidden(StoreError, PermissionError):
    """The actor may not do this. Raised before anything is read or written on their behalf."""

    def __init__(self, op: str | None = None, region: str | None = None, code: str = "forbidden"):
        where = Text(f" i {region_label(region)}", f" in {region_label(region)}") if region else ""
        params = {"op": OPERATIONS[op], "where": where} if op else {}
        super().__init__(code, **params)
        self.op = op
        self.region = region


class NotFound(StoreError, LookupError):
    pass


class NotEditable(StoreError):
    """The thing exists and the actor may change such things, but not in its present state."""


class RoundClosed(NotEditable):
    pass


class NotEmpty(StoreError):
    """A restore or demo load would overwrite data and was not forced."""


class Invalid(StoreError, ValueError):
    """Bad input; `problems` lists every problem found, each rendering one line with its place."""

    def __init__(self, problems: Sequence[Problem | ForeignProblem]):
        self.problems = list(problems)
        super().__init__("invalid")

    def message(self, lang: str = "sv") -> str:
        first = self.problems[0].render(lang) if self.problems else ""
        more = len(self.problems) - 1
        if more > 0:
            return MESSAGES.render("invalid_more", lang, first=first, more=more)
        return first

    def lines(self, lang: str = "sv") -> list[str]:
        return [problem.render(lang) for problem in self.problems]


class Conflict(StoreError):
    """A save based on an outdated revision. Carries what is stored and what was attempted, never merging them."""

    def __init__(self, code: str, *, stored, attempted, stored_revision: int, attempted_revision: int | None,
                 **params: object):
        self.stored = stored
        self.attempted = attempted
        self.stored_revision = stored_revision
        self.attempted_revision = attempted_revision
        super().__init__(code, stored_revision=stored_revision, attempted_revision=attempted_revision, **params)


class AuthFailed(StoreError):
    """Login refused. `reason` is 'invalid', 'locked' or 'disabled'."""

    def __init__(self, reason: str, **params: object):
        self.reason = reason
        super().__init__(f"auth_{reason}", **params)
