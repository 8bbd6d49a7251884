"""Answers: the same terms whatever the engine, with the printed form of the sources' decimals.

Engines disagree on the lexical form of numbers (Oxigraph, like most stores, keeps
only the value of ``"0.90"^^xsd:decimal`` and gives back ``"0.9"``; rdflib keeps
``"0.90"``), so every numeric literal is first rewritten in its canonical form
(:func:`normalise_term`) and ``xsd:string`` literals become simple literals.

The printed form then comes back as data: a projected variable ``?X_printed``
(:data:`PRINTED_SUFFIX`) holding the string a source prints for the number in ``?X``
(the ``ekg:printed*`` properties of the generated ``printed-forms`` part) replaces
the lexical form of ``?X``, which keeps its datatype, and is itself dropped from
the answer (:func:`with_printed_forms`). ``docs/queries.md`` explains the design.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ember3kg.publish.dataset import new_graph
from ember3kg.vocab.identifiers import compress

#: Suffix of a projected variable that carries the printed form of another one.
PRINTED_SUFFIX = "_printed"

_INTEGER_TYPES = frozenset(
    XSD[name]
    for name in (
        "integer nonNegativeInteger positiveInteger nonPositiveInteger negativeInteger long int short byte "
        "unsignedLong unsignedInt unsignedShort unsignedByte"
    ).split()
)


def normalise_term(term: Node | None) -> Node | None:
    """Give a term the same form on every engine.

    Numeric and boolean literals get their canonical lexical form (``0.90`` and
    ``0.9`` are the same decimal, ``3.0`` is written ``3``); ``xsd:string`` literals
    become simple literals. Other terms are returned as they are.
    """
    if not isinstance(term, Literal) or term.language:
        return term
    datatype, text = term.datatype, str(term)
    try:
        if datatype in _INTEGER_TYPES:
            return Literal(str(int(text)), datatype=datatype)
        if datatype == XSD.decimal:
            value = Decimal(text)
            canonical = str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
            return Literal(canonical, datatype=datatype)
        if datatype in (XSD.double, XSD.float):
            return Literal(repr(float(text)), datatype=datatype)
        if datatype == XSD.boolean:
            return Literal("true" if text.strip() in ("true", "1") else "false", datatype=datatype)
    except (ValueError, InvalidOperation):
        return term  # an ill-typed literal stays as written
    if datatype == XSD.string:
        return Literal(text)
    return term


def render_term(term: Node | None) -> str:
    """Write a term for a table cell: IRIs as the project's CURIEs where a prefix fits, literals as their text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compress(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def printed_decimal(term: Literal) -> Decimal:
    """Read a numeric literal of an answer as the Decimal it prints (:func:`render_term`): ``0.90`` keeps its zero."""
    return Decimal(render_term(term))


def _printed(term: Node | None, printed: Node | None) -> Node | None:
    """``term`` written as ``printed`` when that is the same number; otherwise ``term`` unchanged."""
    if not isinstance(term, Literal) or term.datatype != XSD.decimal or printed is None:
        return term
    try:
        same = Decimal(str(printed)) == Decimal(str(term))
    except InvalidOperation:
        return term  # not a number: the printed form does not apply
    return Literal(str(printed), datatype=XSD.decimal) if same else term


def with_printed_forms(
    variables: Sequence[str], rows: Iterable[Sequence[Node | None]]
) -> tuple[tuple[str, ...], list[tuple[Node | None, ...]]]:
    """Write each ``?X`` that has a ``?X_printed`` companion in its printed form, and drop the companions.

    :returns: the remaining variables and rows.
    """
    companions = {
        index: variables.index(name.removesuffix(PRINTED_SUFFIX))
        for index, name in enumerate(variables)
        if name.endswith(PRINTED_SUFFIX) and name.removesuffix(PRINTED_SUFFIX) in variables
    }
    kept = [index for index in range(len(variables)) if index not in companions]
    printed_rows = []
    for row in rows:
        cells = list(row)
        for companion, target in companions.items():
            cells[target] = _printed(cells[target], row[companion])
        printed_rows.append(tuple(cells[index] for index in kept))
    return tuple(variables[index] for index in kept), printed_rows


@dataclass(frozen=True)
class Answer:
    """The normalised answer to a query: rows (SELECT), a boolean (ASK) or a graph (CONSTRUCT, DESCRIBE).

    :param variables: the projected variables, in query order (SELECT only).
    :param rows: one tuple per solution, ``None`` for an unbound variable.
    :param boolean: the answer of an ASK query.
    :param graph: the answer of a CONSTRUCT or DESCRIBE query.
    """

    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = None

    @property
    def kind(self) -> str:
        """``boolean``, ``graph`` or ``rows``."""
        if self.boolean is not None:
            return "boolean"
        return "graph" if self.graph is not None else "rows"

    def table(self) -> list[list[str]]:
        """Render the rows as text cells (see :func:`render_term`)."""
        return [[render_term(term) for term in row] for row in self.rows]


def rows_answer(variables: Iterable[str], rows: Iterable[Iterable[Node | None]]) -> Answer:
    """Build a rows answer: every term normalised, then written in its printed form where one is given."""
    normalised_term = cache(normalise_term)  # answers repeat a few labels and IRIs over many rows
    normalised = ([normalised_term(term) for term in row] for row in rows)
    names, printed = with_printed_forms(list(variables), normalised)
    return Answer(variables=names, rows=tuple(printed))


def graph_answer(triples: Iterable[Iterable[Node | None]]) -> Answer:
    """Build a graph answer, normalising every term."""
    graph = new_graph()
    for triple in triples:
        graph.add(tuple(normalise_term(term) for term in triple))  # type: ignore[arg-type]
    return Answer(graph=graph)
