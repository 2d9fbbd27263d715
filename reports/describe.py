"""A short text for each chart: what it shows and what stands out (WCAG 1.1.1, a text alternative).

The sentences are computed from the same table the chart draws, so the text never contradicts the picture.
"""

from __future__ import annotations

import math

import pandas as pd

from questionnaires.model import Questionnaire
from reports import formatting as fmt
from reports.labels import label
from scoring import explain


def _ok(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _sv(lang: str) -> bool:
    return lang == "sv"


def profile(data: pd.DataFrame, lang: str, region_label: str, show_national: bool, show_peer: bool) -> str:
    sv = _sv(lang)
    scored = data[data["score"].notna()]
    intro = (f"Staplarna visar poängen för {region_label} i varje dimension." if sv else
             f"The bars show the score of {region_label} in each dimension.")
    if show_national:
        intro += (" Romben är rikets median och det grå fältet den mittersta hälften av regionerna" if sv else
                  " The diamond is the national median and the grey band the middle half of the regions")
        intro += (", triangeln jämförelsegruppens median." if sv else ", the triangle the peer group's median.") \
            if show_peer else "."
    if not len(scored):
        return intro + (" Ingen dimension har poäng." if sv else " No dimension has a score.")
    best = scored.loc[scored["score"].idxmax()]
    worst = scored.loc[scored["score"].idxmin()]
    text = intro + (f" Högst är {best['title']} ({fmt.decimal(best['score'], lang, 2)}), lägst {worst['title']} "
                    f"({fmt.decimal(worst['score'], lang, 2)})." if sv else
                    f" Highest is {best['title']} ({fmt.decimal(best['score'], lang, 2)}), lowest {worst['title']} "
                    f"({fmt.decimal(worst['score'], lang, 2)}).")
    compared = scored[scored["national_median"].notna()]
    if len(compared):
        above = int((compared["score"] > compared["national_median"]).sum())
        text += (f" Regionen ligger över rikets median i {above} av {len(compared)} dimensioner." if sv else
                 f" The region is above the national median in {above} of {len(compared)} dimensions.")
    return text


def heatmap(table: pd.DataFrame, q: Questionnaire, lang: str) -> str:
    sv = _sv(lang)
    text = ("Varje rad är en region och varje kolumn en dimension; ju mörkare ruta, desto högre poäng. "
            "Talet i rutan är poängen." if sv else
            "Each row is a region and each column a dimension; the darker the cell, the higher the score. "
            "The number in the cell is the score.")
    dims = [d.id for d in q.dimensions if d.id in table.columns]
    medians = table[dims].median(numeric_only=True).dropna()
    if len(medians):
        high, low = medians.idxmax(), medians.idxmin()
        title = {d.id: f"{d.id} {d.title[lang]}" for d in q.dimensions}
        text += (f" Högst median har {title[high]}, lägst {title[low]}." if sv else
                 f" The highest median is in {title[high]}, the lowest in {title[low]}.")
    if "low_confidence" in table.columns:  # method 2: the dashed frames
        flagged = sum(len([d for d in str(cell).split(", ") if d]) for cell in table["low_confidence"])
        cells = int(table[dims].notna().to_numpy().sum())
        text += (f" En streckad ram betyder att poängen är osäker: {flagged} av {cells} rutor. Tabellen säger "
                 "vilka." if sv else
                 f" A dashed frame means that the score is uncertain: {flagged} of {cells} cells. The table says "
                 "which.")
    return text


def intervals(table: pd.DataFrame, lang: str, median: float | None) -> str:
    """The interval plot (method 2): what the points, bars, line, shapes and open points mean."""
    sv = _sv(lang)
    text = ("Varje punkt är en regions totalpoäng och strecket genom den regionens osäkerhetsintervall (90 %), "
            "mot hur många respondenter som har svarat. " if sv else
            "Each point is a region's overall score and the bar through it the region's uncertainty interval (90 %), "
            "against how many respondents answered. ")
    if _ok(median):
        text += (f"Den streckade linjen är rikets median ({fmt.decimal(median, lang, 2)}). " if sv else
                 f"The dashed line is the national median ({fmt.decimal(median, lang, 2)}). ")
    text += ("Uppåtpekande trianglar ligger över riket, nedåtpekande under, cirklar i nivå med riket; en ofylld "
             "punkt betyder att poängen är osäker. Färre respondenter ger oftast ett bredare intervall." if sv else
             "Upward triangles lie above the national level, downward ones below, circles in line with it; an open "
             "point means that the score is uncertain. Fewer respondents usually give a wider interval.")
    return text


def uncertain(reasons, lang: str, *, respondents: int = 0, lo: float | None = None, hi: float | None = None,
              completeness: float | None = None) -> str:
    """'Osäkert: …' in plain words for a low-confidence score (scoring.explain), numbers written for `lang`."""
    return explain.uncertain(list(reasons), lang, respondents=int(respondents), lo=fmt.decimal(lo, lang, 2),
                             hi=fmt.decimal(hi, lang, 2), share=fmt.share(completeness, lang))


def rank(median: float | None, lo: float | None, hi: float | None, lang: str) -> str:
    """A median rank always with its 90 % interval: '3 (1–6)'."""
    if not (_ok(median) and _ok(lo) and _ok(hi)):
        return fmt.DASH
    return label("rank_text", lang, median=int(median), lo=int(lo), hi=int(hi))


def tier(value: object, lang: str) -> str:
    """'över riket', 'i nivå med riket', 'under riket' — or that there is no comparison."""
    return explain.WORDS.render(f"tier_{value}", lang) if value in ("above", "within", "below") else label("no_tier", lang)


def certainty(value: object, lang: str) -> str:
    """A change between two rounds: 'säker ökning', 'säker minskning', 'ingen säker förändring'."""
    return label(f"certain_{value}", lang) if value in ("up", "down", "none") else label("no_previous", lang)


def distribution(table: pd.DataFrame, lang: str, ticks: bool = True) -> str:
    """`ticks`: whether a tick per region is drawn (not for a reader who may see aggregates only)."""
    sv = _sv(lang)
    text = ("Varje streck är en region. " if sv else "Each tick is a region. ") if ticks else ""
    text += ("Det grå fältet är den mittersta hälften av regionerna (från första till tredje kvartilen) och romben "
             "medianen." if sv else
             "The grey band is the middle half of the regions (first to third quartile) and the diamond the median.")
    spread = (table["q3"] - table["q1"]).astype(float)
    if spread.notna().any():
        widest = table.loc[spread.idxmax()]
        text += (f" Störst skillnad mellan regionerna finns i {widest['title']}." if sv else
                 f" The regions differ most in {widest['title']}.")
    return text


def stages(table: pd.DataFrame, q: Questionnaire, lang: str) -> str:
    sv = _sv(lang)
    text = ("Staplarna visar hur många regioner som nått varje stadium, per dimension." if sv else
            "The bars show how many regions have reached each stage, by dimension.")
    if len(table) and q.stages:
        first = table.iloc[0]
        ids = [s.id for s in q.stages]
        upper = ids[len(ids) // 2:]
        reached = int(sum(int(first[s]) for s in upper))
        total = int(sum(int(first[c]) for c in table.columns if c not in ("dimension", "title")))
        name = q.stages[len(ids) // 2].name[lang]
        text += (f" {first['title']}: {reached} av {total} regioner har nått stadiet {name} eller högre." if sv else
                 f" {first['title']}: {reached} of {total} regions have reached the stage {name} or higher.")
    return text


def trend(table: pd.DataFrame, lang: str, column: str, what: str) -> str:
    sv = _sv(lang)
    rounds = list(dict.fromkeys(table["round"]))
    text = (f"Varje litet diagram är en dimension; linjerna visar {what} omgång för omgång "
            f"({rounds[0]}–{rounds[-1]})." if sv else
            f"Each small chart is a dimension; the lines show {what} round by round ({rounds[0]}–{rounds[-1]}).")
    if len(rounds) >= 2:
        first = table[table["round"] == rounds[0]].set_index("dimension")[column]
        last = table[table["round"] == rounds[-1]].set_index("dimension")[column]
        delta = (last - first).dropna()
        if len(delta):
            best = delta.idxmax()
            title = table.set_index("dimension").loc[best, "title"]
            title = title.iloc[0] if isinstance(title, pd.Series) else title
            text += (f" Störst förändring: {title} ({_signed(delta[best], lang)})." if sv else
                     f" Largest change: {title} ({_signed(delta[best], lang)}).")
    return text


def profiles(lang: str, count: int) -> str:
    return (f"Ett litet diagram per region ({count} regioner): staplarna är regionens poäng per dimension och "
            "romben rikets median. Samma siffror finns i tabellerna nedan." if _sv(lang) else
            f"One small chart per region ({count} regions): the bars are the region's score per dimension and the "
            "diamond the national median. The same figures are in the tables below.")


def _signed(value: float, lang: str) -> str:
    if not _ok(value):
        return fmt.DASH
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return sign + fmt.decimal(abs(value), lang, 2)
