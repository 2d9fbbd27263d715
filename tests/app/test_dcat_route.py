"""The catalogue dataportal.se harvests, served by the app at a stable path: RDF/XML at /datasets/dcat and
Turtle at /datasets/dcat.ttl, for published rounds only; 503 while the publisher is not configured."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from app import web

PUBLISHER = {"MOGNAD_PUBLISHER_NAME": "Myndigheten för yrkeshögskolan", "MOGNAD_PUBLISHER_ORGNR": "2021006883",
             "MOGNAD_PUBLISHER_EMAIL": "registrator@myh.se", "MOGNAD_PUBLISHER_URL": "https://mognad.myh.se"}


@pytest.fixture
def client(demo_db, monkeypatch):
    monkeypatch.setattr(web, "_db", None)  # the routes' store follows this test's database
    return TestClient(Starlette(routes=web.routes()))


def test_the_catalogue_is_served_for_published_rounds(client, monkeypatch):
    rdflib = pytest.importorskip("rdflib")
    for name, value in PUBLISHER.items():
        monkeypatch.setenv(name, value)
    answer = client.get("/datasets/dcat")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/rdf+xml")
    graph = rdflib.Graph().parse(data=answer.content, format="xml")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    assert list(graph.subjects(rdflib.RDF.type, dcat.Catalog))
    titles = " ".join(str(o) for o in graph.objects(None, rdflib.URIRef("http://purl.org/dc/terms/title")))
    assert "2025" in titles or list(graph.subjects(rdflib.RDF.type, dcat.Dataset))
    assert "2026" not in answer.text  # the unpublished demo round is not in it
    turtle = client.get("/datasets/dcat.ttl")
    assert turtle.status_code == 200 and len(rdflib.Graph().parse(data=turtle.text, format="turtle")) == len(graph)


def test_without_publisher_settings_the_catalogue_says_so(client, monkeypatch):
    for name in PUBLISHER:
        monkeypatch.delenv(name, raising=False)
    assert client.get("/datasets/dcat").status_code == 503
