"""Crosswalks between two versions of a questionnaire: which indicators stay comparable across versions.

A crosswalk (format `mognad-crosswalk/1`, one YAML file beside the definitions, e.g.
`bundled/crosswalk-1-2.yaml`) names an old and a new version (`from`, `to`, each `id@version`) and holds

- `mappings`: one entry per indicator of the old version — `from` (its id), `to` (the new version's
  indicator ids), `relation` and a bilingual `reason`;
- `origins`: one entry per indicator of the new version — `indicator` and either `from` (the old ids it
  comes from) or `new: true` with a bilingual `reason`.

Relations: `same` (identical text and scale) and `reworded` (new wording, same meaning and scale) are
*comparable*: a change between rounds that used the two versions may be shown. `changed`, `split`,
`merged` and `removed` are not: such an indicator is shown as "inte jämförbar (ny version av frågan)".

`check` reports every problem at once, each with file, line and a reference (`D1.1@1` for an old
indicator, `D1.1@2` for a new one), in Swedish and English, like the definition linter; `load` returns the
crosswalk or raises `CrosswalkError`. Nothing here raises for bad content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from questionnaires import yamlsource
from questionnaires.lint import MESSAGES as LINT_MESSAGES
from questionnaires.lint import TYPE_NAMES, Problem
from questionnaires.text import Catalogue, Text

FORMAT = "mognad-crosswalk/1"
RELATIONS = ("same", "reworded", "changed", "split", "merged", "removed")
COMPARABLE = frozenset({"same", "reworded"})
# how many new indicators each relation points at: (at least, at most); None = no upper bound
TARGETS = {"same": (1, 1), "reworded": (1, 1), "changed": (1, 1), "merged": (1, 1), "split": (2, None),
           "removed": (0, 0)}
TOP_KEYS = {"$schema", "format", "from", "to", "mappings", "origins"}
MAPPING_KEYS = {"from", "to", "relation", "reason::sv", "reason::en"}
ORIGIN_KEYS = {"indicator", "from", "new", "reason::sv", "reason::en"}

MESSAGES = Catalogue({
    "cw_format": {"sv": "format ska vara '{expected}'", "en": "format must be '{expected}'"},
    "cw_ref": {"sv": "'{key}' ska vara en instrumentversion som 'id@version' (är {value})",
               "en": "'{key}' must name a questionnaire version as 'id@version' (is {value})"},
    "cw_same_version": {"sv": "'from' och 'to' är samma version ({value})",
                        "en": "'from' and 'to' are the same version ({value})"},
    "cw_unknown_questionnaire": {"sv": "instrumentet '{value}' finns inte bland de medföljande eller är ogiltigt",
                                 "en": "the questionnaire '{value}' is not bundled or is not valid"},
    "cw_ref_mismatch": {"sv": "'{key}' är {value} men instrumentet som kontrolleras är {expected}",
                        "en": "'{key}' is {value} but the questionnaire being checked is {expected}"},
    "cw_not_a_list": {"sv": "'{key}' ska vara en lista", "en": "'{key}' must be a list"},
    "cw_bad_id": {"sv": "'{key}' ska vara ett indikator-id (är {value})",
                  "en": "'{key}' must be an indicator id (is {value})"},
    "cw_unknown_old": {"sv": "indikatorn {value} finns inte i {questionnaire}", "en": "the indicator {value} does not exist in {questionnaire}"},
    "cw_unknown_new": {"sv": "indikatorn {value} finns inte i {questionnaire}", "en": "the indicator {value} does not exist in {questionnaire}"},
    "cw_duplicate": {"sv": "indikatorn {value} har redan en post på rad {first}",
                     "en": "the indicator {value} already has an entry on line {first}"},
    "cw_missing_old": {"sv": "indikatorn {value} i {questionnaire} saknas under mappings",
                       "en": "the indicator {value} of {questionnaire} is missing under mappings"},
    "cw_missing_new": {"sv": "indikatorn {value} i {questionnaire} saknas under origins",
                       "en": "the indicator {value} of {questionnaire} is missing under origins"},
    "cw_relation": {"sv": "okänd relation '{value}' (tillåtna: {allowed})",
                    "en": "unknown relation '{value}' (allowed: {allowed})"},
    "cw_targets": {"sv": "relationen {relation} ska peka på {expected} indikator(er) i den nya versionen (pekar på {count})",
                   "en": "the relation {relation} must point at {expected} indicator(s) of the new version (points at {count})"},
    "cw_not_same": {"sv": "relationen same kräver samma påstående och nivåbeskrivningar i båda versionerna; {value} skiljer sig",
                    "en": "the relation same needs the same statement and level descriptors in both versions; {value} differs"},
    "cw_origin_form": {"sv": "en post under origins ska ha antingen en lista 'from' eller 'new: true', inte {found}",
                       "en": "an entry under origins needs either a list 'from' or 'new: true', not {found}"},
    "cw_new_reason": {"sv": "en ny indikator (new: true) behöver reason::sv och reason::en",
                      "en": "a new indicator (new: true) needs reason::sv and reason::en"},
    "cw_not_in_origin": {"sv": "mappings säger att {old} blev {new}, men origins för {new} nämner inte {old}",
                         "en": "mappings say {old} became {new}, but the origins of {new} do not name {old}"},
    "cw_not_in_mapping": {"sv": "origins säger att {new} kommer från {old}, men mappings för {old} pekar inte på {new}",
                          "en": "origins say {new} comes from {old}, but the mappings of {old} do not point at {new}"},
    "cw_sole_origin": {"sv": "relationen {relation} kräver att {new} bara kommer från {old} (origins: {origins}); använd merged",
                       "en": "the relation {relation} needs {new} to come from {old} alone (origins: {origins}); use merged"},
    "cw_merged_alone": {"sv": "relationen merged kräver att {new} kommer från minst två indikatorer (origins: {origins})",
                        "en": "the relation merged needs {new} to come from at least two indicators (origins: {origins})"},
}, base=LINT_MESSAGES)


@dataclass(frozen=True)
class CrosswalkProblem(Problem):
    """A linter-style problem whose message comes from the crosswalk catalogue (falling back on the linter's)."""

    def message(self, lang: str = "sv") -> str:
        params = dict(self.params)
        if self.code == "wrong_type":
            params["expected"] = TYPE_NAMES.get(params["expected"], {}).get(lang[:2], params["expected"])
        return MESSAGES.render(self.code, lang, **params)


class CrosswalkError(Exception):
    """A crosswalk that did not pass `check`; `problems` says where and why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.render("en") for p in problems[:5]))
        self.problems = problems


@dataclass(frozen=True)
class Mapping:
    """What became of one old indicator."""

    source: str
    targets: tuple[str, ...]
    relation: str
    reason: Text

    @property
    def comparable(self) -> bool:
        return self.relation in COMPARABLE


@dataclass(frozen=True)
class Origin:
    """Where one new indicator comes from: old indicator ids, or nothing (`new`)."""

    indicator: str
    sources: tuple[str, ...]
    new: bool
    reason: Text | None


@dataclass(frozen=True)
class Crosswalk:
    from_ref: str
    to_ref: str
    mappings: dict[str, Mapping]  # old indicator id → mapping
    origins: dict[str, Origin]  # new indicator id → origin
    path: str | None = field(default=None, compare=False)

    def comparable(self, old: str) -> str | None:
        """The new indicator that continues `old` comparably, or None (changed, split, merged, removed)."""
        mapping = self.mappings.get(old)
        return mapping.targets[0] if mapping is not None and mapping.comparable else None

    def previous(self, new: str) -> str | None:
        """The old indicator `new` can be compared with, or None: a change across versions is not shown."""
        origin = self.origins.get(new)
        if origin is None or len(origin.sources) != 1:
            return None
        return origin.sources[0] if self.comparable(origin.sources[0]) == new else None

    def is_comparable(self, new: str) -> bool:
        return self.previous(new) is not None

    def previous_dimension(self, dimension: str, old, new) -> str | None:
        """The dimension of the old version (`old`) whose score the new version's `dimension` can be compared
        with, or None. A dimension's score is the weighted mean of its indicators' values, so it stays
        comparable only when every one of its indicators is comparable (`previous`), together they are exactly
        the indicators of one old dimension, and each pair keeps its weight."""
        dim = new.dimension_by_id.get(dimension)
        if dim is None or not dim.indicators:
            return None
        pairs = [(self.previous(ind.id), ind) for ind in dim.indicators]
        if any(before is None or before not in old.indicator_by_id for before, _ in pairs):
            return None
        origins = {old.indicator_by_id[before].dimension for before, _ in pairs}
        if len(origins) != 1:
            return None
        (origin,) = origins
        if {ind.id for ind in old.dimension_by_id[origin].indicators} != {before for before, _ in pairs}:
            return None
        if any(old.indicator_by_id[before].weight != ind.weight for before, ind in pairs):
            return None
        return origin

    @property
    def comparable_pairs(self) -> tuple[tuple[str, str], ...]:
        """(old id, new id) for every indicator whose trend stays valid across the versions."""
        return tuple((old, m.targets[0]) for old, m in self.mappings.items() if m.comparable)


# ------------------------------------------------------------------------------------------------------------
def check(path: str | Path, old=None, new=None) -> list[Problem]:
    """Every problem in the crosswalk at `path`, sorted by line; empty means valid.

    `old` and `new` are the two questionnaires (model objects); when not given they are looked up among the
    bundled definitions by the file's `from` and `to`."""
    return checked(path, old, new)[1]


def load(path: str | Path, old=None, new=None) -> Crosswalk:
    """The crosswalk at `path`, checked against both versions; `CrosswalkError` when it has problems."""
    crosswalk, problems = checked(path, old, new)
    if crosswalk is None:
        raise CrosswalkError(problems)
    return crosswalk


def checked(path: str | Path, old=None, new=None) -> tuple[Crosswalk | None, list[Problem]]:
    """(the crosswalk, []) when the file at `path` passes `check`, else (None, every problem): one reading."""
    path = Path(path)
    source = yamlsource.read(path)
    checker = _Checker(str(path), source)
    for line, code, params in source.problems:
        checker.add_at(line, "-", code, **params)
    if source.data is not None and not isinstance(source.data, dict):
        checker.add((), "-", "not_a_mapping")
    elif source.data is not None:
        checker.run(old, new)
    problems = checker.sorted()
    return (None, problems) if problems or source.data is None else (build(source.data, str(path)), [])


def is_crosswalk(path: str | Path) -> bool:
    """Whether the file at `path` is meant as a crosswalk rather than a definition: its format names the
    crosswalk format, or it has mappings or origins and no dimensions. False for a file that cannot be read."""
    data = yamlsource.read(Path(path)).data
    if not isinstance(data, dict):
        return False
    form = data.get("format")
    if isinstance(form, str) and form.startswith(FORMAT.split("/")[0] + "/"):
        return True
    return ("mappings" in data or "origins" in data) and "dimensions" not in data


def build(data: dict, path: str | None = None) -> Crosswalk:
    """The model from crosswalk data that has passed `check`."""
    mappings = {
        m["from"]: Mapping(m["from"], tuple(m["to"]), m["relation"], _text(m))
        for m in data["mappings"]
    }
    origins = {
        o["indicator"]: Origin(o["indicator"], tuple(o.get("from") or ()), bool(o.get("new")),
                               _text(o) if "reason::sv" in o else None)
        for o in data["origins"]
    }
    return Crosswalk(data["from"], data["to"], mappings, origins, path)


def bundled_crosswalks() -> dict[tuple[str, str], Path]:
    """(from ref, to ref) → file, for every crosswalk shipped beside the bundled definitions (read again only
    when a file there changes)."""
    from questionnaires.loader import BUNDLED_DIR

    stamp = tuple((path, path.stat().st_mtime_ns) for path in sorted(BUNDLED_DIR.glob("*.yaml")))
    return dict(_bundled_for(stamp))


@lru_cache(maxsize=4)
def _bundled_for(stamp: tuple) -> tuple[tuple[tuple[str, str], Path], ...]:
    found = []
    for path, _ in stamp:
        if FORMAT not in path.read_text("utf-8", errors="replace"):
            continue  # a definition: not worth parsing here
        data = yamlsource.read(path).data
        if isinstance(data, dict) and data.get("format") == FORMAT:
            found.append(((str(data.get("from")), str(data.get("to"))), path))
    return tuple(found)


def find(from_ref: str, to_ref: str) -> Crosswalk:
    """The bundled crosswalk from `from_ref` to `to_ref`, checked once per file version; KeyError when mognad
    ships none, CrosswalkError when the shipped file does not pass `check`."""
    path = bundled_crosswalks().get((from_ref, to_ref))
    if path is None:
        raise KeyError(f"{from_ref} → {to_ref}")
    return _load_bundled(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _load_bundled(path: Path, _stamp: int) -> Crosswalk:
    return load(path)


def _text(node: dict) -> Text:
    return Text(sv=str(node["reason::sv"]).strip(), en=str(node["reason::en"]).strip())


# ------------------------------------------------------------------------------------------------------------
class _Checker:
    def __init__(self, file: str, source: yamlsource.Source):
        self.file = file
        self.source = source
        self.data = source.data
        self.problems: list[Problem] = []

    def add_at(self, line: int, ref: str, code: str, **params: object) -> None:
        self.problems.append(CrosswalkProblem(self.file, line, ref, code, params))

    def add(self, path: tuple, ref: str, code: str, **params: object) -> None:
        self.add_at(self.source.line(path), ref, code, **params)

    def sorted(self) -> list[Problem]:
        unique = {(p.line, p.ref, p.code, tuple(sorted(map(str, p.params.items())))): p for p in self.problems}
        return sorted(unique.values(), key=lambda p: (p.line, p.ref, p.code))

    # -- the whole file ----------------------------------------------------------------------------------
    def run(self, old, new) -> None:
        data = self.data
        for key in sorted(set(data) - TOP_KEYS, key=str):
            self.add((key,), "-", "unknown_key", key=key)
        for key in ("format", "from", "to", "mappings", "origins"):
            if key not in data:
                self.add((), "-", "missing_key", key=key)
        if "format" in data and data["format"] != FORMAT:
            self.add(("format",), "-", "cw_format", expected=FORMAT)
        old = self._questionnaire("from", old)
        new = self._questionnaire("to", new)
        if isinstance(data.get("from"), str) and data.get("from") == data.get("to"):
            self.add(("to",), "-", "cw_same_version", value=data["to"])
        mappings = self._mappings(old, new)
        origins = self._origins(old, new)
        if old is not None:
            for ident in (ind.id for ind in old.indicators):
                if ident not in mappings and isinstance(data.get("mappings"), list):
                    self.add(("mappings",), f"{ident}@{old.version}", "cw_missing_old", value=ident, questionnaire=old.ref)
        if new is not None:
            for ident in (ind.id for ind in new.indicators):
                if ident not in origins and isinstance(data.get("origins"), list):
                    self.add(("origins",), f"{ident}@{new.version}", "cw_missing_new", value=ident, questionnaire=new.ref)
        self._consistency(mappings, origins, old, new)

    def _questionnaire(self, key: str, given):
        ref = self.data.get(key)
        if key not in self.data:
            return given
        if not isinstance(ref, str) or ref.count("@") != 1 or not all(ref.split("@")):
            self.add((key,), "-", "cw_ref", key=key, value=ref)
            return given
        if given is not None:
            if given.ref != ref:
                self.add((key,), "-", "cw_ref_mismatch", key=key, value=ref, expected=given.ref)
            return given
        from questionnaires.loader import QuestionnaireError, find

        try:
            return find(ref)
        except (KeyError, QuestionnaireError):
            self.add((key,), "-", "cw_unknown_questionnaire", value=ref)
            return None

    def _entries(self, key: str) -> list[tuple[tuple, dict]]:
        node = self.data.get(key)
        if key in self.data and not isinstance(node, list):
            self.add((key,), "-", "cw_not_a_list", key=key)
            return []
        entries = []
        for i, item in enumerate(node or ()):
            if isinstance(item, dict):
                entries.append(((key, i), item))
            else:
                self.add((key, i), "-", "wrong_type", key=key, expected="object")
        return entries

    def _texts(self, path: tuple, ref: str, entry: dict, required: bool) -> None:
        for lang, twin in (("sv", "en"), ("en", "sv")):
            key = f"reason::{lang}"
            if key in entry:
                if not isinstance(entry[key], str):
                    self.add((*path, key), ref, "wrong_type", key=key, expected="string")
                elif not entry[key].strip():
                    self.add((*path, key), ref, "empty_text", key=key)
                if f"reason::{twin}" not in entry:
                    self.add((*path, key), ref, "missing_translation", key=key, twin=f"reason::{twin}")
            elif required and f"reason::{twin}" not in entry:
                self.add(path, ref, "missing_key", key=key)

    def _ids(self, path: tuple, ref: str, key: str, value: object) -> list[str] | None:
        if not isinstance(value, list):
            self.add((*path, key), ref, "cw_not_a_list", key=key)
            return None
        ids = []
        for i, item in enumerate(value):
            if isinstance(item, str) and item:
                ids.append(item)
            else:
                self.add((*path, key, i), ref, "cw_bad_id", key=key, value=item)
        return ids

    # -- mappings: one per old indicator --------------------------------------------------------------------
    def _mappings(self, old, new) -> dict[str, dict]:
        found: dict[str, dict] = {}
        first: dict[str, int] = {}
        old_ids = {ind.id for ind in old.indicators} if old is not None else None
        new_ids = {ind.id for ind in new.indicators} if new is not None else None
        old_version = old.version if old is not None else "?"
        for path, entry in self._entries("mappings"):
            ident = entry.get("from")
            ref = f"{ident}@{old_version}" if isinstance(ident, str) else "-"
            for key in sorted(set(entry) - MAPPING_KEYS, key=str):
                self.add((*path, key), ref, "unknown_key", key=key)
            for key in ("from", "to", "relation"):
                if key not in entry:
                    self.add(path, ref, "missing_key", key=key)
            self._texts(path, ref, entry, required=True)
            if "from" in entry and not (isinstance(ident, str) and ident):
                self.add((*path, "from"), ref, "cw_bad_id", key="from", value=ident)
                continue
            if not isinstance(ident, str):
                continue
            if ident in first:
                self.add((*path, "from"), ref, "cw_duplicate", value=ident, first=first[ident])
                continue
            first[ident] = self.source.line((*path, "from"))
            if old_ids is not None and ident not in old_ids:
                self.add((*path, "from"), ref, "cw_unknown_old", value=ident, questionnaire=old.ref)
            relation = entry.get("relation")
            if "relation" in entry and relation not in RELATIONS:
                self.add((*path, "relation"), ref, "cw_relation", value=relation, allowed=", ".join(RELATIONS))
                relation = None
            targets = self._ids(path, ref, "to", entry["to"]) if "to" in entry else None
            if targets is not None:
                for i, target in enumerate(targets):
                    if new_ids is not None and target not in new_ids:
                        self.add((*path, "to", i), ref, "cw_unknown_new", value=target, questionnaire=new.ref)
                if relation in TARGETS:
                    low, high = TARGETS[relation]
                    if len(targets) < low or (high is not None and len(targets) > high):
                        expected = str(low) if low == high else f"{low}–{high or '…'}"
                        self.add((*path, "to"), ref, "cw_targets", relation=relation, expected=expected,
                                 count=len(targets))
            if relation == "same" and targets and len(targets) == 1 and old is not None and new is not None:
                before, after = old.indicator_by_id.get(ident), new.indicator_by_id.get(targets[0])
                if before is not None and after is not None and (
                        before.statement != after.statement or before.levels != after.levels):
                    self.add((*path, "relation"), ref, "cw_not_same", value=ident)
            found[ident] = {"path": path, "targets": targets or [], "relation": relation}
        return found

    # -- origins: one per new indicator ---------------------------------------------------------------------
    def _origins(self, old, new) -> dict[str, dict]:
        found: dict[str, dict] = {}
        first: dict[str, int] = {}
        old_ids = {ind.id for ind in old.indicators} if old is not None else None
        new_ids = {ind.id for ind in new.indicators} if new is not None else None
        new_version = new.version if new is not None else "?"
        for path, entry in self._entries("origins"):
            ident = entry.get("indicator")
            ref = f"{ident}@{new_version}" if isinstance(ident, str) else "-"
            for key in sorted(set(entry) - ORIGIN_KEYS, key=str):
                self.add((*path, key), ref, "unknown_key", key=key)
            if "indicator" not in entry:
                self.add(path, ref, "missing_key", key="indicator")
                continue
            if not (isinstance(ident, str) and ident):
                self.add((*path, "indicator"), ref, "cw_bad_id", key="indicator", value=ident)
                continue
            if ident in first:
                self.add((*path, "indicator"), ref, "cw_duplicate", value=ident, first=first[ident])
                continue
            first[ident] = self.source.line((*path, "indicator"))
            if new_ids is not None and ident not in new_ids:
                self.add((*path, "indicator"), ref, "cw_unknown_new", value=ident, questionnaire=new.ref)
            is_new = entry.get("new") is True
            if "new" in entry and not isinstance(entry["new"], bool):
                self.add((*path, "new"), ref, "wrong_type", key="new", expected="boolean")
            sources = self._ids(path, ref, "from", entry["from"]) if "from" in entry else None
            if is_new == bool(sources) or ("from" in entry and is_new):
                found_form = "new + from" if is_new else ("from: []" if "from" in entry else "–")
                self.add(path, ref, "cw_origin_form", found=found_form)
            if is_new and not ("reason::sv" in entry or "reason::en" in entry):
                self.add(path, ref, "cw_new_reason")
            self._texts(path, ref, entry, required=False)
            for i, source in enumerate(sources or ()):
                if old_ids is not None and source not in old_ids:
                    self.add((*path, "from", i), ref, "cw_unknown_old", value=source, questionnaire=old.ref)
            found[ident] = {"path": path, "sources": [] if is_new else (sources or [])}
        return found

    # -- both directions agree ------------------------------------------------------------------------------
    def _consistency(self, mappings: dict[str, dict], origins: dict[str, dict], old, new) -> None:
        old_version = old.version if old is not None else "?"
        new_version = new.version if new is not None else "?"
        for ident, mapping in mappings.items():
            ref = f"{ident}@{old_version}"
            for i, target in enumerate(mapping["targets"]):
                origin = origins.get(target)
                if origin is not None and ident not in origin["sources"]:
                    self.add((*mapping["path"], "to", i), ref, "cw_not_in_origin", old=ident, new=target)
            relation = mapping["relation"]
            if relation in ("same", "reworded", "changed") and len(mapping["targets"]) == 1:
                origin = origins.get(mapping["targets"][0])
                if origin is not None and origin["sources"] and origin["sources"] != [ident]:
                    self.add((*mapping["path"], "relation"), ref, "cw_sole_origin", relation=relation,
                             new=mapping["targets"][0], old=ident, origins=", ".join(origin["sources"]))
            if relation == "merged" and len(mapping["targets"]) == 1:
                origin = origins.get(mapping["targets"][0])
                if origin is not None and len(origin["sources"]) < 2:
                    self.add((*mapping["path"], "relation"), ref, "cw_merged_alone", new=mapping["targets"][0],
                             origins=", ".join(origin["sources"]) or "–")
        for ident, origin in origins.items():
            ref = f"{ident}@{new_version}"
            for i, source in enumerate(origin["sources"]):
                mapping = mappings.get(source)
                if mapping is not None and ident not in mapping["targets"]:
                    self.add((*origin["path"], "from", i), ref, "cw_not_in_mapping", new=ident, old=source)
