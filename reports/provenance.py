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
    if q.method == 2:
        return _method_2_paragraphs(q, lang, k, limit)
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
            "regioner bidrar. Alla tal är avrundade till tre decimaler, som i rapporten.",
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
        "regions contribute. All figures are rounded to three decimals, as in the report.",
    ]


def _method_2_paragraphs(q: Questionnaire, lang: str, k: int, limit: str) -> list[str]:
    """docs/method.md section 10 in five sentences (method 2: consensus, roles, agreement, intervals)."""
    if lang == "sv":
        return [
            "Indikatorns värde är partnerskapets konsensusvärde när ett sådant finns, annars medianen av rollernas "
            f"medianer på skalan 0–{q.scale_max}: varje roll väger lika.",
            "Samstämmighet mäter hur lika svaren är (0–1); under "
            f"{q.disagreement_below:.1f}".replace(".", ",") + " markeras oenighet.",
            f"Dimensionens poäng är det viktade medelvärdet av indikatorernas värden när minst {limit} av de relevanta "
            "indikatorerna har värde; stadiet når bara så högt som nästan alla indikatorer når.",
            "Varje poäng har ett 90 %-intervall från omdragningar av svaren inom varje roll; en poäng med för få "
            "svarande eller roller, ett brett intervall eller låg fullständighet markeras som osäker.",
            f"Riket och jämförelsegruppen: median och kvartiler över regioner med poäng; visas bara när minst {k} "
            "regioner bidrar. Alla tal är avrundade till tre decimaler, som i rapporten.",
        ]
    return [
        "An indicator's value is the partnership's consensus value where there is one, otherwise the median of the "
        f"roles' medians on the 0–{q.scale_max} scale: every role weighs the same.",
        f"Agreement measures how alike the answers are (0–1); below {q.disagreement_below:.1f} it is a disagreement.",
        f"A dimension's score is the weighted mean of its indicator values when at least {limit} of the relevant "
        "indicators have a value; the stage reaches only as high as nearly all indicators reach.",
        "Every score has a 90 % interval from redrawing the answers within each role; a score with too few "
        "respondents or roles, a wide interval or low completeness is marked uncertain.",
        f"Country and peer group: median and quartiles over regions with a score; shown only when at least {k} "
        "regions contribute. All figures are rounded to three decimals, as in the report.",
    ]
