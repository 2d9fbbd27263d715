"""The instrument as data: definitions (YAML), schema, loader and linter; the answers format and its codes; the
action-plan item; the region roster; bilingual text and the glossary. Imports nothing of ours."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# Each public name and the module that defines it, loaded on first use (PEP 562): the loader brings YAML and
# JSON Schema, which the glossary, the texts and the roster do not need — nor `mognad --help` (issue 15).
_LOCATIONS: dict[str, str] = {
    "LANGUAGES": "text",
    "Dimension": "model",
    "Indicator": "model",
    "Questionnaire": "model",
    "QuestionnaireError": "loader",
    "Region": "regions",
    "Stage": "model",
    "Text": "text",
    "bundled": "loader",
    "find": "loader",
    "load": "loader",
    "load_regions": "regions",
}

__all__ = [
    "LANGUAGES",
    "Dimension",
    "Indicator",
    "Questionnaire",
    "QuestionnaireError",
    "Region",
    "Stage",
    "Text",
    "bundled",
    "find",
    "load",
    "load_regions",
]

if TYPE_CHECKING:  # what a type checker and an editor see; at run time __getattr__ below does the same, lazily
    from questionnaires.loader import QuestionnaireError, bundled, find, load
    from questionnaires.model import Dimension, Indicator, Questionnaire, Stage
    from questionnaires.regions import Region, load_regions
    from questionnaires.text import LANGUAGES, Text


def __getattr__(name: str):
    module = _LOCATIONS.get(name)
    if module is not None:
        value = getattr(importlib.import_module(f"questionnaires.{module}"), name)
        globals()[name] = value  # from now on a plain attribute: __getattr__ is not asked again
        return value
    if not name.startswith("_"):  # a submodule's name loads it, as when this package imported them all
        try:
            return importlib.import_module(f"questionnaires.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"questionnaires.{name}":
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
