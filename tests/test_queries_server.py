"""Competency questions through SPARQLWrapper against a real Oxigraph server on 127.0.0.1.

The session fixture serves the packaged dataset, with its entailment graph, from an in-memory Oxigraph on a free
port, with the union of its named graphs as the default graph, and always stops it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from queries_support import Case, assert_expected, cases

from ember3kg.entailment import with_entailment
from ember3kg.errors import InputError
from ember3kg.query import Question, questions, run_question
from ember3kg.serve import OxigraphServer, free_port, preload

pytestmark = pytest.mark.server

CASES = cases()


@pytest.fixture(scope="session")
def endpoint() -> Iterator[str]:
    """URL of the query service of an Oxigraph server holding the packaged dataset (and entailment) as its union."""
    with OxigraphServer(free_port(), union_default_graph=True) as server:
        preload(server, with_entailment())
        yield server.endpoints.query


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_question_gives_expected_answer_on_server(endpoint: str, case: Case) -> None:
    answer = run_question(questions()[case.question], engine="endpoint", endpoint=endpoint, params=case.params)
    assert_expected(answer, case)


def test_syntax_error_is_reported_before_sending(endpoint: str) -> None:
    question = Question("bad", "SELECT ?x WHERE {\n  ?x ?y }\n", "bad.rq")
    with pytest.raises(InputError, match=r"^bad\.rq:2:\d+: SPARQL syntax error"):
        run_question(question, engine="endpoint", endpoint=endpoint)
