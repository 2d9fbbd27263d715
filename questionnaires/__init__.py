"""The instrument as data: questionnaire definitions, their schema, loader and linter, and the region roster."""

from questionnaires.loader import QuestionnaireError, bundled, find, load
from questionnaires.model import Dimension, Indicator, Questionnaire, Stage
from questionnaires.regions import Region, load_regions
from questionnaires.text import LANGUAGES, Text

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
