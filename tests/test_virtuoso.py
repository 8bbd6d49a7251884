"""``ember3kg push`` to Virtuoso Open Source: Digest authentication, both protocols, blank nodes, ASK answers.

The server is Debian's ``virtuoso-opensource`` on a new database (``virtuoso_support``);
the module is skipped, saying so, where it is not installed. The golden answers of
every question on Virtuoso are in ``test_queries_server.py``.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from virtuoso_support import PASSWORD, USER, VirtuosoServer, find_virtuoso

from conftest import CLI
from ember3kg.io.inputs import RdfInput
from ember3kg.publish.dataset import load_dataset
from ember3kg.query import normalise_term
from ember3kg.reasoning.entailment import with_entailment
from ember3kg.stores.push import count_triples, push, uploads
from ember3kg.stores.sparql_client import (
    NTRIPLES,
    PASSWORD_VARIABLE,
    Connection,
    Credentials,
    SparqlClient,
    boolean_answer,
)

pytestmark = pytest.mark.server

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
#: A wrong password, which must never be printed.
WRONG = "not-the-password"
#: A graph whose triples share blank nodes, as the dataset's do (lists, n-ary values).
_GRAPH = "urn:ember3kg:test:blank-nodes"
_TURTLE = """
@prefix ex: <urn:ember3kg:test:> .
ex:trial ex:arms ( ex:a ex:b ) ;
    ex:value [ ex:estimate 0.90 ; ex:ci [ ex:lower 0.04 ; ex:upper 0.9 ] ] .
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """Start Virtuoso on a new database for the module."""
    find_virtuoso()
    with VirtuosoServer(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


def _blank_node_dataset() -> Dataset:
    """Build a one-graph dataset from :data:`_TURTLE`."""
    dataset = Dataset()
    dataset.graph(URIRef(_GRAPH)).parse(data=_TURTLE, format="turtle")
    return dataset


def _values(graph: Graph) -> Graph:
    """Copy ``graph`` with every literal in its canonical form: stores keep values (0.90 comes back 0.9)."""
    copy = Graph()
    for triple in graph:
        copy.add(tuple(normalise_term(term) for term in triple))  # type: ignore[arg-type]
    return copy


def _cli(*args: str, password: str = PASSWORD) -> subprocess.CompletedProcess[str]:
    """Run the installed command line with the password in the environment."""
    env = {**os.environ, PASSWORD_VARIABLE: password}
    return subprocess.run([str(CLI), *args], capture_output=True, text=True, env=env, check=False, timeout=300)


@pytest.mark.slow
def test_cli_push_with_digest_authentication_writes_every_graph(virtuoso: VirtuosoServer) -> None:
    pushed = with_entailment(RdfInput.packaged()).dataset()  # push writes the entailment graph by default
    expected = {str(upload.graph): len(upload.triples) for upload in uploads(pushed)}

    result = _cli("push", virtuoso.store, "--user", USER)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"pushed {sum(expected.values())} triples in {len(expected)} graphs")
    assert result.stdout.rstrip().endswith(f"verified at {virtuoso.query}")
    assert count_triples(virtuoso.query, list(expected)) == expected


@pytest.mark.slow
def test_cli_push_with_a_wrong_password_is_one_line_without_it(virtuoso: VirtuosoServer) -> None:
    result = _cli("push", virtuoso.store, "--user", USER, "--retries", "0", password=WRONG)

    assert result.returncode == 4
    assert result.stderr.splitlines()[-1].startswith(f"error: PUT {uploads(load_dataset())[0].graph}")
    assert "HTTP 401" in result.stderr
    assert WRONG not in result.stderr + result.stdout


@pytest.mark.parametrize("protocol", ["graph-store", "update"])
def test_blank_nodes_arrive_linked_as_they_were(virtuoso: VirtuosoServer, protocol: str) -> None:
    connection = Connection(Credentials(USER, PASSWORD), retries=0)
    target = {"graph-store": {"store_url": virtuoso.store}, "update": {"update_endpoint": virtuoso.update}}[protocol]
    dataset = _blank_node_dataset()

    result = push(dataset, query_endpoint=virtuoso.query, connection=connection, batch_size=2, **target)

    sent = _values(dataset.graph(URIRef(_GRAPH)))
    held = _values(
        Graph().parse(data=SparqlClient(connection).get_graph(virtuoso.store, _GRAPH, NTRIPLES), format="nt")
    )
    assert result.counts == {_GRAPH: len(sent)}
    assert isomorphic(held, sent)
    assert any(isinstance(node, BNode) for node in held.objects())


@pytest.mark.parametrize(("query", "expected"), [("ASK { }", True), ("ASK { ?s <urn:ember3kg:test:none> ?o }", False)])
def test_virtuoso_ask_answers_are_booleans(virtuoso: VirtuosoServer, query: str, expected: bool) -> None:
    document = SparqlClient().results(virtuoso.query, query)

    assert boolean_answer(document) is expected


def test_decimals_come_back_as_values(virtuoso: VirtuosoServer) -> None:
    push(
        _blank_node_dataset(),
        virtuoso.store,
        query_endpoint=virtuoso.query,
        connection=Connection(Credentials(USER, PASSWORD), retries=0),
    )
    query = f"SELECT ?v WHERE {{ GRAPH <{_GRAPH}> {{ ?x <urn:ember3kg:test:estimate> ?v }} }}"

    rows = SparqlClient().results(virtuoso.query, query)["results"]["bindings"]

    # Like Oxigraph, Virtuoso keeps the value of 0.90, not its lexical form (docs/triple-stores.md).
    assert [(row["v"]["value"], row["v"]["datatype"]) for row in rows] == [("0.9", f"{XSD_NS}decimal")]
