"""Check a questionnaire definition and report every problem at once, each with file, line and id.

Structure is checked against schema.json; everything the schema cannot say (cross-references, ordering,
translations, coverage of the action library) is checked here. The linter never raises for bad content.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from jsonschema import Draft202012Validator

from questionnaires import yamlsource
from questionnaires.text import LANGUAGES, Catalogue

MESSAGES = Catalogue({
    "file_unreadable": {"sv": "filen kan inte läsas ({reason})", "en": "the file cannot be read ({reason})"},
    "file_too_large": {"sv": "filen är för stor ({size} byte, högst {limit})",
                       "en": "the file is too large ({size} bytes, at most {limit})"},
    "file_binary": {"sv": "filen är inte en textfil", "en": "the file is not a text file"},
    "file_not_utf8": {"sv": "filen är inte kodad i UTF-8", "en": "the file is not UTF-8 encoded"},
    "file_empty": {"sv": "filen är tom", "en": "the file is empty"},
    "yaml_syntax": {"sv": "filen är inte giltig YAML: {reason}", "en": "the file is not valid YAML: {reason}"},
    "yaml_alias": {"sv": "YAML-ankare och alias stöds inte; skriv ut texten", "en": "YAML anchors and aliases are not supported; write the text out"},
    "yaml_merge": {"sv": "YAML-sammanslagning (<<) stöds inte", "en": "YAML merge keys (<<) are not supported"},
    "yaml_tag": {"sv": "YAML-taggen {tag} stöds inte; skriv värdet utan tagg",
                 "en": "the YAML tag {tag} is not supported; write the value without a tag"},
    "yaml_too_deep": {"sv": "filen är nästlad i för många nivåer (högst {limit}); en definition behöver ett tiotal",
                      "en": "the file is nested too deeply (at most {limit} levels); a definition needs about ten"},
    "yaml_documents": {"sv": "här börjar ett andra YAML-dokument (---); en definition ska vara ett enda dokument",
                       "en": "a second YAML document starts here (---); a definition must be a single document"},
    "yaml_bad_character": {"sv": "texten innehåller ett ogiltigt tecken ({character}, ett ensamt surrogattecken); "
                                 "skriv in texten på nytt",
                           "en": "the text holds an invalid character ({character}, a lone surrogate); type the text "
                                 "again"},
    "yaml_key_type": {"sv": "nyckeln {key} ska vara text", "en": "the key {key} must be text"},
    "yaml_duplicate_key": {"sv": "nyckeln '{key}' förekommer två gånger", "en": "the key '{key}' occurs twice"},
    "not_a_mapping": {"sv": "filen ska innehålla en YAML-mappning (nyckel: värde) på översta nivån",
                      "en": "the file must hold a YAML mapping (key: value) at the top level"},
    "unknown_key": {"sv": "okänd nyckel '{key}'", "en": "unknown key '{key}'"},
    "missing_key": {"sv": "nyckeln '{key}' saknas", "en": "the key '{key}' is missing"},
    "missing_translation": {"sv": "översättning saknas: '{key}' finns men inte '{twin}'",
                            "en": "missing translation: '{key}' exists but not '{twin}'"},
    "wrong_type": {"sv": "'{key}' ska vara {expected}", "en": "'{key}' must be {expected}"},
    "wrong_format_tag": {"sv": "format ska vara '{expected}'", "en": "format must be '{expected}'"},
    "bad_value": {"sv": "'{key}' har ett ogiltigt värde: {value}", "en": "'{key}' has an invalid value: {value}"},
    "bad_id": {"sv": "ogiltigt id '{value}' för '{key}'", "en": "invalid id '{value}' for '{key}'"},
    "weight_not_positive": {"sv": "vikten ska vara större än 0 (är {value})", "en": "the weight must be greater than 0 (is {value})"},
    "too_few": {"sv": "'{key}' ska ha minst {minimum} poster", "en": "'{key}' needs at least {minimum} entries"},
    "empty_text": {"sv": "texten '{key}' är tom", "en": "the text '{key}' is empty"},
    "duplicate_id": {"sv": "id '{value}' används redan på rad {first}", "en": "id '{value}' is already used on line {first}"},
    "scale_levels": {"sv": "skalans nivåer ska vara 0, 1, 2 … i ordning (är {found})",
                     "en": "the scale's levels must be 0, 1, 2 … in order (are {found})"},
    "special_answers": {"sv": "skalan ska ha specialsvaren na (ej relevant) och dk (vet ej), en gång var (har {found})",
                        "en": "the scale must have the special answers na (not relevant) and dk (don't know), once each (has {found})"},
    "levels_missing": {"sv": "nivåbeskrivning saknas för nivå {missing}", "en": "level descriptor missing for level {missing}"},
    "levels_extra": {"sv": "nivå {extra} finns inte på skalan (0–{top})", "en": "level {extra} is not on the scale (0–{top})"},
    "levels_unordered": {"sv": "nivåbeskrivningarna ska stå i ordning 0–{top} (står {found})",
                         "en": "level descriptors must be in order 0–{top} (are {found})"},
    "levels_duplicate": {"sv": "nivå {level} beskrivs två gånger", "en": "level {level} is described twice"},
    "stages_start": {"sv": "första stadiets nedre gräns ska vara {bottom} så att hela skalan täcks (är {value})",
                     "en": "the first stage's lower bound must be {bottom} so the whole scale is covered (is {value})"},
    "stages_not_increasing": {"sv": "stadiernas nedre gränser ska öka ({value} efter {previous})",
                              "en": "stage lower bounds must increase ({value} after {previous})"},
    "stages_beyond_scale": {"sv": "stadiets nedre gräns {value} ligger utanför skalan 0–{top}",
                            "en": "the stage's lower bound {value} is outside the scale 0–{top}"},
    "indicator_prefix": {"sv": "indikatorns id ska börja med dimensionens id '{dimension}.'",
                         "en": "the indicator's id must start with the dimension's id '{dimension}.'"},
    "unknown_source": {"sv": "okänd källa '{value}' (finns inte under sources)", "en": "unknown source '{value}' (not listed under sources)"},
    "unknown_role": {"sv": "okänd respondentroll '{value}'", "en": "unknown respondent role '{value}'"},
    "action_unknown_indicator": {"sv": "åtgärden pekar på en okänd indikator '{value}'",
                                 "en": "the action points at an unknown indicator '{value}'"},
    "action_level": {"sv": "åtgärdens 'from' ska vara en nivå under toppnivån, 0–{limit} (är {value})",
                     "en": "the action's 'from' must be a level below the top, 0–{limit} (is {value})"},
    "action_missing": {"sv": "åtgärdsbiblioteket saknar steg från nivå {levels} för denna indikator",
                       "en": "the action library has no step from level {levels} for this indicator"},
    "no_sources": {"sv": "minst en källa ska anges", "en": "at least one source must be cited"},
    "method2_only": {"sv": "'{key}' används bara av metod 2; skriv method: 2 överst eller ta bort nyckeln",
                     "en": "'{key}' is used by method 2 only; write method: 2 at the top or remove the key"},
    "method2_stages": {"sv": "metod 2 ger ett stadium per nivå: {levels} stadier behövs (det finns {stages})",
                       "en": "method 2 gives one stage per level: {levels} stages are needed (there are {stages})"},
    "method2_stage_lower": {"sv": "i metod 2 är stadium {index} nivå {index}: skriv lower: {index} (är {value})",
                            "en": "in method 2 stage {index} is level {index}: write lower: {index} (is {value})"},
    "min_dimensions_too_many": {"sv": "min_dimensions är {value} men det finns bara {dimensions} dimensioner",
                                "en": "min_dimensions is {value} but there are only {dimensions} dimensions"},
    "requires_unknown": {"sv": "förutsättningen pekar på en okänd indikator '{value}'",
                         "en": "the prerequisite points at an unknown indicator '{value}'"},
    "requires_self": {"sv": "en indikator kan inte vara sin egen förutsättning",
                      "en": "an indicator cannot be its own prerequisite"},
    "requires_level": {"sv": "förutsättningens nivå ska vara 1–{top} (är {value})",
                       "en": "the prerequisite's level must be 1–{top} (is {value})"},
    "requires_cycle": {"sv": "förutsättningarna bildar en cirkel: {cycle}",
                       "en": "the prerequisites form a circle: {cycle}"},
    "source_unused": {"sv": "källan '{value}' citeras inte av någon dimension eller indikator",
                      "en": "the source '{value}' is not cited by any dimension or indicator"},
})

TYPE_NAMES = {
    "string": {"sv": "text", "en": "text"},
    "number": {"sv": "ett tal", "en": "a number"},
    "integer": {"sv": "ett heltal", "en": "a whole number"},
    "array": {"sv": "en lista", "en": "a list"},
    "object": {"sv": "en mappning (nyckel: värde)", "en": "a mapping (key: value)"},
    "boolean": {"sv": "true eller false", "en": "true or false"},
}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    ref: str
    code: str
    params: dict = field(default_factory=dict, hash=False, compare=False)

    def message(self, lang: str = "sv") -> str:
        params = dict(self.params)
        if self.code == "wrong_type":
            params["expected"] = TYPE_NAMES.get(params["expected"], {}).get(lang[:2], params["expected"])
        return MESSAGES.render(self.code, lang, **params)

    def render(self, lang: str = "sv") -> str:
        return f"{self.file}:{self.line}: {self.ref}: {self.message(lang)}"


@cache
def schema() -> dict:
    return json.loads(resources.files("questionnaires").joinpath("schema.json").read_text("utf-8"))


def lint(path: str | Path) -> list[Problem]:
    """Every problem in the definition at `path`, sorted by line. Empty means valid."""
    path = Path(path)
    source = yamlsource.read(path)
    checker = _Checker(str(path), source)
    for line, code, params in source.problems:
        checker.add_at(line, "-", code, **params)
    if source.data is None:
        return checker.sorted()
    if not isinstance(source.data, dict):
        checker.add((), "not_a_mapping")
        return checker.sorted()
    checker.structure()
    checker.semantics()
    return checker.sorted()


class _Checker:
    def __init__(self, file: str, source: yamlsource.Source):
        self.file = file
        self.source = source
        self.data = source.data
        self.problems: list[Problem] = []

    # -- reporting ---------------------------------------------------------------------------------------
    def add_at(self, line: int, ref: str, code: str, **params: object) -> None:
        self.problems.append(Problem(self.file, line, ref, code, params))

    def add(self, path: tuple, code: str, **params: object) -> None:
        self.add_at(self.source.line(path), self._ref(path), code, **params)

    def sorted(self) -> list[Problem]:
        unique = {(p.line, p.ref, p.code, tuple(sorted(map(str, p.params.items())))): p for p in self.problems}
        return sorted(unique.values(), key=lambda p: (p.line, p.ref, p.code))

    def _ref(self, path: tuple) -> str:
        """The id of the innermost element on `path` that has one, else a readable path."""
        node: object = self.data
        ref = None
        for step in path:
            try:
                node = node[step]  # type: ignore[index]
            except (KeyError, IndexError, TypeError):
                break
            if isinstance(node, dict):
                ident = node.get("id")
                if isinstance(ident, str | int) and not isinstance(ident, bool):
                    ref = str(ident)
                elif isinstance(node.get("indicator"), str) and "from" in node:
                    ref = f"{node['indicator']}/from {node['from']}"
        if ref:
            return ref
        readable = "".join(f"[{s}]" if isinstance(s, int) else (f".{s}" if i else s) for i, s in enumerate(path))
        return readable or "-"

    # -- structure (schema.json) -------------------------------------------------------------------------
    def structure(self) -> None:
        validator = Draft202012Validator(schema())
        for error in validator.iter_errors(self.data):
            path = tuple(error.absolute_path)
            key = str(path[-1]) if path else "-"
            kind = error.validator
            if kind == "required":
                for missing in error.validator_value:
                    if missing in error.instance:
                        continue
                    twin = _twin(missing)
                    if twin and twin in error.instance:
                        self.add((*path, twin), "missing_translation", key=twin, twin=missing)
                    else:
                        self.add(path, "missing_key", key=missing)
            elif kind == "additionalProperties":
                allowed = set(error.schema.get("properties", {}))
                for extra in sorted(set(error.instance) - allowed):
                    self.add((*path, extra), "unknown_key", key=extra)
            elif kind == "type":
                self.add(path, "wrong_type", key=key, expected=error.validator_value)
            elif kind == "const" and key == "format":
                self.add(path, "wrong_format_tag", expected=error.validator_value)
            elif kind == "pattern":
                self.add(path, "bad_id" if key in ("id", "version") else "bad_value", key=key, value=error.instance)
            elif kind == "minItems":
                self.add(path, "too_few", key=key, minimum=error.validator_value)
            elif kind == "exclusiveMinimum" and key == "weight":
                self.add(path, "weight_not_positive", value=error.instance)
            else:
                self.add(path, "bad_value", key=key, value=error.instance)

    # -- semantics ---------------------------------------------------------------------------------------
    def semantics(self) -> None:
        self._texts((), self.data)
        scale_top = self._scale()
        self._stages(scale_top)
        sources = self._ids(("sources",))
        roles = self._ids(("respondent_roles",))
        self._ids(("stages",))
        self._ids(("dimensions",))
        indicators = self._indicators(scale_top, sources, roles)
        self._actions(indicators, scale_top)
        self._method2(indicators, scale_top)

    def _texts(self, path: tuple, node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if "::" in key and isinstance(value, str) and not value.strip():
                    self.add((*path, key), "empty_text", key=key)
                self._texts((*path, key), value)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                self._texts((*path, i), item)

    def _entries(self, path: tuple) -> list[tuple[tuple, dict]]:
        node: object = self.data
        for step in path:
            if isinstance(node, dict) and isinstance(step, str):
                node = node.get(step)
            elif isinstance(node, list) and isinstance(step, int) and step < len(node):
                node = node[step]
            else:
                node = None
        if not isinstance(node, list):
            return []
        return [((*path, i), item) for i, item in enumerate(node) if isinstance(item, dict)]

    def _ids(self, path: tuple, entries: list[tuple[tuple, dict]] | None = None) -> set[str]:
        first_line: dict[str, int] = {}
        for entry_path, entry in entries if entries is not None else self._entries(path):
            ident = entry.get("id")
            if not isinstance(ident, str):
                continue
            if ident in first_line:
                self.add((*entry_path, "id"), "duplicate_id", value=ident, first=first_line[ident])
            else:
                first_line[ident] = self.source.line((*entry_path, "id"))
        return set(first_line)

    def _scale(self) -> int | None:
        levels = self._entries(("scale", "levels"))
        values = [entry.get("value") for _, entry in levels]
        top = None
        if levels and all(isinstance(v, int) for v in values):
            if values != list(range(len(values))):
                self.add(("scale", "levels"), "scale_levels", found=", ".join(map(str, values)))
            else:
                top = values[-1]
        special = [entry.get("value") for _, entry in self._entries(("scale", "special"))]
        if sorted(map(str, special)) != ["dk", "na"]:
            self.add(("scale", "special"), "special_answers", found=", ".join(map(str, special)) or "–")
        return top

    def _stages(self, top: int | None) -> None:
        previous = None
        for i, (path, stage) in enumerate(self._entries(("stages",))):
            lower = stage.get("lower")
            if not isinstance(lower, int | float) or isinstance(lower, bool):
                continue
            if i == 0 and lower != 0:
                self.add((*path, "lower"), "stages_start", bottom=0, value=lower)
            if previous is not None and lower <= previous:
                self.add((*path, "lower"), "stages_not_increasing", value=lower, previous=previous)
            if top is not None and not 0 <= lower <= top:
                self.add((*path, "lower"), "stages_beyond_scale", value=lower, top=top)
            previous = lower

    def _references(self, path: tuple, entry: dict, key: str, known: set[str], code: str) -> None:
        values = entry.get(key)
        if not isinstance(values, list):
            return
        for i, value in enumerate(values):
            if isinstance(value, str) and value not in known:
                self.add((*path, key, i), code, value=value)

    def _indicators(self, top: int | None, sources: set[str], roles: set[str]) -> dict[str, tuple]:
        indicators: dict[str, tuple] = {}
        all_entries = []
        for dim_path, dim in self._entries(("dimensions",)):
            self._references(dim_path, dim, "sources", sources, "unknown_source")
            for ind_path, ind in self._entries((*dim_path, "indicators")):
                all_entries.append((ind_path, ind))
                ident = ind.get("id")
                dim_id = dim.get("id")
                if isinstance(ident, str) and isinstance(dim_id, str) and not ident.startswith(f"{dim_id}."):
                    self.add((*ind_path, "id"), "indicator_prefix", dimension=dim_id)
                self._references(ind_path, ind, "sources", sources, "unknown_source")
                if isinstance(ind.get("sources"), list) and not ind["sources"]:
                    self.add((*ind_path, "sources"), "no_sources")
                self._references(ind_path, ind, "roles", roles, "unknown_role")
                if top is not None:
                    self._indicator_levels(ind_path, ind, top)
                if isinstance(ident, str) and ident not in indicators:
                    indicators[ident] = ind_path
        self._ids((), all_entries)
        return indicators

    def _method2(self, indicators: dict[str, tuple], top: int | None) -> None:
        """The keys of method 2 (docs/method.md): only with `method: 2`, and consistent with the rest."""
        method2 = self.data.get("method") == 2
        dims = self._entries(("dimensions",))
        inds = [entry for dim_path, _ in dims for entry in self._entries((*dim_path, "indicators"))]
        if not method2:
            keyed = [((key,), key) for key in ("disagreement_below", "min_dimensions") if key in self.data]
            keyed += [((*path, "foundation"), "foundation") for path, dim in dims if "foundation" in dim]
            keyed += [((*path, key), key) for path, ind in inds for key in ("na_allowed", "requires") if key in ind]
            for path, key in keyed:
                self.add(path, "method2_only", key=key)
            return
        stages = self._entries(("stages",))
        if top is not None and stages and len(stages) != top + 1:
            self.add(("stages",), "method2_stages", levels=top + 1, stages=len(stages))
        for index, (path, stage) in enumerate(stages):
            lower = stage.get("lower")
            if isinstance(lower, int | float) and not isinstance(lower, bool) and lower != index:
                self.add((*path, "lower"), "method2_stage_lower", index=index, value=lower)
        wanted = self.data.get("min_dimensions")
        if isinstance(wanted, int) and not isinstance(wanted, bool) and dims and wanted > len(dims):
            self.add(("min_dimensions",), "min_dimensions_too_many", value=wanted, dimensions=len(dims))
        graph: dict[str, list[str]] = {}
        for path, ind in inds:
            needs = ind.get("requires")
            if not isinstance(needs, dict):
                continue
            for other, level in needs.items():
                if other not in indicators:
                    self.add((*path, "requires", other), "requires_unknown", value=other)
                    continue
                if other == ind.get("id"):
                    self.add((*path, "requires", other), "requires_self")
                    continue
                if top is not None and isinstance(level, int) and not isinstance(level, bool) \
                        and not 1 <= level <= top:
                    self.add((*path, "requires", other), "requires_level", top=top, value=level)
                if isinstance(ind.get("id"), str):
                    graph.setdefault(ind["id"], []).append(other)
        cycle = _cycle(graph)
        if cycle:
            self.add(indicators[cycle[0]], "requires_cycle", cycle=" → ".join([*cycle, cycle[0]]))
        self._sources_cited(dims + inds)

    def _sources_cited(self, citing: list[tuple[tuple, dict]]) -> None:
        """Method 2: every source listed is cited by a dimension or an indicator (version 1, which has one
        uncited source, stays as its rounds used it)."""
        cited = {source for _, entry in citing if isinstance(entry.get("sources"), list)
                 for source in entry["sources"] if isinstance(source, str)}
        for path, source in self._entries(("sources",)):
            ident = source.get("id")
            if isinstance(ident, str) and ident not in cited:
                self.add((*path, "id"), "source_unused", value=ident)

    def _indicator_levels(self, path: tuple, indicator: dict, top: int) -> None:
        entries = self._entries((*path, "levels"))
        found = [entry.get("level") for _, entry in entries]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in found):
            return  # the schema already reported the wrong type
        counts = Counter(found)
        for level, n in sorted(counts.items()):
            if n > 1:
                self.add((*path, "levels"), "levels_duplicate", level=level)
        expected = list(range(top + 1))
        missing = [v for v in expected if v not in counts]
        extra = sorted(v for v in counts if v > top)
        if missing:
            self.add((*path, "levels"), "levels_missing", missing=", ".join(map(str, missing)))
        if extra:
            self.add((*path, "levels"), "levels_extra", extra=", ".join(map(str, extra)), top=top)
        if not missing and not extra and found != expected and len(set(found)) == len(found):
            self.add((*path, "levels"), "levels_unordered", top=top, found=", ".join(map(str, found)))

    def _actions(self, indicators: dict[str, tuple], top: int | None) -> None:
        covered: set[tuple[str, int]] = set()
        for path, action in self._entries(("actions",)):
            target = action.get("indicator")
            level = action.get("from")
            if isinstance(target, str) and target not in indicators:
                self.add((*path, "indicator"), "action_unknown_indicator", value=target)
            if top is not None and isinstance(level, int) and not isinstance(level, bool):
                if not 0 <= level < top:
                    self.add((*path, "from"), "action_level", limit=top - 1, value=level)
                covered.add((str(target), level))
        if top is None:
            return
        for ident, path in indicators.items():
            missing = [level for level in range(top) if (ident, level) not in covered]
            if missing:
                self.add(path, "action_missing", levels=", ".join(map(str, missing)))


def _cycle(graph: dict[str, list[str]]) -> list[str]:
    """One circle of prerequisites in `graph` (indicator → the indicators it requires), or []."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in graph:
        if state.get(start):
            continue
        path = [start]
        branches = [iter(graph.get(start, ()))]
        state[start] = 1
        while branches:
            following = next(branches[-1], None)
            if following is None:
                state[path.pop()] = 2
                branches.pop()
            elif state.get(following) == 1:
                return path[path.index(following):]
            elif not state.get(following):
                state[following] = 1
                path.append(following)
                branches.append(iter(graph.get(following, ())))
    return []


def _twin(key: str) -> str | None:
    if "::" not in key:
        return None
    stem, lang = key.rsplit("::", 1)
    others = [other for other in LANGUAGES if other != lang]
    return f"{stem}::{others[0]}" if others else None
