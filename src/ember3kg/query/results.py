"""Output formats of an answer: a table for reading, the W3C result formats, any RDF syntax for graphs.

SELECT and ASK answers are written in the SPARQL 1.1 Query Results formats, with full
IRIs, datatypes and language tags, by the RDF libraries: JSON by rdflib's result
serializer; XML, CSV and TSV by pyoxigraph's, from rdflib's JSON (rdflib has no TSV
writer, its CSV writer refuses ASK answers, and its XML writer leaves a literal
empty when its value is zero or false). A CONSTRUCT or DESCRIBE answer is
written in a triple syntax of :data:`ember3kg.io.formats.FORMATS` with the project's
deterministic writers. The ``table`` format is for people: aligned columns, IRIs
written as the project's CURIEs (:func:`~ember3kg.query.answer.render_term`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import cast

from rdflib import Graph, Variable
from rdflib.query import Result
from rdflib.term import Identifier

from ember3kg.errors import InputError
from ember3kg.io.formats import FORMATS as RDF_FORMATS
from ember3kg.query.answer import Answer


def _table(answer: Answer) -> str:
    """Aligned columns for reading; a boolean as ``true`` or ``false``."""
    if answer.boolean is not None:
        return f"{'true' if answer.boolean else 'false'}\n"
    cells = [list(answer.variables), *answer.table()]
    widths = [max(len(row[i]) for row in cells) for i in range(len(answer.variables))]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines) + "\n"


def _rdflib_result(answer: Answer) -> Result:
    """Make the rdflib query result of an answer, for rdflib's result serializers."""
    if answer.boolean is not None:
        result = Result("ASK")
        result.askAnswer = answer.boolean
        return result
    result = Result("SELECT")
    names = [Variable(name) for name in answer.variables]
    result.vars = names
    result.bindings = [
        {name: cast(Identifier, term) for name, term in zip(names, row, strict=True) if term is not None}
        for row in answer.rows
    ]
    return result


def _rdflib_writer(plugin: str) -> Callable[[Answer], str]:
    """Write an answer with one of rdflib's SPARQL result serializers."""

    def write(answer: Answer) -> str:
        return _rdflib_result(answer).serialize(format=plugin, encoding="utf-8").decode("utf-8")  # type: ignore[union-attr]

    return write


def _oxigraph_writer(name: str) -> Callable[[Answer], str]:
    """Write an answer with one of pyoxigraph's SPARQL result serializers (``XML``, ``CSV`` or ``TSV``)."""

    def write(answer: Answer) -> str:
        import pyoxigraph

        parsed = pyoxigraph.parse_query_results(_rdflib_writer("json")(answer), pyoxigraph.QueryResultsFormat.JSON)
        written = parsed.serialize(format=getattr(pyoxigraph.QueryResultsFormat, name))  # bytes without an output
        return cast(bytes, written).decode("utf-8")

    return write


def serialize_graph(graph: Graph, format_name: str) -> str:
    """Write a graph with the project's deterministic writer of one RDF format."""
    spec = RDF_FORMATS[format_name]
    data = graph.serialize(format=spec.serializer, encoding="utf-8", **spec.options)
    return spec.normalise(data).decode("utf-8")


@dataclass(frozen=True)
class AnswerFormat:
    """How one ``--format`` writes each kind of answer.

    :param results: writes a SELECT or ASK answer; ``None`` for a format of graphs only.
    :param graph: the RDF format (a key of :data:`ember3kg.io.formats.FORMATS`) of a graph answer.
    """

    results: Callable[[Answer], str] | None
    graph: str


#: Output format name -> how it writes answers.
FORMATS: Mapping[str, AnswerFormat] = MappingProxyType(
    {
        "table": AnswerFormat(_table, "ttl"),
        "json": AnswerFormat(_rdflib_writer("json"), "jsonld"),
        "xml": AnswerFormat(_oxigraph_writer("XML"), "xml"),
        "csv": AnswerFormat(_oxigraph_writer("CSV"), "nt"),
        "tsv": AnswerFormat(_oxigraph_writer("TSV"), "nt"),
        # A graph answer has no named graphs: the triple formats only.
        **{name: AnswerFormat(None, name) for name, spec in RDF_FORMATS.items() if not spec.quads and name != "xml"},
    }
)


def format_answer(answer: Answer, format_name: str = "table") -> str:
    """Write an answer in one of :data:`FORMATS`, ending with a newline.

    :raises InputError: unknown format, or an RDF syntax asked of a SELECT or ASK answer.
    """
    try:
        spec = FORMATS[format_name]
    except KeyError:
        raise InputError(f"unknown format {format_name!r}; formats: {', '.join(FORMATS)}") from None
    if answer.graph is not None:
        text = serialize_graph(answer.graph, spec.graph)
    elif spec.results is None:
        results = ", ".join(name for name, other in FORMATS.items() if other.results is not None)
        raise InputError(
            f"format {format_name!r} writes graphs (CONSTRUCT, DESCRIBE); {answer.kind} answers take: {results}"
        )
    else:
        text = spec.results(answer)
    return text if text.endswith("\n") else text + "\n"
