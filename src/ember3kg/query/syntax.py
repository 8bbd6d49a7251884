"""Query text: the project's prefixes declared for every query, and one line per syntax error.

Every query, packaged or ad hoc, may use the prefixes of the project map
(:func:`ember3kg.vocab.identifiers.prefix_map`) without declaring them; a ``PREFIX`` the
query declares itself wins. The embedded engines receive them as default prefixes
(rdflib's ``initNs``, pyoxigraph's ``prefixes``), an endpoint as ``PREFIX`` lines
ahead of the query.

The engines word syntax errors very differently (pyparsing's "Expected SelectQuery",
Oxigraph's list of every token it would accept), so both become one line
``SOURCE:LINE:COL: SPARQL syntax error: unexpected TEXT (hint)``, with the text found
at the position and a hint chosen from :data:`HINTS` by that text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from ember3kg.errors import InputError
from ember3kg.query.catalogue import Question
from ember3kg.query.values import tokens
from ember3kg.vocab.identifiers import prefix_map

#: The words SPARQL knows (keywords and built-in functions), upper case.
_WORDS = frozenset(
    (
        "BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK DISTINCT REDUCED AS FROM NAMED WHERE ORDER BY ASC DESC LIMIT "
        "OFFSET GROUP HAVING VALUES UNDEF OPTIONAL GRAPH SERVICE SILENT BIND UNION MINUS FILTER EXISTS NOT IN A "
        "TRUE FALSE STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN "
        "UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES "
        "SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM "
        "ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT "
        "SEPARATOR"
    ).split()
)
#: Hints: (test of the text found at the error, what to check); the first that fits is given.
HINTS: tuple[tuple[Callable[[str], bool], str], ...] = (
    (lambda found: not found, "a closing '}' or ')' is missing, or the last pattern is incomplete"),
    (lambda found: found == "}", "a triple pattern needs a subject, a predicate and an object"),
    (lambda found: found[:1] in "'\"", "a string is not closed, or a '.' or ';' is missing before it"),
    (lambda found: found.isalpha() and found.upper() not in _WORDS, "is a keyword misspelt, or a '?' missing?"),
    (lambda found: True, "check the text just before it: a missing '.', ';' or ',', or an unbalanced bracket"),
)
_FOUND = re.compile(r"""[A-Za-z_][\w:-]*|\?\w*|"[^"\n]*"?|'[^'\n]*'?|\S""")


@lru_cache(maxsize=1)
def project_prefixes() -> Mapping[str, str]:
    """Give the prefixes every query may use undeclared: prefix -> namespace IRI."""
    return MappingProxyType(prefix_map())


def declared_text(sparql: str) -> str:
    """``sparql`` behind ``PREFIX`` lines of the project's prefixes, for an engine that takes text only."""
    lines = (f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in project_prefixes().items())
    return "".join(lines) + sparql


def syntax_error(question: Question, line: int, column: int) -> InputError:
    """Make the one-line error for a syntax error at ``line``:``column`` (1-based) of ``question``.

    An engine often stops after a word SPARQL does not know (``SELEC ?x WHERE``): the
    first such word up to the position is named instead, with its own position.
    """
    lines = question.sparql.splitlines()
    offset = sum(len(text) + 1 for text in lines[: line - 1]) + column - 1
    unknown = _first_unknown_word(question.sparql, offset)
    if unknown is not None:
        _, offset = unknown
        line = question.sparql.count("\n", 0, offset) + 1
        column = offset - (question.sparql.rfind("\n", 0, offset) + 1) + 1
    rest = question.sparql[offset:].lstrip()
    match = _FOUND.match(rest)
    found = match.group() if match else ""
    hint = next(text for test, text in HINTS if test(found))
    what = f"unexpected {found!r}" if found else "unexpected end of query"
    return InputError(f"{question.source}:{line}:{column}: SPARQL syntax error: {what} ({hint})")


def _first_unknown_word(sparql: str, end: int) -> tuple[str, int] | None:
    """Find the first bare word before ``end`` that SPARQL does not know (not part of a prefixed name or tag)."""
    found = list(tokens(sparql))
    for index, (kind, text, offset) in enumerate(found):
        if offset > end:
            return None
        before = found[index - 1][1] if index else ""
        after = found[index + 1][1] if index + 1 < len(found) else ""
        if kind == "word" and ":" not in (before, after) and before != "@" and text.upper() not in _WORDS:
            return text, offset
    return None


def unknown_prefix_error(question: Question, prefix: str) -> InputError:
    """Make the one-line error for an undeclared prefix, at its first use in ``question``."""
    use = re.search(rf"(?<![\w<?$]){re.escape(prefix)}:", question.sparql)
    offset = use.start() if use else 0
    line = question.sparql.count("\n", 0, offset) + 1
    column = offset - (question.sparql.rfind("\n", 0, offset) + 1) + 1
    return InputError(
        f"{question.source}:{line}:{column}: SPARQL syntax error: unknown prefix {prefix!r} "
        "(declare it with PREFIX, or use one of the project's prefixes: `ember3kg query --help`)"
    )


@lru_cache(maxsize=256)
def prepared_text(text: str) -> Any:
    """Parse SPARQL text with rdflib once per process, as written (queries are immutable once prepared)."""
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


_RDFLIB_UNKNOWN_PREFIX = re.compile(r"Unknown namespace prefix : (\S*)")


def prepare_rdflib_query(question: Question) -> Any:
    """Parse ``question`` with rdflib's SPARQL parser, once, for evaluation over any rdflib dataset.

    :raises InputError: a syntax error or an unknown prefix, as ``SOURCE:LINE:COL: SPARQL syntax error: ...``.
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(question.sparql, initNs=dict(project_prefixes()))
    except ParseBaseException as exc:
        raise syntax_error(question, exc.lineno, exc.col) from None
    except Exception as exc:  # rdflib raises a bare Exception for an unknown prefix
        unknown = _RDFLIB_UNKNOWN_PREFIX.match(str(exc))
        if unknown is None:
            raise
        raise unknown_prefix_error(question, unknown[1]) from None
