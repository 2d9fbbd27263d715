"""The input rule for free text: one place that decides what text people may store.

Two kinds of text, two rules:

*Multi-line free text* — answer comments and the action-plan fields (action, owner, resources, success
indicator, and the text values of fields another tool added to a plan row). Call `multiline(text)` first,
then `multiline_problems(normalised, field, limit)`:

- line breaks are normalised to LF: CRLF and CR, and the separators that arrive when text is pasted from
  PowerPoint, Word or PDF readers — U+000B (vertical tab), U+000C (form feed), U+0085 (next line), U+2028
  (line separator), U+2029 (paragraph separator);
- TAB and LF are kept;
- every other control character is refused: the rest of C0 (U+0000–U+001F, NUL included), DEL (U+007F) and
  C1 (U+0080–U+009F), and the two non-characters U+FFFE and U+FFFF that XML 1.0 (and so Excel) refuses;
- a surrogate code point (U+D800–U+DFFF) is refused: in a Python string it is always broken text (half of an
  emoji cut in two, or a JSON `\\ud83d` escape on its own) and cannot be stored as UTF-8;
- the length is counted on the normalised text.

*Single-line text* — person names, e-mail addresses, round labels, organisations, respondent names and ids,
action-library references. `single_line_problems(text, field, limit)` refuses every control character,
including TAB, LF, CR and U+2028/U+2029, and surrogates and U+FFFE/U+FFFF. Nothing is normalised (callers
trim surrounding spaces as before).

The first refused character of a field is reported, by its code point and its position (counted from 1),
with the field's name in the reader's language; one problem per field, each one line. Text is not otherwise
rewritten: no Unicode normalisation, no HTML escaping (that is the renderer's job).

E-mail addresses follow a deliberately conservative pattern (`is_email`): `local@domain.tld` where the local
part has ASCII letters, digits and `. _ % + -` (no dot first, last or twice in a row), the domain has labels of
letters, digits and inner hyphens, and the top-level domain has at least two letters. At most 254 characters.
That refuses quoted local parts, IP-address domains and non-ASCII addresses that the standards allow, and
refuses Markdown or HTML dressed up as an address (`![t](http://host/track.png)@x.se`).

`sanitise_for_export(text)` is the second line of defence for text that was stored before this rule existed:
it drops what XML 1.0 and openpyxl refuse (C0 controls other than TAB, LF and CR; U+FFFE, U+FFFF) and replaces
a lone surrogate with U+FFFD (a proper surrogate pair is joined into its character). It never refuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from questionnaires.text import Catalogue, Text

MAX_EMAIL = 254

# Line breaks that become LF in multi-line text ("\r\n" is handled first so it becomes one LF, not two).
LINE_BREAKS = ("\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029")
_LINE_BREAK_TABLE = {ord(ch): "\n" for ch in LINE_BREAKS}
_SINGLE_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")

# Characters refused in multi-line text once its line breaks are normalised: C0 except TAB and LF, DEL, C1,
# the non-characters XML refuses, and surrogates (reported separately as broken text).
_MULTILINE_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_SINGLE_LINE_REFUSED = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff\ud800-\udfff]")

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

# What XML 1.0 (and openpyxl's ILLEGAL_CHARACTERS_RE) refuses, for export.
_XML_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

EMAIL_PATTERN = re.compile(
    r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*"  # local part: no leading, trailing or doubled dot
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+"  # domain labels: no leading or trailing hyphen
    r"[A-Za-z]{2,63}"  # top-level domain
)

# The templates by code; the store adds them to its own catalogue so that its problems can carry them.
TEMPLATES: dict[str, dict[str, str]] = {
    "control_char": {"sv": "{field} innehåller ett osynligt styrtecken som inte är tillåtet ({char}, tecken nummer "
                           "{position}); ta bort det och försök igen",
                     "en": "{field} contains an invisible control character that is not allowed ({char}, character "
                           "number {position}); remove it and try again"},
    "line_break": {"sv": "{field} får inte innehålla radbrytningar ({char}, tecken nummer {position})",
                   "en": "{field} may not contain line breaks ({char}, character number {position})"},
    "broken_char": {"sv": "{field} innehåller ett trasigt tecken ({char}, tecken nummer {position}), ofta en halv "
                          "emoji; skriv in texten igen",
                    "en": "{field} contains a broken character ({char}, character number {position}), often half an "
                          "emoji; type the text again"},
    "too_long": {"sv": "{field} har för många tecken ({length}, högst {limit})",
                 "en": "{field} has too many characters ({length}, at most {limit})"},
    "not_text": {"sv": "{field} ska vara text", "en": "{field} must be text"},
}
MESSAGES = Catalogue(TEMPLATES)


@dataclass(frozen=True)
class TextProblem:
    """Something wrong with one field's text. `message(lang)` is one line naming the field."""

    code: str
    field: Text
    params: dict = dataclass_field(default_factory=dict, hash=False, compare=False)

    def message(self, lang: str = "sv") -> str:
        return MESSAGES.render(self.code, lang, field=self.field[lang], **self.params)

    def render(self, lang: str = "sv") -> str:
        return self.message(lang)


def multiline(text: str) -> str:
    """Multi-line text with every kind of line break as LF (anything else is left as it is)."""
    if not isinstance(text, str):
        return text
    return text.replace("\r\n", "\n").translate(_LINE_BREAK_TABLE)


def multiline_problems(text: object, field: Text, limit: int | None = None) -> list[TextProblem]:
    """What is wrong with *normalised* multi-line text (see `multiline`): at most one problem."""
    if not isinstance(text, str):
        return [TextProblem("not_text", field)]
    found = _MULTILINE_REFUSED.search(text)
    if found is not None:
        return [_refused(found, field, line_breaks=False)]
    return _length(text, field, limit)


def single_line_problems(text: object, field: Text, limit: int | None = None) -> list[TextProblem]:
    """What is wrong with single-line text: at most one problem."""
    if not isinstance(text, str):
        return [TextProblem("not_text", field)]
    found = _SINGLE_LINE_REFUSED.search(text)
    if found is not None:
        return [_refused(found, field, line_breaks=True)]
    return _length(text, field, limit)


def storable(text: object) -> bool:
    """False for text no database can hold or search for alike: a NUL (PostgreSQL refuses it, SQLite keeps it)
    or a surrogate (not UTF-8 at all). Lookups treat such a key as unknown, on either backend."""
    return isinstance(text, str) and _UNSTORABLE.search(text) is None


def is_email(address: object) -> bool:
    """True for an address of the conservative form described above (case does not matter)."""
    return isinstance(address, str) and len(address) <= MAX_EMAIL and EMAIL_PATTERN.fullmatch(address) is not None


def sanitise_for_export(text: object) -> str:
    """Text safe to write into XML (xlsx, docx) even if it was stored before the input rule: never refuses."""
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        # Pairs become their character; a lone half becomes U+FFFD.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return _XML_REFUSED.sub("", text)


def shown(value: object, limit: int = 60) -> str:
    """A value quoted back in a message: one line, control characters as U+XXXX, at most `limit` characters."""
    text = value if isinstance(value, str) else repr(value)
    text = _SINGLE_LINE_REFUSED.sub(lambda m: f"U+{ord(m.group()):04X}", text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _refused(found: re.Match, field: Text, line_breaks: bool) -> TextProblem:
    ch = found.group()
    params = {"char": f"U+{ord(ch):04X}", "position": found.start() + 1}
    if "\ud800" <= ch <= "\udfff":
        return TextProblem("broken_char", field, params)
    if line_breaks and ch in _SINGLE_LINE_BREAKS:
        return TextProblem("line_break", field, params)
    return TextProblem("control_char", field, params)


def _length(text: str, field: Text, limit: int | None) -> list[TextProblem]:
    if limit is not None and len(text) > limit:
        return [TextProblem("too_long", field, {"length": len(text), "limit": limit})]
    return []
