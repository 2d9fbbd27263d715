"""Short texts of the reports and workbooks, Swedish first. Longer prose lives in the templates."""

from __future__ import annotations

from questionnaires.glossary import GLOSSARY
from questionnaires.regions import NUTS2_NAMES, size_group_label
from questionnaires.text import Catalogue

LABELS = Catalogue({
    # report titles and sections
    "region_report": {"sv": "Regional lägesbild", "en": "Regional assessment"},
    "national_report": {"sv": "Nationell lägesbild", "en": "National overview"},
    "skip": {"sv": "Hoppa till innehållet", "en": "Skip to content"},
    "contents": {"sv": "Innehåll", "en": "Contents"},
    "summary": {"sv": "Sammanfattning", "en": "Summary"},
    "comparison": {"sv": "Jämförelse med riket och jämförelsegruppen", "en": "Comparison with the country and the peer group"},
    "results_by_dimension": {"sv": "Resultat per dimension", "en": "Results by dimension"},
    "method": {"sv": "Metod och datakvalitet", "en": "Method and data quality"},
    "trend": {"sv": "Utveckling över tid", "en": "Change over time"},
    "heatmap": {"sv": "Alla regioner och dimensioner", "en": "All regions and dimensions"},
    "distributions": {"sv": "Spridning mellan regionerna", "en": "Spread between the regions"},
    "stage_distribution": {"sv": "Regionerna per stadium", "en": "Regions by stage"},
    "peer_groups": {"sv": "Jämförelsegrupper", "en": "Peer groups"},
    "profiles": {"sv": "Regionernas profiler", "en": "The regions' profiles"},
    # before publication a region's reader gets aggregates only: said where the heat map would be
    "regions_absent": {
        "sv": "Regionerna visas inte var för sig. Omgången är inte publicerad än, och tills den är det får du bara se "
              "siffror som är sammanställda för alla {n} regioner som deltar. Därför saknas värmekartan, "
              "regionernas profiler och datakvaliteten per region. De kommer med när omgången är publicerad.",
        "en": "The regions are not shown one by one. The round is not published yet, and until it is you may only "
              "see figures combined across all {n} participating regions. That is why the heat map, the regions' "
              "profiles and the data quality per region are missing. They appear once the round is published.",
    },
    "gaps": {"sv": "Största utvecklingsområden", "en": "Largest gaps"},
    "priorities": {"sv": "Prioriterade dimensioner enligt metoden", "en": "Priority dimensions according to the method"},
    "plan_items": {"sv": "Åtgärder", "en": "Actions"},
    "stages_table": {"sv": "Stadier och gränser", "en": "Stages and thresholds"},
    "scale_levels": {"sv": "Skalans nivåer", "en": "The levels of the scale"},
    "profile": {"sv": "Regionens profil", "en": "The region's profile"},
    "score_by_dimension": {"sv": "Poäng per dimension", "en": "Score by dimension"},
    # facts on the cover
    "questionnaire": {"sv": "Frågeformulär", "en": "Questionnaire"},
    "version": {"sv": "Version", "en": "Version"},
    "generated": {"sv": "Framtagen", "en": "Generated"},
    "participating": {"sv": "Deltagande regioner", "en": "Participating regions"},
    "publication": {"sv": "Redovisning", "en": "Publication"},
    "named": {"sv": "regionerna redovisas med namn", "en": "regions are shown by name"},
    "anonymised": {"sv": "regionerna är avidentifierade (Region A, B, …); bokstäverna lottas för varje rapport",
                   "en": "regions are anonymised (Region A, B, …); the letters are drawn anew for each report"},
    "by_size_group": {"sv": "storleksgrupp", "en": "size group"},
    "by_nuts2": {"sv": "NUTS2-område", "en": "NUTS2 area"},
    # columns
    "statement": {"sv": "Påstående", "en": "Statement"},
    "guidance": {"sv": "Vad räknas som belägg", "en": "What counts as evidence"},
    "score_scale": {"sv": "Poäng (0–{top})", "en": "Score (0–{top})"},
    "lower_bound": {"sv": "Från poäng", "en": "From score"},
    "description": {"sv": "Beskrivning", "en": "Description"},
    "level": {"sv": "Nivå", "en": "Level"},
    "level_descriptor": {"sv": "Beskrivning av nivån", "en": "Descriptor of the level"},
    "evidence": {"sv": "Underlag", "en": "Evidence"},
    "comments": {"sv": "Kommentarer och belägg", "en": "Comments and evidence"},
    "comment": {"sv": "Kommentar", "en": "Comment"},
    "national_iqr": {"sv": "Riket, mittersta hälften (Q1–Q3)", "en": "Country, middle half (Q1–Q3)"},
    "q1": {"sv": "Q1", "en": "Q1"},
    "q3": {"sv": "Q3", "en": "Q3"},
    "median": {"sv": "Median", "en": "Median"},
    "min": {"sv": "Lägst", "en": "Lowest"},
    "max": {"sv": "Högst", "en": "Highest"},
    "n_regions": {"sv": "Antal regioner", "en": "Number of regions"},
    "regions_with_score": {"sv": "Regioner med poäng", "en": "Regions with a score"},
    "versus_national": {"sv": "Skillnad mot riket", "en": "Difference from the country"},
    "versus_peer": {"sv": "Skillnad mot gruppen", "en": "Difference from the group"},
    "previous": {"sv": "Förra omgången", "en": "Previous round"},
    "not_applicable": {"sv": "Ej relevant", "en": "Not relevant"},
    "unknown": {"sv": "Utan svar", "en": "Unanswered"},
    "disagreements": {"sv": "Oenigheter", "en": "Disagreements"},
    "disagreement": {"sv": "oenighet", "en": "disagreement"},
    "dimensions_scored": {"sv": "Dimensioner med poäng", "en": "Dimensions with a score"},
    "insufficient_count": {"sv": "Dimensioner utan poäng", "en": "Dimensions without a score"},
    "target_stage": {"sv": "Målstadium", "en": "Target stage"},
    "current_stage": {"sv": "Nuvarande stadium", "en": "Current stage"},
    "suggested_steps": {"sv": "Föreslagna steg", "en": "Suggested steps"},
    "share": {"sv": "Andel", "en": "Share"},
    # states and notes
    "no_score": {"sv": "ingen poäng", "en": "no score"},
    "reason_insufficient": {"sv": "för litet underlag (fullständighet under {limit})",
                            "en": "too little evidence (completeness below {limit})"},
    "reason_not_applicable": {"sv": "inga indikatorer med värde", "en": "no indicator with a value"},
    "no_stage": {"sv": "Utan poäng", "en": "No score"},
    "suppressed": {"sv": "visas inte (färre än {k} regioner)", "en": "not shown (fewer than {k} regions)"},
    "no_comparison": {"sv": "Det finns ingen jämförelse: färre än {k} regioner har poäng i omgången.",
                      "en": "There is no comparison: fewer than {k} regions have a score in the round."},
    "overdue": {"sv": "försenad", "en": "overdue"},
    "yes": {"sv": "Ja", "en": "Yes"},
    "no": {"sv": "Nej", "en": "No"},
    "none": {"sv": "Inga", "en": "None"},
    "no_items": {"sv": "Handlingsplanen har inga åtgärder ännu.", "en": "The action plan has no actions yet."},
    "proposed_plan": {"sv": "Förslag från metoden – ännu inte beslutat av regionen.",
                      "en": "Proposal from the method – not yet decided by the region."},
    "between_levels": {"sv": "mellan nivå {low} och {high}", "en": "between level {low} and {high}"},
    "data_table": {"sv": "Tabell: {title}", "en": "Table: {title}"},
    "chart": {"sv": "Diagram: {title}", "en": "Chart: {title}"},
    "answers_of": {"sv": "{n} av {asked} svar", "en": "{n} of {asked} answers"},
    "na_dk": {"sv": "ej relevant {na}, vet ej {dk}", "en": "not relevant {na}, don't know {dk}"},
    "footer": {"sv": "Framtagen med mognad {version} den {date}.", "en": "Produced with mognad {version} on {date}."},
    "page": {"sv": "Sida", "en": "Page"},
    # method 2 across regions (docs/method.md 10.9–10.10)
    "tiers": {"sv": "Regionerna jämfört med riket", "en": "The regions compared with the country"},
    "tier": {"sv": "Jämfört med riket", "en": "Compared with the country"},
    "no_tier": {"sv": "ingen jämförelse (ingen totalpoäng)", "en": "no comparison (no overall score)"},
    "rank_interval": {"sv": "Rang, median (90 %-intervall)", "en": "Rank, median (90 % interval)"},
    "rank_text": {"sv": "{median} ({lo}–{hi})", "en": "{median} ({lo}–{hi})"},
    "tiers_intro": {
        "sv": "Jämförelsen säger om en region säkert ligger över eller under rikets median ({median}). ”Över riket” "
              "betyder att hela regionens osäkerhetsintervall för totalpoängen ligger över medianen, ”under riket” att "
              "det ligger helt under. Annars står det ”i nivå med riket”. Rangen (1 = högst) är medianen av regionens "
              "placering när svaren dras om {replicates} gånger, med ett 90 %-intervall: en placering visas aldrig "
              "ensam. Inom varje grupp står regionerna i samma ordning som i resten av rapporten.",
        "en": "The comparison says whether a region lies above or below the national median ({median}) with "
              "certainty. “Above” means that the region's whole uncertainty interval for the overall score lies above "
              "the median, “below” that it lies wholly below. Otherwise it says “in line with the national level”. "
              "The rank (1 = highest) is the median of the region's place when the answers are redrawn {replicates} "
              "times, with a 90 % interval: a place is never shown alone. Within each group the regions appear in "
              "the same order as in the rest of the report."},
    "tier_counts": {"sv": "{above} över riket, {within} i nivå med riket, {below} under riket.",
                    "en": "{above} above, {within} in line with and {below} below the national level."},
    "uncertain_short": {"sv": "osäkert", "en": "uncertain"},
    "uncertain_note": {"sv": "osäkert = poängen vilar på svagt underlag: färre än 3 respondenter eller 2 roller, ett "
                             "osäkerhetsintervall bredare än 1,0 eller fullständighet under 90 %. I diagrammet har "
                             "sådana rutor en streckad ram.",
                       "en": "uncertain = the score rests on thin evidence: fewer than 3 respondents or 2 roles, an "
                             "uncertainty interval wider than 1.0 or completeness below 90 %. In the chart such cells "
                             "have a dashed frame."},
    "interval_plot": {"sv": "Totalpoäng med osäkerhetsintervall mot antal respondenter",
                      "en": "Overall score with uncertainty interval against the number of respondents"},
    "changes_since": {"sv": "Förändring sedan {round}", "en": "Change since {round}"},
    "changes_intro": {"sv": "En förändring är säker bara när hela osäkerhetsintervallet nu ligger över (eller under) hela "
                            "intervallet i {round}. Annars står det ”ingen säker förändring”, även om poängen har ändrats.",
                      "en": "A change is certain only when the whole uncertainty interval now lies above (or below) the "
                            "whole interval in {round}. Otherwise it says “no certain change”, even if the score has "
                            "changed."},
    "score_in": {"sv": "Totalpoäng {round}", "en": "Overall score {round}"},
    "interval_in": {"sv": "Intervall {round}", "en": "Interval {round}"},
    "conclusion": {"sv": "Slutsats", "en": "Conclusion"},
    "certain_up": {"sv": "säker ökning", "en": "certain increase"},
    "certain_down": {"sv": "säker minskning", "en": "certain decrease"},
    "certain_none": {"sv": "ingen säker förändring", "en": "no certain change"},
    "no_previous": {"sv": "ingen totalpoäng att jämföra med", "en": "no overall score to compare with"},
    "respondents_answered": {"sv": "Respondenter som svarat", "en": "Respondents who answered"},
    "interval_from": {"sv": "Intervall från", "en": "Interval from"},
    "interval_to": {"sv": "Intervall till", "en": "Interval to"},
    "rank_median": {"sv": "Rang, median", "en": "Rank, median"},
    "rank_from": {"sv": "Rangintervall från", "en": "Rank interval from"},
    "rank_to": {"sv": "Rangintervall till", "en": "Rank interval to"},
    "rank_note": {"sv": "Rang 1 = högst; medianrangen visas alltid med sitt 90 %-intervall. Inom varje grupp står "
                        "regionerna i rapportens ordning, inte efter poäng.",
                  "en": "Rank 1 = highest; the median rank is always shown with its 90 % interval. Within each group "
                        "the regions appear in the report's order, not by score."},
    # change across instrument versions (RegionReport.version_change; questionnaires/crosswalk.py)
    "not_comparable": {"sv": "inte jämförbar (ny version av frågan)", "en": "not comparable (new version of the question)"},
    "version_changed": {"sv": "Förra omgången ({round}) använde {previous}, den här använder {current}. Förändring visas "
                              "bara för frågor som är jämförbara mellan versionerna.",
                        "en": "The previous round ({round}) used {previous}; this one uses {current}. A change is shown "
                              "only for questions that are comparable between the versions."},
    "comparable_indicators": {"sv": "Jämförbara indikatorer", "en": "Comparable indicators"},
    "others_not_comparable": {"sv": "Övriga {n} indikatorer: inte jämförbar (ny version av frågan).",
                              "en": "The other {n} indicators: not comparable (new version of the question)."},
    "earlier_indicator": {"sv": "Frågan förra omgången", "en": "The question last round"},
    "not_comparable_short": {"sv": "inte jämförbar", "en": "not comparable"},
    # what an output says about its data before any number (reports/marking.py)
    "marking_demo": {"sv": "Demodata – fiktiva uppgifter", "en": "Demo data – fictional"},
    "marking_preliminary": {"sv": "Preliminär – omgången är inte publicerad",
                            "en": "Preliminary – the round is not published"},
    "marking_status": {"sv": "Analysens status: {status}", "en": "Status of the analysis: {status}"},
    "status_draft": {"sv": "Utkast", "en": "Draft"},
    "status_submitted": {"sv": "Inlämnad", "en": "Submitted"},
    "round_published": {"sv": "Publicerad", "en": "Published"},
    "marking_title": {"sv": "Observera", "en": "Note"},
}, base=GLOSSARY)


def peer_group_name(peer_by: str, group: object, lang: str) -> str:
    """A peer group in words: "Mellanstora regioner (200 000–300 000 invånare)", "Östra Mellansverige (SE12)";
    never a bare code. The NUTS2 names are proper names, the same in both languages."""
    if not isinstance(group, str) or not group:
        return "–"
    if peer_by == "size_group":
        try:
            return size_group_label(group)[lang]
        except StopIteration:
            return group
    name = NUTS2_NAMES.get(group)
    return f"{name} ({group})" if name else group


def label(code: str, lang: str, **params: object) -> str:
    return LABELS.render(code, lang, **params)
