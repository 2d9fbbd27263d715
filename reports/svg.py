"""Altair chart → static SVG (for HTML/PDF) or PNG (for Excel) through vl-convert: offline, no browser.

`allowed_base_urls=[]` forbids every fetch, so a chart spec can never reach the network or the file
system. Axis numbers follow the report's language (decimal comma in Swedish).
"""

from __future__ import annotations

import re
from html import escape

import altair as alt
import vl_convert as vlc

from questionnaires.text import normalise_language

FORMAT_LOCALES = {"sv": "sv-SE", "en": "en-GB"}
_VL_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
_ID = re.compile(r'\bid="([^"]+)"')
# Vega labels its mark containers (role="graphics-object" …) even with aria switched off; inside one
# role="img" those would be images without names. The whole chart is one image, described beside it.
_INNER_ARIA = re.compile(r'\s(?:role|aria-roledescription|aria-label|aria-description)="[^"]*"')


def _spec(chart: alt.TopLevelMixin) -> dict:
    # Altair's schema validation costs ~0.1 s per chart; our charts are built by tested code, not users.
    return chart.to_dict(validate=False)


def _options(lang: str) -> dict:
    options = {"allowed_base_urls": [], "format_locale": FORMAT_LOCALES[normalise_language(lang)]}
    if _VL_VERSION in vlc.get_vegalite_versions():
        options["vl_version"] = _VL_VERSION
    return options


def to_svg(chart: alt.TopLevelMixin, lang: str = "sv", *, label: str = "", ident: str = "chart",
           described_by: str | None = None) -> str:
    """Inline-ready SVG markup: one accessible image (role="img", named by `label`), ids made unique.

    Several charts in one HTML page must not share ids (Vega numbers its clip paths from 1 in every
    chart), so every id and reference is prefixed with `ident`.
    """
    svg = vlc.vegalite_to_svg(_spec(chart), **_options(lang))
    svg = _namespace(_INNER_ARIA.sub("", svg), ident)
    attributes = {"role": "img", "aria-label": label, "focusable": "false", "class": "chart-svg"}
    if described_by:
        attributes["aria-describedby"] = described_by
    return _with_attributes(svg, attributes)


def _with_attributes(svg: str, attributes: dict[str, str]) -> str:
    """Set attributes on the root <svg> element; a class is added to the one Vega gives, never duplicated."""
    start = svg.index("<svg")
    end = svg.index(">", start)
    tag = svg[start:end]
    for name, value in attributes.items():
        existing = re.search(rf'\s{re.escape(name)}="([^"]*)"', tag)
        if existing and name == "class":
            value = f"{existing.group(1)} {value}".strip()
        if existing:
            tag = tag[:existing.start()] + tag[existing.end():]
        tag += f' {name}="{escape(value, quote=True)}"'
    return svg[:start] + tag + svg[end:]


def to_png(chart: alt.TopLevelMixin, lang: str = "sv", scale: float = 2.0) -> bytes:
    return vlc.vegalite_to_png(_spec(chart), scale=scale, **_options(lang))


def _namespace(svg: str, prefix: str) -> str:
    ids = set(_ID.findall(svg))
    if not ids:
        return svg
    for old in sorted(ids, key=len, reverse=True):
        new = f"{prefix}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"url(#{old})", f"url(#{new})")
        svg = svg.replace(f'href="#{old}"', f'href="#{new}"')
    return svg
