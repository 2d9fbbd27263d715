"""The two small scripts the app runs in the browser (st.html with JavaScript; both our own text, no user input).

`cookie_bridge`: right after a sign-in, the tab posts its one-time handoff to `POST /auth/session` (app/web.py),
whose answer sets the HttpOnly session cookie — Streamlit's websocket cannot set cookies, and page JavaScript
never sees the cookie itself. After a sign-out it posts to `POST /auth/logout`, which deletes the cookie.

`typing_guard`: a comment is saved while the person types. Streamlit commits a text area only on Ctrl+Enter or
when the field loses focus; 1.2 s after the last key press the guard sends that same Ctrl+Enter to the field, so
the page's own on_change saves it (store.save_answer) without leaving the field. If the page is left within that
second, the browser asks first ("Leave site?") and the text is committed on the way. It also replaces Streamlit's
English "Press Ctrl+Enter to apply" with our own words.
"""

from __future__ import annotations

import json
import time

import streamlit as st

from app import session
from app.i18n import t

SAVE_AFTER_MS = 1200


def cookie_bridge() -> None:
    """Drawn on every run for a short while after a sign-in (or out): a run that ends in a rerun or a page switch
    discards what it drew, so the script is drawn until it has surely run. The same body again does not run again
    (the element stays), and a second post would change nothing: a handoff is claimed once, a cookie deleted once."""
    now = time.time()
    handoff = st.session_state.get(session.HANDOFF_KEY)
    clear = st.session_state.get(session.CLEAR_KEY)
    if handoff and handoff[1] < now:
        st.session_state.pop(session.HANDOFF_KEY, None)
        handoff = None
    if clear and clear < now:
        st.session_state.pop(session.CLEAR_KEY, None)
        clear = None
    if handoff:
        url, body = "/auth/session", f"handoff={handoff[0]}"
    elif clear:
        url, body = "/auth/logout", ""
    else:
        return
    st.html(_BRIDGE.replace("URL", json.dumps(url)).replace("BODY", json.dumps(body)),
            unsafe_allow_javascript=True, width="content")


# The page records the outcome on <html data-mognad-session="set|refused|failed"> (the browser tests wait for it).
_BRIDGE = ("<script>fetch(URL,{method:'POST',credentials:'same-origin',cache:'no-store',"
           "headers:{'Content-Type':'application/x-www-form-urlencoded'},body:BODY})"
           ".then(r=>{document.documentElement.dataset.mognadSession=r.ok?'set':'refused'})"
           ".catch(()=>{document.documentElement.dataset.mognadSession='failed'});</script>")


_GUARD = """<script>
window.__mognadHints = %(hints)s;
(() => {
  if (window.__mognadGuard) return;
  window.__mognadGuard = true;
  const pending = new Map();
  // a text area outside a form (in a form, Ctrl+Enter would submit the form)
  const isComment = (el) => el instanceof HTMLTextAreaElement && !!el.closest('[data-testid="stTextArea"]')
    && !el.closest('[data-testid="stForm"]');
  const commit = (el) => el.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', code: 'Enter', keyCode: 13,
    which: 13, ctrlKey: true, bubbles: true, cancelable: true}));
  const settle = (el) => { clearTimeout(pending.get(el)); pending.delete(el); };
  document.addEventListener('input', (event) => {
    const el = event.target;
    if (!isComment(el)) return;
    clearTimeout(pending.get(el));
    pending.set(el, setTimeout(() => { pending.delete(el); commit(el); }, %(wait)d));
  }, true);
  document.addEventListener('focusout', (event) => { if (pending.has(event.target)) settle(event.target); }, true);
  window.addEventListener('beforeunload', (event) => {
    if (!pending.size) return;
    for (const el of Array.from(pending.keys())) { settle(el); commit(el); }
    event.preventDefault();
    event.returnValue = '';
  });
  const swap = () => {
    const hints = window.__mognadHints;
    for (const span of document.querySelectorAll('[data-testid="InputInstructions"] > span')) {
      const said = span.textContent;
      if (/^Press (Ctrl|\u2318)\\+Enter to apply$/.test(said)) span.textContent = hints.area;
      else if (said === 'Press Enter to apply') span.textContent = hints.input;
      else if (said === 'Press Enter to submit form' || /^Press (Ctrl|\u2318)\\+Enter to submit form$/.test(said)) span.textContent = hints.form;
    }
  };
  new MutationObserver(swap).observe(document.body, {childList: true, subtree: true, characterData: true});
  swap();
})();
</script>"""


def typing_guard() -> None:
    hints = {"area": t("hint_saves_itself"), "input": t("hint_enter_applies"), "form": t("hint_enter_submits")}
    st.html(_GUARD % {"hints": json.dumps(hints, ensure_ascii=False), "wait": SAVE_AFTER_MS},
            unsafe_allow_javascript=True, width="content")
