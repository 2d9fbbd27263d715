"""The workshop report as one self-contained HTML file (template `workshop.html.j2`, the reports' stylesheet).

Per indicator: the votes per level by stakeholder group (first and, if held, second vote; the same
suppression as the projector: no group below three voters), the median and the agreement, and the recorded
consensus value with its rationale, evidence and dissent. No participant's name appears anywhere.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from questionnaires.regions import region_by_code
from questionnaires.text import Catalogue, normalise_language
from reports import formatting as fmt
from reports.html import common_context, environment
from reports.labels import LABELS

TEXTS = Catalogue({
    "ws_report_title": {"sv": "Workshoprapport", "en": "Workshop report"},
    "ws_report_intro": {"sv": "{title} för {region}, omgång {round}. Deltagare per intressentgrupp: {people}. "
                              "Rösterna är individuella och anonyma; det gemensamma värdet är gruppens beslut efter samtal "
                              "och är det värde som räknas i regionens resultat.",
                        "en": "{title} for {region}, round {round}. Participants by stakeholder group: {people}. "
                              "The votes are individual and anonymous; the agreed value is the group's decision after "
                              "discussion and is the value counted in the region's results."},
    "ws_report_status": {"sv": "Workshopen är {status}. {done} av {total} indikatorer har ett gemensamt värde.",
                         "en": "The workshop is {status}. {done} of {total} indicators have an agreed value."},
    "ws_status_planned": {"sv": "planerad", "en": "planned"},
    "ws_status_open": {"sv": "öppen", "en": "open"},
    "ws_status_closed": {"sv": "avslutad", "en": "closed"},
    "ws_first": {"sv": "Första röstningen", "en": "First vote"},
    "ws_second": {"sv": "Andra röstningen", "en": "Second vote"},
    "ws_votes_table": {"sv": "Röster per nivå och intressentgrupp, {indicator}, {which}",
                       "en": "Votes by level and stakeholder group, {indicator}, {which}"},
    "ws_all": {"sv": "Alla", "en": "All"},
    "ws_others": {"sv": "Övriga grupper", "en": "Other groups"},
    "ws_group_col": {"sv": "Intressentgrupp", "en": "Stakeholder group"},
    "ws_not_relevant": {"sv": "Ej relevant", "en": "Not relevant"},
    "ws_dont_know": {"sv": "Vet ej", "en": "Don't know"},
    "ws_figures": {"sv": "{voters} röster, median {median}, samstämmighet {agreement}.",
                   "en": "{voters} votes, median {median}, agreement {agreement}."},
    "ws_disagreement": {"sv": "Oenighet: rösterna gick isär.", "en": "Disagreement: the votes diverged."},
    "ws_no_votes": {"sv": "Inga röster om indikatorn.", "en": "No votes on the indicator."},
    "ws_no_split": {"sv": "Ingen uppdelning per grupp: någon grupp hade färre än tre röster.",
                    "en": "No split by group: a group had fewer than three votes."},
    "ws_agreed": {"sv": "Gemensamt värde", "en": "Agreed value"},
    "ws_none_agreed": {"sv": "Inget gemensamt värde sparades.", "en": "No agreed value was recorded."},
    "ws_rationale": {"sv": "Motivering", "en": "Rationale"},
    "ws_evidence": {"sv": "Belägg", "en": "Evidence"},
    "ws_dissent": {"sv": "Avvikande mening", "en": "Dissenting view"},
    "ws_outside": {"sv": "Skäl till ett värde utanför rösternas spann", "en": "Reason for a value outside the votes' range"},
    "ws_decided": {"sv": "Beslutat {time} av {by}.", "en": "Decided {time} by {by}."},
    "ws_demo": {"sv": "Demodata – fiktiva uppgifter. Får inte användas som underlag för beslut.",
                "en": "Demo data – fictional. Must not be used for decisions."},
}, base=LABELS)


def render(report, lang: str = "sv") -> str:
    lang = normalise_language(lang)
    q, found = report.questionnaire, report.workshop

    def t(code: str, **params) -> str:
        return TEXTS.render(code, lang, **params)

    roles = q.role_by_id
    group_name = {group: roles[group].name[lang] if group in roles else group for group in found.stakeholder_groups}
    levels = [str(level) for level in range(q.scale_max + 1)]
    items = []
    for item in report.items:
        spec = q.indicator_by_id[item.indicator]
        rounds = []
        for which, shown in ((t("ws_first"), item.first), (t("ws_second"), item.second)):
            if shown is None:
                continue
            rows = [(t("ws_all"), shown.counts, shown.not_applicable, shown.dont_know)]
            rows += [(group_name.get(g.group, g.group) if g.group else t("ws_others"), g.counts, None, None)
                     for g in shown.groups]
            rounds.append({
                "caption": t("ws_votes_table", indicator=item.indicator, which=which.lower()),
                "rows": [(name, [fmt.integer(c, lang) for c in counts],
                          "" if na is None else fmt.integer(na, lang), "" if dk is None else fmt.integer(dk, lang))
                         for name, counts, na, dk in rows],
                "figures": t("ws_figures", voters=fmt.integer(shown.voters, lang),
                             median=fmt.decimal(shown.median, lang) if shown.median is not None else "–",
                             agreement=fmt.decimal(shown.agreement, lang, 2) if shown.agreement is not None else "–"),
                "disagreement": shown.disagreement,
                "split": bool(shown.groups),
            })
        record = item.consensus
        agreed = None
        if record is not None:
            value = t("ws_not_relevant") if record.value == "na" else str(record.value)
            level_text = spec.levels[record.value][lang] if isinstance(record.value, int) else ""
            agreed = {"value": value, "level": level_text, "rationale": record.rationale,
                      "evidence": record.evidence.splitlines(), "dissent": record.dissent,
                      "outside": record.outside_reason,
                      "decided": t("ws_decided", time=_local(record.decided_at), by=record.decided_by)}
        items.append({"id": item.indicator, "anchor": "i-" + item.indicator.replace(".", "-"),
                      "statement": spec.statement[lang], "rounds": rounds, "agreed": agreed})
    region = region_by_code().get(found.region)
    people = ", ".join(f"{group_name.get(g, g)} {fmt.integer(n, lang)}" for g, n in sorted(report.participants.items())) or "–"
    context = common_context(lang, q, dt.datetime.now(dt.UTC))
    context.update({
        "t": lambda code, **params: TEXTS.render(code, lang, **params),
        "title": f"{t('ws_report_title')}: {found.title}",
        "marking": [t("ws_demo")] if report.demo else [],
        "intro": t("ws_report_intro", title=found.title, region=region.name if region else found.region,
                   round=found.round, people=people),
        "status": t("ws_report_status", status=t(f"ws_status_{found.status}"),
                    done=fmt.integer(sum(i["agreed"] is not None for i in items), lang),
                    total=fmt.integer(len(items), lang)),
        "levels": levels,
        "items": items,
    })
    return environment().get_template("workshop.html.j2").render(**context)


def _local(moment: dt.datetime) -> str:
    """Swedish time, whatever the language (the store keeps UTC)."""
    return moment.astimezone(ZoneInfo("Europe/Stockholm")).strftime("%Y-%m-%d %H:%M")
