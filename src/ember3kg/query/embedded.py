"""The embedded engines: rdflib's and pyoxigraph's SPARQL engines over the packaged dataset.

Both query the *union* of the named graphs as their default graph, bind parameters
with their own mechanism (rdflib's ``initBindings``, pyoxigraph's ``substitutions``;
both pre-bind the variable in the whole query, SEP-0007) and evaluate the query in
a child process that is killed after ``timeout`` seconds or on Ctrl-C
(:func:`ember3kg.query.time_limit.run_bounded`); a series of questions shares one child.

The package's own queries that need no time limit run here too, in this process:
:func:`lexical_answer` (rdflib, lexical forms kept: the site, the evidence, the FHIR
export), :func:`store_answer` (pyoxigraph over a loaded store: the quality checks, the
federated questions) and :class:`QueryCachingGraph` (the SHACL-SPARQL constraints of
pySHACL). Every one maps failures to the same one-line errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import Dataset, Graph, Variable
from rdflib.term import Node

from ember3kg.errors import InputError, ServerError
from ember3kg.io.inputs import RdfInput
from ember3kg.query.answer import Answer, graph_answer, rows_answer
from ember3kg.query.catalogue import Question
from ember3kg.query.engine import DEFAULT_TIMEOUT, one_line
from ember3kg.query.syntax import (
    prepare_rdflib_query,
    prepared_text,
    project_prefixes,
    syntax_error,
    unknown_prefix_error,
)
from ember3kg.query.time_limit import run_bounded, run_bounded_each
from ember3kg.vocab.iris import display_url
from ember3kg.vocab.terms import oxigraph_converter, to_oxigraph

if TYPE_CHECKING:  # rdflib's SPARQL engine is imported when a query runs (start-up time)
    from rdflib.plugins.sparql.sparql import Query
    from rdflib.query import Result


@dataclass(frozen=True)
class _EmbeddedEngine:
    """An engine in this process over local RDF; a query runs in a child process stopped after :attr:`timeout`.

    :param data: the RDF to query.
    :param timeout: seconds before the query is stopped.
    """

    data: RdfInput
    timeout: float = DEFAULT_TIMEOUT

    def run(self, question: Question, bindings: Mapping[str, Node]) -> Answer:
        """Run ``question`` with ``bindings`` in a child process stopped after :attr:`timeout`."""
        return run_bounded(self._evaluation(question, bindings), self.timeout, question.source)

    def run_each(self, asked: Sequence[tuple[Question, Mapping[str, Node]]]) -> Iterator[Answer]:
        """Run the questions one after another in one child process, each answer waited for at most :attr:`timeout`."""
        actions = [(self._evaluation(question, bindings), question.source) for question, bindings in asked]
        return run_bounded_each(actions, self.timeout)

    def _evaluation(self, question: Question, bindings: Mapping[str, Node]) -> Callable[[], Answer]:
        """Prepare, in this process, what the child evaluates (the data is made here, so the child shares it)."""
        raise NotImplementedError


class RdflibEngine(_EmbeddedEngine):
    """rdflib's SPARQL engine over an input's dataset; parameters bound with ``initBindings``."""

    def _evaluation(self, question: Question, bindings: Mapping[str, Node]) -> Callable[[], Answer]:
        """Parse the query and make the dataset here; evaluate in the child."""
        prepared = prepare_rdflib_query(question)
        dataset = self.data.dataset()
        init = {Variable(k): v for k, v in bindings.items()}
        return lambda: _rdflib_answer(dataset, prepared, question, init, lexical=False)


def lexical_answer(question: Question, graph: Graph) -> Answer:
    """Answer ``question`` with rdflib over ``graph``, in this process, keeping the lexical forms (``0.90``).

    The answer is *not* normalised: a literal is printed as the source wrote it, which is
    how the site, the forest plots and the FHIR export print numbers. A dataset is asked
    over the union of its graphs, through a view of its store: ``graph`` is not changed.

    :raises InputError: the query does not parse (``SOURCE:LINE:COL: SPARQL syntax error: ...``).
    """
    if isinstance(graph, Dataset):
        union = Dataset(store=graph.store, default_union=True)
        union.namespace_manager = graph.namespace_manager  # a new one would bind rdflib's prefixes in the store
        graph = union
    return _rdflib_answer(graph, prepare_rdflib_query(question), question, {}, lexical=True)


def _rdflib_answer(
    graph: Any, prepared: Any, question: Question, init: Mapping[Variable, Node], *, lexical: bool
) -> Answer:
    """Evaluate a prepared query; the answer normalised (as every engine gives it) or with its lexical forms."""
    try:
        result = graph.query(prepared, initBindings=init)
        if result.type == "ASK":
            return Answer(boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return Answer(graph=result.graph) if lexical else graph_answer(result.graph or ())
        variables = [str(var) for var in result.vars or ()]
        rows = ([row.get(Variable(v)) for v in variables] for row in result.bindings)
        return Answer(tuple(variables), tuple(map(tuple, rows))) if lexical else rows_answer(variables, rows)
    except OSError as exc:  # a SERVICE call failed (rdflib evaluates while the solutions are read)
        raise ServerError(f"{question.source}: SERVICE failed: {display_url(one_line(exc))}") from None


class QueryCachingGraph(Graph):
    """A graph that parses each distinct SPARQL query text once (:func:`~ember3kg.query.syntax.prepared_text`).

    pySHACL hands the text of a SPARQL constraint to :meth:`query` once per focus
    node, and rdflib parses it every time: on this data, parsing was nine tenths of
    the cost of the SHACL-SPARQL constraints, evaluation one tenth.
    """

    def query(self, query_object: str | Query, *args: Any, **kwargs: Any) -> Result:
        """Run ``query_object``, parsing it only the first time this text is seen."""
        if isinstance(query_object, str):
            query_object = prepared_text(query_object)
        return super().query(query_object, *args, **kwargs)


_OXIGRAPH_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
#: The prefix name just before the position of Oxigraph's "Prefix not found".
_PREFIX_BEFORE = re.compile(r"([A-Za-z][\w.-]*)?:[\w.-]*$")


class OxigraphEngine(_EmbeddedEngine):
    """pyoxigraph's SPARQL engine over an input's store; parameters bound with ``substitutions``."""

    def _evaluation(self, question: Question, bindings: Mapping[str, Node]) -> Callable[[], Answer]:
        """Make the store here; parse and evaluate in the child."""
        store = self.data.store()
        return lambda: store_answer(question, store, bindings)


def store_answer(question: Question, store: Any, bindings: Mapping[str, Node] | None = None) -> Answer:
    """Answer ``question`` with pyoxigraph over a loaded store (union of its graphs as default graph), in this process.

    The answer is normalised, as every engine gives it; ``SERVICE`` calls are made over HTTP.

    :param bindings: variable name -> term, bound with ``substitutions``.
    :raises InputError: a syntax error (``SOURCE:LINE:COL: SPARQL syntax error: ...``) or a bad binding.
    :raises ServerError: a ``SERVICE`` call failed.
    """
    import pyoxigraph

    substitutions = {pyoxigraph.Variable(k): to_oxigraph(v) for k, v in (bindings or {}).items()}
    try:
        result = store.query(
            question.sparql,
            prefixes=dict(project_prefixes()),
            use_default_graph_as_union=True,
            substitutions=substitutions,
        )
        return _oxigraph_answer(result)
    except SyntaxError as exc:
        raise _oxigraph_syntax_error(question, str(exc)) from None
    except RuntimeError as exc:  # e.g. a substituted variable missing from the projection
        raise InputError(f"{question.source}: {exc}") from None
    except OSError as exc:  # a SERVICE call failed
        raise ServerError(f"{question.source}: SERVICE failed: {display_url(one_line(exc))}") from None


def _oxigraph_syntax_error(question: Question, message: str) -> InputError:
    """Turn Oxigraph's ``error at LINE:COL: ...`` into the project's one-line syntax error."""
    match = _OXIGRAPH_POSITION.match(message)
    if match is None:
        return InputError(f"{question.source}: SPARQL syntax error: {' '.join(message.split())}")
    line, column = int(match[1]), int(match[2])
    if "Prefix not found" in match[3]:
        text = question.sparql.splitlines()[line - 1] if line <= len(question.sparql.splitlines()) else ""
        prefix = _PREFIX_BEFORE.search(text[: column - 1])
        return unknown_prefix_error(question, (prefix and prefix[1]) or "")
    return syntax_error(question, line, column)


def _oxigraph_answer(result: Any) -> Answer:
    """Turn a pyoxigraph query result into an answer (solutions are computed while read)."""
    import pyoxigraph

    if isinstance(result, pyoxigraph.QueryBoolean):
        return Answer(boolean=bool(result))
    if isinstance(result, pyoxigraph.QueryTriples):
        term = oxigraph_converter()
        return graph_answer((term(x.subject), term(x.predicate), term(x.object)) for x in result)
    variables = [var.value for var in result.variables]
    term = oxigraph_converter()
    return rows_answer(variables, ([term(s[v]) for v in variables] for s in result))
