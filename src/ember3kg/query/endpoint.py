"""The endpoint engine: any SPARQL 1.1 endpoint, through :mod:`ember3kg.stores.sparql_client`.

Stores disagree on what their default graph is (the union of the named graphs, or a
graph of its own), so every query names its dataset with the protocol's
``default-graph-uri`` and ``named-graph-uri`` parameters (see :class:`EndpointEngine`).
A query is checked with rdflib's parser first, so that a syntax error reads the same
as on the embedded engines, and is sent behind the project's ``PREFIX`` lines
(:func:`~ember3kg.query.syntax.declared_text`); parameters travel in an injected
``VALUES`` block (:mod:`ember3kg.query.values`). An endpoint that answers with anything
but SPARQL results is a :class:`~ember3kg.errors.ServerError`.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal
from rdflib.query import Result
from rdflib.term import Node

from ember3kg.errors import InputError, ServerError
from ember3kg.query.answer import Answer, graph_answer, rows_answer
from ember3kg.query.catalogue import Question
from ember3kg.query.engine import DEFAULT_TIMEOUT, one_line
from ember3kg.query.syntax import declared_text, prepare_rdflib_query
from ember3kg.query.values import inject_values, query_form
from ember3kg.stores.sparql_client import (
    GRAPH_ANSWER,
    SPARQL_JSON,
    Connection,
    Credentials,
    SparqlClient,
    boolean_answer,
)
from ember3kg.vocab.iris import checked_iri, display_url, split_userinfo
from ember3kg.vocab.namespaces import GRAPH


@dataclass(frozen=True)
class EndpointEngine:
    """A SPARQL 1.1 endpoint, through :class:`~ember3kg.stores.sparql_client.SparqlClient`; parameters as ``VALUES``.

    The query's dataset is every graph of the store whose IRI starts with
    :attr:`graph_prefix`, found by a first query and sent as ``default-graph-uri`` and
    ``named-graph-uri``: the questions then see the union of the pushed graphs on any
    store. A store holding no such graph is an error, not an empty answer.

    :param url: the endpoint's query URL, without user information.
    :param timeout: seconds to wait for an answer.
    :param credentials: sent when the endpoint asks (from a ``user:password@`` part of the URL).
    :param graph_prefix: the start of the IRIs of the dataset's graphs on the store
        (what ``push`` was given as its graph prefix).
    """

    url: str
    timeout: float = DEFAULT_TIMEOUT
    credentials: Credentials | None = None
    graph_prefix: str = str(GRAPH)

    def run(self, question: Question, bindings: Mapping[str, Node]) -> Answer:
        """Send ``question`` to the endpoint, over the union of the dataset's graphs, and normalise its answer."""
        sparql = inject_values(question, bindings) if bindings else question.sparql
        prepare_rdflib_query(Question(question.name, sparql, question.source))
        client = SparqlClient(Connection(self.credentials, self.timeout, retries=0))
        graphs = self.dataset_graphs(client)
        form = query_form(sparql)
        graph_query = form in ("CONSTRUCT", "DESCRIBE")
        accept = GRAPH_ANSWER if graph_query else SPARQL_JSON
        data = client.query(self.url, declared_text(sparql), accept=accept, graphs=graphs)
        try:
            return self._answer(data, form)
        except Exception as exc:  # an answer that is not SPARQL results, whatever the parser raised
            expected = "RDF" if graph_query else "JSON results"
            raise self._error(f"not a SPARQL {expected} answer: {one_line(exc)[:200]}") from None

    def run_each(self, asked: Sequence[tuple[Question, Mapping[str, Node]]]) -> Iterator[Answer]:
        """Send the questions one after another, yielding the answers in order."""
        return (self.run(question, bindings) for question, bindings in asked)

    def dataset_graphs(self, client: SparqlClient) -> list[str]:
        """List the graphs of the store whose IRI starts with :attr:`graph_prefix`, sorted.

        :raises ServerError: the store holds none, or cannot be asked.
        """
        prefix = Literal(checked_iri(self.graph_prefix, "graph prefix")).n3()
        text = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {prefix})) }}"
        document = select_results(client, self.url, text)
        try:
            graphs = sorted(row["g"]["value"] for row in document["results"]["bindings"])
        except (TypeError, KeyError) as exc:
            raise self._error(f"not a SPARQL JSON answer: {one_line(exc)}") from None
        if not graphs:
            raise self._error(
                f"no named graph under <{self.graph_prefix}>: the dataset was not pushed there, "
                "or was pushed with another graph prefix"
            )
        return graphs

    @staticmethod
    def _answer(data: bytes, form: str | None) -> Answer:
        """Read an answer with rdflib's parsers: Turtle (N-Triples included) for a graph query, else SPARQL JSON."""
        if form in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph()
            graph.parse(data=data, format="turtle")
            return graph_answer(graph)
        if form == "ASK":  # some stores (Virtuoso) answer ASK with a row of 1 or no row
            boolean = boolean_answer(json.loads(data))
            if boolean is None:
                raise ValueError("an ASK answer without a boolean")
            return Answer(boolean=boolean)
        result = Result.parse(io.BytesIO(data), format="json")
        variables = [str(var) for var in result.vars or ()]
        return rows_answer(variables, ([row.get(var) for var in result.vars or ()] for row in result.bindings))

    def _error(self, reason: str) -> ServerError:
        """Make a :class:`ServerError` naming the endpoint, with no credentials in it."""
        message = f"{display_url(self.url)}: {display_url(reason)}"
        return ServerError(self.credentials.scrub(message) if self.credentials else message)


def endpoint_engine(url: str | None, timeout: float, graph_prefix: str | None = None) -> EndpointEngine:
    """Make an :class:`EndpointEngine`; an URL is required, its ``user:password@`` part becomes credentials."""
    if not url or not re.match(r"https?://", url):
        raise InputError(f"the endpoint engine needs an http(s) URL, got {display_url(url or '')!r}")
    stripped, userinfo = split_userinfo(url)
    credentials = Credentials(*userinfo) if userinfo else None
    return EndpointEngine(stripped, timeout, credentials, checked_iri(graph_prefix or str(GRAPH), "graph prefix"))


def send_update(client: SparqlClient, url: str, text: str) -> None:
    """Run a SPARQL Update on the endpoint ``url`` (how ``ember3kg push`` uploads to an update endpoint)."""
    client.update(url, text)


def select_results(client: SparqlClient, url: str, text: str) -> dict[str, Any]:
    """Run a SELECT or ASK query on the endpoint ``url``; its SPARQL JSON results, parsed.

    :raises ServerError: the request fails, or the answer is not a JSON object.
    """
    return client.results(url, text)
