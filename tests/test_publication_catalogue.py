"""The DCAT-AP-SE 3.0.1 catalogue: it parses with rdflib (RDF/XML and Turtle alike), follows the portal's
harvesting rules, and passes our SHACL shapes with pyshacl — and the shapes do fail when a mandatory property
is missing, so they check something."""

from __future__ import annotations

import datetime as dt

import pytest
from pyshacl import validate
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from questionnaires.text import Text
from reports.datapackage import Publisher
from reports.dcat import SHAPES, CatalogueRound, catalogue, to_rdfxml, to_turtle

BASE = "https://data.example.org/mognad"
PUBLISHER = Publisher(name="Valideringsmyndigheten (fiktiv)", orgnr="2021001234", email="oppnadata@example.org",
                      base_url=BASE)
UTC = dt.UTC
ROUNDS = [
    CatalogueRound("2024", "regional-validering@1", dt.datetime(2024, 2, 1, tzinfo=UTC),
                   dt.datetime(2024, 11, 30, tzinfo=UTC), dt.datetime(2024, 12, 12, tzinfo=UTC)),
    CatalogueRound("2025", "regional-validering@1", dt.datetime(2025, 2, 3, tzinfo=UTC),
                   dt.datetime(2025, 11, 28, tzinfo=UTC), dt.datetime(2025, 12, 10, tzinfo=UTC)),
]
QUESTIONNAIRES = {"regional-validering@1": Text("Regional analys av strukturer för validering",
                                                "Regional analysis of structures for validation")}
# plain namespaces (rdflib's closed ones warn when pytest looks them over for fixtures)
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SH = Namespace("http://www.w3.org/ns/shacl#")
ADMS = Namespace("http://purl.org/adms/publishertype/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")


@pytest.fixture(scope="module")
def graph() -> Graph:
    return catalogue(PUBLISHER, ROUNDS, QUESTIONNAIRES, nuts2=["SE11", "SE12", "SE33"])


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def conforms(data: Graph, shapes: Graph) -> tuple[bool, str, set]:
    """(conforms, the report as text, the properties of the violations) by pyshacl."""
    ok, results, text = validate(data, shacl_graph=shapes, inference="none", advanced=True)
    paths = {results.value(result, SH.resultPath) for result in results.subjects(SH.resultSeverity, SH.Violation)}
    return ok, text, paths


def test_rdfxml_and_turtle_parse_to_the_same_graph(graph):
    from_xml = Graph().parse(data=to_rdfxml(graph), format="xml")
    from_ttl = Graph().parse(data=to_turtle(graph), format="turtle")
    assert len(from_xml) == len(graph) > 50
    assert isomorphic(from_xml, from_ttl)


def test_the_catalogue_passes_the_dcat_ap_se_shapes(graph, shapes):
    parsed = Graph().parse(data=to_rdfxml(graph), format="xml")  # what the portal harvests
    ok, text, _ = conforms(parsed, shapes)
    assert ok, text


def test_harvesting_rules(graph):
    """No blank nodes at all, absolute http(s) IRIs, the publisher's dataportal IRI, CC BY written exactly."""
    for triple in graph:
        for term in triple:
            assert not isinstance(term, BNode)
            if isinstance(term, URIRef):
                assert str(term).split(":", 1)[0] in {"http", "https", "mailto"}, term
    publisher = URIRef("http://dataportal.se/organisation/SE2021001234")
    assert (None, DCTERMS.publisher, publisher) in graph
    assert (publisher, DCTERMS.type, ADMS.NationalAuthority) in graph
    licences = set(graph.objects(None, DCTERMS.license))
    assert licences == {URIRef("http://creativecommons.org/licenses/by/4.0/")}
    contact = next(graph.objects(None, DCAT.contactPoint))
    assert contact != publisher
    assert (contact, VCARD.hasEmail, URIRef("mailto:oppnadata@example.org")) in graph


def test_datasets_carry_the_recommended_properties_in_both_languages(graph):
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 4
    for dataset in datasets:
        assert str(dataset).startswith(BASE + "/")
        for prop in (DCTERMS.title, DCTERMS.description):
            assert {value.language for value in graph.objects(dataset, prop)} == {"sv", "en"}
        assert (dataset, DCTERMS.conformsTo, URIRef(f"{BASE}/questionnaires/regional-validering/1")) in graph
        assert (dataset, DCTERMS.accrualPeriodicity,
                URIRef("http://publications.europa.eu/resource/authority/frequency/ANNUAL")) in graph
        spatial = set(graph.objects(dataset, DCTERMS.spatial))
        assert URIRef("http://publications.europa.eu/resource/authority/country/SWE") in spatial
        assert URIRef("http://data.europa.eu/nuts/code/SE33") in spatial
        period = next(graph.objects(dataset, DCTERMS.temporal))
        assert graph.value(period, DCAT.startDate) == Literal(dt.date(2024, 2, 1))
        assert graph.value(period, DCAT.endDate) == Literal(dt.date(2025, 11, 28))
        assert graph.value(dataset, DCTERMS.modified) == Literal(dt.date(2025, 12, 10))
        formats = {str(graph.value(d, DCTERMS["format"])) for d in graph.objects(dataset, DCAT.distribution)}
        assert formats == {"text/csv"}
        urls = {str(graph.value(d, DCAT.downloadURL)) for d in graph.objects(dataset, DCAT.distribution)}
        assert len(urls) == 2 and all(url.startswith(BASE + "/") and url.endswith(".csv") for url in urls)


def _without(graph: Graph, subject_type: URIRef, prop: URIRef) -> Graph:
    changed = Graph()
    for triple in graph:
        changed.add(triple)
    subject = next(iter(graph.subjects(RDF.type, subject_type)))
    changed.remove((subject, prop, None))
    return changed


@pytest.mark.parametrize(("subject_type", "prop"), [
    (DCAT.Catalog, DCTERMS.title),
    (DCAT.Catalog, DCTERMS.description),
    (DCAT.Catalog, DCTERMS.publisher),
    (DCAT.Catalog, DCTERMS.license),
    (DCAT.Catalog, DCAT.dataset),
    (DCAT.Dataset, DCTERMS.title),
    (DCAT.Dataset, DCTERMS.description),
    (DCAT.Dataset, DCTERMS.publisher),
    (DCAT.Dataset, DCAT.contactPoint),
    (DCAT.Distribution, DCAT.accessURL),
    (DCAT.Distribution, DCTERMS["format"]),
    (FOAF.Agent, FOAF.name),
    (FOAF.Agent, DCTERMS.type),
    (VCARD.Organization, VCARD.fn),
    (VCARD.Organization, VCARD.hasEmail),
])
def test_the_shapes_fail_without_a_mandatory_property(graph, shapes, subject_type, prop):
    ok, text, paths = conforms(_without(graph, subject_type, prop), shapes)
    assert not ok and prop in paths, text


def test_the_shapes_catch_an_english_only_title_a_blank_publisher_and_a_misspelt_licence(graph, shapes):
    dataset = next(iter(graph.subjects(RDF.type, DCAT.Dataset)))
    changed = _without(graph, DCAT.Dataset, DCTERMS.title)
    changed.add((dataset, DCTERMS.title, Literal("Maturity", lang="en")))
    assert not conforms(changed, shapes)[0]

    changed = _without(graph, DCAT.Catalog, DCTERMS.publisher)
    catalog = next(iter(graph.subjects(RDF.type, DCAT.Catalog)))
    blank = BNode()
    changed.add((catalog, DCTERMS.publisher, blank))
    changed.add((blank, RDF.type, FOAF.Agent))
    changed.add((blank, FOAF.name, Literal("x", lang="sv")))
    changed.add((blank, DCTERMS.type, ADMS.NationalAuthority))
    assert not conforms(changed, shapes)[0]

    changed = _without(graph, DCAT.Distribution, DCTERMS.license)
    distribution = next(iter(graph.subjects(RDF.type, DCAT.Distribution)))
    changed.add((distribution, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0")))
    assert not conforms(changed, shapes)[0]


def test_the_same_catalogue_gives_the_same_bytes_whatever_the_order_of_its_statements(graph):
    """A harvester sees no change unless something changed (rdflib's own RDF/XML follows Python's hashing)."""
    import random

    triples = list(graph)
    random.Random(5).shuffle(triples)
    shuffled = Graph(bind_namespaces="none")
    for prefix, namespace in graph.namespaces():
        shuffled.bind(prefix, namespace)
    for triple in triples:
        shuffled.add(triple)
    assert to_rdfxml(shuffled) == to_rdfxml(graph)
    assert to_turtle(shuffled) == to_turtle(graph)
