"""The domain's words, once, in Swedish and English: every page, report, workbook and command line message
that names a dimension, a score or a round takes the word from here, so they all say the same thing.

Module catalogues (app/texts.py, reports/labels.py, the CLI's messages) hold only their own messages and
fall back to this glossary; defining a glossary word again in a module is an error caught on import.
docs/architecture.md lists the words with their meaning.
"""

from __future__ import annotations

from questionnaires.text import Catalogue

GLOSSARY = Catalogue({
    # the instrument
    "dimension": {"sv": "Dimension", "en": "Dimension"},
    "indicator": {"sv": "Indikator", "en": "Indicator"},
    "stage": {"sv": "Stadium", "en": "Stage"},
    "action_plan": {"sv": "Handlingsplan", "en": "Action plan"},
    # who and when
    "region": {"sv": "Region", "en": "Region"},
    "round": {"sv": "Omgång", "en": "Round"},
    "respondent": {"sv": "Respondent", "en": "Respondent"},
    "respondents": {"sv": "Respondenter", "en": "Respondents"},
    "role": {"sv": "Roll", "en": "Role"},
    "peer_group": {"sv": "Jämförelsegrupp", "en": "Peer group"},
    # the method's figures
    "score": {"sv": "Poäng", "en": "Score"},
    "percent": {"sv": "Procent av max", "en": "Percent of max"},
    "value": {"sv": "Värde", "en": "Value"},
    "overall": {"sv": "Totalt", "en": "Overall"},
    "completeness": {"sv": "Fullständighet", "en": "Completeness"},
    "answered": {"sv": "Besvarade", "en": "Answered"},
    "answered_share": {"sv": "Andel besvarade", "en": "Share answered"},
    "na_share": {"sv": "Andel ej relevant", "en": "Share not relevant"},
    "dk_share": {"sv": "Andel vet ej", "en": "Share don't know"},
    "spread": {"sv": "Spridning", "en": "Spread"},
    "gap": {"sv": "Gap", "en": "Gap"},
    "priority": {"sv": "Prioritet", "en": "Priority"},
    "target": {"sv": "Mål", "en": "Target"},
    "national_median": {"sv": "Rikets median", "en": "National median"},
    "peer_median": {"sv": "Jämförelsegruppens median", "en": "Peer-group median"},
    "change": {"sv": "Förändring", "en": "Change"},
    "change_since": {"sv": "Förändring sedan förra omgången", "en": "Change since the previous round"},
    "count": {"sv": "Antal", "en": "Count"},
    "strengths": {"sv": "Styrkor", "en": "Strengths"},
    "data_quality": {"sv": "Datakvalitet", "en": "Data quality"},
})


def term(key: str, lang: str) -> str:
    """One domain word in `lang`."""
    return GLOSSARY.render(key, lang)
