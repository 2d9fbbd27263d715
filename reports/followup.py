"""The follow-up round in the reports (issue 17): the region report's section "Förändring som betyder något"
(partial template `_followup.html.j2`) and the plan workbook's sheet with the review of last round's plan.

Plain data in (the follow-up change built by service/followup.py, last round's plan and its reviews from the
store, read by attribute), text or cells out; this module imports neither service nor store.
"""

from __future__ import annotations

from questionnaires.text import Catalogue, normalise_language
from reports import formatting as fmt
from reports import xlsx
from reports.html import environment

LABELS = Catalogue({
    "heading": {"sv": "Förändring som betyder något (sedan {round})", "en": "Change that means something (since {round})"},
    "comparable": {"sv": "{comparable} av {total} indikatorer är jämförbara med förra omgången ({previous} → {current}); bara de räknas.",
                   "en": "{comparable} of {total} indicators are comparable with last round ({previous} → {current}); only they count."},
    "panel_changed": {"sv": "Panelen har ändrats: förra omgången {before}, nu {now}.", "en": "The panel has changed: last round {before}, now {now}."},
    "panel_same": {"sv": "Samma panel som förra omgången: {now}.", "en": "The same panel as last round: {now}."},
    "col_dimension": {"sv": "Dimension", "en": "Dimension"},
    "col_before": {"sv": "Förra omgången", "en": "Last round"},
    "col_now": {"sv": "Nu", "en": "Now"},
    "col_change": {"sv": "Förändring (90 %-intervall)", "en": "Change (90 % interval)"},
    "col_verdict": {"sv": "Bedömning", "en": "Verdict"},
    "improved": {"sv": "säker förbättring", "en": "certain improvement"},
    "declined": {"sv": "säker försämring", "en": "certain decline"},
    "none": {"sv": "ingen säker förändring", "en": "no certain change"},
    "unknown": {"sv": "inget intervall (metod 1)", "en": "no interval (method 1)"},
    "not_comparable": {"sv": "inte jämförbar (ny version av frågan)", "en": "not comparable (new version of the question)"},
    "insufficient": {"sv": "för få svar för en poäng", "en": "too few answers for a score"},
    "reasons": {"sv": "Vad som ändrats enligt de svarande", "en": "What changed according to the respondents"},
    "actions": {"sv": "Förra omgångens åtgärder", "en": "Last round's actions"},
    "sheet": {"sv": "Uppföljning", "en": "Follow-up"},
    "review_heading": {"sv": "Uppföljning av förra omgångens handlingsplan ({round})", "en": "Follow-up of last round's action plan ({round})"},
    "col_action": {"sv": "Åtgärd", "en": "Action"},
    "col_owner": {"sv": "Ansvarig", "en": "Owner"},
    "col_status": {"sv": "Status", "en": "Status"},
    "col_outcome": {"sv": "Utfall", "en": "Outcome"},
    "col_continues": {"sv": "Fortsätter", "en": "Continues"},
    "yes": {"sv": "ja", "en": "yes"},
    "no": {"sv": "nej", "en": "no"},
    "not_reviewed": {"sv": "(ingen status)", "en": "(no status)"},
})
REVIEW_LABELS = {"done": ("klar", "done"), "ongoing": ("pågår", "ongoing"), "not_started": ("ej påbörjad", "not started"),
                 "dropped": ("stryks", "dropped")}


def _status(code: str | None, lang: str) -> str:
    if code is None:
        return LABELS.render("not_reviewed", lang)
    sv, en = REVIEW_LABELS[code]
    return sv if lang == "sv" else en


def _answer(q, value, lang: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return q.special_name(value)[lang]
    return f"{value} {q.levels[int(value)].name[lang]}"


def followup_context(change, q, lang: str = "sv") -> dict | None:
    """The partial's context from a follow-up change (service.followup.FollowupChange), or None."""
    if change is None:
        return None
    lang = normalise_language(lang)

    def figure(value, interval) -> str:
        if value is None:
            return "–"
        shown = fmt.decimal(value, lang, 2)
        return f"{shown} ({fmt.decimal(interval[0], lang, 2)}–{fmt.decimal(interval[1], lang, 2)})" if interval else shown

    def panel(counts: dict) -> str:
        return ", ".join(f"{q.role_by_id[r].name[lang] if r in q.role_by_id else r} {n}" for r, n in counts.items()) or "0"

    rows = []
    for row in change.dimensions:
        rows.append({
            "dimension": f"{row.dimension} {q.dimension_by_id[row.dimension].title[lang]}",
            "before": figure(row.previous, row.previous_interval), "now": figure(row.score, row.interval),
            "change": figure(row.change, row.change_interval), "verdict": LABELS.render(row.verdict, lang),
            "reasons": [f"{r.indicator} ({_answer(q, r.previous_value, lang)} → {_answer(q, r.value, lang)}): {r.reason}"
                        for r in row.reasons],
            "actions": [f"{item.action} – {_status(review.status if review else None, lang)}"
                        + (f": {review.outcome}" if review and review.outcome else "") for item, review in row.actions],
        })
    return {
        "heading": LABELS.render("heading", lang, round=change.previous_round),
        "comparable": LABELS.render("comparable", lang, comparable=change.comparable_indicators, total=change.indicators,
                                    previous=change.previous_ref, current=change.ref),
        "panel": (LABELS.render("panel_changed", lang, before=panel(change.panel_before), now=panel(change.panel_now))
                  if change.panel_changed else LABELS.render("panel_same", lang, now=panel(change.panel_now))),
        "columns": [LABELS.render(f"col_{c}", lang) for c in ("dimension", "before", "now", "change", "verdict")],
        "rows": rows,
        "reasons_title": LABELS.render("reasons", lang),
        "actions_title": LABELS.render("actions", lang),
    }


def render_followup_html(change, q, lang: str = "sv") -> str:
    """The region report's follow-up section as an HTML fragment ("" in a region's first round)."""
    return environment().get_template("_followup.html.j2").render(followup=followup_context(change, q, lang))


WIDTHS = (60, 30, 14, 60, 12)  # the review sheet's columns, in characters


def write_review_sheet(wb, last_plan, lang: str = "sv") -> None:
    """Add the sheet "Uppföljning" with the review of last round's plan (store.LastPlan) to a workbook;
    nothing in a region's first round."""
    if last_plan is None or last_plan.previous_round is None or not last_plan.items:
        return
    lang = normalise_language(lang)
    ws = wb.create_sheet(LABELS.render("sheet", lang))
    xlsx.put(ws, 1, 1, LABELS.render("review_heading", lang, round=last_plan.previous_round), font=xlsx.TITLE_FONT)
    columns = ("action", "owner", "status", "outcome", "continues")
    for c, name in enumerate(columns, start=1):
        xlsx.put(ws, 3, c, LABELS.render(f"col_{name}", lang), font=xlsx.HEADER_FONT, fill=xlsx.HEADER_FILL,
                 alignment=xlsx.WRAP)
    for r, item in enumerate(last_plan.items, start=4):
        review = last_plan.reviews.get(item.id)
        values = (item.action, item.owner, _status(review.status if review else None, lang),
                  review.outcome if review else "",
                  LABELS.render("yes" if review and review.continues else "no", lang))
        for c, value in enumerate(values, start=1):  # wrapped in its column: printed, nothing runs over
            xlsx.put(ws, r, c, value, alignment=xlsx.WRAP)
        height = xlsx.row_height([(str(value or ""), width) for value, width in zip(values, WIDTHS, strict=True)])
        if height:
            ws.row_dimensions[r].height = height
    for c, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[ws.cell(row=3, column=c).column_letter].width = width

