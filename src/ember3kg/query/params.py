"""Parameters: the ``--param NAME=VALUE`` of a question, parsed into typed RDF terms.

Parameters are never pasted into the query text: the engines bind the typed terms
(see :mod:`ember3kg.query.embedded` and :mod:`ember3kg.query.values`).
"""

from __future__ import annotations

import re

from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from ember3kg.errors import InputError
from ember3kg.vocab.identifiers import expand, prefix_entries
from ember3kg.vocab.iris import checked_iri

_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+\.\d*|\.\d+)")
_CURIE = re.compile(r"(?P<prefix>[A-Za-z][\w.-]*|):(?P<local>\S*)")


def parse_term(text: str) -> Node:
    """Turn the value of a ``--param`` into a typed RDF term.

    ``<IRI>`` and ``prefix:local`` (any prefix of the project map,
    :func:`ember3kg.vocab.identifiers.expand`) give an IRI; an integer or a decimal number
    gives an ``xsd:integer`` or ``xsd:decimal`` literal; ``true`` and ``false`` give
    booleans; anything else is a plain string literal.

    :raises InputError: an IRI that is not an absolute IRI (RFC 3987), an unknown
        prefix, or a local identifier that does not match its prefix's pattern.

    Example:
        >>> parse_term("kg:ember3")
        rdflib.term.URIRef('https://w3id.org/ember3kg/id/ember3')
    """
    where = f"parameter value {text}"
    if text.startswith("<") and text.endswith(">"):
        return URIRef(checked_iri(text[1:-1], f"{where}:"))
    if _INTEGER.fullmatch(text):
        return Literal(text, datatype=XSD.integer)
    if _DECIMAL.fullmatch(text):
        return Literal(text, datatype=XSD.decimal)
    if text in ("true", "false"):
        return Literal(text, datatype=XSD.boolean)
    match = _CURIE.fullmatch(text)
    if match and "://" not in text:
        if match["prefix"] not in prefix_entries():
            raise InputError(f"{where}: unknown prefix {match['prefix']!r}; `ember3kg query --help` lists them")
        return URIRef(checked_iri(expand(text, where), f"{where}:"))
    return Literal(text)


def parse_param(text: str) -> tuple[str, Node]:
    """Split ``NAME=VALUE`` into the variable name and the typed term of the value.

    :raises InputError: no ``=``, or a name that is not a SPARQL variable name.
    """
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise InputError(f"parameter {text!r}: expected NAME=VALUE")
    return name, parse_term(value)
