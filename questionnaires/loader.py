"""Load questionnaire definitions into the typed model, and find the bundled ones by `id@version`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from questionnaires import yamlsource
from questionnaires.lint import Problem, lint
from questionnaires.model import (
    Action,
    Dimension,
    Indicator,
    Level,
    Questionnaire,
    Role,
    Source,
    SpecialAnswer,
    Stage,
)
from questionnaires.text import Text

BUNDLED_DIR = Path(__file__).with_name("bundled")


class QuestionnaireError(Exception):
    """A definition that did not pass the linter; `problems` says where and why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.render("en") for p in problems[:5]))
        self.problems = problems


def load(path: str | Path) -> Questionnaire:
    path = Path(path).resolve()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _load(path, stamp)


@lru_cache(maxsize=32)
def _load(path: Path, _stamp: int) -> Questionnaire:
    problems = lint(path)
    if problems:
        raise QuestionnaireError(problems)
    return build(yamlsource.read(path).data, str(path))


def bundled() -> dict[str, Path]:
    """`id@version` → file, for every definition shipped with mognad."""
    found = {}
    for path in sorted(BUNDLED_DIR.glob("*.yaml")):
        data = yamlsource.read(path).data
        if isinstance(data, dict) and {"id", "version"} <= data.keys():
            found[f"{data['id']}@{data['version']}"] = path
    return found


def find(ref: str) -> Questionnaire:
    """The bundled questionnaire `ref` ('id@version'); KeyError if mognad ships no such version."""
    path = bundled().get(ref)
    if path is None:
        raise KeyError(ref)
    return load(path)


def _text(node: dict, key: str) -> Text:
    return Text(sv=node[f"{key}::sv"].strip(), en=node[f"{key}::en"].strip())


def build(data: dict, path: str | None = None) -> Questionnaire:
    """The model from definition data that has passed `lint`."""
    method = int(data.get("method", 1))
    stages = tuple(
        Stage(s["id"], i, float(s["lower"]), _text(s, "name"), _text(s, "description"))
        for i, s in enumerate(data["stages"])
    )
    dimensions = []
    for dim in data["dimensions"]:
        indicators = tuple(
            Indicator(
                id=ind["id"],
                dimension=dim["id"],
                statement=_text(ind, "statement"),
                guidance=_text(ind, "guidance"),
                levels=tuple(_text(level, "descriptor") for level in ind["levels"]),
                weight=float(ind["weight"]),
                roles=tuple(ind.get("roles", ())),
                sources=tuple(ind["sources"]),
                na_allowed=bool(ind.get("na_allowed", method != 2)),
                requires=tuple((str(key), int(level)) for key, level in (ind.get("requires") or {}).items()),
            )
            for ind in dim["indicators"]
        )
        dimensions.append(
            Dimension(
                id=dim["id"],
                title=_text(dim, "title"),
                description=_text(dim, "description"),
                weight=float(dim["weight"]),
                sources=tuple(dim["sources"]),
                measures=tuple(_text(m, "text") for m in dim.get("measures", ())),
                indicators=indicators,
                foundation=bool(dim.get("foundation", False)),
            )
        )
    step_counts: dict[tuple[str, int], int] = {}
    actions = []
    for action in data["actions"]:
        step = (action["indicator"], action["from"])
        step_counts[step] = step_counts.get(step, 0) + 1
        actions.append(Action(f"{step[0]}:{step[1]}:{step_counts[step]}", step[0], step[1], _text(action, "text")))
    return Questionnaire(
        id=data["id"],
        version=str(data["version"]),
        title=_text(data, "title"),
        description=_text(data, "description") if "description::sv" in data else None,
        published=data.get("published"),
        min_completeness=float(data.get("min_completeness", 0.75 if method == 2 else 0.5)),
        disagreement_spread=int(data.get("disagreement_spread", 2)),
        roles=tuple(Role(r["id"], _text(r, "name")) for r in data["respondent_roles"]),
        levels=tuple(Level(lv["value"], _text(lv, "name"), _text(lv, "descriptor")) for lv in data["scale"]["levels"]),
        special=tuple(SpecialAnswer(s["value"], _text(s, "name"), _text(s, "descriptor")) for s in data["scale"]["special"]),
        stages=stages,
        sources=tuple(Source(s["id"], s["citation"], s.get("url")) for s in data["sources"]),
        dimensions=tuple(dimensions),
        actions=tuple(actions),
        path=path,
        method=method,
        disagreement_below=float(data.get("disagreement_below", 0.5)),
        min_dimensions=int(data["min_dimensions"]) if "min_dimensions" in data else None,
    )
