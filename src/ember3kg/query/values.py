"""A small SPARQL lexer: the variables and form of a query, and ``VALUES`` injection for endpoints.

An endpoint has no binding mechanism in the SPARQL protocol, so a question's
parameters reach it as a ``VALUES`` block holding the terms, written by rdflib's
N-Triples serialisation of the typed terms, inserted at the start of the query's
``WHERE`` group (:func:`inject_values`); the result is parsed again before it is sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rdflib.term import Node

from ember3kg.errors import InputError
from ember3kg.query.catalogue import Question

_TOKEN = re.compile(
    r"""
    (?P<skip>\s+|\#[^\n]*)
    | (?P<string>'''(?:[^\\]|\\.)*?'''|\"\"\"(?:[^\\]|\\.)*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
    | (?P<word>[A-Za-z_][A-Za-z0-9_-]*)
    | (?P<brace>[{}])
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_FORMS = frozenset(("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"))


def tokens(sparql: str) -> Iterable[tuple[str, str, int]]:
    """Lex a query into (kind, text, offset), skipping blanks and comments."""
    for match in _TOKEN.finditer(sparql):
        if match.lastgroup != "skip":
            yield match.lastgroup or "other", match.group(), match.start()


def variables(sparql: str) -> set[str]:
    """Collect the names of the variables a query mentions."""
    return {text[1:] for kind, text, _ in tokens(sparql) if kind == "var"}


def query_form(sparql: str) -> str | None:
    """Find the query form keyword (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``) of a query."""
    return next(
        (text.upper() for kind, text, _ in tokens(sparql) if kind == "word" and text.upper() in _FORMS),
        None,
    )


def inject_values(question: Question, bindings: Mapping[str, Node]) -> str:
    """Insert ``VALUES (?a ?b) { (termA termB) }`` at the start of the query's ``WHERE`` group.

    The terms are typed rdflib terms written in N-Triples form, which escapes them;
    user text never enters the query otherwise. For a CONSTRUCT query the template
    group is skipped: the next top-level group is the ``WHERE`` group.

    :raises InputError: no ``WHERE`` group is found.
    """
    form = None
    depth = 0
    skip_template = False
    for kind, text, offset in tokens(question.sparql):
        upper = text.upper()
        if form is None and kind == "word" and upper in _FORMS:
            form = upper
            skip_template = form == "CONSTRUCT"
        elif kind == "word" and upper == "WHERE" and depth == 0:
            skip_template = False
        elif kind == "brace" and text == "{":
            if depth == 0 and form and not skip_template:
                names = " ".join(f"?{name}" for name in bindings)
                terms = " ".join(term.n3() for term in bindings.values())
                block = f"\n  VALUES ({names}) {{ ({terms}) }}\n"
                return question.sparql[: offset + 1] + block + question.sparql[offset + 1 :]
            depth += 1
        elif kind == "brace":
            depth -= 1
            skip_template = skip_template and depth > 0
    raise InputError(f"{question.source}: no WHERE group to bind parameters in")
