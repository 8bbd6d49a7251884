"""Federated competency questions: our graph joined with an external SPARQL endpoint.

A federated question is a packaged ``queries/federated/*.rq`` file with one
``SERVICE <IRI>`` clause naming the public endpoint to use. They live apart from the
other questions because they need the network. :func:`with_endpoint` swaps the
``SERVICE`` IRI for another endpoint (a mirror, or the local stand-in the tests
start), textually and before parsing, because SPARQL has no way to bind a
``SERVICE`` IRI from outside the query.

The query runs on pyoxigraph (:func:`~ember3kg.query.embedded.store_answer`), which
evaluates ``SERVICE`` itself over HTTP, against an in-memory store holding the dataset
(union of the named graphs as default graph). A failing ``SERVICE`` endpoint is a
:class:`~ember3kg.errors.ServerError`, as on the other engines of :mod:`ember3kg.query`.
"""

from __future__ import annotations

import re

from ember3kg.errors import InputError
from ember3kg.io.inputs import RdfInput
from ember3kg.query.catalogue import Question, packaged_queries
from ember3kg.query.embedded import store_answer

#: Folder of ``queries/`` holding the federated questions.
FEDERATED_QUERIES = "federated"

_SERVICE = re.compile(r"(SERVICE\s+(?:SILENT\s+)?<)([^>]*)(>)", re.IGNORECASE)


def federated_question(name: str) -> str:
    """Read the packaged federated question ``name`` (file stem).

    :raises InputError: no such question.
    """
    try:
        return packaged_queries(FEDERATED_QUERIES)[name].sparql
    except KeyError:
        raise InputError(f"unknown federated question {name!r}") from None


def service_endpoints(sparql: str) -> list[str]:
    """List the IRIs of the ``SERVICE`` clauses of ``sparql``, in order."""
    return [match[2] for match in _SERVICE.finditer(sparql)]


def with_endpoint(sparql: str, endpoint: str) -> str:
    """Replace the IRI of the one ``SERVICE`` clause of ``sparql`` by ``endpoint``.

    :raises InputError: the query has no ``SERVICE`` clause, or more than one.
    """
    found = service_endpoints(sparql)
    if len(found) != 1:
        raise InputError(f"a federated question needs exactly one SERVICE clause; found {len(found)}")
    return _SERVICE.sub(lambda match: f"{match[1]}{endpoint}{match[3]}", sparql)


def run_federated(sparql: str, endpoint: str | None = None) -> list[dict[str, str]]:
    """Run a federated SELECT query over the dataset; ``SERVICE`` goes to ``endpoint`` if given.

    :returns: one dict per solution: variable -> the value's text (IRI or literal, as every engine's answer gives it).
    :raises InputError: the query is not a valid SELECT query (the same one-line errors as ``ember3kg query``).
    :raises ServerError: the endpoint fails or cannot be reached (the same failure as on the endpoint engine).

    Example:
        >>> rows = run_federated(federated_question("drug-chebi-roles"))  # doctest: +SKIP
    """
    query = sparql if endpoint is None else with_endpoint(sparql, endpoint)
    answer = store_answer(Question("federated", query, "federated query"), RdfInput.packaged().store())
    if answer.kind != "rows":
        raise InputError("a federated question must be a SELECT query")
    return [
        {name: str(term) for name, term in zip(answer.variables, row, strict=True) if term is not None}
        for row in answer.rows
    ]
