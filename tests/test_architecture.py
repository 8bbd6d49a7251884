"""Every SPARQL execution of the package is in ``ember3kg.query`` (issue 28): a parse of every module says so.

:func:`sparql_executions` reads a module with :mod:`ast` and reports each call that runs
SPARQL outside ``src/ember3kg/query/``:

- a method of :data:`EXECUTING` (``store.query(...)``, ``graph.query(...)``,
  ``client.update(...)``, ``client.results(...)``) on any receiver: rdflib's and
  pyoxigraph's graphs and stores, and the HTTP client, all execute through these names;
- a function of :data:`ENTRY_POINTS` (rdflib's ``prepareQuery``, ``processUpdate``, ...),
  called by name or as an attribute.

The checker cannot know a receiver's type, so a call of one of these names on something
that is not a SPARQL engine (``dict.update``) is reported too, unless :data:`ALLOWED`
lists it by file, function and receiver, with the reason. The allow-list is checked to
be exact: an allowance no call needs any more fails the test.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "src" / "ember3kg"
#: The one package that may execute SPARQL.
QUERY_PACKAGE = "query/"
#: Method names that execute SPARQL on rdflib graphs, pyoxigraph stores and ``SparqlClient``.
EXECUTING = frozenset({"query", "update", "results"})
#: rdflib's functions that parse or run SPARQL, whatever they are called on.
ENTRY_POINTS = frozenset({"prepareQuery", "prepareUpdate", "processUpdate", "evalQuery", "evalUpdate"})
#: (file under src/ember3kg, enclosing function, receiver) -> why the call is not a SPARQL execution.
ALLOWED = {
    ("reasoning/entailment.py", "_closure.add", "entailed"): "a dict's update (the entailed triples, in order)",
    ("evidence/site.py", "_shape_rules", "messages"): "a set's update (the messages of a shape)",
    ("evidence/site.py", "_ontology_digest", "digest"): "hashlib's update (the digest of the ontology)",
    ("evidence/fhir.py", "_Builder.quantity", "quantity"): "a dict's update (a FHIR Quantity being built)",
    ("stores/sparql_client.py", "SparqlClient.results", "self"): (
        "the HTTP client parses what its own query() fetched: transport, called from ember3kg.query only"
    ),
}


def sparql_calls(source: str, path: str) -> Iterator[tuple[int, str, str, str]]:
    """Yield ``(line, function, receiver, call)`` for each call of an executing name in ``source``."""
    scopes: list[str] = []

    def visit(node: ast.AST) -> Iterator[tuple[int, str, str, str]]:
        scoped = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        if scoped:
            scopes.append(node.name)  # type: ignore[union-attr]
        if isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Attribute) and function.attr in EXECUTING | ENTRY_POINTS:
                receiver = ast.unparse(function.value)
                yield node.lineno, ".".join(scopes), receiver, f"{receiver}.{function.attr}(...)"
            elif isinstance(function, ast.Name) and function.id in ENTRY_POINTS:
                yield node.lineno, ".".join(scopes), "", f"{function.id}(...)"
        for child in ast.iter_child_nodes(node):
            yield from visit(child)
        if scoped:
            scopes.pop()

    yield from visit(ast.parse(source, filename=path))


def sparql_executions(source: str, path: str, allowed: set[tuple[str, str, str]] | None = None) -> list[str]:
    """Report the SPARQL executions of one module outside ``query/``, one ``FILE:LINE: ...`` line each.

    :param path: the module's path under ``src/ember3kg``, e.g. ``evidence/fhir.py``.
    :param allowed: collects the allowances of :data:`ALLOWED` that a call used.
    """
    if path.startswith(QUERY_PACKAGE):
        return []
    found = []
    for line, function, receiver, call in sparql_calls(source, path):
        if (path, function, receiver) in ALLOWED:
            if allowed is not None:
                allowed.add((path, function, receiver))
            continue
        where = f" in {function}" if function else ""
        found.append(f"{path}:{line}: {call}{where} runs SPARQL outside ember3kg.query")
    return found


def test_no_sparql_execution_outside_the_query_package() -> None:
    allowed: set[tuple[str, str, str]] = set()
    found = [
        message
        for module in sorted(PACKAGE.rglob("*.py"))
        for message in sparql_executions(module.read_text("utf-8"), module.relative_to(PACKAGE).as_posix(), allowed)
    ]

    assert found == []
    assert allowed == set(ALLOWED), "an allowance no call needs any more"


def test_the_checker_reports_an_execution_by_file_and_line() -> None:
    source = (
        "import pyoxigraph\n"
        "def count(store: pyoxigraph.Store) -> int:\n"
        "    return len(list(store.query('SELECT * WHERE { ?s ?p ?o }')))\n"
        "class Report:\n"
        "    def parse(self, text):\n"
        "        from rdflib.plugins.sparql import prepareQuery\n"
        "        return prepareQuery(text)\n"
        "entailed = {}\n"
        "entailed.update({})\n"
    )

    assert sparql_executions(source, "evidence/example.py") == [
        "evidence/example.py:3: store.query(...) in count runs SPARQL outside ember3kg.query",
        "evidence/example.py:7: prepareQuery(...) in Report.parse runs SPARQL outside ember3kg.query",
        "evidence/example.py:9: entailed.update(...) runs SPARQL outside ember3kg.query",
    ]
    assert sparql_executions(source, "query/example.py") == []


def test_an_allowance_holds_only_for_its_file_function_and_receiver() -> None:
    source = "def _shape_rules(shapes):\n    messages.update(x)\n    graph.update('DELETE WHERE { ?s ?p ?o }')\n"

    assert sparql_executions(source, "evidence/site.py") == [
        "evidence/site.py:3: graph.update(...) in _shape_rules runs SPARQL outside ember3kg.query"
    ]
