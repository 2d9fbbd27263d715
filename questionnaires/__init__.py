"""The instrument as data: definitions (YAML), schema, loader and linter; the answers format and its codes; the
action-plan item; the region roster; bilingual text and the glossary. Imports nothing of ours."""

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
