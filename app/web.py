"""The app's own HTTP routes beside Streamlit's (served together by st.App, see asgi_app.py).

Streamlit talks to the browser over a websocket, which cannot set a cookie; these routes answer plain HTTP
requests and so can:

- `POST /auth/session` — a tab that has just signed in trades its one-time handoff for the session cookie
  (store/sessions.py). The cookie secret only ever travels in this response's `Set-Cookie`.
- `POST /auth/logout` — ends the session the cookie names and deletes the cookie.
- `GET /inbjudan/<secret>` — an invitation's landing page. It only reads: mail scanners (Microsoft Safe Links
  and others) fetch every link, and a fetch must not use up or change anything.
- `POST /inbjudan/<secret>` — "Börja": the partner's account and session; a redirect to the welcome page.
- `GET|POST /losenord/<secret>` — a reset link's page and the new password.
- `GET|POST /delta` — joining a workshop with its room code (the QR code points at `/delta?kod=…`): the
  stakeholder group and an optional name, then a seat whose secret goes into the `mognad_deltagare` cookie and
  a redirect to the phone's page `/rosta`. A plain page, so that a phone on a weak network joins at once.

The cookie: `mognad_session`, HttpOnly, SameSite=Lax, Path=/, Secure when the request came over https (or
`MOGNAD_SECURE_COOKIES=1`), no Max-Age (closing the browser ends it; the store ends it anyway after
`MOGNAD_SESSION_MINUTES` idle or `MOGNAD_SESSION_MAX_HOURS`).

CSRF: every POST must come from the app's own origin (`Origin`, else `Referer`, compared with the host the
request was sent to); the two forms also carry a token that must equal an HttpOnly, SameSite=Strict cookie set
by their GET (double submit). SameSite=Lax on the session cookie keeps it off cross-site POSTs as well.
"""

from __future__ import annotations

import contextlib
import hmac
import html
import os
import threading
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

import store
from app.texts import UI
from questionnaires.regions import region_by_code
from questionnaires.text import DEFAULT_LANGUAGE, normalise_language
from store import invitations, passwords, sessions, tokens, workshops

COOKIE = "mognad_session"
SEAT_COOKIE = "mognad_deltagare"  # a workshop participant's seat (store/workshops.py); no account behind it
JOIN = "/delta"
VOTE = "/rosta"
CSRF_COOKIE = "mognad_form"
WELCOME = "/valkommen"
HEADERS = {
    "Cache-Control": "no-store",
    # the secret in the address never leaves for another site in a Referer ("no-referrer" would also make the
    # browser send `Origin: null` with the form's POST, and the origin check below needs the real one)
    "Referrer-Policy": "same-origin",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
                               "base-uri 'none'; frame-ancestors 'none'",
}

_db: store.Database | None = None
_db_lock = threading.Lock()


def database() -> store.Database:
    """One store per process for the routes (the Streamlit side keeps its own, st.cache_resource)."""
    global _db
    with _db_lock:
        if _db is None:
            _db = store.Database(os.environ.get("MOGNAD_DATABASE_URL") or None)
        return _db


def routes() -> list[Route]:
    return [
        Route("/auth/session", claim_session, methods=["POST"]),
        Route("/auth/logout", logout, methods=["POST"]),
        Route("/inbjudan/{secret}", invitation, methods=["GET", "POST"]),
        Route("/losenord/{secret}", password_reset, methods=["GET", "POST"]),
        Route("/delta", join_workshop, methods=["GET", "POST"]),
        Route("/datasets/dcat", dcat_catalogue, methods=["GET"]),
        Route("/datasets/dcat.ttl", dcat_catalogue, methods=["GET"]),
    ]


# -- the open-data catalogue ----------------------------------------------------------------------------------

async def dcat_catalogue(request: Request) -> Response:
    """The DCAT-AP-SE catalogue of every published round, at the stable path dataportal.se harvests
    (`MOGNAD_PUBLISHER_URL` + /datasets/dcat; Turtle at /datasets/dcat.ttl). Only published rounds'
    metadata — no scores — so no sign-in; 404 while nothing is published, 503 while the publisher settings
    (MOGNAD_PUBLISHER_*) are missing."""
    turtle = request.url.path.endswith(".ttl")
    found = await run_in_threadpool(_catalogue, turtle)
    if isinstance(found, int):
        return Response(status_code=found, headers={"Cache-Control": "no-store"})
    media = "text/turtle; charset=utf-8" if turtle else "application/rdf+xml; charset=utf-8"
    return Response(found, media_type=media, headers={"Cache-Control": "max-age=3600"})


def _catalogue(turtle: bool) -> bytes | int:
    from reports.dcat import CATALOGUE_FILES
    from service.publication import NotConfigured, publication

    db = database()
    system = store.system_identity("dcat")
    published = [r for r in store.list_rounds(db, system) if r.published]
    if not published:
        return 404
    try:
        result = publication(db, system, published[-1].label, catalogue_only=True)
    except NotConfigured:
        return 503
    return result.files[CATALOGUE_FILES[1] if turtle else CATALOGUE_FILES[0]]


# -- the session cookie ----------------------------------------------------------------------------------------

async def claim_session(request: Request) -> Response:
    if not same_origin(request):
        return Response(status_code=403, headers=HEADERS)
    form = await request.form()
    cookie = await run_in_threadpool(sessions.claim_cookie, database(), str(form.get("handoff", "")))
    if cookie is None:
        return Response(status_code=403, headers=HEADERS)
    response = Response(status_code=204, headers=HEADERS)
    set_session_cookie(response, request, cookie)
    return response


async def logout(request: Request) -> Response:
    if not same_origin(request):
        return Response(status_code=403, headers=HEADERS)
    cookie = request.cookies.get(COOKIE)
    if cookie:
        await run_in_threadpool(sessions.end_cookie_session, database(), cookie)
    response = Response(status_code=204, headers=HEADERS)
    response.delete_cookie(COOKIE, path="/", secure=secure(request), httponly=True, samesite="lax")
    return response


def set_session_cookie(response: Response, request: Request, secret: str) -> None:
    response.set_cookie(COOKIE, secret, path="/", secure=secure(request), httponly=True, samesite="lax")


def secure(request: Request) -> bool:
    return request.url.scheme == "https" or os.environ.get("MOGNAD_SECURE_COOKIES") == "1"


def same_origin(request: Request) -> bool:
    """CSRF, first line: the POST comes from a page of this very host (Origin, or Referer when Origin is absent)."""
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if not claimed or claimed == "null":
        return False
    origin = urlsplit(claimed).netloc.lower()
    hosts = {request.headers.get("host", "").lower(), request.headers.get("x-forwarded-host", "").lower()}
    public = os.environ.get("MOGNAD_PUBLIC_URL", "").strip()
    if public:
        hosts.add(urlsplit(public).netloc.lower())
    return bool(origin) and origin in hosts - {""}


def _form_token(request: Request) -> str:
    return request.cookies.get(CSRF_COOKIE) or tokens.new_secret()


async def _form_ok(request: Request) -> tuple[bool, dict]:
    """CSRF for the two forms: same origin, and the form's token equals its cookie (compared in constant time)."""
    form = await request.form()
    sent, kept = str(form.get("form_token", "")), request.cookies.get(CSRF_COOKIE, "")
    ok = same_origin(request) and bool(kept) and hmac.compare_digest(sent.encode(), kept.encode())
    return ok, {key: str(value) for key, value in form.items()}


# -- invitation --------------------------------------------------------------------------------------------------

async def invitation(request: Request) -> Response:
    lang = language(request)
    secret = request.path_params["secret"]
    db = database()
    if request.method == "GET":  # reads only
        view = await run_in_threadpool(invitations.preview, db, secret)
        return _invitation_page(request, lang, view)
    ok, _ = await _form_ok(request)
    if not ok:
        return _page(lang, t("link_title", lang), f"<p>{t('form_expired', lang)}</p>", status=403)
    try:
        opened = await run_in_threadpool(lambda: invitations.accept(
            db, secret, user_agent=request.headers.get("user-agent"), client=_client(request)))
    except (store.NotFound, store.Forbidden) as refusal:
        view = await run_in_threadpool(invitations.preview, db, secret)
        return _invitation_page(request, lang, view, refusal=refusal.message(lang), status=410)
    response = RedirectResponse(f"{WELCOME}?lang={lang}", status_code=303, headers=HEADERS)
    set_session_cookie(response, request, opened.cookie)
    response.delete_cookie(CSRF_COOKIE, path=request.url.path)
    return response


def _invitation_page(request: Request, lang: str, view: invitations.LinkView, refusal: str | None = None,
                     status: int = 200) -> Response:
    e = html.escape
    if not view.usable:
        key = "link_has_account" if view.reason == "has_account" else "link_not_valid"
        body = f"<p>{e(refusal or t(key, lang))}</p><p><a href=\"/?lang={lang}\">{t('link_go_sign_in', lang)}</a></p>"
        return _page(lang, t("link_title", lang), body, status=status if refusal else 410)
    region = region_by_code().get(view.region)
    facts = {"inviter": e(view.invited_by_name or view.invited_by or ""), "email": e(view.invited_by or ""),
             "name": e(view.name or ""), "region": e(region.name if region else view.region or ""),
             "round": e(view.round or ""), "date": view.expires_at.astimezone(_LOCAL).strftime("%Y-%m-%d")}
    token = _form_token(request)
    body = (
        f"<p>{t('invite_landing_who', lang, **facts)}</p>"
        f"<p>{t('invite_landing_what', lang, **facts)}</p>"
        f"<p>{t('invite_landing_until', lang, **facts)}</p>"
        f"<p>{t('invite_landing_private', lang)}</p>"
        f"<form method=\"post\"><input type=\"hidden\" name=\"form_token\" value=\"{e(token)}\">"
        f"<button type=\"submit\">{t('invite_start', lang)}</button></form>"
    )
    response = _page(lang, t("invite_landing_title", lang), body, status=status)
    response.set_cookie(CSRF_COOKIE, token, path=request.url.path, secure=secure(request), httponly=True,
                        samesite="strict")
    return response


# -- joining a workshop ----------------------------------------------------------------------------------------

async def join_workshop(request: Request) -> Response:
    lang = language(request)
    db = database()
    if request.method == "GET":
        typed = request.query_params.get("kod", "")
        if not typed:
            return _join_page(request, lang)
        try:  # a look-up is counted like a join: asking is no cheaper a way to guess a code
            found = await run_in_threadpool(lambda: workshops.room(db, typed, client=_client(request)))
        except store.Invalid as refusal:
            return _join_page(request, lang, problem=refusal.problems[0].render(lang), typed=typed, status=400)
        return _join_page(request, lang, found)
    ok, form = await _form_ok(request)
    if not ok:
        return _page(lang, t("join_title", lang), f"<p>{t('form_expired', lang)}</p>", status=403)
    try:
        secret, _ = await run_in_threadpool(lambda: workshops.join(
            db, form.get("kod", ""), form.get("grupp", ""), form.get("namn", ""), client=_client(request)))
    except (store.Invalid, store.NotEditable) as refusal:
        problem = refusal.problems[0].render(lang) if isinstance(refusal, store.Invalid) else refusal.message(lang)
        found = None
        with contextlib.suppress(store.Invalid):
            found = await run_in_threadpool(lambda: workshops.room(db, form.get("kod", ""), client=_client(request)))
        return _join_page(request, lang, found, problem=problem, typed=form.get("kod", ""), status=400)
    response = RedirectResponse(f"{VOTE}?lang={lang}", status_code=303, headers=HEADERS)
    response.set_cookie(SEAT_COOKIE, secret, path="/", secure=secure(request), httponly=True, samesite="lax")
    response.delete_cookie(CSRF_COOKIE, path=request.url.path)
    return response


def _join_page(request: Request, lang: str, found: workshops.Room | None = None, problem: str | None = None,
               typed: str = "", status: int = 200) -> Response:
    e = html.escape
    alert = f"<p role=\"alert\" class=\"problem\">{e(t('join_problem', lang, problem=problem))}</p>" if problem else ""
    if found is None:  # step 1: the code (a GET form: it only reads)
        body = (
            f"<p>{t('join_intro', lang)}</p>{alert}"
            f"<form method=\"get\" action=\"{JOIN}\"><input type=\"hidden\" name=\"lang\" value=\"{lang}\">"
            f"<label for=\"kod\">{t('join_code', lang)}</label>"
            f"<input id=\"kod\" name=\"kod\" value=\"{e(typed)}\" autocomplete=\"off\" autocapitalize=\"characters\" "
            f"spellcheck=\"false\" inputmode=\"text\" maxlength=\"12\" required aria-describedby=\"kod-hint\">"
            f"<p id=\"kod-hint\" class=\"hint\">{t('join_code_hint', lang)}</p>"
            f"<button type=\"submit\">{t('join_next', lang)}</button></form>"
        )
        return _page(lang, t("join_title", lang), body, status=status)
    region = region_by_code().get(found.region)
    roles = database().questionnaire(found.questionnaire_ref).role_by_id
    token = _form_token(request)
    choices = "".join(
        f"<label class=\"choice\"><input type=\"radio\" name=\"grupp\" value=\"{e(group)}\" required> "
        f"{e(roles[group].name[lang] if group in roles else group)}</label>"
        for group in found.stakeholder_groups)
    body = (
        f"<p>{t('join_which', lang, title=e(found.title), region=e(region.name if region else found.region))}</p>"
        f"{alert}<form method=\"post\" action=\"{JOIN}?lang={lang}\">"
        f"<input type=\"hidden\" name=\"form_token\" value=\"{e(token)}\">"
        f"<input type=\"hidden\" name=\"kod\" value=\"{e(found.code)}\">"
        f"<fieldset><legend>{t('join_group', lang)}</legend>{choices}</fieldset>"
        f"<label for=\"namn\">{t('join_name', lang)}</label>"
        f"<input id=\"namn\" name=\"namn\" maxlength=\"{workshops.NAME_LIMIT}\" autocomplete=\"name\" "
        f"aria-describedby=\"namn-hint\"><p id=\"namn-hint\" class=\"hint\">{t('join_name_hint', lang)}</p>"
        f"<p class=\"hint\">{t('join_privacy', lang)}</p>"
        f"<button type=\"submit\">{t('join_button', lang)}</button></form>"
    )
    response = _page(lang, t("join_title", lang), body, status=status)
    response.set_cookie(CSRF_COOKIE, token, path=JOIN, secure=secure(request), httponly=True, samesite="strict")
    return response


# -- password reset ------------------------------------------------------------------------------------------------

async def password_reset(request: Request) -> Response:
    lang = language(request)
    secret = request.path_params["secret"]
    db = database()
    address = await run_in_threadpool(passwords.reset_address, db, secret)
    if request.method == "GET":  # reads only
        return _reset_page(request, lang, address)
    ok, form = await _form_ok(request)
    if not ok:
        return _page(lang, t("reset_title", lang), f"<p>{t('form_expired', lang)}</p>", status=403)
    if form.get("password", "") != form.get("repeat", ""):
        return _reset_page(request, lang, address, problem=t("passwords_differ", lang), status=400)
    try:
        opened = await run_in_threadpool(lambda: passwords.use_reset(
            db, secret, form.get("password", ""), user_agent=request.headers.get("user-agent"), client=_client(request)))
    except store.Invalid as problem:
        return _reset_page(request, lang, address, problem=problem.message(lang), status=400)
    except store.NotFound:
        return _reset_page(request, lang, None)
    response = RedirectResponse(f"/?lang={lang}", status_code=303, headers=HEADERS)
    set_session_cookie(response, request, opened.cookie)
    response.delete_cookie(CSRF_COOKIE, path=request.url.path)
    return response


def _reset_page(request: Request, lang: str, address: str | None, problem: str | None = None,
                status: int = 200) -> Response:
    e = html.escape
    if address is None:
        body = f"<p>{t('link_not_valid_reset', lang)}</p><p><a href=\"/?lang={lang}\">{t('link_go_sign_in', lang)}</a></p>"
        return _page(lang, t("reset_title", lang), body, status=410)
    token = _form_token(request)
    alert = f"<p role=\"alert\" class=\"problem\">{e(problem)}</p>" if problem else ""
    body = (
        f"<p>{t('reset_for', lang, email=e(address))}</p>{alert}"
        f"<form method=\"post\"><input type=\"hidden\" name=\"form_token\" value=\"{e(token)}\">"
        f"<input type=\"text\" name=\"username\" value=\"{e(address)}\" autocomplete=\"username\" hidden>"
        f"<label for=\"password\">{t('new_password', lang)}</label>"
        f"<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" required "
        f"minlength=\"10\" aria-describedby=\"rule\"><p id=\"rule\" class=\"hint\">{t('password_rule', lang)}</p>"
        f"<label for=\"repeat\">{t('repeat_password', lang)}</label>"
        f"<input id=\"repeat\" name=\"repeat\" type=\"password\" autocomplete=\"new-password\" required minlength=\"10\">"
        f"<button type=\"submit\">{t('save_password', lang)}</button></form>"
    )
    response = _page(lang, t("reset_title", lang), body, status=status)
    response.set_cookie(CSRF_COOKIE, token, path=request.url.path, secure=secure(request), httponly=True,
                        samesite="strict")
    return response


# -- plain pages ---------------------------------------------------------------------------------------------------

try:
    from zoneinfo import ZoneInfo

    _LOCAL = ZoneInfo("Europe/Stockholm")
except Exception:  # no tz database in a slim container
    import datetime as _dt

    _LOCAL = _dt.UTC

_STYLE = """
body{font-family:"Source Sans Pro",system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2430;background:#fff;line-height:1.5}
main{max-width:38rem;margin:3rem auto;padding:0 1.25rem}
h1{font-size:1.9rem;line-height:1.2;margin:0 0 1.25rem}
a{color:#1f5f8b}
label{display:block;font-weight:600;margin-top:1rem}
input[type=password],input:not([type]){display:block;width:100%;box-sizing:border-box;font-size:1rem;padding:.55rem;border:1px solid #6b7280;border-radius:.4rem}
fieldset{border:0;padding:0;margin:1rem 0 0}legend{font-weight:600}
.choice{display:flex;align-items:center;gap:.6rem;font-weight:400;margin:.4rem 0;padding:.7rem;border:1px solid #6b7280;border-radius:.4rem;min-height:2.75rem}
.choice input{width:1.4rem;height:1.4rem}
button{margin-top:1.25rem;font-size:1.05rem;padding:.6rem 1.4rem;border:0;border-radius:.4rem;background:#1f5f8b;color:#fff;cursor:pointer}
button:focus,input:focus,a:focus{outline:3px solid #f2a900;outline-offset:2px}
.hint{margin:.25rem 0 0;color:#374151}
.problem{color:#9b1c1c;font-weight:600}
nav{margin-top:2.5rem;font-size:.95rem}
"""


def _page(lang: str, title: str, body: str, status: int = 200) -> HTMLResponse:
    other = "en" if lang == "sv" else "sv"
    switch = {"sv": "Svenska", "en": "English"}[other]
    document = (
        f"<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">"
        f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{html.escape(title)} – mognad</title><style>{_STYLE}</style></head>"
        f"<body><main><h1>{html.escape(title)}</h1>{body}"
        f"<nav aria-label=\"{t('language', lang)}\"><a href=\"?lang={other}\" lang=\"{other}\" hreflang=\"{other}\">{switch}</a></nav>"
        f"</main></body></html>"
    )
    return HTMLResponse(document, status_code=status, headers=HEADERS)


def language(request: Request) -> str:
    wanted = request.query_params.get("lang")
    if wanted:
        return normalise_language(wanted)
    accepted = request.headers.get("accept-language", "").lower()
    return "en" if accepted.startswith("en") else DEFAULT_LANGUAGE


def t(key: str, lang: str, **params: object) -> str:
    return UI.render(key, lang, **params)


def _client(request: Request) -> str:
    return request.client.host if request.client else "-"
