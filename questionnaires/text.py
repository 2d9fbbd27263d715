"""Bilingual text and message catalogues.

Swedish is the source language; English sits beside it. Messages are catalogued by code so that every layer
can report a problem in the user's language without knowing how it is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

LANGUAGES: tuple[str, ...] = ("sv", "en")
DEFAULT_LANGUAGE = "sv"


def normalise_language(lang: str | None) -> str:
    """'sv_SE.UTF-8', 'en-GB', None … → 'sv' or 'en' (Swedish when unsure)."""
    code = (lang or "").strip().lower()[:2]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


@dataclass(frozen=True, slots=True)
class Text:
    sv: str
    en: str

    def __getitem__(self, lang: str) -> str:
        return self.en if normalise_language(lang) == "en" else self.sv

    def as_dict(self) -> dict[str, str]:
        return {"sv": self.sv, "en": self.en}


class Catalogue:
    """Message templates by code, in every language. `str.format` placeholders.

    `base` is a catalogue to fall back to (the glossary of domain words): a code missing here is looked up
    there, and a code defined in both is a programming error — each word lives in one place.
    """

    def __init__(self, messages: Mapping[str, Mapping[str, str]], *, base: Catalogue | None = None):
        for code, texts in messages.items():
            missing = set(LANGUAGES) - set(texts)
            if missing:  # a programming error, caught by the test suite on import
                raise ValueError(f"message {code!r} lacks {sorted(missing)}")
            if base is not None and code in base:
                raise ValueError(f"message {code!r} is a glossary word: take it from the glossary")
        self._messages = dict(messages)
        self._base = base

    def __contains__(self, code: str) -> bool:
        return code in self._messages or (self._base is not None and code in self._base)

    def codes(self) -> set[str]:
        return set(self._messages) | (self._base.codes() if self._base is not None else set())

    def render(self, code: str, lang: str, **params: object) -> str:
        if code not in self._messages and self._base is not None:
            return self._base.render(code, lang, **params)
        template = self._messages[code][normalise_language(lang)]
        return template.format(**params)
