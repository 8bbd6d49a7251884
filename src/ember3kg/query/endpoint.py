"""The endpoint engine: any SPARQL 1.1 endpoint, reached through SPARQLWrapper.

The endpoint's default graph must be the union of the named graphs (e.g.
``oxigraph serve --union-default-graph``). A query is checked with rdflib's parser
first, so that a syntax error reads the same as on the embedded engines, and is sent
behind the project's ``PREFIX`` lines (:func:`~ember3kg.query.syntax.declared_text`);
parameters travel in an injected ``VALUES`` block (:mod:`ember3kg.query.values`).
An endpoint that answers with anything but SPARQL results is a
:class:`~ember3kg.errors.ServerError`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import Graph
from rdflib.query import Result
from rdflib.term import Node

from ember3kg.errors import InputError, ServerError
from ember3kg.iris import display_url, split_userinfo
from ember3kg.push import Credentials
from ember3kg.query.answer import Answer, graph_answer, rows_answer
from ember3kg.query.catalogue import Question
from ember3kg.query.engine import DEFAULT_TIMEOUT, one_line
from ember3kg.query.syntax import declared_text, prepare_rdflib_query
from ember3kg.query.values import inject_values, query_form, strip_comments


@dataclass(frozen=True)
class EndpointEngine:
    """A SPARQL 1.1 endpoint reached through SPARQLWrapper; parameters bound by an injected ``VALUES`` block.

    :param url: the endpoint's query URL, without user information.
    :param timeout: seconds to wait for an answer.
    :param credentials: HTTP Basic credentials (from a ``user:password@`` part of the URL).
    """

    url: str
    timeout: float = DEFAULT_TIMEOUT
    credentials: Credentials | None = None

    def run(self, question: Question, bindings: Mapping[str, Node]) -> Answer:
        """Send ``question`` to the endpoint and normalise its answer."""
        from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

        sparql = inject_values(question, bindings) if bindings else question.sparql
        prepare_rdflib_query(Question(question.name, sparql, question.source))
        wrapper = SPARQLWrapper(self.url)
        # SPARQLWrapper guesses query or update from keywords, comments included: send none.
        wrapper.setQuery(declared_text(strip_comments(sparql)))
        wrapper.setMethod(POST)
        wrapper.setTimeout(max(1, round(self.timeout)))
        if self.credentials is not None:
            wrapper.setHTTPAuth("BASIC")
            wrapper.setCredentials(self.credentials.user, self.credentials.password)
        # SPARQLWrapper's own guess of the query form can be misled by IRIs: lex it ourselves.
        graph_query = query_form(sparql) in ("CONSTRUCT", "DESCRIBE")
        wrapper.setReturnFormat(TURTLE if graph_query else JSON)
        try:
            response = wrapper.query()
            data = response.response.read()
        except Exception as exc:  # every transport or HTTP failure is the endpoint's, whatever its class
            raise self._error(f"{type(exc).__name__}: {one_line(exc)[:300]}") from None
        try:
            return self._answer(data, graph_query)
        except Exception as exc:  # an answer that is not SPARQL results, whatever the parser raised
            expected = "RDF" if graph_query else "JSON results"
            raise self._error(f"not a SPARQL {expected} answer: {one_line(exc)[:200]}") from None

    @staticmethod
    def _answer(data: bytes, graph_query: bool) -> Answer:
        """Read an endpoint's answer with rdflib's parsers: Turtle for a graph query, SPARQL JSON results otherwise."""
        if graph_query:
            graph = Graph()
            graph.parse(data=data, format="turtle")
            return graph_answer(graph)
        result = Result.parse(io.BytesIO(data), format="json")
        if result.type == "ASK":
            return Answer(boolean=bool(result.askAnswer))
        variables = [str(var) for var in result.vars or ()]
        return rows_answer(variables, ([row.get(var) for var in result.vars or ()] for row in result.bindings))

    def _error(self, reason: str) -> ServerError:
        """Make a :class:`ServerError` naming the endpoint, with no credentials in it."""
        message = f"{display_url(self.url)}: {display_url(reason)}"
        return ServerError(self.credentials.scrub(message) if self.credentials else message)


def endpoint_engine(url: str | None, timeout: float) -> EndpointEngine:
    """Make an :class:`EndpointEngine`; an URL is required, its ``user:password@`` part becomes credentials."""
    if not url or not re.match(r"https?://", url):
        raise InputError(f"the endpoint engine needs an http(s) URL, got {display_url(url or '')!r}")
    stripped, userinfo = split_userinfo(url)
    return EndpointEngine(stripped, timeout, Credentials(*userinfo) if userinfo else None)
