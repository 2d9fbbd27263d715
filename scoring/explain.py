"""Method 2's flags in plain words, Swedish and English: the same sentence on Resultat, in the reports and
on the command line. Numbers come in already written (decimal comma and all) by the caller's formatter."""

from __future__ import annotations

from questionnaires.glossary import GLOSSARY
from questionnaires.text import Catalogue

WORDS = Catalogue({
    "uncertain": {"sv": "Osäkert: {reasons}.", "en": "Uncertain: {reasons}."},
    "uncertain_one_respondent": {"sv": "bara en partner har svarat", "en": "only one partner has answered"},
    "uncertain_respondents": {"sv": "bara {n} partner har svarat", "en": "only {n} partners have answered"},
    "uncertain_roles": {"sv": "alla svar kommer från samma slags aktör",
                        "en": "every answer comes from the same kind of partner"},
    "uncertain_interval": {"sv": "svaren går så mycket isär att poängen lika gärna kan ligga mellan {lo} och {hi}",
                           "en": "the answers differ so much that the score could as well lie between {lo} and {hi}"},
    "uncertain_completeness": {"sv": "bara {share} av frågorna har fått ett svar",
                               "en": "only {share} of the questions have been answered"},
    "interval": {"sv": "Osäkerhetsintervall (90 %)", "en": "Uncertainty interval (90 %)"},
    "interval_range": {"sv": "{lo}–{hi}", "en": "{lo}–{hi}"},
    "confidence": {"sv": "Säkerhet", "en": "Confidence"},
    "foundation_flag": {"sv": "Instabil grund: en grunddimension ({dimensions}) ligger under 2,0 fast totalen är "
                              "minst 2,5. Börja med grunden.",
                        "en": "Unstable foundation: a foundation dimension ({dimensions}) is below 2.0 although the "
                              "overall score is at least 2.5. Start with the foundation."},
    "consensus_value": {"sv": "Konsensusvärde", "en": "Consensus value"},
    "consensus_of": {"sv": "Beslutat i workshop: {indicators}", "en": "Decided in a workshop: {indicators}"},
    "role_split": {"sv": "Rollernas medianer", "en": "Medians by role"},
    "prerequisite_for": {"sv": "förutsättning för {indicator}", "en": "prerequisite for {indicator}"},
    "tier_above": {"sv": "över riket", "en": "above the national level"},
    "tier_within": {"sv": "i nivå med riket", "en": "in line with the national level"},
    "tier_below": {"sv": "under riket", "en": "below the national level"},
}, base=GLOSSARY)


def uncertain(reasons: list[str], lang: str, *, respondents: int = 0, lo: str = "", hi: str = "",
              share: str = "") -> str:
    """'Osäkert: …' for the reasons of `low_confidence` (respondents, roles, interval, completeness), or ''."""
    parts = []
    for reason in reasons:
        if reason == "respondents":
            parts.append(WORDS.render("uncertain_one_respondent", lang) if respondents == 1
                         else WORDS.render("uncertain_respondents", lang, n=respondents))
        elif reason == "roles":
            parts.append(WORDS.render("uncertain_roles", lang))
        elif reason == "interval":
            parts.append(WORDS.render("uncertain_interval", lang, lo=lo, hi=hi))
        elif reason == "completeness":
            parts.append(WORDS.render("uncertain_completeness", lang, share=share))
    return WORDS.render("uncertain", lang, reasons="; ".join(parts)) if parts else ""
