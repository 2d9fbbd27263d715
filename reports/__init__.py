"""Renderers: HTML (Jinja2 templates), Excel (openpyxl), charts (Altair)."""
