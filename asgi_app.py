"""The web server: Streamlit's own server (st.App, Starlette) running streamlit_app.py, plus mognad's routes for
the session cookie, invitation links and password-reset links (app/web.py).

`mognad serve` runs `streamlit run asgi_app.py`; Streamlit finds `app` below and serves it with uvicorn. The page
script itself stays streamlit_app.py (AppTest runs that file directly, without these routes).
"""

import streamlit as st

from app import web

app = st.App("streamlit_app.py", routes=web.routes())
