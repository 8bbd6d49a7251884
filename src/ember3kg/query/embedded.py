"""The embedded engines: rdflib's and pyoxigraph's SPARQL engines over the packaged dataset.

Both query the *union* of the named graphs as their default graph, bind parameters
with their own mechanism (rdflib's ``initBindings``, pyoxigraph's ``substitutions``;
both pre-bind the variable in the whole query, SEP-0007) and evaluate the query in
a child process that is killed after ``timeout`` seconds or on Ctrl-C
(:func:`ember3kg.query.time_limit.run_bounded`); a series of questions shares one child.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import Variable
from rdflib.term import Node

from ember3kg.errors import InputError, ServerError
from ember3kg.io.inputs import RdfInput
from ember3kg.query.answer import Answer, graph_answer, rows_answer
from ember3kg.query.catalogue import Question
from ember3kg.query.engine import DEFAULT_TIMEOUT, one_line
from ember3kg.query.syntax import prepare_rdflib_query, project_prefixes, syntax_error, unknown_prefix_error
from ember3kg.query.time_limit import run_bounded, run_bounded_each
from ember3kg.vocab.terms import oxigraph_converter, to_oxigraph


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
        return lambda: self._evaluate(dataset, prepared, init, question)

    @staticmethod
    def _evaluate(dataset: Any, prepared: Any, init: Mapping[Variable, Node], question: Question) -> Answer:
        """Evaluate a prepared query and build the answer (in the child process)."""
        try:
            result = dataset.query(prepared, initBindings=init)
            return RdflibEngine._answer(result)
        except OSError as exc:  # a SERVICE call failed
            raise ServerError(f"{question.source}: SERVICE failed: {one_line(exc)}") from None

    @staticmethod
    def _answer(result: Any) -> Answer:
        """Turn an rdflib query result into an answer."""
        if result.type == "ASK":
            return Answer(boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return graph_answer(result.graph or ())
        variables = [str(var) for var in result.vars or ()]
        return rows_answer(variables, ([row.get(Variable(v)) for v in variables] for row in result.bindings))


_OXIGRAPH_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
#: The prefix name just before the position of Oxigraph's "Prefix not found".
_PREFIX_BEFORE = re.compile(r"([A-Za-z][\w.-]*)?:[\w.-]*$")


class OxigraphEngine(_EmbeddedEngine):
    """pyoxigraph's SPARQL engine over an input's store; parameters bound with ``substitutions``."""

    def _evaluation(self, question: Question, bindings: Mapping[str, Node]) -> Callable[[], Answer]:
        """Make the store here; parse and evaluate in the child."""
        store = self.data.store()
        return lambda: self._evaluate(store, question, bindings)

    @staticmethod
    def _evaluate(store: Any, question: Question, bindings: Mapping[str, Node]) -> Answer:
        """Evaluate ``question`` on ``store`` and build the answer (in the child process)."""
        import pyoxigraph

        substitutions = {pyoxigraph.Variable(k): to_oxigraph(v) for k, v in bindings.items()}
        try:
            result = store.query(
                question.sparql,
                prefixes=dict(project_prefixes()),
                use_default_graph_as_union=True,
                substitutions=substitutions,
            )
            return OxigraphEngine._answer(result)
        except SyntaxError as exc:
            raise OxigraphEngine._syntax_error(question, str(exc)) from None
        except RuntimeError as exc:  # e.g. a substituted variable missing from the projection
            raise InputError(f"{question.source}: {exc}") from None
        except OSError as exc:  # a SERVICE call failed
            raise ServerError(f"{question.source}: SERVICE failed: {one_line(exc)}") from None

    @staticmethod
    def _syntax_error(question: Question, message: str) -> InputError:
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

    @staticmethod
    def _answer(result: Any) -> Answer:
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
