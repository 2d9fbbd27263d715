"""Download buttons for the export page. Every file is built on click, from what the store releases to
the signed-in identity, with the same renderers the command line uses."""

from __future__ import annotations

import streamlit as st

import store
from app import data
from app.i18n import t
from reports import pdf
from reports.html import render_national_html, render_region_html

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _region_report(db, who, q, region, round_label):
    try:
        found = store.get_assessment(db, who, region, round_label)
        items = store.plan_items(db, who, found.id)
    except (store.NotFound, store.Forbidden):
        items = None
    return data.region_report_for(db, who, q, region, round_label, items=items)


def region_downloads(db, who, q, region: str, chosen, lang: str) -> None:
    stem = f"mognad-{region}-{chosen.label}-{lang}"
    try:
        assessment = store.get_assessment(db, who, region, chosen.label)
    except (store.NotFound, store.Forbidden):
        st.write(t("no_results_visible"))
        return
    if data.region_scores(db, who, q, region, chosen.label) is None:
        st.write(t("no_results_visible"))
    else:
        st.download_button(t("download_region_html"), key="download_region_html", on_click="ignore", mime="text/html",
                           file_name=f"{stem}.html",
                           data=lambda: render_region_html(_region_report(db, who, q, region, chosen.label), lang))
        if pdf.available():
            st.download_button(t("download_region_pdf"), key="download_region_pdf", on_click="ignore",
                               mime="application/pdf", file_name=f"{stem}.pdf",
                               data=lambda: pdf.html_to_pdf(render_region_html(
                                   _region_report(db, who, q, region, chosen.label), lang)))
        else:
            st.write(t("pdf_unavailable"))
        st.download_button(t("download_plan_xlsx"), key="download_region_xlsx", on_click="ignore", mime=XLSX,
                           file_name=f"handlingsplan-{region}-{chosen.label}.xlsx",
                           data=lambda: data.plan_workbook_bytes(db, who, q, assessment, lang))
    if chosen.open and (who.leads(region) or who.is_admin):
        from reports.offline import answers_template

        st.download_button(t("download_template"), key="download_template", on_click="ignore", mime=XLSX,
                           file_name=f"svarsformular-{region}-{chosen.label}.xlsx", help=t("template_help"),
                           data=lambda: answers_template(q, region, chosen.label, lang))


def national_downloads(db, who, q, chosen, lang: str) -> None:
    from reports.model import national_report
    from reports.opendata import national_workbook, open_data, open_data_workbook, to_csv

    scores, roster, _ = data.comparison(db, who, q)
    if chosen.label not in set(scores.overall.index.get_level_values("round")):
        st.write(t("no_submitted", round=chosen.label))
        return
    named = who.is_national or chosen.published
    rounds = data.round_order(db, who)
    stem = f"mognad-nationell-{chosen.label}-{lang}"

    def national():  # built on click, from the comparison data this page has already read
        return national_report(scores, q, chosen.label, roster=roster, rounds=rounds, named=named)

    def opened():
        return open_data(scores, q, lang, roster=roster, rounds=rounds, named=named)

    st.download_button(t("download_national_html"), key="download_national_html", on_click="ignore",
                       mime="text/html", file_name=f"{stem}.html", data=lambda: render_national_html(national(), lang))
    st.download_button(t("download_national_xlsx"), key="download_national_xlsx", on_click="ignore", mime=XLSX,
                       file_name=f"{stem}.xlsx", data=lambda: national_workbook(national(), lang))

    st.download_button(t("download_open_csv"), key="download_open_csv", on_click="ignore", mime="text/csv",
                       file_name=f"mognad-oppna-data-dimensioner-{lang}.csv",
                       data=lambda: to_csv(opened().tables["dimensions"], lang), help=t("open_data_help"))
    st.download_button(t("download_open_xlsx"), key="download_open_xlsx", on_click="ignore", mime=XLSX,
                       file_name=f"mognad-oppna-data-{lang}.xlsx", data=lambda: open_data_workbook(opened(), lang))
