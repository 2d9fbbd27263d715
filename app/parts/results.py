"""The results page's parts, each drawn from a RegionReport (reports.model) so that the page, the HTML
report and the Excel workbook show the same numbers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import widgets as ui
from app.i18n import lang, t
from questionnaires.answers import decode
from reports import charts, describe
from reports import formatting as fmt
from scoring import explain


def quality_badge(report) -> None:
    L = lang()
    overall = report.overall
    answered = float(overall["answered_share"]) if pd.notna(overall["answered_share"]) else 0.0
    colour = "green" if answered >= 0.8 else "orange" if answered >= 0.5 else "red"
    st.badge(t("quality_badge", respondents=int(overall["respondents"]), answered=fmt.share(answered, L),
               dk=fmt.share(overall["dk_share"], L), na=fmt.share(overall["na_share"], L)),
             color=colour, icon=":material/fact_check:")


def uncertainty(report) -> None:
    """Method 2: why a score is uncertain, in plain words ("Osäkert: …"), the foundation flag, and each
    score's 90 % interval. Nothing for method 1."""
    if not report.intervals and not report.flags:
        return
    L = lang()
    words = explain.WORDS
    summary = report.summary
    rows = [("overall", t("overall"), summary["overall"])]
    rows += [(d["id"], f"{d['id']} {report.q.dimension_by_id[d['id']].title[L]}", d) for d in summary["dimensions"]]
    lines = []
    for key, title, item in rows:
        if key not in report.intervals:
            continue
        lo, hi = (fmt.decimal(end, L, 2) for end in report.intervals[key])
        sentence = explain.uncertain(list(report.low_confidence.get(key, ())), L,
                                     respondents=item.get("panel", {}).get("respondents", 0), lo=lo, hi=hi,
                                     share=fmt.share(item.get("completeness"), L))
        if sentence:
            st.warning(f"**{title}.** {sentence}" if key != "overall" else sentence, icon=":material/help:")
        lines.append(f"- {title}: {words.render('interval_range', L, lo=lo, hi=hi)}")
    if "foundation" in report.flags:
        weak = [d["id"] for d in summary["dimensions"]
                if d.get("foundation") and d["score"] is not None and d["score"] < 2]
        st.warning(words.render("foundation_flag", L, dimensions=", ".join(weak)), icon=":material/warning:")
    if lines:
        st.markdown(f"**{words.render('interval', L)}**\n\n" + "\n".join(lines))


def profile(report, peer_by: str) -> None:
    L = lang()
    q = report.q
    show_national = bool(report.comparison["national_median"].notna().any())
    figure, table = charts.profile_chart(report.comparison, q, L, report.region.name, show_national, show_national)
    text = describe.profile(table, L, report.region.name, show_national, show_national)
    peer = report.comparison["peer_group"].dropna()
    if len(peer):
        text += " " + t("peer_is", group=str(peer.iloc[0]), by=t(f"peer_{peer_by}"))
    ui.chart(t("profile_title"), text, figure, table, "profile",
             {"title": t("dimension"), "score": t("score"), "national_median": t("national_median"),
              "national_q1": t("national_q1"), "national_q3": t("national_q3"), "peer_median": t("peer_median")})


def strengths_and_gaps(report) -> None:
    L = lang()
    q = report.q
    left, right = st.columns(2)
    with left:
        st.subheader(t("strengths"))
        st.markdown("\n".join(f"- {d} {q.dimension_by_id[d].title[L]}" for d in report.strengths) or t("none"))
    with right:
        st.subheader(t("largest_gaps"))
        st.markdown("\n".join(f"- {d} {q.dimension_by_id[d].title[L]}" for d in report.gaps) or t("none"))


def changes(report) -> None:
    L = lang()
    q = report.q
    st.subheader(t("change_since"))
    followup_change(report)  # issue 17: per dimension with its interval, reasons and last round's actions
    if report.version_change is not None:
        _version_changes(report)
        return
    if report.changes is None or report.changes.empty:
        st.write(t("first_round"))
        return
    rows = []
    for dim_id, row in report.changes.iterrows():
        rows.append({t("dimension"): f"{dim_id} {q.dimension_by_id[dim_id].title[L]}",
                     t("previous_round"): row.get("previous_round", ""),
                     t("before"): fmt.decimal(row.get("previous"), L, 2),
                     t("now"): fmt.decimal(row.get("score"), L, 2),
                     t("change"): fmt.decimal(row.get("change"), L, 2)})
    st.table(pd.DataFrame(rows).set_index(t("dimension")))


def _version_changes(report) -> None:
    """The previous round used an earlier instrument version: a change only where the crosswalk says the
    question is comparable; every other row says "inte jämförbar (ny version av frågan)"."""
    L = lang()
    q, change = report.q, report.version_change
    st.markdown(t("version_changed", round=change.previous_round, previous=change.previous_ref, current=q.ref))
    never = t("not_comparable")

    def cells(row, now: str) -> dict:
        comparable = bool(row["comparable"])
        return {t("before"): fmt.decimal(row["previous"], L, 2) if comparable else "–",
                t("now"): fmt.decimal(row[now], L, 2),
                t("change"): fmt.decimal(row["change"], L, 2) if comparable else never}

    rows = [{t("dimension"): f"{dim_id} {q.dimension_by_id[dim_id].title[L]}",
             t("previous_round"): change.previous_round, **cells(row, "score")}
            for dim_id, row in change.dimensions.iterrows()]
    st.table(pd.DataFrame(rows).set_index(t("dimension")))
    same = change.indicators[change.indicators["comparable"]]
    if len(same):
        st.markdown(f"**{t('comparable_indicators')}**")
        st.table(pd.DataFrame([{t("indicator"): f"{ind_id} {q.indicator_by_id[ind_id].statement[L]}",
                                t("earlier_indicator"): f"{row['previous_indicator']} ({change.previous_round})",
                                **cells(row, "value")} for ind_id, row in same.iterrows()]).set_index(t("indicator")))
    st.caption(t("others_not_comparable", n=len(change.indicators) - len(same)))


def drill_down(report) -> None:
    """Så räknades det: dimension → indicators → each respondent's answer and comment.

    Every figure comes from the report, so the page says what the HTML report says."""
    L = lang()
    q = report.q
    st.subheader(t("how_computed"))
    st.write(t("method_link"))
    dim_id = st.selectbox(t("dimension"), [d.id for d in q.dimensions], key="drill_dimension",
                          format_func=lambda d: f"{d} {q.dimension_by_id[d].title[L]}")
    dimension = q.dimension_by_id[dim_id]
    summary = report.dimension(dim_id)
    rows = report.indicators.loc[[ind.id for ind in dimension.indicators]]
    st.write(t("drill_dimension", score=fmt.decimal(summary["score"], L, 2),
               stage=summary["stage_label"] or t("insufficient"), completeness=fmt.share(summary["completeness"], L),
               answered=summary["answered"], na_answers=int(rows["n_na"].sum()),
               dk_answers=int(rows["n_dk"].sum())))
    sheet = report.answers if report.answers is not None else pd.DataFrame()
    for indicator in dimension.indicators:
        values = report.indicator(indicator.id)
        counts = report.indicators.loc[indicator.id]
        value = values["value"]
        level = q.levels[int(value)].name[L] if value is not None else t(f"status_{values['status']}")
        with st.expander(f"{indicator.id} · {fmt.decimal(value, L, 1)} · {level} – {indicator.statement[L]}"):
            if value is not None:
                st.write(f"{t('level_description')}: {indicator.levels[int(value)][L]}")
            st.write(t("drill_indicator", answered=int(counts["n_value"]), asked=int(counts["asked"]),
                       na=int(counts["n_na"]), dk=int(counts["n_dk"]), spread=fmt.decimal(values["spread"], L, 0)))
            agreed = values.get("consensus")
            if agreed:  # a workshop's recorded value is the indicator's value (method 2), with its reasons
                st.info(t("drill_consensus", rationale=ui.literal(agreed.get("rationale") or "–")))
                if agreed.get("evidence"):
                    st.write(f"{t('ws_evidence_short')}: {ui.literal(agreed['evidence'])}")
            said = {}
            for comment in report.comments.get(indicator.id, ()):
                said.setdefault(comment.respondent, []).append(comment.text)
            table = []
            for _, person in sheet.iterrows():
                if not indicator.applies_to(person["role"]):
                    continue
                table.append({t("respondent"): person["respondent"],
                              t("role"): q.role_by_id[person["role"]].name[L],
                              t("answer"): _answer_text(q, decode(int(person[indicator.id]))),
                              t("comment_evidence"): " ".join(said.get(str(person["respondent"]), []))})
            if table:
                st.table(pd.DataFrame(table).set_index(t("respondent")))


def _answer_text(q, answer) -> str:
    return t("no_answer") if answer is None else ui.level_label(q, answer)


def followup_change(report) -> None:
    """Change that means something (service/followup.py): the verdict from the 90 % interval of the difference,
    how many indicators were comparable, whether the panel changed, the reasons people gave for changed answers
    and last round's actions on the dimension with their review. Nothing in a region's first round."""
    from app.context import KEY
    from app.memo import remembered
    from service.followup import followup_change as build

    ctx = st.session_state.get(KEY)
    if ctx is None or ctx.who is None:
        return
    L = lang()
    q = report.q
    try:
        change = remembered(ctx.db, ctx.who, "followup_change", (report.region.code, report.round),
                            lambda: build(ctx.db, ctx.who, report.region.code, report.round))
    except (LookupError, PermissionError):  # store.NotFound, store.Forbidden: the page stands without it
        return
    if change is None:
        return
    st.markdown(f"**{t('fu_change_heading_results', round=ui.literal(change.previous_round))}**")
    st.caption(t("fu_comparable", comparable=change.comparable_indicators, total=change.indicators,
                 previous=change.previous_ref, current=change.ref))

    def panel(counts: dict) -> str:
        return ", ".join(f"{q.role_by_id[r].name[L] if r in q.role_by_id else r} {n}" for r, n in counts.items()) or "0"

    if change.panel_changed:
        st.warning(t("fu_panel_changed", before=panel(change.panel_before), now=panel(change.panel_now)),
                   icon=":material/groups:")
    else:
        st.caption(t("fu_panel_same", now=panel(change.panel_now)))

    def figure(value, interval) -> str:
        if value is None:
            return "–"
        shown = fmt.decimal(value, L, 2)
        return f"{shown} ({fmt.decimal(interval[0], L, 2)}–{fmt.decimal(interval[1], L, 2)})" if interval else shown

    st.table(pd.DataFrame([{
        t("fu_col_dimension"): f"{row.dimension} {q.dimension_by_id[row.dimension].title[L]}",
        t("fu_col_before"): figure(row.previous, row.previous_interval),
        t("fu_col_now"): figure(row.score, row.interval),
        t("fu_col_change"): figure(row.change, row.change_interval),
        t("fu_col_verdict"): t(f"fu_verdict_{row.verdict}"),
    } for row in change.dimensions]).set_index(t("fu_col_dimension")))
    for row in change.dimensions:
        if not row.reasons and not row.actions:
            continue
        with st.expander(f"{row.dimension} {q.dimension_by_id[row.dimension].title[L]} · {t(f'fu_verdict_{row.verdict}')}"):
            if row.reasons:
                st.markdown(f"**{t('fu_reasons')}**")
                st.markdown("\n".join(f"- {ui.literal(r.indicator)} ({ui.literal(_answer_text(q, r.previous_value))} → "
                                       f"{ui.literal(_answer_text(q, r.value))}): {ui.literal(r.reason)}"
                                       for r in row.reasons))
            if row.actions:
                st.markdown(f"**{t('fu_actions')}**")
                st.markdown("\n".join(
                    "- " + ui.literal(t("fu_action_line", action=item.action,
                                        status=t(f"fu_status_{review.status}") if review else t("fu_status_none"),
                                        outcome=f": {review.outcome}" if review and review.outcome else ""))
                    for item, review in row.actions))
