"""Numbers and dates the way each language writes them (Babel): '2,5' and '63,9 %' in Swedish."""

from __future__ import annotations

import datetime as dt
import math

from babel.numbers import format_decimal

from questionnaires.text import normalise_language

LOCALES = {"sv": "sv_SE", "en": "en_GB"}
DASH = "–"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def decimal(value: float | None, lang: str = "sv", digits: int = 1) -> str:
    """A score such as 2,3 (sv) or 2.3 (en); a dash when there is no number."""
    if _missing(value):
        return DASH
    pattern = "0." + "0" * digits if digits else "0"
    return format_decimal(value, pattern, locale=LOCALES[normalise_language(lang)])


def number(value: float | None, lang: str = "sv") -> str:
    """A plain number with as many decimals as it has (up to three): 1,5 (sv), 1.5 (en), 2."""
    if _missing(value):
        return DASH
    return format_decimal(value, "0.###", locale=LOCALES[normalise_language(lang)])


def percent(value: float | None, lang: str = "sv", digits: int = 0) -> str:
    """`value` is already in percent (63.9 → '64 %' in sv, '64%' in en)."""
    if _missing(value):
        return DASH
    number = decimal(value, lang, digits)
    return f"{number}\u00a0%" if normalise_language(lang) == "sv" else f"{number}%"


def share(value: float | None, lang: str = "sv", digits: int = 0) -> str:
    """A share 0..1 shown as percent."""
    return DASH if _missing(value) else percent(float(value) * 100.0, lang, digits)


def integer(value: int | None, lang: str = "sv") -> str:
    if _missing(value):
        return DASH
    return format_decimal(int(value), "#,##0", locale=LOCALES[normalise_language(lang)])


def iso_date(value: dt.date | dt.datetime | None) -> str:
    """ISO 8601 dates everywhere (2026-11-23), whatever the language."""
    if value is None:
        return DASH
    return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
