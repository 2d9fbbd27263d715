"""The publication's DCAT-AP-SE 3.0.1 catalogue: what dataportal.se harvests (RDF/XML; Turtle beside it).

One catalogue, one dataset per published table (overall, dimensions, indicators, statistics) and two
distributions per dataset — the machine CSV and the Swedish Excel CSV of `reports.datapackage` — each with the
mandatory and the recommended properties of DCAT-AP-SE 3.0.1, in Swedish and English. The portal's harvesting
rules (docs/harvesting.md of diggsweden/DCAT-AP-SE) are kept: no blank node anywhere, absolute IRIs only, the
publisher as http://dataportal.se/organisation/SE<orgnr>, CC BY written exactly as the portal expects, a contact
point apart from the publisher. `SHAPES` (reports/shapes/dcat-ap-se.ttl) checks a catalogue with SHACL.

Everything is made from configuration and the rounds' metadata — no score is read — so the catalogue is the same
whether or not the package is written in the same run (`mognad publish --catalogue-only`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from xml.sax.saxutils import escape, quoteattr

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from questionnaires.text import Text
from reports.datapackage import FILES, PACKAGE_DESCRIPTION, TABLES, Publisher, RoundInfo, questionnaire_path

SHAPES = resources.files("reports").joinpath("shapes", "dcat-ap-se.ttl")
CATALOGUE_FILES = ("catalog.rdf", "catalog.ttl")

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
EU = "http://publications.europa.eu/resource/authority/"
SWEDEN = URIRef(f"{EU}country/SWE")
NUTS = "http://data.europa.eu/nuts/code/"
ANNUAL = URIRef(f"{EU}frequency/ANNUAL")
THEMES = (URIRef(f"{EU}data-theme/EDUC"), URIRef(f"{EU}data-theme/REGI"))
LANGUAGES = (URIRef(f"{EU}language/SWE"), URIRef(f"{EU}language/ENG"))
PUBLIC = URIRef(f"{EU}access-right/PUBLIC")
STABLE = URIRef(f"{EU}planned-availability/STABLE")
CSV_MEDIA_TYPE = URIRef("https://www.iana.org/assignments/media-types/text/csv")

CATALOGUE_TITLE = Text("Regional analys av strukturer för validering", "Regional analysis of structures for validation")
CATALOGUE_DESCRIPTION = Text(
    "Öppna data om hur mogna regionernas strukturer för validering är: resultat per region, dimension och "
    "indikator, och siffror för riket och jämförelsegrupperna, för varje publicerad mätomgång.",
    "Open data on how mature the regions' structures for validation are: results by region, dimension and "
    "indicator, and figures for the country and the peer groups, for every published round.")
# under ten words, without publisher, year or format (docs.dataportal.se recommendations)
DATASET_TITLES = {
    "overall": Text("Valideringsstrukturernas mognad per region", "Maturity of validation structures by region"),
    "dimensions": Text("Valideringsstrukturernas mognad per region och dimension",
                       "Maturity of validation structures by region and dimension"),
    "indicators": Text("Valideringsstrukturernas mognad per region och indikator",
                       "Maturity of validation structures by region and indicator"),
    "statistics": Text("Valideringsstrukturernas mognad i riket och jämförelsegrupper",
                       "Maturity of validation structures in the country and peer groups"),
}
KEYWORDS = (Text("validering", "validation"), Text("kompetens", "skills"), Text("mognad", "maturity"),
            Text("regional utveckling", "regional development"))
DISTRIBUTIONS = {  # file index in FILES → (IRI suffix, title, description)
    0: ("csv", Text("CSV", "CSV"),
        Text("CSV enligt RFC 4180: UTF-8, komma, decimalpunkt. Kolumnerna beskrivs i datapackage.json.",
             "CSV following RFC 4180: UTF-8, comma, decimal point. The columns are described in datapackage.json.")),
    1: ("csv-sv", Text("CSV för svenska Excel", "CSV for Swedish Excel"),
        Text("Samma tabell för svenska Excel: semikolon, decimalkomma, UTF-8 med BOM.",
             "The same table for Swedish Excel: semicolon, decimal comma, UTF-8 with BOM.")),
}


CatalogueRound = RoundInfo  # a published round: label, questionnaire, opened_at, closed_at, published_at


def catalogue(publisher: Publisher, rounds: Sequence[RoundInfo], questionnaires: Mapping[str, Text],
              nuts2: Iterable[str]) -> Graph:
    """The catalogue of the published `rounds` (oldest first) as an RDF graph; `questionnaires` maps each
    round's questionnaire (id@version) to its title; `nuts2` are the areas the regions lie in."""
    if not rounds:
        raise ValueError("a catalogue needs at least one published round")
    g = Graph(bind_namespaces="none")
    for prefix, namespace in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", VCARD), ("xsd", XSD),
                              ("dcatap", DCATAP), ("rdf", RDF)):
        g.bind(prefix, namespace)
    iri = _Iris(publisher)
    issued = _day(next((r.published_at for r in rounds if r.published_at), None))
    modified = _day(max((r.published_at for r in rounds if r.published_at), default=None))
    licence = URIRef(publisher.license)
    spatial = [SWEDEN, *(URIRef(NUTS + code) for code in sorted(set(nuts2)))]

    agent = URIRef(publisher.iri)
    g.add((agent, RDF.type, FOAF.Agent))
    g.add((agent, RDF.type, FOAF.Organization))
    g.add((agent, FOAF.name, Literal(publisher.name, lang="sv")))
    g.add((agent, DCTERMS.type, PUBLISHER_TYPE[publisher.kind]))
    g.add((agent, DCTERMS.identifier, Literal(publisher.orgnr)))

    contact = iri.contact
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal(publisher.name)))
    g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{publisher.email}")))

    standards = []
    for ref in dict.fromkeys(r.questionnaire for r in rounds):
        standard = URIRef(publisher.url(questionnaire_path(ref)))
        title = questionnaires.get(ref, Text(ref, ref))
        g.add((standard, RDF.type, DCTERMS.Standard))
        _texts(g, standard, DCTERMS.title, Text(f"{title.sv} ({ref})", f"{title.en} ({ref})"))
        standards.append(standard)

    period = iri.period(rounds)
    start = _day(rounds[0].opened_at)
    end = _day(rounds[-1].closed_at or rounds[-1].published_at)
    g.add((period, RDF.type, DCTERMS.PeriodOfTime))
    if start:
        g.add((period, DCAT.startDate, Literal(start, datatype=XSD.date)))
    if end:
        g.add((period, DCAT.endDate, Literal(end, datatype=XSD.date)))

    documentation = URIRef(publisher.url("datapackage.json"))
    g.add((documentation, RDF.type, FOAF.Document))
    _texts(g, documentation, DCTERMS.title, Text("Datapaket med tabellscheman (Frictionless Data Package)",
                                                 "Data package with table schemas (Frictionless Data Package)"))

    cat = iri.catalogue
    g.add((cat, RDF.type, DCAT.Catalog))
    _texts(g, cat, DCTERMS.title, CATALOGUE_TITLE)
    _texts(g, cat, DCTERMS.description, CATALOGUE_DESCRIPTION)
    g.add((cat, DCTERMS.publisher, agent))
    g.add((cat, DCTERMS.license, licence))
    g.add((cat, FOAF.homepage, URIRef(publisher.base_url + "/")))
    g.add((cat, DCAT.themeTaxonomy, URIRef(f"{EU}data-theme")))
    g.add((cat, DCTERMS.spatial, SWEDEN))
    for language in LANGUAGES:
        g.add((cat, DCTERMS.language, language))
    _dates(g, cat, issued, modified)

    for name in DATASET_TITLES:
        dataset = iri.dataset(name)
        g.add((cat, DCAT.dataset, dataset))
        g.add((dataset, RDF.type, DCAT.Dataset))
        _texts(g, dataset, DCTERMS.title, DATASET_TITLES[name])
        _texts(g, dataset, DCTERMS.description, Text(f"{TABLES[name].description.sv} {PACKAGE_DESCRIPTION.sv}",
                                                     f"{TABLES[name].description.en} {PACKAGE_DESCRIPTION.en}"))
        g.add((dataset, DCTERMS.publisher, agent))
        g.add((dataset, DCAT.contactPoint, contact))
        for keyword in KEYWORDS:
            _texts(g, dataset, DCAT.keyword, keyword)
        for theme in THEMES:
            g.add((dataset, DCAT.theme, theme))
        for place in spatial:
            g.add((dataset, DCTERMS.spatial, place))
        for standard in standards:
            g.add((dataset, DCTERMS.conformsTo, standard))
        for language in LANGUAGES:
            g.add((dataset, DCTERMS.language, language))
        g.add((dataset, DCTERMS.temporal, period))
        g.add((dataset, DCTERMS.accrualPeriodicity, ANNUAL))
        g.add((dataset, DCTERMS.accessRights, PUBLIC))
        g.add((dataset, FOAF.page, documentation))
        _dates(g, dataset, issued, modified)
        for index, (suffix, title, description) in DISTRIBUTIONS.items():
            distribution = iri.distribution(name, suffix)
            url = URIRef(publisher.url(FILES[name][index]))
            g.add((dataset, DCAT.distribution, distribution))
            g.add((distribution, RDF.type, DCAT.Distribution))
            _texts(g, distribution, DCTERMS.title,
                   Text(f"{DATASET_TITLES[name].sv} ({title.sv})", f"{DATASET_TITLES[name].en} ({title.en})"))
            _texts(g, distribution, DCTERMS.description, description)
            g.add((distribution, DCAT.accessURL, url))
            g.add((distribution, DCAT.downloadURL, url))
            g.add((distribution, DCTERMS["format"], Literal("text/csv")))
            g.add((distribution, DCAT.mediaType, CSV_MEDIA_TYPE))
            g.add((distribution, DCTERMS.license, licence))
            g.add((distribution, DCATAP.availability, STABLE))
            g.add((distribution, FOAF.page, documentation))
            _dates(g, distribution, issued, modified)
    return g


def to_rdfxml(graph: Graph) -> bytes:
    """RDF/XML, the syntax dataportal.se harvests: one rdf:Description per subject, subjects and their
    statements sorted, so the same catalogue always gives the same bytes (rdflib's own writer follows the
    order of Python's hashing, which changes from one process to the next). Blank nodes are refused."""
    prefixes = {str(namespace): prefix for prefix, namespace in graph.namespaces()}
    prefixes.setdefault(str(RDF), "rdf")
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    lines += [f"   xmlns:{prefix}={quoteattr(namespace)}" for namespace, prefix in
              sorted(prefixes.items(), key=lambda item: item[1])]
    lines[-1] += ">"
    for subject in sorted(set(graph.subjects())):
        if not isinstance(subject, URIRef):
            raise ValueError(f"a blank node in the catalogue: {subject!r}")
        lines.append(f"  <rdf:Description rdf:about={quoteattr(str(subject))}>")
        for predicate, value in sorted(graph.predicate_objects(subject), key=_statement_order):
            tag = _qname(str(predicate), prefixes)
            if isinstance(value, URIRef):
                lines.append(f"    <{tag} rdf:resource={quoteattr(str(value))}/>")
            elif isinstance(value, Literal):
                attribute = (f" xml:lang={quoteattr(value.language)}" if value.language else
                             f" rdf:datatype={quoteattr(str(value.datatype))}" if value.datatype else "")
                lines.append(f"    <{tag}{attribute}>{escape(str(value))}</{tag}>")
            else:
                raise ValueError(f"a blank node in the catalogue: {value!r}")
        lines.append("  </rdf:Description>")
    lines.append("</rdf:RDF>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _statement_order(statement) -> tuple:
    predicate, value = statement
    first = 0 if predicate == RDF.type else 1
    return first, str(predicate), str(value), getattr(value, "language", None) or ""


def _qname(iri: str, prefixes: Mapping[str, str]) -> str:
    namespace = max((ns for ns in prefixes if iri.startswith(ns) and iri[len(ns):].isidentifier()), key=len,
                    default=None)
    if namespace is None:
        raise ValueError(f"no namespace prefix for the property {iri}")
    return f"{prefixes[namespace]}:{iri[len(namespace):]}"


def to_turtle(graph: Graph) -> bytes:
    return graph.serialize(format="turtle", encoding="utf-8")


def catalogue_files(graph: Graph) -> dict[str, bytes]:
    rdfxml, turtle = CATALOGUE_FILES
    return {rdfxml: to_rdfxml(graph), turtle: to_turtle(graph)}


class _Iris:
    """Every IRI the catalogue mints, under the publisher's base: stable from one publication to the next."""

    def __init__(self, publisher: Publisher):
        self.publisher = publisher
        self.catalogue = URIRef(publisher.url("catalog"))
        self.contact = URIRef(publisher.url("contact"))

    def dataset(self, name: str) -> URIRef:
        return URIRef(self.publisher.url(f"datasets/{name}"))

    def distribution(self, name: str, suffix: str) -> URIRef:
        return URIRef(self.publisher.url(f"distributions/{name}-{suffix}"))

    def period(self, rounds: Sequence[RoundInfo]) -> URIRef:
        return URIRef(self.publisher.url(f"periods/{_safe(rounds[0].label)}--{_safe(rounds[-1].label)}"))


def _safe(label: str) -> str:
    """A round label as an IRI path segment (RFC 3987: spaces and the like percent-encoded)."""
    from urllib.parse import quote

    return quote(label, safe="")


def _texts(g: Graph, subject: URIRef, predicate: URIRef, text: Text) -> None:
    g.add((subject, predicate, Literal(text.sv, lang="sv")))
    g.add((subject, predicate, Literal(text.en, lang="en")))


def _dates(g: Graph, subject: URIRef, issued: dt.date | None, modified: dt.date | None) -> None:
    if issued:
        g.add((subject, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
    if modified:
        g.add((subject, DCTERMS.modified, Literal(modified, datatype=XSD.date)))


def _day(moment: dt.datetime | dt.date | None) -> dt.date | None:
    if moment is None:
        return None
    return moment.date() if isinstance(moment, dt.datetime) else moment
