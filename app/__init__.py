"""The Streamlit app: the only code that imports streamlit. views/<page>.py are page scripts, parts/<page>.py
their sections and callbacks, widgets.py the shared widgets; see docs/architecture.md."""
