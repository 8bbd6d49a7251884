"""Printed forms for a query of your own: the ``?X_printed`` companions added to a SELECT query that lacks them.

A packaged question projects, next to each number ``?X`` it selects, the string
``?X_printed`` a source prints for it (``docs/queries.md``, "printed precision"). A
user's query does not, so Oxigraph's canonical ``0.9`` would stand for a printed
``0.90``. :func:`with_printed_companions` adds the companions: for each projected
variable ``?X`` that is the object of a triple pattern ``S ekg:P ?X`` (or of a path
ending in ``ekg:P``, or of ``S ekg:Q [ ekg:P ?X ]``, reached as ``S ekg:Q/ekg:P``), it adds

.. code-block:: sparql

    OPTIONAL { S ekg:printedP ?X_printed FILTER (xsd:decimal(?X_printed) = ?X) }

at the end of the query's ``WHERE`` group and ``?X_printed`` to its projection; the
answer layer then writes ``?X`` in its printed form and drops the companion
(:func:`ember3kg.query.answer.with_printed_forms`). The filter keeps the companion of
that very number, so no row is multiplied; a pattern without a printed form leaves
``?X`` as the engine gives it.

Only patterns at the query's own level count: a pattern in a sub-query, in ``MINUS``
or in ``EXISTS`` binds no projected variable of the query. Queries that group
(``GROUP BY``, aggregates) are left as written, since a companion would have to join
their groups; project ``?X_printed`` yourself there.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rdflib import XSD, BNode, URIRef, Variable
from rdflib.paths import SequencePath

from ember3kg.errors import InputError
from ember3kg.query.answer import PRINTED_SUFFIX
from ember3kg.query.catalogue import Question
from ember3kg.query.syntax import prepare_rdflib_query
from ember3kg.query.values import tokens
from ember3kg.vocab.namespaces import EKG

#: Algebra nodes that group solutions: a companion would have to join the groups.
_GROUPING = frozenset(("Group", "AggregateJoin"))
#: The keys of an algebra node that hold the patterns of the query's own level.
_PATTERN_KEYS = ("p", "p1")
#: Nodes whose second pattern binds nothing for the rest of the query.
_FIRST_ONLY = frozenset(("Minus",))


class _Grouping(Exception):
    """The query groups its solutions: leave it as written."""


def with_printed_companions(question: Question) -> Question:
    """Give ``question`` with a ``?X_printed`` companion for each number it projects from an ``ekg:`` property.

    :returns: ``question`` itself when nothing is to be added (not a SELECT query, a
        query that groups, no projected object of an ``ekg:`` property, or companions
        already projected).

    Example:
        >>> q = Question("q", "SELECT ?v WHERE { kg:x ekg:upperLimit ?v }", "--sparql")
        >>> "?v_printed" in with_printed_companions(q).sparql
        True
    """
    if "ekg:" not in question.sparql and str(EKG) not in question.sparql:
        return question  # cheap: no property of the ontology is named
    try:
        algebra = prepare_rdflib_query(question).algebra
    except InputError:
        return question  # the engine reports the syntax error, with its own position
    if algebra.name != "SelectQuery":
        return question
    projected = set(algebra.PV)
    mentioned = {Variable(text[1:]) for kind, text, _ in tokens(question.sparql) if kind == "var"}
    patterns: dict[Variable, str] = {}
    try:
        for subject, predicate, value in _own_triples(algebra.p):
            companion = Variable(f"{value}{PRINTED_SUFFIX}")
            path = _printed_path(predicate)
            if value in projected and companion not in projected | mentioned and path and value not in patterns:
                same = f"{XSD.decimal.n3()}(?{companion}) = ?{value}"
                patterns[value] = f"OPTIONAL {{ {subject.n3()} {path} ?{companion} FILTER ({same}) }}"
    except _Grouping:
        return question
    if not patterns:
        return question
    sparql = _add_to_select(
        question.sparql, [f"?{value}{PRINTED_SUFFIX}" for value in patterns], list(patterns.values())
    )
    return Question(question.name, sparql, question.source) if sparql else question


def _own_triples(node: Any, top: bool = True) -> Iterator[tuple[Any, Any, Any]]:
    """Yield the triple patterns of the query's own level, whose subject is an IRI or a variable.

    :raises _Grouping: the query groups its solutions.
    """
    name = getattr(node, "name", None)
    if name is None:
        return
    if name in _GROUPING:
        raise _Grouping
    if name == "Project" and not top:
        return  # a sub-query: its patterns bind only what it projects
    if name == "BGP":
        # A blank node of the query (``?r ekg:hasPValue [ ekg:value ?p ]``) is reached from its parent.
        parents = {
            value: (subject, predicate)
            for subject, predicate, value in node.triples
            if isinstance(value, BNode) and isinstance(subject, URIRef | Variable) and isinstance(predicate, URIRef)
        }
        for subject, predicate, value in node.triples:
            if not isinstance(value, Variable):
                continue
            if isinstance(subject, URIRef | Variable):
                yield subject, predicate, value
            elif subject in parents and isinstance(predicate, URIRef):
                parent, link = parents[subject]
                yield parent, SequencePath(link, predicate), value
        return
    keys = _PATTERN_KEYS if name in _FIRST_ONLY else (*_PATTERN_KEYS, "p2")
    for key in keys:
        child = node.get(key)
        if child is not None:
            yield from _own_triples(child, top=top and name != "ToMultiSet")


def _printed_path(predicate: Any) -> str | None:
    """Write the path to the printed form of ``predicate``'s numbers, or None where it has none."""
    if isinstance(predicate, URIRef):
        printed = _printed_property(predicate)
        return None if printed is None else printed.n3()
    if isinstance(predicate, SequencePath) and isinstance(predicate.args[-1], URIRef):
        printed = _printed_property(predicate.args[-1])
        if printed is None:
            return None
        return SequencePath(*predicate.args[:-1], printed).n3()
    return None


def _printed_property(prop: URIRef) -> URIRef | None:
    """Name ``ekg:printedP`` for an ``ekg:P`` (not itself a printed form); None for other properties."""
    local = str(prop).removeprefix(str(EKG))
    if local == str(prop) or local.startswith("printed") or not local:
        return None
    return EKG["printed" + local[:1].upper() + local[1:]]


def _add_to_select(sparql: str, names: list[str], patterns: list[str]) -> str | None:
    """Add ``names`` to the projection of a SELECT query and ``patterns`` at the end of its ``WHERE`` group.

    A ``SELECT *`` projection takes the new variables by itself. :returns: None when
    the query's shape is not recognised (then it is left as written).
    """
    projection_end = where_end = None
    projected: list[str] = []  # the tokens of the projection, DISTINCT and REDUCED left out
    depth = 0
    after_select = False
    for kind, text, offset in tokens(sparql):
        upper = text.upper()
        if kind == "word" and upper == "SELECT" and depth == 0 and projection_end is None:
            after_select = True
        elif after_select and projection_end is None and depth == 0:
            if (kind == "word" and upper in ("FROM", "WHERE")) or text == "{":
                projection_end = offset
            elif upper not in ("DISTINCT", "REDUCED"):
                projected.append(text)
        if kind == "brace" and text == "{":
            depth += 1
        elif kind == "brace":
            depth -= 1
            if depth == 0 and projection_end is not None:
                where_end = offset
                break
    if projection_end is None or where_end is None:
        return None
    added = "\n  " + "\n  ".join(patterns) + "\n"
    projection = "" if projected[:1] == ["*"] else " " + " ".join(names) + " "
    return sparql[:projection_end] + projection + sparql[projection_end:where_end] + added + sparql[where_end:]
