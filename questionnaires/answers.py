"""The answers exchange format `mognad-answers/1` and `/2`: parse and validate it against a questionnaire.

`mognad-answers/2` adds a top-level `consensus`: per indicator the value a facilitated partnership workshop
agreed, with its rationale and evidence (method 2, docs/method.md). It is read only against a method-2
questionnaire; `/1` files still read against every questionnaire.

Every problem is collected (never just the first), each naming the respondent and the indicator, so a
regional lead can fix a file in one go. Nothing here raises for bad content except `AnswersError`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from questionnaires.model import DK, NA, Questionnaire
from questionnaires.text import Catalogue

FORMAT = "mognad-answers/1"
FORMAT_2 = "mognad-answers/2"  # adds `consensus`; method-2 questionnaires only
MAX_BYTES = 20 * 1024 * 1024
CONFIDENCE = ("low", "medium", "high")
RESPONDENT_KEYS = {"id", "token", "role", "name", "organisation", "answers", "comments", "confidence"}
# A respondent's token (optional): the offline form's stable identity. When present, the respondent is the one
# with this token and no other, whatever its id or name says; the store keys the respondent by it.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,40}")
TOP_KEYS = {"format", "questionnaire", "region", "round", "respondents", "note"}
TOP_KEYS_2 = TOP_KEYS | {"consensus"}
CONSENSUS_KEYS = {"value", "rationale", "evidence", "decided_at", "decided_by"}


# The answer codes of the dense answer sheet (scoring/sheet.py) and of stored answers: level answers keep
# their value 0..4; the special answers and a missing answer get reserved byte codes. One place for both.
NA_CODE = 253
DK_CODE = 254
MISSING = 255


def code(answer: int | str | None) -> int:
    """An answer (0..4, "na", "dk" or None) as its one-byte code."""
    if answer is None:
        return MISSING
    if answer == NA:
        return NA_CODE
    if answer == DK:
        return DK_CODE
    return int(answer)


def decode(value: int) -> int | str | None:
    """The answer behind a one-byte code."""
    if value == MISSING:
        return None
    if value == NA_CODE:
        return NA
    if value == DK_CODE:
        return DK
    return int(value)

MESSAGES = Catalogue({
    "too_large": {"sv": "filen är för stor ({size} byte, högst {limit})", "en": "the file is too large ({size} bytes, at most {limit})"},
    "not_utf8": {"sv": "filen är inte kodad i UTF-8", "en": "the file is not UTF-8 encoded"},
    "not_json": {"sv": "filen är inte giltig JSON (rad {line}, kolumn {column}: {reason})",
                 "en": "the file is not valid JSON (line {line}, column {column}: {reason})"},
    "not_object": {"sv": "filen ska innehålla ett JSON-objekt", "en": "the file must hold a JSON object"},
    "too_deep": {"sv": "filen är nästlad i för många nivåer (högst {limit})",
                 "en": "the file is nested too deeply (at most {limit} levels)"},
    "number_too_long": {"sv": "talet i fältet '{field}' har för många siffror ({digits}, högst {limit})",
                        "en": "the number in the field '{field}' has too many digits ({digits}, at most {limit})"},
    "bad_character": {"sv": "texten i fältet '{field}' innehåller ett ogiltigt tecken ({character}, ett ensamt "
                            "surrogattecken); skriv in texten på nytt",
                      "en": "the text in the field '{field}' holds an invalid character ({character}, a lone "
                            "surrogate); type the text again"},
    "duplicate_key_top": {"sv": "nyckeln '{key}' står flera gånger på översta nivån; det går inte att veta vilket "
                                "värde som gäller",
                          "en": "the key '{key}' occurs more than once at the top level; there is no telling which "
                                "value applies"},
    "duplicate_key": {"sv": "nyckeln '{key}' står flera gånger; det går inte att veta vilket värde som gäller",
                      "en": "the key '{key}' occurs more than once; there is no telling which value applies"},
    "duplicate_key_in": {"sv": "nyckeln '{key}' står flera gånger i fältet '{field}'; det går inte att veta vilket "
                               "värde som gäller",
                         "en": "the key '{key}' occurs more than once in the field '{field}'; there is no telling "
                               "which value applies"},
    "duplicate_indicator": {"sv": "indikatorn står flera gånger i fältet '{key}'; det går inte att veta vilket "
                                  "värde som gäller",
                            "en": "the indicator occurs more than once in the field '{key}'; there is no telling "
                                  "which value applies"},
    "unknown_key": {"sv": "okänt fält '{key}'", "en": "unknown field '{key}'"},
    "wrong_format": {"sv": "fältet format ska vara '{expected}' (är {value})", "en": "the field format must be '{expected}' (is {value})"},
    "missing": {"sv": "fältet '{key}' saknas", "en": "the field '{key}' is missing"},
    "not_text": {"sv": "fältet '{key}' ska vara text", "en": "the field '{key}' must be text"},
    "bad_questionnaire_ref": {"sv": "fältet questionnaire ska ha formen id@version (är {value})",
                              "en": "the field questionnaire must look like id@version (is {value})"},
    "unknown_questionnaire": {"sv": "okänt frågeformulär '{value}'", "en": "unknown questionnaire '{value}'"},
    "questionnaire_mismatch": {"sv": "svaren gäller '{value}' men frågeformuläret är '{expected}'",
                               "en": "the answers are for '{value}' but the questionnaire is '{expected}'"},
    "unknown_region": {"sv": "okänd regionkod '{value}' (tvåsiffrig länskod, t.ex. 01 eller 19)",
                       "en": "unknown region code '{value}' (two-digit county code, e.g. 01 or 19)"},
    "no_respondents": {"sv": "fältet respondents ska vara en lista med minst en respondent",
                       "en": "the field respondents must be a list with at least one respondent"},
    "respondent_not_object": {"sv": "respondenten ska vara ett JSON-objekt", "en": "the respondent must be a JSON object"},
    "respondent_id": {"sv": "respondenten saknar id (text)", "en": "the respondent lacks an id (text)"},
    "duplicate_respondent": {"sv": "respondent-id '{value}' förekommer mer än en gång", "en": "respondent id '{value}' occurs more than once"},
    "bad_token": {"sv": "fältet token ska vara 1–40 tecken: bokstäver a–z eller A–Z, siffror, - eller _",
                  "en": "the field token must be 1–40 characters: letters a–z or A–Z, digits, - or _"},
    "duplicate_token": {"sv": "token '{value}' förekommer hos mer än en respondent", "en": "the token '{value}' occurs for more than one respondent"},
    "token_elsewhere": {"sv": "svarsfilen hör till en annan region eller omgång (respondentens nyckel finns redan där); "
                              "ladda ner en ny mall för den här regionen och omgången",
                        "en": "the answers file belongs to another region or round (the respondent's key is already "
                              "there); download a new template for this region and round"},
    "unknown_role": {"sv": "okänd roll '{value}' (tillåtna: {allowed})", "en": "unknown role '{value}' (allowed: {allowed})"},
    "not_mapping": {"sv": "fältet '{key}' ska vara ett objekt med indikator-id som nycklar",
                    "en": "the field '{key}' must be an object keyed by indicator id"},
    "unknown_indicator": {"sv": "okänd indikator", "en": "unknown indicator"},
    "not_for_role": {"sv": "indikatorn ställs inte till rollen '{role}'", "en": "the indicator is not asked of the role '{role}'"},
    "out_of_range": {"sv": "värdet {value} ligger utanför skalan 0–{top}", "en": "the value {value} is outside the scale 0–{top}"},
    "not_integer": {"sv": "värdet {value} är inte ett heltal 0–{top}, \"na\" eller \"dk\"",
                    "en": "the value {value} is not a whole number 0–{top}, \"na\" or \"dk\""},
    "comment_not_text": {"sv": "kommentaren ska vara text", "en": "the comment must be text"},
    "comment_too_long": {"sv": "kommentaren är för lång ({length} tecken, högst {limit})",
                         "en": "the comment is too long ({length} characters, at most {limit})"},
    "bad_confidence": {"sv": "säkerheten ska vara low, medium eller high (är {value})",
                       "en": "the confidence must be low, medium or high (is {value})"},
    "wrong_format_2": {"sv": "fältet format ska vara '{expected}' eller '{expected_2}' (är {value})",
                       "en": "the field format must be '{expected}' or '{expected_2}' (is {value})"},
    "na_not_allowed": {"sv": "\"na\" (ej relevant) är inte tillåtet för den här indikatorn; svara med en nivå 0–{top} "
                             "eller \"dk\" (vet ej)",
                       "en": "\"na\" (not relevant) is not allowed for this indicator; answer with a level 0–{top} "
                             "or \"dk\" (don't know)"},
    "consensus_not_object": {"sv": "konsensusposten ska vara ett JSON-objekt med minst fältet value",
                             "en": "the consensus record must be a JSON object with at least the field value"},
    "consensus_value": {"sv": "konsensusvärdet ska vara ett heltal 0–{top} eller \"na\" (är {value})",
                        "en": "the consensus value must be a whole number 0–{top} or \"na\" (is {value})"},
    "consensus_na": {"sv": "konsensusvärdet \"na\" (ej relevant) är inte tillåtet för den här indikatorn",
                     "en": "the consensus value \"na\" (not relevant) is not allowed for this indicator"},
    "consensus_text": {"sv": "fältet '{key}' i konsensusposten ska vara text (högst {limit} tecken)",
                       "en": "the field '{key}' of the consensus record must be text (at most {limit} characters)"},
    "consensus_date": {"sv": "fältet decided_at ska vara ett datum som 2026-03-12 (är {value})",
                       "en": "the field decided_at must be a date such as 2026-03-12 (is {value})"},
})

MAX_COMMENT = 4000
MAX_DEPTH = 32  # the format itself needs 5 levels (file, respondents, respondent, answers, value)
MAX_DIGITS = 20  # an answer is 0..4; nothing in the format needs a longer number
KEYED = ("answers", "comments", "confidence")  # the fields keyed by indicator id
SURROGATE = re.compile("[\ud800-\udfff]")
ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")  # a JSON escape that may make one


@dataclass(frozen=True)
class AnswerProblem:
    code: str
    respondent: str | None = None
    indicator: str | None = None
    params: dict = field(default_factory=dict, hash=False, compare=False)

    def message(self, lang: str = "sv") -> str:
        return MESSAGES.render(self.code, lang, **self.params)

    def render(self, lang: str = "sv", source: str | None = None) -> str:
        place = []
        if source:
            place.append(source)
        if self.respondent is not None:
            place.append(f"respondent {self.respondent}")
        if self.indicator is not None:
            place.append(("indicator " if lang[:2] == "en" else "indikator ") + self.indicator)
        return ": ".join([*place, self.message(lang)])


class AnswersError(Exception):
    def __init__(self, problems: list[AnswerProblem]):
        super().__init__("; ".join(p.render("en") for p in problems[:5]))
        self.problems = problems


@dataclass(frozen=True)
class RespondentAnswers:
    id: str
    role: str
    name: str | None
    organisation: str | None
    answers: dict[str, int | str]  # indicator → 0..top, "na" or "dk"; missing answers are absent
    comments: dict[str, str]
    confidence: dict[str, str]
    token: str | None = None  # the offline form's respondent token: who this is, whatever the id or name says

    @property
    def key(self) -> str:
        """The respondent's key in the store: the token when there is one, else the id."""
        return self.token or self.id


@dataclass(frozen=True)
class ConsensusRecord:
    """The value a facilitated workshop agreed for one indicator (method 2): it replaces the respondents'
    role-balanced value, which stays as its dispersion."""

    value: int | str  # 0..top or "na"
    rationale: str | None = None
    evidence: str | None = None
    decided_at: str | None = None  # ISO date (or date and time)
    decided_by: str | None = None

    def as_dict(self) -> dict:
        found = {"value": self.value, "rationale": self.rationale, "evidence": self.evidence,
                 "decided_at": self.decided_at, "decided_by": self.decided_by}
        return {key: value for key, value in found.items() if value is not None}


@dataclass(frozen=True)
class AnswersFile:
    questionnaire: str  # id@version
    region: str
    round: str
    respondents: tuple[RespondentAnswers, ...]
    consensus: dict[str, ConsensusRecord] = field(default_factory=dict)  # indicator → record (`/2` only)


def parse(
    raw: bytes | str,
    resolve: Callable[[str], Questionnaire],
    region_codes: Iterable[str],
    questionnaire: Questionnaire | None = None,
) -> tuple[AnswersFile, Questionnaire]:
    """Parse a `mognad-answers/1` or `/2` document; raise `AnswersError` listing every problem."""
    problems: list[AnswerProblem] = []
    data = _decode(raw, problems)
    if data is None:
        raise AnswersError(problems)
    found: list[AnswerProblem] = []
    q = _questionnaire(data, resolve, questionnaire, found)
    method2 = q is not None and q.method == 2  # only a method-2 questionnaire takes consensus records (/2)
    for key in sorted(set(data) - (TOP_KEYS_2 if method2 and data.get("format") == FORMAT_2 else TOP_KEYS)):
        problems.append(AnswerProblem("unknown_key", params={"key": key}))
    if method2 and data.get("format") not in (FORMAT, FORMAT_2):
        problems.append(AnswerProblem("wrong_format_2", params={"expected": FORMAT, "expected_2": FORMAT_2,
                                                                "value": json.dumps(data.get("format"))}))
    elif not method2 and data.get("format") != FORMAT:
        problems.append(AnswerProblem("wrong_format", params={"expected": FORMAT, "value": json.dumps(data.get("format"))}))
    problems += found
    region = _text_field(data, "region", problems)
    if region is not None and region not in set(region_codes):
        problems.append(AnswerProblem("unknown_region", params={"value": region}))
    round_label = _text_field(data, "round", problems)
    respondents = data.get("respondents")
    if not isinstance(respondents, list) or not respondents:
        problems.append(AnswerProblem("no_respondents"))
        respondents = []
    parsed = []
    seen: set[str] = set()
    tokens: set[str] = set()
    for position, entry in enumerate(respondents, start=1):
        respondent = _respondent(entry, position, q, seen, tokens, problems)
        if respondent is not None:
            parsed.append(respondent)
    consensus = _consensus(data.get("consensus"), q, problems) \
        if method2 and data.get("format") == FORMAT_2 and "consensus" in data else {}
    if problems:
        raise AnswersError(problems)
    assert q is not None and region is not None and round_label is not None
    return AnswersFile(q.ref, region, round_label, tuple(parsed), consensus), q


def _decode(raw: bytes | str, problems: list[AnswerProblem]) -> dict | None:
    size = len(raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw)
    if size > MAX_BYTES:
        problems.append(AnswerProblem("too_large", params={"size": size, "limit": MAX_BYTES}))
        return None
    surrogates_possible = isinstance(raw, str)  # UTF-8 cannot encode them: decoded bytes never hold one
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            problems.append(AnswerProblem("not_utf8"))
            return None
    long_numbers: list[_LongNumber] = []

    def integer(text: str) -> int | _LongNumber:
        digits = len(text) - text.startswith("-")
        if digits <= MAX_DIGITS:
            return int(text)
        long_numbers.append(_LongNumber(digits))
        return long_numbers[-1]

    try:
        data = json.loads(raw, object_pairs_hook=_Object.from_pairs, parse_int=integer)
    except json.JSONDecodeError as exc:
        problems.append(AnswerProblem("not_json", params={"line": exc.lineno, "column": exc.colno, "reason": exc.msg}))
        return None
    except RecursionError:  # deeper than the parser itself can go: far beyond MAX_DEPTH
        problems.append(AnswerProblem("too_deep", params={"limit": MAX_DEPTH}))
        return None
    except ValueError as exc:  # a number the parser cannot convert (parse_int keeps integers from getting here)
        problems.append(AnswerProblem("not_json", params={"line": 1, "column": 1, "reason": str(exc)[:80]}))
        return None
    if not isinstance(data, dict):
        problems.append(AnswerProblem("not_object"))
        return None
    leaves = bool(long_numbers or ESCAPED_SURROGATE.search(raw) or (surrogates_possible and SURROGATE.search(raw)))
    problems += _scan(data, leaves)
    if problems:  # the rest would echo text that cannot be shown, or pick one of two values silently
        return None
    return data


class _Object(dict):
    """A JSON object that remembers the keys it had more than once (the later value is kept, then refused)."""

    __slots__ = ("duplicates",)

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, object]]) -> _Object:
        found = cls(pairs)
        found.duplicates = []
        if len(found) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen and key not in found.duplicates:
                    found.duplicates.append(key)
                seen.add(key)
        return found


@dataclass(frozen=True)
class _LongNumber:
    """An integer literal with more than MAX_DIGITS digits, never converted (Python refuses 4 300 and more)."""

    digits: int


def _shown(text: str) -> str:
    """`text` as it can be printed: lone surrogates written as escapes (\\ud800)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _lone_surrogate(text: str) -> str | None:
    """The first lone surrogate in `text` as an escape (\\ud800), or None. JSON's \\u escapes can make them;
    no UTF-8 file, database or workbook can hold them."""
    found = SURROGATE.search(text)
    return f"\\u{ord(found.group()):04x}" if found else None


def _scan(data: dict, leaves: bool = True) -> list[AnswerProblem]:
    """Problems that no later rule can see: too deep, too long numbers, lone surrogates, duplicate keys.

    Walks the decoded document without recursion; each problem names the respondent (its id, or #n when the
    id is not usable) and the indicator where it stands, and the field. Texts, keys and numbers are looked at
    only when `leaves` (the raw text had a surrogate or the parser met a long number): else only the nesting
    and the keys' uniqueness can be wrong.
    """
    problems: list[AnswerProblem] = []
    # (value, depth, respondent, indicator, field, kind); kind: top, respondents, respondent, keyed, other
    stack: list[tuple] = [(data, 1, None, None, None, "top")]
    too_deep = False
    while stack:
        value, depth, who, indicator, field, kind = stack.pop()
        if depth > MAX_DEPTH:
            if not too_deep:
                problems.append(AnswerProblem("too_deep", who, indicator, {"limit": MAX_DEPTH}))
                too_deep = True
            continue
        if isinstance(value, _LongNumber):
            problems.append(AnswerProblem("number_too_long", who, indicator,
                                          {"digits": value.digits, "limit": MAX_DIGITS, "field": field or "-"}))
        elif isinstance(value, str):
            character = _lone_surrogate(value)
            if character:
                problems.append(AnswerProblem("bad_character", who, indicator,
                                              {"field": field or "-", "character": character}))
        elif isinstance(value, list):
            for position, item in enumerate(value, start=1):
                if not leaves and not isinstance(item, list | dict):
                    continue
                if kind == "respondents":
                    ident = item.get("id") if isinstance(item, dict) else None
                    usable = isinstance(ident, str) and ident.strip() and not _lone_surrogate(ident)
                    stack.append((item, depth + 1, ident if usable else f"#{position}", None, None, "respondent"))
                else:
                    stack.append((item, depth + 1, who, indicator, field, "other"))
        elif isinstance(value, dict):
            for key in getattr(value, "duplicates", ()):
                shown = _shown(key)
                if kind == "top":
                    problems.append(AnswerProblem("duplicate_key_top", params={"key": shown}))
                elif kind == "respondent":
                    problems.append(AnswerProblem("duplicate_key", who, params={"key": shown}))
                elif kind == "keyed":
                    problems.append(AnswerProblem("duplicate_indicator", who, shown, {"key": field}))
                else:
                    problems.append(AnswerProblem("duplicate_key_in", who, indicator,
                                                  {"key": shown, "field": _shown(field or "-")}))
            for key, item in value.items():
                if not leaves and not isinstance(item, list | dict):
                    continue
                if leaves and _lone_surrogate(key):
                    problems.append(AnswerProblem("bad_character", who, indicator,
                                                  {"field": _shown(field or key), "character": _lone_surrogate(key)}))
                    continue
                if kind == "top":
                    kind_of = {"respondents": "respondents", "consensus": "keyed"}.get(key, "other")
                    stack.append((item, depth + 1, None, None, key, kind_of))
                elif kind == "respondent":
                    stack.append((item, depth + 1, who, None, key, "keyed" if key in KEYED else "other"))
                elif kind == "keyed":
                    stack.append((item, depth + 1, who, key, field, "other"))
                else:
                    stack.append((item, depth + 1, who, indicator, field, "other"))
    return problems


def _text_field(data: dict, key: str, problems: list[AnswerProblem]) -> str | None:
    value = data.get(key)
    if value is None:
        problems.append(AnswerProblem("missing", params={"key": key}))
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append(AnswerProblem("not_text", params={"key": key}))
        return None
    return value.strip()


def _questionnaire(data, resolve, given, problems) -> Questionnaire | None:
    ref = _text_field(data, "questionnaire", problems)
    if ref is None:
        return given
    if "@" not in ref:
        problems.append(AnswerProblem("bad_questionnaire_ref", params={"value": ref}))
        return given
    if given is not None:
        if given.ref != ref:
            problems.append(AnswerProblem("questionnaire_mismatch", params={"value": ref, "expected": given.ref}))
        return given
    try:
        return resolve(ref)
    except KeyError:
        problems.append(AnswerProblem("unknown_questionnaire", params={"value": ref}))
        return None


def _respondent(entry, position, q, seen, tokens, problems) -> RespondentAnswers | None:
    if not isinstance(entry, dict):
        problems.append(AnswerProblem("respondent_not_object", respondent=f"#{position}"))
        return None
    ident = entry.get("id")
    if not isinstance(ident, str) or not ident.strip():
        problems.append(AnswerProblem("respondent_id", respondent=f"#{position}"))
        ident = f"#{position}"
    elif ident in seen:
        problems.append(AnswerProblem("duplicate_respondent", respondent=ident, params={"value": ident}))
    seen.add(ident)
    for key in sorted(set(entry) - RESPONDENT_KEYS):
        problems.append(AnswerProblem("unknown_key", respondent=ident, params={"key": key}))
    role = entry.get("role")
    if q is not None and role not in q.role_by_id:
        allowed = ", ".join(q.role_by_id)
        problems.append(AnswerProblem("unknown_role", respondent=ident, params={"value": role, "allowed": allowed}))
        role = None
    answers = _answers(entry, ident, role, q, problems)
    comments = _texts(entry, "comments", ident, q, problems)
    confidence = _confidence(entry, ident, q, problems)
    name = entry.get("name") if isinstance(entry.get("name"), str) else None
    organisation = entry.get("organisation") if isinstance(entry.get("organisation"), str) else None
    token = entry.get("token")
    if token is not None:
        if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
            problems.append(AnswerProblem("bad_token", respondent=ident))
            token = None
        elif token in tokens:
            problems.append(AnswerProblem("duplicate_token", respondent=ident, params={"value": token}))
        else:
            tokens.add(token)
    return RespondentAnswers(ident, role or "", name, organisation, answers, comments, confidence, token)


def _keyed(entry, key, ident, q, role, problems) -> dict:
    values = entry.get(key, {})
    if values is None:
        return {}
    if not isinstance(values, dict):
        problems.append(AnswerProblem("not_mapping", respondent=ident, params={"key": key}))
        return {}
    if q is None:
        return {}
    known = {}
    for indicator, value in values.items():
        spec = q.indicator_by_id.get(indicator)
        if spec is None:
            problems.append(AnswerProblem("unknown_indicator", respondent=ident, indicator=indicator))
        elif role and key == "answers" and value is not None and not spec.applies_to(role):
            problems.append(AnswerProblem("not_for_role", respondent=ident, indicator=indicator, params={"role": role}))
        else:
            known[indicator] = value
    return known


def _answers(entry, ident, role, q, problems) -> dict[str, int | str]:
    result: dict[str, int | str] = {}
    top = q.scale_max if q is not None else 0
    for indicator, value in _keyed(entry, "answers", ident, q, role, problems).items():
        if value is None:
            continue
        if value == NA and not q.indicator_by_id[indicator].na_allowed:
            problems.append(AnswerProblem("na_not_allowed", ident, indicator, {"top": top}))
        elif value in (NA, DK):
            result[indicator] = value
        elif isinstance(value, bool) or not isinstance(value, int):
            problems.append(AnswerProblem("not_integer", ident, indicator, {"value": json.dumps(value, ensure_ascii=False), "top": top}))
        elif not 0 <= value <= top:
            problems.append(AnswerProblem("out_of_range", ident, indicator, {"value": value, "top": top}))
        else:
            result[indicator] = value
    return result


def _consensus(values, q, problems) -> dict[str, ConsensusRecord]:
    """The `consensus` field of a `/2` document: indicator → record, every problem named by indicator."""
    if values is None:
        return {}
    if not isinstance(values, dict):
        problems.append(AnswerProblem("not_mapping", params={"key": "consensus"}))
        return {}
    top = q.scale_max
    records = {}
    for indicator, record in values.items():
        spec = q.indicator_by_id.get(indicator)
        if spec is None:
            problems.append(AnswerProblem("unknown_indicator", indicator=indicator))
            continue
        if not isinstance(record, dict) or "value" not in record:
            problems.append(AnswerProblem("consensus_not_object", indicator=indicator))
            continue
        ok = True
        for key in sorted(set(record) - CONSENSUS_KEYS):
            problems.append(AnswerProblem("unknown_key", indicator=indicator, params={"key": key}))
            ok = False
        value = record["value"]
        if value == NA:
            if not spec.na_allowed:
                problems.append(AnswerProblem("consensus_na", indicator=indicator))
                ok = False
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
            shown = json.dumps(value, ensure_ascii=False) if not isinstance(value, _LongNumber) else "…"
            problems.append(AnswerProblem("consensus_value", indicator=indicator, params={"top": top, "value": shown}))
            ok = False
        texts = {}
        for key in ("rationale", "evidence", "decided_by", "decided_at"):
            text = record.get(key)
            if text is None or text == "":
                continue
            if not isinstance(text, str) or len(text) > MAX_COMMENT:
                problems.append(AnswerProblem("consensus_text", indicator=indicator,
                                              params={"key": key, "limit": MAX_COMMENT}))
                ok = False
            elif key == "decided_at" and not _iso_date(text):
                problems.append(AnswerProblem("consensus_date", indicator=indicator,
                                              params={"value": json.dumps(text, ensure_ascii=False)}))
                ok = False
            else:
                texts[key] = text
        if ok:
            records[indicator] = ConsensusRecord(value, **texts)
    return records


def _iso_date(text: str) -> bool:
    try:
        (dt.date if len(text) == 10 else dt.datetime).fromisoformat(text)
    except ValueError:
        return False
    return True


def _texts(entry, key, ident, q, problems) -> dict[str, str]:
    result = {}
    for indicator, value in _keyed(entry, key, ident, q, None, problems).items():
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            problems.append(AnswerProblem("comment_not_text", ident, indicator))
        elif len(value) > MAX_COMMENT:
            problems.append(AnswerProblem("comment_too_long", ident, indicator, {"length": len(value), "limit": MAX_COMMENT}))
        else:
            result[indicator] = value
    return result


def _confidence(entry, ident, q, problems) -> dict[str, str]:
    result = {}
    for indicator, value in _keyed(entry, "confidence", ident, q, None, problems).items():
        if value is None:
            continue
        if value not in CONFIDENCE:
            problems.append(AnswerProblem("bad_confidence", ident, indicator, {"value": json.dumps(value, ensure_ascii=False)}))
        else:
            result[indicator] = value
    return result


def dump(answers: AnswersFile) -> dict:
    """The JSON-ready document for `answers` (the inverse of `parse`)."""
    respondents = []
    for r in answers.respondents:
        item: dict = {"id": r.id, "role": r.role}
        if r.token:
            item["token"] = r.token
        if r.name:
            item["name"] = r.name
        if r.organisation:
            item["organisation"] = r.organisation
        item["answers"] = dict(r.answers)
        if r.comments:
            item["comments"] = dict(r.comments)
        if r.confidence:
            item["confidence"] = dict(r.confidence)
        respondents.append(item)
    document = {"format": FORMAT_2 if answers.consensus else FORMAT, "questionnaire": answers.questionnaire,
                "region": answers.region, "round": answers.round, "respondents": respondents}
    if answers.consensus:
        document["consensus"] = {indicator: record.as_dict() for indicator, record in answers.consensus.items()}
    return document
