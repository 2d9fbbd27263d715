"""Publication: what the national agency hands dataportal.se — the published rounds as a Frictionless data
package (`reports.datapackage`) and a DCAT-AP-SE catalogue describing it (`reports.dcat`).

`mognad publish` and the admin page's "Publicera öppna data" both come here. The rules:

- only the national administrator (the command line's system identity is one) publishes;
- the round asked for must be published (`mognad rounds publish`); the package holds it and every earlier
  published round, in the order they were opened, whatever their questionnaire or method;
- what the disclosure rule allows (docs/store.md, "Disclosure control"): in a published round every submitted
  region is shown by name, so each region's own rows are published in full; the figures of groups of regions
  (the country, the size groups, the NUTS2 areas) are the store's released statistics, computed with the
  store's rule (`store.comparison.group_statistics`: k = 3 regions, complementary suppression) and marked in
  `suppressed` when withheld. Drafts never count. Answers of single respondents, the medians of a role group
  and comments are never published;
- the publisher comes from the environment (MOGNAD_PUBLISHER_NAME, _ORGNR, _EMAIL, _URL; MOGNAD_LICENSE,
  default CC BY 4.0): a missing or malformed variable is refused by name before anything is read.

Reads: `store.list_rounds` once, and `service.reports.comparison_basis` once per questionnaire version in the
package (one version: once). The catalogue alone reads no scores.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

import store
from questionnaires.freetext import is_email, single_line_problems
from questionnaires.regions import load_regions
from questionnaires.text import Catalogue, Text
from reports.datapackage import (
    CC_BY,
    LICENSE_NAMES,
    PackagePart,
    Publisher,
    RoundInfo,
    package_files,
    publication_tables,
)
from reports.dcat import catalogue, catalogue_files
from service.reports import NoResults, comparison_basis
from store.comparison import K, group_statistics

NAME, ORGNR, EMAIL, URL, LICENSE, KIND = (
    "MOGNAD_PUBLISHER_NAME", "MOGNAD_PUBLISHER_ORGNR", "MOGNAD_PUBLISHER_EMAIL", "MOGNAD_PUBLISHER_URL",
    "MOGNAD_LICENSE", "MOGNAD_PUBLISHER_TYPE")
REQUIRED = (NAME, ORGNR, EMAIL, URL)
PUBLISHER_TYPES = ("NationalAuthority", "RegionalAuthority", "LocalAuthority", "Academia-ScientificOrganisation",
                   "Company", "IndustryConsortium", "NonGovernmentalOrganisation", "NonProfitOrganisation",
                   "StandardisationBody", "SupraNationalAuthority")

MESSAGES = Catalogue({
    "not_published": {
        "sv": "omgång {label} är inte publicerad: publicera den först (mognad rounds publish {label}, eller "
              "Administration → Omgångar); bara publicerade omgångar blir öppna data",
        "en": "round {label} is not published: publish it first (mognad rounds publish {label}, or Administration "
              "→ Rounds); only published rounds become open data"},
    "missing_setting": {
        "sv": "{name} saknas: sätt miljövariabeln ({what}) innan öppna data kan publiceras",
        "en": "{name} is not set: set the environment variable ({what}) before open data can be published"},
    "bad_orgnr": {"sv": "{name} ska vara organisationsnumret med tio siffror, utan mellanslag (nu: {value})",
                  "en": "{name} must be the organisation number, ten digits without spaces (now: {value})"},
    "bad_email": {"sv": "{name} är inte en e-postadress (nu: {value})",
                  "en": "{name} is not an e-mail address (now: {value})"},
    "bad_url": {"sv": "{name} ska vara en absolut adress som börjar med https:// eller http:// (nu: {value})",
                "en": "{name} must be an absolute address starting with https:// or http:// (now: {value})"},
    "bad_license": {"sv": "{name} ska vara en absolut adress; CC BY skrivs exakt "
                          "http://creativecommons.org/licenses/by/4.0/ (nu: {value})",
                    "en": "{name} must be an absolute address; CC BY is written exactly "
                          "http://creativecommons.org/licenses/by/4.0/ (now: {value})"},
    "bad_type": {"sv": "{name} ska vara en av {known} (nu: {value})", "en": "{name} must be one of {known} (now: {value})"},
    "bad_text": {"sv": "{name}: {reason}", "en": "{name}: {reason}"},
})
WHAT = {
    NAME: {"sv": "utgivarens namn", "en": "the publisher's name"},
    ORGNR: {"sv": "organisationsnummer, tio siffror", "en": "organisation number, ten digits"},
    EMAIL: {"sv": "kontaktadress för öppna data", "en": "contact address for open data"},
    URL: {"sv": "adressen där filerna och katalogen ligger, t.ex. https://www.myndighet.se/oppnadata/mognad",
          "en": "the address the files and the catalogue are served from, e.g. https://www.agency.se/opendata/mognad"},
}
CC_PATTERN = re.compile(r"https?://(www\.)?creativecommons\.org/", re.IGNORECASE)
IRI = re.compile(r"https?://[^\s/?#<>\"{}|\\^`]+(/[^\s<>\"{}|\\^`]*)?")


class PublicationRefused(Exception):
    """Publication cannot go ahead: one line per problem, in Swedish or English."""

    def __init__(self, problems: list[tuple[str, dict]]):
        super().__init__(self._render(problems, "en"))
        self.problems = problems

    @staticmethod
    def _render(problems, lang: str) -> list[str]:
        lines = []
        for code, params in problems:
            params = {key: value[lang] if isinstance(value, Mapping) else value for key, value in params.items()}
            lines.append(MESSAGES.render(code, lang, **params))
        return lines

    def lines(self, lang: str = "sv") -> list[str]:
        return self._render(self.problems, lang)

    def message(self, lang: str = "sv") -> str:
        return "; ".join(self.lines(lang))

    def __str__(self) -> str:
        return self.message("en")


class NotPublished(PublicationRefused):
    def __init__(self, label: str):
        super().__init__([("not_published", {"label": label})])
        self.label = label


class NotConfigured(PublicationRefused):
    """The publisher's settings are missing or malformed; `variables` names them."""

    @property
    def variables(self) -> list[str]:
        return [params["name"] for _, params in self.problems]


@dataclass(frozen=True)
class Publication:
    round: str
    rounds: tuple[str, ...]  # every round in the package, oldest first
    files: dict[str, bytes]  # name → bytes, in the order to write them: data, datapackage.json, catalogue last


def publisher_from_environment(environ: Mapping[str, str] | None = None) -> Publisher:
    """The publisher of MOGNAD_PUBLISHER_* and MOGNAD_LICENSE; NotConfigured names every missing or bad one."""
    env = os.environ if environ is None else environ
    value = {name: (env.get(name) or "").strip() for name in (*REQUIRED, LICENSE, KIND)}
    problems: list[tuple[str, dict]] = [("missing_setting", {"name": name, "what": WHAT[name]})
                                        for name in REQUIRED if not value[name]]
    for problem in single_line_problems(value[NAME], Text("namnet", "the name"), 200) if value[NAME] else ():
        problems.append(("bad_text", {"name": NAME, "reason": {"sv": problem.message("sv"), "en": problem.message("en")}}))
    orgnr = value[ORGNR].replace("-", "")
    if value[ORGNR] and not re.fullmatch(r"[0-9]{10}", orgnr):
        problems.append(("bad_orgnr", {"name": ORGNR, "value": value[ORGNR]}))
    if value[EMAIL] and not is_email(value[EMAIL]):
        problems.append(("bad_email", {"name": EMAIL, "value": value[EMAIL]}))
    base = value[URL].rstrip("/")
    if value[URL] and not IRI.fullmatch(base):
        problems.append(("bad_url", {"name": URL, "value": value[URL]}))
    licence = value[LICENSE] or CC_BY
    if not IRI.fullmatch(licence) or (CC_PATTERN.match(licence) and licence not in _CC_EXACT):
        problems.append(("bad_license", {"name": LICENSE, "value": licence}))
    kind = value[KIND] or "NationalAuthority"
    if kind not in PUBLISHER_TYPES:
        problems.append(("bad_type", {"name": KIND, "value": kind, "known": ", ".join(PUBLISHER_TYPES)}))
    if problems:
        raise NotConfigured(problems)
    return Publisher(name=value[NAME], orgnr=orgnr, email=value[EMAIL], base_url=base, license=licence, kind=kind)


_CC_EXACT = {
    *LICENSE_NAMES,
    *(f"http://creativecommons.org/licenses/{kind}/4.0/" for kind in ("by", "by-nc", "by-nc-nd", "by-nc-sa", "by-nd",
                                                                       "by-sa")),
}


def publication(db, who, round_label: str, *, publisher: Publisher | None = None, catalogue_only: bool = False,
                environ: Mapping[str, str] | None = None) -> Publication:
    """The files of a publication of `round_label` (and every earlier published round).

    Raises NotConfigured (the environment), store.Forbidden (not the national administrator), store.NotFound
    (no such round), NotPublished (the round is not published), NoResults (nothing submitted in the round).
    """
    if publisher is None:
        publisher = publisher_from_environment(environ)
    if not who.is_admin:
        raise store.Forbidden("manage_rounds")
    known = store.list_rounds(db, who)
    chosen = next((r for r in known if r.label == round_label), None)
    if chosen is None:
        store.get_round(db, who, round_label)  # raises NotFound with the store's own message
        raise NoResults(round_label)
    if not chosen.published:
        raise NotPublished(round_label)
    included = [r for r in known[: known.index(chosen) + 1] if r.published]
    labels = tuple(r.label for r in included)
    by_questionnaire: dict[str, list[str]] = {}
    for r in included:
        by_questionnaire.setdefault(r.questionnaire, []).append(r.label)
    questionnaires = {ref: db.questionnaire(ref) for ref in by_questionnaire}
    roster = load_regions()
    rounds = [RoundInfo(r.label, r.questionnaire, r.opened_at, r.closed_at, r.published_at) for r in included]
    files: dict[str, bytes] = {}
    if not catalogue_only:
        parts = []
        for ref, asked in by_questionnaire.items():
            q = questionnaires[ref]
            scores, _, _ = comparison_basis(db, who, q, asked)
            present = set(scores.overall.index.get_level_values("round").astype(str))
            if not present <= set(asked):  # the store answered for rounds not asked for: never publish those
                raise RuntimeError(f"rounds {sorted(present - set(asked))} were not asked for")
            parts.append(PackagePart(q, scores, group_statistics(scores, q, roster, K), tuple(asked)))
        tables = publication_tables(parts, roster, rounds)
        if not (tables["overall"]["round"] == round_label).any():
            raise NoResults(round_label)
        files.update(package_files(tables, publisher, rounds=labels, questionnaires=list(questionnaires.values()),
                                   created=_published_at(included)))
    graph = catalogue(publisher, rounds, {ref: q.title for ref, q in questionnaires.items()},
                      nuts2={region.nuts2 for region in roster})
    files.update(catalogue_files(graph))
    return Publication(round_label, labels, files)


def publication_zip(result: Publication) -> bytes:
    """The publication's files as one zip (the admin page's download), under a folder named after the round."""
    buffer = io.BytesIO()
    folder = archive_name(result.round)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in result.files.items():
            archive.writestr(f"{folder}/{name}", data)
    return buffer.getvalue()


def archive_name(label: str) -> str:
    """`mognad-oppna-data-<round>`, the round's label made safe for a file name."""
    return f"mognad-oppna-data-{re.sub(r'[^A-Za-z0-9._-]+', '_', label)}"


def _published_at(rounds):
    """The newest publication time: the package's `created`, so the same rounds give the same bytes."""
    return max(r.published_at or r.closed_at or r.opened_at for r in rounds)
