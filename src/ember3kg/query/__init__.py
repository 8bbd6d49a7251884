"""Competency questions: run SPARQL over the ember3kg dataset, embedded or on an endpoint.

The package is split by job:

- :mod:`~ember3kg.query.catalogue`: the packaged questions and ad hoc queries;
- :mod:`~ember3kg.query.params`: ``--param`` values parsed into typed RDF terms;
- :mod:`~ember3kg.query.syntax`: the project's prefixes, and one-line syntax errors;
- :mod:`~ember3kg.query.embedded`: the ``rdflib`` and ``oxigraph`` engines, and the package's own
  queries (:func:`store_answer`, :func:`lexical_answer`, :class:`QueryCachingGraph`);
- :mod:`~ember3kg.query.endpoint`: the ``endpoint`` engine (any SPARQL 1.1 endpoint);
- :mod:`~ember3kg.query.values`: a small lexer, and ``VALUES`` injection for endpoints;
- :mod:`~ember3kg.query.answer`: answers, the same on every engine, in printed precision;
- :mod:`~ember3kg.query.companions`: the printed forms asked for in a query of your own;
- :mod:`~ember3kg.query.results`: output formats (table, W3C result formats, RDF syntaxes).

No module outside this package runs SPARQL (``tests/test_architecture.py`` checks it).
Engines are entries of :data:`ENGINES`. Every engine queries the *union* of the named
graphs as its default graph, and stops a query after ``timeout`` seconds
(:data:`DEFAULT_TIMEOUT`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from types import MappingProxyType

from rdflib.term import Node

from ember3kg.errors import InputError
from ember3kg.io.inputs import RdfInput
from ember3kg.query.answer import Answer, normalise_term, render_term
from ember3kg.query.catalogue import Question, QuestionSummary, find_question, list_questions, questions
from ember3kg.query.companions import with_printed_companions
from ember3kg.query.embedded import OxigraphEngine, QueryCachingGraph, RdflibEngine, lexical_answer, store_answer
from ember3kg.query.endpoint import EndpointEngine, endpoint_engine
from ember3kg.query.engine import DEFAULT_TIMEOUT, Engine
from ember3kg.query.params import parse_param, parse_term
from ember3kg.query.results import FORMATS, format_answer
from ember3kg.query.syntax import prepare_rdflib_query, project_prefixes
from ember3kg.query.values import inject_values, variables

__all__ = [
    "DEFAULT_ENGINE",
    "DEFAULT_TIMEOUT",
    "EMBEDDED_ENGINES",
    "ENGINES",
    "FORMATS",
    "Answer",
    "EndpointEngine",
    "Engine",
    "OxigraphEngine",
    "QueryCachingGraph",
    "Question",
    "QuestionSummary",
    "RdflibEngine",
    "find_question",
    "format_answer",
    "inject_values",
    "lexical_answer",
    "list_questions",
    "normalise_term",
    "parse_param",
    "parse_term",
    "prepare_rdflib_query",
    "project_prefixes",
    "questions",
    "render_term",
    "run_question",
    "run_questions",
    "store_answer",
]

#: Engine name -> factory taking the input (embedded engines query its data, ``endpoint`` its URL), the
#: timeout and the graph prefix of the dataset on an endpoint (ignored by the embedded engines).
ENGINES: Mapping[str, Callable[[RdfInput, float, str | None], Engine]] = MappingProxyType(
    {
        "rdflib": lambda data, timeout, prefix: RdflibEngine(data, timeout),
        "oxigraph": lambda data, timeout, prefix: OxigraphEngine(data, timeout),
        "endpoint": lambda data, timeout, prefix: endpoint_engine(data.endpoint, timeout, prefix),
    }
)
#: The embedded engines (no server needed).
EMBEDDED_ENGINES: tuple[str, ...] = ("rdflib", "oxigraph")
#: The faster embedded engine (benchmarks/query_bench.py measures both).
DEFAULT_ENGINE = "oxigraph"


def run_question(
    question: Question,
    data: RdfInput,
    *,
    engine: str = DEFAULT_ENGINE,
    params: Mapping[str, Node] | None = None,
    graph_prefix: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Answer:
    """Answer a question on one engine.

    :param question: from :func:`questions`, :func:`find_question` or built from text.
    :param data: what to ask: local RDF for the embedded engines, a remote input for ``endpoint``.
    :param engine: a key of :data:`ENGINES`.
    :param params: variable name -> term (see :func:`parse_param`); each must be a
        variable of the query.
    :param graph_prefix: for the ``endpoint`` engine: the start of the IRIs of the
        dataset's graphs on the store (see :class:`EndpointEngine`); the dataset's own by default.
    :param timeout: seconds before the query is stopped, on every engine.
    :raises InputError: unknown engine, unknown parameter or a syntax error (``FILE:LINE:COL:``).
    :raises ServerError: the endpoint or a ``SERVICE`` call fails, or the endpoint does not answer in time.
    :raises LimitError: an embedded engine did not answer within ``timeout``.

    Example:
        >>> run_question(questions()["trial-design"], RdfInput.packaged()).table()[0][0]
        'EMBER-3'
    """
    asked = _with_companions(question)
    return _engine(engine, data, timeout, graph_prefix).run(asked, _bindings(asked, params))


def run_questions(
    asked: Sequence[Question],
    data: RdfInput,
    *,
    engine: str = DEFAULT_ENGINE,
    params: Mapping[str, Node] | None = None,
    graph_prefix: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Iterator[Answer]:
    """Answer several questions on one engine, yielding the answers in order.

    As :func:`run_question` for each, with every parameter of ``params`` bound in every
    question (each must be a variable of all of them). The embedded engines evaluate the
    whole series in one child process, so a large store is forked once, not once per
    question; each answer is still waited for at most ``timeout`` seconds. The first
    failure is raised and ends the series.

    Example:
        >>> [a.table()[0][0] for a in run_questions([questions()["trial-design"]] * 2, RdfInput.packaged())]
        ['EMBER-3', 'EMBER-3']
    """
    runner = _engine(engine, data, timeout, graph_prefix)
    prepared = [_with_companions(question) for question in asked]
    return runner.run_each([(question, _bindings(question, params)) for question in prepared])


def _with_companions(question: Question) -> Question:
    """Give a packaged question as written (it projects its printed forms), any other with them added.

    See :mod:`ember3kg.query.companions`: a number a query of your own selects is then
    printed as its source prints it, like the numbers of the packaged questions.
    """
    return question if questions().get(question.name) == question else with_printed_companions(question)


def _engine(engine: str, data: RdfInput, timeout: float, graph_prefix: str | None) -> Engine:
    """Make the engine named ``engine`` over ``data``.

    :raises InputError: unknown engine.
    """
    try:
        make = ENGINES[engine]
    except KeyError:
        raise InputError(f"unknown engine {engine!r}; engines: {', '.join(ENGINES)}") from None
    return make(data, timeout, graph_prefix)


def _bindings(question: Question, params: Mapping[str, Node] | None) -> dict[str, Node]:
    """Check that each parameter is a variable of ``question``; give them as bindings.

    :raises InputError: the query has no such variable.
    """
    bindings = dict(params or {})
    names = variables(question.sparql)
    for name in bindings:
        if name not in names:
            raise InputError(f"{question.source}: parameter {name}: the query has no variable ?{name}")
    return bindings
