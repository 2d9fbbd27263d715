"""Where a report comes from and how its numbers were made: the mognad version and the method in brief."""

from __future__ import annotations

from importlib import metadata

from questionnaires.model import Questionnaire


def version() -> str:
    try:
        return metadata.version("mognad")
    except metadata.PackageNotFoundError:  # running from a source tree without installing
        return "dev"


def method_paragraphs(q: Questionnaire, lang: str, k: int) -> list[str]:
    """The method in five sentences, for the "Om" sheet of every workbook (the HTML has the long version)."""
    limit = f"{q.min_completeness:.0%}"
    if lang == "sv":
        return [
            f"Indikatorns överenskomna värde är medianen av svaren på skalan 0–{q.scale_max}; 'ej relevant' och "
            "'vet ej' räknas inte in.",
            f"Oenighet: högsta och lägsta svaret skiljer sig med {q.disagreement_spread} nivåer eller mer.",
            f"Dimensionens poäng är det viktade medelvärdet av indikatorernas värden och räknas när minst {limit} "
            "av indikatorerna har värde eller är ej relevanta (fullständighet).",
            "Stadiet är det högsta vars nedre gräns poängen når. Totalpoängen är det viktade medelvärdet av "
            "dimensionerna när minst hälften har poäng.",
            f"Riket och jämförelsegruppen: median och kvartiler över regioner med poäng; visas bara när minst {k} "
            "regioner bidrar. Alla tal är avrundade till tre decimaler, som i mognad score --format json.",
        ]
    return [
        f"An indicator's agreed value is the median of the answers on the 0–{q.scale_max} scale; 'not relevant' and "
        "'don't know' are left out.",
        f"Disagreement: the highest and the lowest answer differ by {q.disagreement_spread} levels or more.",
        f"A dimension's score is the weighted mean of its indicator values, computed when at least {limit} of the "
        "indicators have a value or are not relevant (completeness).",
        "The stage is the highest whose lower bound the score reaches. The overall score is the weighted mean of "
        "the dimensions when at least half of them have a score.",
        f"Country and peer group: median and quartiles over regions with a score; shown only when at least {k} "
        "regions contribute. All figures are rounded to three decimals, as in mognad score --format json.",
    ]
