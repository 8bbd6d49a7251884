"""The files of ``ember3kg build``, bulk-loaded into three stores by their own loaders, answer every question.

The route docs/triple-stores.md gives a user who does not ``push``: load
``build/ember3kg.nq`` with the store's own tool, then ask. Each store is filled by its
loader and asked every competency question, whose answer must be its golden answer
(the embedded one, ``tests/expected/``):

- a plain Oxigraph server (``oxigraph load``, then ``oxigraph serve``, no union default
  graph), asked through ``ember3kg query --endpoint``'s engine;
- Apache Jena TDB2 (Debian's ``libapache-jena-java``): ``tdb2.tdbloader``, then
  ``tdb2.tdbquery`` with the union of the named graphs as the default graph, each run
  with ``java -cp`` on the class path that :mod:`ember3kg.checks.jena_shacl` sets up; its SPARQL JSON (N-Triples for a
  graph) is read by the same parsers as an endpoint's answer;
- Virtuoso Open Source (:mod:`virtuoso_support`), filled by its bulk loader
  (``ld_dir`` and ``rdf_loader_run`` through ``isql-vt``), asked through the endpoint engine.

Before issue 26 the dumps lacked the entailment graph, and 13 questions answered
differently (``overall-survival-results``: no row instead of three).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from queries_support import Case, assert_expected, cases
from virtuoso_support import VirtuosoServer, find_virtuoso

from ember3kg.checks.jena_shacl import JVM_LOGGING, home, unavailable
from ember3kg.io.inputs import RdfInput
from ember3kg.query import Answer, find_question, inject_values, run_question
from ember3kg.query.endpoint import EndpointEngine
from ember3kg.query.syntax import declared_text
from ember3kg.query.values import query_form
from ember3kg.stores.serve import OxigraphServer, find_oxigraph, free_port
from ember3kg.vocab.namespaces import GRAPH

CASES = cases()
#: The stores asked through the endpoint engine, each by the fixture ``<store>_loaded``.
STORES = ("oxigraph", "virtuoso")


@pytest.fixture(scope="module")
def dump(default_build: Path) -> Path:
    """Give the N-Quads file of ``ember3kg build`` with its defaults."""
    return default_build / "ember3kg.nq"


@pytest.fixture(scope="module")
def oxigraph_loaded(dump: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Load the dump with ``oxigraph load``, serve the store plainly; yield its query URL."""
    location = tmp_path_factory.mktemp("oxigraph")
    subprocess.run(
        [find_oxigraph(), "load", "--location", str(location), "--file", str(dump)], check=True, capture_output=True
    )
    with OxigraphServer(free_port(), location) as server:
        yield server.endpoints.query


@pytest.fixture(scope="module")
def virtuoso_loaded(dump: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Load the dump with Virtuoso's bulk loader on a new database; yield its query URL."""
    find_virtuoso()
    directory = tmp_path_factory.mktemp("virtuoso")
    shutil.copy(dump, directory / dump.name)  # the loader reads only from DirsAllowed: the server's folder
    with VirtuosoServer(directory) as server:
        server.isql(f"ld_dir('.', '{dump.name}', '{GRAPH}'); rdf_loader_run(); checkpoint;")
        yield server.query


def _jena_classpath() -> str:
    """Give the class path of Debian's Jena (set up on first use), or skip saying how to install it."""
    reason = unavailable()
    if reason is not None:
        pytest.skip(f"Jena cannot be used: {reason} (make jena installs it)")
    return (home() / "classpath").read_text().strip()


@pytest.fixture(scope="module")
def jena_loaded(dump: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Load the dump into a new TDB2 database with ``tdb2.tdbloader``; give its location."""
    location = tmp_path_factory.mktemp("tdb2") / "db"
    subprocess.run(
        ["java", "-cp", _jena_classpath(), "tdb2.tdbloader", "--loc", str(location), str(dump)],  # noqa: S607
        check=True,
        capture_output=True,
    )
    return location


def _tdb_java(location: Path) -> list[str]:
    """Start ``java`` for the TDB2 tools: the first run archives the classes it loads, the later ones map them.

    Each question is a new JVM; class-data sharing and the quick compiler alone (``TieredStopAtLevel=1``)
    halve its start-up, and the JVM's warnings go to stderr, not into the answer.
    """
    archive = location.parent / "tdbquery.jsa"
    sharing = f"-XX:SharedArchiveFile={archive}" if archive.is_file() else f"-XX:ArchiveClassesAtExit={archive}"
    return ["java", *JVM_LOGGING, "-XX:TieredStopAtLevel=1", sharing, "-cp", _jena_classpath()]


def _ask_jena(location: Path, case: Case, folder: Path) -> Answer:
    """Ask one question of the TDB2 database with ``tdb2.tdbquery``, over the union of its named graphs."""
    question = find_question(case.question)
    sparql = declared_text(inject_values(question, case.params) if case.params else question.sparql)
    form = query_form(sparql)
    query = folder / f"{case.id}.rq"
    query.write_text(sparql, "utf-8")
    results = "nt" if form in ("CONSTRUCT", "DESCRIBE") else "json"
    done = subprocess.run(
        [
            *_tdb_java(location),
            "tdb2.tdbquery",
            "--loc",
            str(location),
            "--set",
            "tdb:unionDefaultGraph=true",
            "--results",
            results,
            "--query",
            str(query),
        ],
        capture_output=True,
        check=True,
    )
    return EndpointEngine._answer(done.stdout, form)


@pytest.mark.server
@pytest.mark.parametrize(
    ("store", "case"), [pytest.param(store, case, id=f"{store}-{case.id}") for store in STORES for case in CASES]
)
def test_a_store_loaded_with_the_dump_gives_every_golden_answer(
    store: str, case: Case, request: pytest.FixtureRequest
) -> None:
    endpoint = request.getfixturevalue(f"{store}_loaded")

    answer = run_question(
        find_question(case.question), RdfInput.remote(endpoint), engine="endpoint", params=case.params
    )

    assert_expected(answer, case)


@pytest.mark.java
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_jena_tdb2_loaded_with_the_dump_gives_every_golden_answer(
    jena_loaded: Path, case: Case, tmp_path: Path
) -> None:
    answer = _ask_jena(jena_loaded, case, tmp_path)

    assert_expected(answer, case)
