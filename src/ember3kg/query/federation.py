"""Federated competency questions: our graph joined with an external SPARQL endpoint.

A federated question is a packaged ``queries/federated/*.rq`` file with one
``SERVICE <IRI>`` clause naming the public endpoint to use. They live apart from the
other questions because they need the network. :func:`with_endpoint` swaps the
``SERVICE`` IRI for another endpoint (a mirror, or the local stand-in the tests
start), textually and before parsing, because SPARQL has no way to bind a
``SERVICE`` IRI from outside the query.

The query runs on pyoxigraph, which evaluates ``SERVICE`` itself over HTTP, against
an in-memory store holding the dataset (union of the named graphs as default graph).
A failing ``SERVICE`` endpoint is a :class:`~ember3kg.errors.ServerError`, as on the
endpoint engine of :mod:`ember3kg.query`.
"""

from __future__ import annotations

import re
from importlib.resources import files

from ember3kg.errors import InputError, ServerError
from ember3kg.io.inputs import RdfInput
from ember3kg.vocab.iris import display_url

_SERVICE = re.compile(r"(SERVICE\s+(?:SILENT\s+)?<)([^>]*)(>)", re.IGNORECASE)


def federated_question(name: str) -> str:
    """Read the packaged federated question ``name`` (file stem).

    :raises InputError: no such question.
    """
    resource = files("ember3kg.queries").joinpath("federated").joinpath(f"{name}.rq")
    if not resource.is_file():
        raise InputError(f"unknown federated question {name!r}")
    return resource.read_text(encoding="utf-8")


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

    :returns: one dict per solution: variable -> the value's lexical form (IRI or literal text).
    :raises InputError: the query is not a valid SELECT query.
    :raises ServerError: the endpoint fails or cannot be reached (the same failure as on the endpoint engine).

    Example:
        >>> rows = run_federated(federated_question("drug-chebi-roles"))  # doctest: +SKIP
    """
    import pyoxigraph

    query = sparql if endpoint is None else with_endpoint(sparql, endpoint)
    try:
        solutions = RdfInput.packaged().store().query(query, use_default_graph_as_union=True)
        if not isinstance(solutions, pyoxigraph.QuerySolutions):
            raise InputError("a federated question must be a SELECT query")
        variables = [variable.value for variable in solutions.variables]
        return [
            {name: solution[name].value for name in variables if solution[name] is not None} for solution in solutions
        ]
    except SyntaxError as exc:
        raise InputError(f"federated query is not valid SPARQL: {' '.join(str(exc).split())}") from None
    except OSError as exc:  # the SERVICE endpoint failed or is unreachable
        raise ServerError(f"federated query failed: {display_url(' '.join(str(exc).split()))}") from None
