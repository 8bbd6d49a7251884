"""The federated question joins our drugs with a second, local SPARQL server standing in for ChEBI."""

from __future__ import annotations

import csv
from collections.abc import Iterator

import pytest

from conftest import DATA
from ember3kg.errors import InputError, ServerError
from ember3kg.query.federation import federated_question, run_federated, service_endpoints, with_endpoint
from ember3kg.stores.serve import OxigraphServer, free_port
from ember3kg.stores.sparql_client import TURTLE, SparqlClient

FEDERATION = DATA / "federation"
EXPECTED = list(csv.DictReader((FEDERATION / "drug-chebi-roles.expected.tsv").open(encoding="utf-8"), delimiter="\t"))


@pytest.fixture(scope="module")
def stand_in() -> Iterator[str]:
    """Start a local oxigraph server on 127.0.0.1 holding the made-up ChEBI stand-in; its query URL."""
    with OxigraphServer(free_port(), union_default_graph=True) as server:
        body = (FEDERATION / "chebi-stand-in.ttl").read_bytes()
        SparqlClient().put_graph(server.endpoints.store, "urn:ember3kg:test:chebi-stand-in", body, TURTLE)
        yield server.endpoints.query


def test_the_question_names_the_public_endpoint() -> None:
    assert service_endpoints(federated_question("drug-chebi-roles")) == ["https://sparql.rhea-db.org/sparql"]


@pytest.mark.server
def test_federated_question_returns_the_joined_rows(stand_in: str) -> None:
    rows = run_federated(federated_question("drug-chebi-roles"), endpoint=stand_in)

    assert [{key: row[key] for key in EXPECTED[0]} for row in rows] == EXPECTED


def test_with_endpoint_needs_exactly_one_service_clause() -> None:
    with pytest.raises(InputError, match="exactly one SERVICE clause; found 0"):
        with_endpoint("SELECT * WHERE { ?s ?p ?o }", "http://127.0.0.1:1/query")


@pytest.mark.server
def test_an_unreachable_endpoint_is_a_server_error() -> None:
    with pytest.raises(ServerError, match=r"^federated query: SERVICE failed: "):
        run_federated(federated_question("drug-chebi-roles"), endpoint=f"http://127.0.0.1:{free_port()}/query")
