"""HTML report → PDF with WeasyPrint, the optional extra `mognad[pdf]`; the HTML is always the fallback.

The fetcher refuses every URL: a report is self-contained, so any fetch would be a mistake or an attack
(a file:// or http:// reference smuggled into the page).

One font configuration serves every PDF of the process (issue 15): WeasyPrint otherwise loads fontconfig
and starts a new Pango font map for each document, and every document then shapes its text with cold
caches. Our reports declare no @font-face, so the configuration holds the system's fonts only and one
report cannot change what the next one looks like. Pango's font map is not safe to use from two threads at
once (Streamlit runs each session in a thread of its own), so one lock covers laying out and writing; the
cost is small, as WeasyPrint holds the GIL for nearly all its work anyway.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from questionnaires.text import Catalogue

MESSAGES = Catalogue({
    "missing": {"sv": "PDF kräver WeasyPrint, som inte är installerat (pip install 'mognad[pdf]'); använd HTML-rapporten "
                      "och skriv ut den till PDF i webbläsaren",
                "en": "PDF needs WeasyPrint, which is not installed (pip install 'mognad[pdf]'); use the HTML report and "
                      "print it to PDF from the browser"},
    "failed": {"sv": "PDF kunde inte skapas ({reason}); använd HTML-rapporten", "en": "the PDF could not be made ({reason}); use the HTML report"},
})


class PdfUnavailable(Exception):
    def __init__(self, code: str, **params):
        super().__init__(MESSAGES.render(code, "en", **params))
        self.code, self.params = code, params

    def message(self, lang: str = "sv") -> str:
        return MESSAGES.render(self.code, lang, **self.params)


def available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: the Python package is there but Pango is not
        return False
    return True


def _refuse(url: str, *args, **kwargs):
    raise ValueError(f"reports are self-contained; refusing to fetch {url[:80]!r}")


def _fetcher():
    """WeasyPrint ≥ 66 wants a URLFetcher object; older versions a plain function."""
    from weasyprint import urls

    base = getattr(urls, "URLFetcher", None)
    if base is None:
        return _refuse

    class Refusing(base):
        def fetch(self, url, headers=None):
            _refuse(url)

    return Refusing(allowed_protocols=())


_LOCK = threading.RLock()  # held while a document is laid out and written: the font map is shared
_FONTS: list = []  # the process's one FontConfiguration, made on the first PDF


def _font_config():
    if not _FONTS:
        from weasyprint.text.fonts import FontConfiguration

        _FONTS.append(FontConfiguration())
    return _FONTS[0]


def _failed(exc: Exception) -> PdfUnavailable:
    return PdfUnavailable("failed", reason=f"{type(exc).__name__}: {str(exc)[:120]}")


def document(html: str):
    """The laid-out WeasyPrint document (pages, boxes) — for the PDF and for checking its text.

    Writing it (`write_pdf`) draws text with the shared fonts: outside html_to_pdf, do it in one thread."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError):
        raise PdfUnavailable("missing") from None
    try:
        with _LOCK:
            return HTML(string=html, base_url=None, url_fetcher=_fetcher()).render(font_config=_font_config())
    except Exception as exc:  # layout errors surface as many types; the caller needs one clear message
        raise _failed(exc) from None


# Finished PDFs by the SHA-256 of their HTML, the last KEEP of them (issue 15: "finished downloads cached").
# The HTML holds everything the PDF shows — region, round, language, the data as they are now, the day it was
# made — so a new answer, another language or another reader's view is other HTML and never meets these bytes;
# only someone who already holds the very same HTML gets them back.
KEEP = 16
_DONE: OrderedDict[bytes, bytes] = OrderedDict()


def html_to_pdf(html: str) -> bytes:
    """A4 PDF bytes of a report; PdfUnavailable (with a message in sv/en) when WeasyPrint is missing or fails.

    The same HTML again gets the bytes made the first time, without laying the document out anew."""
    if not available():  # said even when the bytes are remembered: the HTML is what works everywhere
        raise PdfUnavailable("missing")
    key = hashlib.sha256(html.encode("utf-8", "surrogatepass")).digest()
    with _LOCK:
        found = _DONE.get(key)
        if found is not None:
            _DONE.move_to_end(key)
            return found
        rendered = document(html)
        try:
            raw = rendered.write_pdf()
        except Exception as exc:  # as in document(): one clear message, never a half-written file
            raise _failed(exc) from None
        _DONE[key] = raw
        while len(_DONE) > KEEP:
            _DONE.popitem(last=False)
        return raw


def text_of(rendered) -> str:
    """All text laid out in a rendered document, page by page (what the PDF shows)."""
    parts: list[str] = []

    def walk(box) -> None:
        text = getattr(box, "text", None)
        if text:
            parts.append(text)
        for child in getattr(box, "children", None) or ():
            walk(child)

    for page in rendered.pages:
        walk(page._page_box)
    return " ".join(parts)
