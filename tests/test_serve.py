"""``ember3kg serve``: starts Oxigraph with the dataset, answers SPARQL, stops on SIGINT or SIGTERM."""

from __future__ import annotations

import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from conftest import CLI, packaged_reasoning, packaged_union
from ember3kg.errors import ServerError
from ember3kg.publish.void import VOID_GRAPH
from ember3kg.reasoning.reason import INFERRED_GRAPH
from ember3kg.stores.serve import HOST, Endpoints, OxigraphServer, free_port
from ember3kg.vocab.namespaces import EKG

pytestmark = [pytest.mark.server, pytest.mark.slow]

#: Seconds to wait for the server to load the data, and to stop.
STARTUP = 60.0
SHUTDOWN = 15.0


def _select(endpoint: str, query: str, timeout: float = 10) -> list[dict[str, str]]:
    """Run a SELECT query; rows as variable -> value."""
    url = f"{endpoint}?{urllib.parse.urlencode({'query': query})}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})  # noqa: S310 (local)
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (local server)
        rows = json.load(response)["results"]["bindings"]
    return [{name: cell["value"] for name, cell in row.items()} for row in rows]


def _read_until(process: subprocess.Popen[bytes], marker: str, timeout: float) -> str:
    """Read the process's standard output until it contains ``marker``."""
    assert process.stdout is not None
    seen = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline and marker.encode() not in seen:
            if selector.select(timeout=0.2):
                chunk = os.read(process.stdout.fileno(), 65536)
                if not chunk:
                    break
                seen += chunk
    if marker.encode() not in seen:
        raise AssertionError(f"no {marker!r} from ember3kg serve; got {seen.decode()!r}")
    return seen.decode()


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex((HOST, port)) == 0


@contextmanager
def _serving(port: int, *options: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """Run ``ember3kg serve --port PORT [OPTIONS]``; yield it and its banner once the data is loaded; always end it."""
    command = [str(CLI), "serve", "--port", str(port), *options]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        yield process, _read_until(process, "Ctrl-C", STARTUP)
    finally:
        # SIGTERM first: ember3kg stops its oxigraph child then; a SIGKILL would orphan it.
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(SHUTDOWN)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _randomized_totals() -> list[tuple[str, str]]:
    """Each trial with the size of its randomized population, read from the packaged data by rdflib."""
    union = packaged_union()
    return sorted(
        (str(trial), str(size))
        for trial, population in union.subject_objects(EKG.randomizedPopulation)
        for size in union.objects(population, EKG.populationSize)
    )


#: Every trial with the size of its randomized population, asked of the server.
_RANDOMIZED_TOTALS = (
    "PREFIX ekg: <https://w3id.org/ember3kg/ontology#> SELECT ?trial ?size "
    "WHERE { GRAPH ?g { ?trial ekg:randomizedPopulation ?p } GRAPH ?h { ?p ekg:populationSize ?size } }"
)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=lambda number: signal.Signals(number).name)
def test_serve_answers_queries_and_stops_on_signal(stop: signal.Signals) -> None:
    port = free_port()
    endpoints = Endpoints(f"http://{HOST}:{port}")

    # Without the reasoner's graph, which the signals do not care about (test_serve_includes_the_inferred_graph).
    with _serving(port, "--no-inferred") as (process, banner):
        rows = _select(endpoints.query, _RANDOMIZED_TOTALS)
        process.send_signal(stop)
        _, stderr = process.communicate(timeout=SHUTDOWN)

    # the same answer as rdflib gives on the packaged files: every trial with a randomized total
    assert rows
    assert sorted((row["trial"], row["size"]) for row in rows) == _randomized_totals()
    for url in (endpoints.query, endpoints.update, endpoints.store, endpoints.ui):
        assert url in banner
    assert process.returncode == 0, stderr.decode()
    assert not _port_open(port), "oxigraph still listens after ember3kg serve stopped"


def test_a_query_sent_while_serve_loads_waits_and_gets_the_data() -> None:
    port = free_port()
    endpoints = Endpoints(f"http://{HOST}:{port}")
    process = subprocess.Popen([str(CLI), "serve", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + STARTUP
        while not _port_open(port) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.01)
        # The port is taken at once, long before the data is in: this query waits for it.
        early = sorted(
            (row["trial"], row["size"]) for row in _select(endpoints.query, _RANDOMIZED_TOTALS, timeout=STARTUP)
        )
        banner = _read_until(process, "Ctrl-C", STARTUP)
        after = sorted((row["trial"], row["size"]) for row in _select(endpoints.query, _RANDOMIZED_TOTALS))
    finally:
        process.terminate()
        process.communicate(timeout=SHUTDOWN)

    assert early == after == _randomized_totals()
    assert endpoints.query in banner


@pytest.fixture(scope="module")
def served() -> Iterator[Endpoints]:
    """Run one ``ember3kg serve`` for the tests that only query it; stopped with SIGINT."""
    port = free_port()
    with _serving(port) as (process, _):
        yield Endpoints(f"http://{HOST}:{port}")
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=SHUTDOWN)


def test_void_counts_equal_the_counts_on_the_server(served: Endpoints) -> None:
    described = _select(
        served.query,
        "PREFIX void: <http://rdfs.org/ns/void#> PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> "
        f"SELECT ?g ?n WHERE {{ GRAPH <{VOID_GRAPH}> {{ ?subset sd:name ?g ; void:triples ?n }} }}",
    )
    held = _select(served.query, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")

    expected = {row["g"]: int(row["n"]) for row in described}
    found = {row["g"]: int(row["n"]) for row in held if row["g"] != str(VOID_GRAPH)}
    assert expected and found == expected


@pytest.mark.skipif(shutil.which("java") is None, reason="the reasoner needs Java")
def test_serve_includes_the_inferred_graph(served: Endpoints) -> None:
    rows = _select(served.query, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} }}")

    assert int(rows[0]["n"]) == len(packaged_reasoning().graph())


def test_serve_on_a_busy_port_fails_with_one_line() -> None:
    with OxigraphServer(free_port()) as busy:
        result = subprocess.run(
            [str(CLI), "serve", "--port", str(busy.port)], capture_output=True, check=False, timeout=SHUTDOWN
        )

    assert result.returncode == ServerError.exit_code
    assert result.stderr.decode() == f"error: port {busy.port} on {HOST} is already in use\n"


def test_served_dataset_answers_a_competency_question_unchanged(served: Endpoints) -> None:
    result = subprocess.run(
        [str(CLI), "query", "trial-design", "--format", "csv", "--endpoint", served.query],
        capture_output=True,
        check=False,
        timeout=SHUTDOWN,
    )

    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().splitlines()[1].startswith("EMBER-3,NCT04975308,phase 3,")
