"""Renderers: plain data in, bytes or text out — the CLI, the app and the tests use the same code.

model (what a report shows) → html (+ templates/, charts, svg, tables, describe) and pdf; planbook (the
action-plan workbook and its round trip), offline (the Excel questionnaire), opendata (national workbook, CSV);
uploads and problems guard every workbook read back; xlsx and formatting write cells and numbers safely.
Nothing here imports streamlit, the app or the store (docs/reports.md).
"""
