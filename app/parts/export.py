"""Download buttons for the export page. Every file is built on click, from what the store releases to
the signed-in identity, with the same renderers the command line uses."""

from __future__ import annotations

import streamlit as st

import store
from app.i18n import t
from app.memo import remembered
from reports import pdf
from service.reports import NoResults, national_report, plan_workbook_bytes, region_report, render_region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def region_downloads(db, who, q, region: str, chosen, lang: str) -> None:
    stem = f"mognad-{region}-{chosen.label}-{lang}"
    try:
        store.get_assessment(db, who, region, chosen.label)
        report = remembered(db, who, "region_report", (region, chosen.label, "size_group", lang),
                            lambda: region_report(db, who, region, chosen.label, lang=lang))
    except (store.NotFound, store.Forbidden, NoResults):
        report = None
    if report is None:
        st.write(t("no_results_visible"))
    else:  # one report read for all three files; each file is rendered on click
        st.download_button(t("download_region_html"), key="download_region_html", on_click="ignore", mime="text/html",
                           file_name=f"{stem}.html", data=lambda: render_region(report, "html", lang))
        if pdf.available():
            st.download_button(t("download_region_pdf"), key="download_region_pdf", on_click="ignore",
                               mime="application/pdf", file_name=f"{stem}.pdf",
                               data=lambda: render_region(report, "pdf", lang))
        else:
            st.write(t("pdf_unavailable"))
        st.download_button(t("download_plan_xlsx"), key="download_region_xlsx", on_click="ignore", mime=XLSX,
                           file_name=f"handlingsplan-{region}-{chosen.label}.xlsx",
                           data=lambda: plan_workbook_bytes(db, who, region, chosen.label, lang=lang, report=report))
    if chosen.open and store.may_manage(who, region):
        from reports.offline import answers_template

        st.download_button(t("download_template"), key="download_template", on_click="ignore", mime=XLSX,
                           file_name=f"svarsformular-{region}-{chosen.label}.xlsx", help=t("template_help"),
                           data=lambda: answers_template(q, region, chosen.label, lang))


def national_downloads(db, who, q, chosen, lang: str) -> None:
    from reports.national_html import render_national_html
    from reports.national_workbook import national_workbook
    from reports.opendata import open_data_workbook, to_csv
    from service.opendata import open_data_tables

    try:
        report = remembered(db, who, "national_report", (chosen.label, None, "size_group", None),
                            lambda: national_report(db, who, chosen.label, lang=lang))
    except NoResults:
        st.write(t("no_submitted", round=chosen.label))
        return
    stem = f"mognad-nationell-{chosen.label}-{lang}"

    def opened():  # built on click
        return open_data_tables(db, who, questionnaire=q.ref, lang=lang)

    st.download_button(t("download_national_html"), key="download_national_html", on_click="ignore",
                       mime="text/html", file_name=f"{stem}.html", data=lambda: render_national_html(report, lang))
    st.download_button(t("download_national_xlsx"), key="download_national_xlsx", on_click="ignore", mime=XLSX,
                       file_name=f"{stem}.xlsx", data=lambda: national_workbook(report, lang))

    st.download_button(t("download_open_csv"), key="download_open_csv", on_click="ignore", mime="text/csv",
                       file_name=f"mognad-oppna-data-dimensioner-{lang}.csv",
                       data=lambda: to_csv(opened().tables["dimensions"], lang), help=t("open_data_help"))
    st.download_button(t("download_open_xlsx"), key="download_open_xlsx", on_click="ignore", mime=XLSX,
                       file_name=f"mognad-oppna-data-{lang}.xlsx", data=lambda: open_data_workbook(opened(), lang))
