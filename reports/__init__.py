"""Renderers: plain data in, bytes or text out — the CLI, the app and the tests use the same code.

model (what a report shows) → region_html and national_html (on html's shared environment, templates/, charts,
svg, tables, describe) and pdf; planbook writes the action-plan workbook and planbook_reader reads it back;
offline writes the Excel questionnaire and offline_reader reads it back; opendata (tables, CSV) and
national_workbook; uploads and problems guard every workbook read back; xlsx and formatting write cells and
numbers safely. Nothing here imports streamlit, the app or the store (docs/reports.md).
"""
