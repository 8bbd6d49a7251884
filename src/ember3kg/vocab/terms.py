"""Convert RDF terms between pyoxigraph and rdflib.

pyoxigraph parses the line-based formats (linear in the length of a line) and runs
the ``oxigraph`` query engine; the rest of ember3kg works on rdflib terms.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial
from typing import Any

from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

from ember3kg.errors import InputError


def to_oxigraph(term: Node) -> Any:
    """Convert an rdflib term to a pyoxigraph term.

    :raises InputError: the term is neither an IRI, a blank node nor a literal.
    """
    import pyoxigraph

    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if not isinstance(term, Literal):
        raise InputError(f"cannot bind {term!r}")
    if term.language:
        return pyoxigraph.Literal(str(term), language=term.language)
    return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype or XSD.string)))


def from_oxigraph(term: Any, blank_nodes: dict[str, BNode] | None = None, *, exact: bool = False) -> Node | None:
    """Convert a pyoxigraph term (or ``None``) to an rdflib term.

    :param blank_nodes: if given, each blank node label gets a fresh rdflib blank node,
        kept in this dict, so that labels of different documents never meet.
    :param exact: a typed literal keeps its lexical form (rdflib would make ``"01"^^xsd:integer`` ``"1"``).
    """
    import pyoxigraph

    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value) if blank_nodes is None else blank_nodes.setdefault(term.value, BNode())
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)  # a simple literal, as rdflib's parsers give it
    return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False if exact else None)


def oxigraph_converter(
    blank_nodes: dict[str, BNode] | None = None, *, exact: bool = False
) -> Callable[[Any], Node | None]:
    """Give :func:`from_oxigraph` with these options, converting each distinct term once.

    Files and answers repeat a few IRIs and literals many times, and making an rdflib
    term costs far more than finding it in a dict.
    """
    return cache(partial(from_oxigraph, blank_nodes=blank_nodes, exact=exact))
