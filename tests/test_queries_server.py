"""Every competency question through ``ember3kg query --endpoint``, after ``ember3kg push``, on two real stores.

Neither store makes the union of the named graphs its default graph: a plain
``oxigraph serve`` (its default graph is a graph of its own, empty here) and Virtuoso
Open Source (Debian's ``virtuoso-opensource``, started by :mod:`virtuoso_support`;
skipped, saying so, where it is not installed). Both are filled by the ``push``
command and asked by the ``query`` command, in this process (``ember3kg.cli.main``),
and every answer is compared with its golden answer in ``tests/expected/``.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator

import pytest
from queries_support import PARAMS, Case, cases
from rdflib import Graph
from rdflib.compare import isomorphic
from virtuoso_support import PASSWORD, USER, VirtuosoServer, find_virtuoso

from ember3kg.cli import main
from ember3kg.errors import InputError
from ember3kg.io.inputs import RdfInput
from ember3kg.query import Question, run_question
from ember3kg.stores.serve import OxigraphServer, free_port
from ember3kg.stores.sparql_client import PASSWORD_VARIABLE

pytestmark = pytest.mark.server

CASES = cases()
STORES = ("oxigraph", "virtuoso")


def _store_cases() -> list[object]:
    """Every (store, case) pair."""
    return [pytest.param(store, case, id=f"{store}-{case.id}") for store in STORES for case in CASES]


def _push(*args: str) -> None:
    """Run ``ember3kg push`` in this process, its summary kept out of the tests' output; fail on a non-zero exit."""
    with contextlib.redirect_stdout(io.StringIO()) as summary:
        assert main(["push", *args]) == 0
    assert summary.getvalue().startswith("pushed ")


@pytest.fixture(scope="module")
def oxigraph_endpoint() -> Iterator[str]:
    """Start a plain ``oxigraph serve`` (no union default graph), push the dataset; yield its query URL."""
    with OxigraphServer(free_port()) as server:
        _push(server.endpoints.store)
        yield server.endpoints.query


@pytest.fixture(scope="module")
def virtuoso_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start Virtuoso on a new database, push the dataset with Digest authentication; yield its query URL."""
    find_virtuoso()
    with VirtuosoServer(tmp_path_factory.mktemp("virtuoso")) as server, pytest.MonkeyPatch.context() as patch:
        patch.setenv(PASSWORD_VARIABLE, PASSWORD)
        _push(server.store, "--user", USER)
        yield server.query


def _params(case: Case) -> list[str]:
    """List the ``--param`` options of a case, as written in its ``.params`` file."""
    path = PARAMS / f"{case.id}.params"
    lines = path.read_text("utf-8").splitlines() if case.params else []
    return [option for line in lines if line.strip() for option in ("--param", line.strip())]


@pytest.mark.parametrize(("store", "case"), _store_cases())
def test_question_through_the_query_command_gives_the_golden_answer(
    store: str, case: Case, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    endpoint = request.getfixturevalue(f"{store}_endpoint")

    code = main(["query", case.question, "--endpoint", endpoint, "--format", "csv", *_params(case)])

    output = capsys.readouterr().out
    assert code == 0
    if case.expected.suffix == ".ttl":  # a graph answer is written as N-Triples
        expected = Graph().parse(case.expected, format="turtle")
        assert isomorphic(Graph().parse(data=output, format="nt"), expected)
    else:  # the W3C CSV format ends lines with CRLF; the golden files keep LF for readable diffs
        assert output.replace("\r\n", "\n") == case.expected.read_text("utf-8")


def test_a_store_without_the_pushed_graphs_is_an_error_not_an_empty_table(
    oxigraph_endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    endpoint = oxigraph_endpoint

    code = main(["query", "trial-design", "--endpoint", endpoint, "--graph-prefix", "urn:x:never-pushed/"])

    captured = capsys.readouterr()
    assert code == 4
    assert captured.out == ""
    assert captured.err == (
        f"error: {endpoint}: no named graph under <urn:x:never-pushed/>: the dataset was not pushed there, "
        "or was pushed with another graph prefix\n"
    )


def test_query_and_push_name_the_graph_prefix_the_same_way(capsys: pytest.CaptureFixture[str]) -> None:
    prefix = "urn:ember3kg:test:"
    with OxigraphServer(free_port()) as server:
        _push(server.endpoints.store, "--graph-prefix", prefix)
        default = main(["query", "trial-design", "--endpoint", server.endpoints.query])
        default_err = capsys.readouterr().err
        code = main(["query", "trial-design", "--endpoint", server.endpoints.query, "--graph-prefix", prefix])
        output = capsys.readouterr().out

    assert default == 4 and "no named graph under <https://w3id.org/ember3kg/graph/>" in default_err
    assert code == 0
    assert re.search(r"^EMBER-3\b", output, re.MULTILINE)


def test_syntax_error_is_reported_before_sending(oxigraph_endpoint: str) -> None:
    question = Question("bad", "SELECT ?x WHERE {\n  ?x ?y }\n", "bad.rq")
    with pytest.raises(InputError, match=r"^bad\.rq:2:\d+: SPARQL syntax error"):
        run_question(question, RdfInput.remote(oxigraph_endpoint), engine="endpoint")
