"""``ember3kg push`` against a real Oxigraph server, and its failures against a dead port and a stub.

Every graph pushed is read back over the Graph Store Protocol and compared with the
graph ``ember3kg export --format nq`` writes. The HTTP stub (a local ``http.server``)
only stands in for server errors and refused credentials, as cases under
``data/push/failures/``.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node

from conftest import CLI, DATA, curie, packaged_graph_names, parametrize_on_collection, run_cli
from ember3kg.errors import InputError, ServerError, VerificationError
from ember3kg.io.inputs import RdfInput
from ember3kg.publish.dataset import load_dataset
from ember3kg.publish.export import serialize
from ember3kg.reasoning.entailment import entailment_graph
from ember3kg.reasoning.reason import ENTAILMENT_GRAPH, INFERRED_GRAPH
from ember3kg.stores.push import count_triples, derive_query_endpoint, push
from ember3kg.stores.serve import OxigraphServer, free_port
from ember3kg.stores.sparql_client import PASSWORD_VARIABLE, Connection

pytestmark = pytest.mark.server

FAILURES = sorted((DATA / "push" / "failures").glob("*.json"))
with (DATA / "push" / "query-endpoints.tsv").open(newline="") as table:
    QUERY_ENDPOINTS = list(csv.DictReader(table, delimiter="\t"))
#: A password that must never be printed.
#: xsd:decimal (not through rdflib's XSD namespace, whose attribute lookups warn under pytest).
DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
PASSWORD = "s3cret-do-not-print"  # noqa: S105 (a test value)


@cache
def _exported() -> dict[str, Graph]:
    """Parse the named graphs exactly as ``ember3kg export --format nq`` writes them (once, on first use)."""
    parsed = Dataset().parse(data=serialize(load_dataset(), "nq"), format="nquads")
    return {str(context.identifier): context for context in parsed.graphs() if len(context)}


@cache
def _pushed() -> dict[str, Graph]:
    """Give what ``ember3kg push`` writes by default: the named graphs and the packaged entailment graph."""
    return {**_exported(), str(ENTAILMENT_GRAPH): entailment_graph(RdfInput.packaged())}


def _decimal_values(graph: Graph) -> Graph:
    """Copy ``graph`` with every xsd:decimal literal in its shortest form ("0.90" -> "0.9", "3.0" -> "3").

    Oxigraph stores decimals as values, so it gives back that form: the value, and so
    every SPARQL answer, is the same, but not the term (see docs/triple-stores.md).
    """
    copy = Graph()
    for triple in graph:
        copy.add(tuple(_shortest(term) for term in triple))  # type: ignore[arg-type]
    return copy


def _shortest(term: Node) -> Node:
    """Shorten an xsd:decimal literal to its shortest lexical form; keep any other term."""
    if isinstance(term, Literal) and term.datatype == DECIMAL:
        text = format(Decimal(str(term)).normalize(), "f")
        return Literal(text, datatype=DECIMAL)
    return term


def _read_back(server: OxigraphServer, graph: str) -> Graph:
    """GET one graph over the Graph Store Protocol."""
    url = f"{server.endpoints.store}?{urllib.parse.urlencode({'graph': graph})}"
    request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})  # noqa: S310 (local server)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (local server)
        return Graph().parse(data=response.read(), format="nt")


def _server_graphs(server: OxigraphServer) -> set[str]:
    """List the names of the non-empty graphs the server holds."""
    query = urllib.parse.urlencode({"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"})
    request = urllib.request.Request(  # noqa: S310 (local server)
        f"{server.endpoints.query}?{query}", headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (local server)
        rows = json.load(response)["results"]["bindings"]
    return {row["g"]["value"] for row in rows}


@pytest.fixture(scope="module")
def pushed() -> Iterator[OxigraphServer]:
    """Start a server and push the dataset to it once, through the Graph Store Protocol."""
    with OxigraphServer(free_port()) as server:
        push(load_dataset(), server.endpoints.store)
        yield server


@parametrize_on_collection("graph", packaged_graph_names, ids=curie)
def test_every_pushed_graph_reads_back_isomorphic(graph: str, pushed: OxigraphServer) -> None:
    assert isomorphic(_read_back(pushed, graph), _decimal_values(_exported()[graph]))


def test_server_holds_exactly_the_exported_graphs(pushed: OxigraphServer) -> None:
    assert _server_graphs(pushed) == set(_exported())


def test_pushing_twice_leaves_the_same_counts(oxigraph: OxigraphServer) -> None:
    expected = {graph: len(content) for graph, content in _exported().items()}

    first = push(load_dataset(), oxigraph.endpoints.store)
    after_first = count_triples(oxigraph.endpoints.query, list(expected))
    second = push(load_dataset(), oxigraph.endpoints.store)
    after_second = count_triples(oxigraph.endpoints.query, list(expected))

    assert first.counts == second.counts == expected
    assert after_first == after_second == expected
    assert first.verified_with == oxigraph.endpoints.query


def test_update_endpoint_writes_the_same_graphs(oxigraph: OxigraphServer) -> None:
    # Batches of 7 split most graphs many times, so triples that share a blank node
    # must be kept together for the read-back to be isomorphic.
    result = push(load_dataset(), update_endpoint=oxigraph.endpoints.update, batch_size=7)

    assert result.verified_with == oxigraph.endpoints.query
    assert _server_graphs(oxigraph) == set(_exported())
    for graph, content in _exported().items():
        assert isomorphic(_read_back(oxigraph, graph), _decimal_values(content)), f"graph {curie(graph)} differs"


def test_graph_prefix_renames_every_graph(oxigraph: OxigraphServer) -> None:
    prefix = "urn:example:ember3kg:"

    push(load_dataset(), oxigraph.endpoints.store, graph_prefix=prefix)

    renamed = {prefix + graph.rsplit("/", 1)[1] for graph in _exported()}
    assert _server_graphs(oxigraph) == renamed


def test_count_mismatch_is_a_verification_error(oxigraph: OxigraphServer) -> None:
    with OxigraphServer(free_port()) as other:
        with pytest.raises(VerificationError, match=r"count mismatch at .*holds 0 triples, expected"):
            push(load_dataset(), oxigraph.endpoints.store, query_endpoint=other.endpoints.query)


def test_relative_graph_prefix_is_an_input_error() -> None:
    with pytest.raises(InputError, match="not an absolute IRI"):
        push(load_dataset(), "http://127.0.0.1:9/store", graph_prefix="graphs/")


def test_dead_port_is_a_server_error_naming_the_graph() -> None:
    url = f"http://127.0.0.1:{free_port()}/store"

    with pytest.raises(
        ServerError, match=r"connection refused.*was not changed \(the server was not reached\); 0 of \d+ graphs"
    ):
        push(load_dataset(), url, connection=Connection(retries=1, backoff=0.01))


@pytest.mark.parametrize("row", QUERY_ENDPOINTS, ids=lambda row: row["upload_url"])
def test_query_endpoint_is_derived_from_the_upload_url(row: dict[str, str]) -> None:
    assert derive_query_endpoint(row["upload_url"]) == (row["query_endpoint"] or None)


# --- the command line ------------------------------------------------------------------


def _run_with_env(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    """Run the installed command with exactly the environment ``env``."""
    return subprocess.run([str(CLI), *args], env=env, capture_output=True, check=False, timeout=120)


@pytest.mark.slow
def test_cli_push_loads_every_triple_and_a_second_push_keeps_the_count(oxigraph: OxigraphServer) -> None:
    total = sum(map(len, _pushed().values()))
    expected = f"pushed {total} triples in {len(_pushed())} graphs"

    first = run_cli("push", oxigraph.endpoints.store)
    second = run_cli("push", oxigraph.endpoints.store)

    for result in (first, second):
        assert result.returncode == 0, result.stderr.decode()
        assert result.stdout.decode().startswith(expected)
        assert f"verified at {oxigraph.endpoints.query}" in result.stdout.decode()
    assert sum(count_triples(oxigraph.endpoints.query, list(_pushed())).values()) == total


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="the reasoner needs Java")
def test_cli_push_inferred_adds_the_inferred_graph(oxigraph: OxigraphServer) -> None:
    result = run_cli("push", oxigraph.endpoints.store, "--inferred")

    assert result.returncode == 0, result.stderr.decode()
    assert _server_graphs(oxigraph) == {*_pushed(), str(INFERRED_GRAPH)}


@pytest.mark.slow
def test_cli_push_to_a_dead_port_fails_with_one_line() -> None:
    result = run_cli("push", f"http://127.0.0.1:{free_port()}/store", "--retries", "1")

    lines = result.stderr.decode().splitlines()
    assert result.returncode == ServerError.exit_code
    assert lines[-1].startswith("error: ") and "connection refused" in lines[-1]
    assert all(not line.startswith("error") for line in lines[:-1])
    assert "Traceback" not in result.stderr.decode()


@pytest.mark.slow
def test_cli_user_without_password_variable_is_an_input_error() -> None:
    env = {key: value for key, value in os.environ.items() if key != PASSWORD_VARIABLE}

    result = _run_with_env("push", "http://127.0.0.1:9/store", "--user", "alice", env=env)

    assert result.returncode == InputError.exit_code
    assert (
        result.stderr.decode()
        == f"error: user alice needs the password in the environment variable {PASSWORD_VARIABLE}\n"
    )


@dataclass
class _Stub:
    """A local HTTP server answering every request with one status and body, and recording them."""

    status: int
    body: str
    challenge: str | None = None
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)


@pytest.fixture
def stub(request: pytest.FixtureRequest) -> Iterator[tuple[_Stub, str]]:
    """Start the stub for the failure case ``request.param``; yields it and its Graph Store URL."""
    case = json.loads(Path(request.param).read_text())
    state = _Stub(case["status"], case["body"], case.get("challenge"))

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            state.requests.append((self.command, self.path, self.headers.get("Authorization")))
            data = state.body.encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            if state.challenge is not None:
                self.send_header("WWW-Authenticate", state.challenge)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = _answer

        def log_message(self, *args: object) -> None:
            """Keep the test output quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/store"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("case", "stub"), [(path, path) for path in FAILURES], ids=[p.stem for p in FAILURES], indirect=["stub"]
)
def test_cli_push_failure_gives_one_line_with_the_servers_message(case: Path, stub: tuple[_Stub, str]) -> None:
    expected = json.loads(case.read_text())
    state, url = stub

    result = _run_with_env(
        "push", url, "--user", "alice", *expected["args"], env={**os.environ, PASSWORD_VARIABLE: PASSWORD}
    )

    stderr = result.stderr.decode()
    error_lines = [line for line in stderr.splitlines() if line.startswith("error: ")]
    assert result.returncode == expected["exit_code"]
    assert len(error_lines) == 1 and stderr.splitlines()[-1] == error_lines[0]
    for fragment in expected["message"]:
        assert fragment in error_lines[0]
    assert PASSWORD not in stderr + result.stdout.decode()
    assert [method for method, _, _ in state.requests].count("PUT") == expected["puts"]
    # Credentials go only where a server asks for them, in the scheme it asks for.
    assert [auth and auth.split(" ", 1)[0] for _, _, auth in state.requests] == expected["schemes"]
