"""HTML report → PDF with WeasyPrint, the optional extra `mognad[pdf]`; the HTML is always the fallback.

The fetcher refuses every URL: a report is self-contained, so any fetch would be a mistake or an attack
(a file:// or http:// reference smuggled into the page).
"""

from __future__ import annotations

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


def document(html: str):
    """The laid-out WeasyPrint document (pages, boxes) — for the PDF and for checking its text."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError):
        raise PdfUnavailable("missing") from None
    try:
        return HTML(string=html, base_url=None, url_fetcher=_fetcher()).render()
    except Exception as exc:  # layout errors surface as many types; the caller needs one clear message
        raise PdfUnavailable("failed", reason=f"{type(exc).__name__}: {str(exc)[:120]}") from None


def html_to_pdf(html: str) -> bytes:
    """A4 PDF bytes of a report; PdfUnavailable (with a message in sv/en) when WeasyPrint is missing or fails."""
    return document(html).write_pdf()


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
