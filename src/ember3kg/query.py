"""Competency questions: run SPARQL over the ember3kg dataset, embedded or on an endpoint.

A *question* is a packaged ``queries/*.rq`` file (the ``qc/`` checks are not
questions): its leading ``#`` lines state it in plain words, the first of them being
the one-line description that ``ember3kg questions`` lists, and ``# param NAME: ...``
lines declare the variables a user may bind with ``--param NAME=VALUE``.

Engines are entries of :data:`ENGINES`:

- ``rdflib``: rdflib's SPARQL engine over the dataset;
- ``oxigraph``: an in-memory pyoxigraph store loaded with the same dataset;
- ``endpoint``: any SPARQL 1.1 endpoint, through SPARQLWrapper.

Every engine queries the *union* of the named graphs as its default graph (an
endpoint must be set up that way, e.g. ``oxigraph serve --union-default-graph``).

Every engine stops a query after ``timeout`` seconds (:data:`DEFAULT_TIMEOUT`): the
embedded engines evaluate it in a child process that is killed then, or on Ctrl-C
(:func:`ember3kg.bounded.run_bounded`); an endpoint gets the same time to answer. A
``SERVICE`` call that fails, or an endpoint that answers with anything but SPARQL
results, is a :class:`~ember3kg.errors.ServerError`.

Answers are normalised the same way whatever the engine (see
:func:`normalise_term`): engines disagree on the lexical form of numbers (Oxigraph
keeps only the value of ``"0.90"^^xsd:decimal`` and gives back ``"0.9"``; rdflib keeps
``"0.90"``), so every numeric literal is rewritten in its canonical form, and
``xsd:string`` literals become simple literals.

Parameters are never pasted into the query text. They are parsed into typed RDF
terms (:func:`parse_term`) and bound with the engine's own mechanism: rdflib's
``initBindings`` and pyoxigraph's ``substitutions`` (both pre-bind the variable in the
whole query, SEP-0007). An endpoint has no such mechanism, so a ``VALUES`` block
holding the terms, written by rdflib's N-Triples serialisation of the typed terms, is
inserted at the start of the query's ``WHERE`` group, found by a small lexer
(:func:`inject_values`); the result is parsed again before it is sent.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

from rdflib import XSD, BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.term import Node

from ember3kg.bounded import run_bounded
from ember3kg.dataset import load_dataset, new_graph
from ember3kg.entailment import with_entailment
from ember3kg.errors import InputError, ServerError
from ember3kg.formats import FORMATS as RDF_FORMATS
from ember3kg.iris import checked_iri, display_url, split_userinfo
from ember3kg.namespaces import PREFIXES
from ember3kg.push import Credentials
from ember3kg.terms import from_oxigraph, to_oxigraph

#: Package holding the questions (``*.rq``, sub-folders excluded).
QUESTIONS_PACKAGE = "ember3kg.queries"
#: Seconds a query may take on any engine, unless told otherwise.
DEFAULT_TIMEOUT = 30.0

_PARAM_LINE = re.compile(r"#\s*param\s+(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<text>.*)")


@dataclass(frozen=True)
class Question:
    """One SPARQL query with the plain-words statement of what it asks.

    :param name: the file stem (or the label of an ad hoc query).
    :param sparql: the query text.
    :param source: names the query in error messages: a file path or ``--sparql``.
    """

    name: str
    sparql: str
    source: str

    @property
    def comments(self) -> list[str]:
        """The text of the leading ``#`` lines, without the ``#``."""
        lines = []
        for line in self.sparql.splitlines():
            if not line.startswith("#"):
                break
            lines.append(line.lstrip("#").strip())
        return lines

    @property
    def description(self) -> str:
        """The first comment line: the question in plain words."""
        return next(iter(self.comments), "")

    @property
    def params(self) -> dict[str, str]:
        """Declared parameters: variable name -> description."""
        found = (_PARAM_LINE.fullmatch(f"# {line}") for line in self.comments)
        return {match["name"]: match["text"] for match in found if match}


@lru_cache(maxsize=1)
def questions() -> Mapping[str, Question]:
    """Read the packaged questions, sorted by name.

    Example:
        >>> "trial-design" in questions()
        True
    """
    found = sorted(
        (item for item in files(QUESTIONS_PACKAGE).iterdir() if item.is_file() and item.name.endswith(".rq")),
        key=lambda item: item.name,
    )
    return MappingProxyType(
        {
            item.name.removesuffix(".rq"): Question(item.name.removesuffix(".rq"), item.read_text("utf-8"), str(item))
            for item in found
        }
    )


def find_question(reference: str) -> Question:
    """Find a question by name, or read a query from a file.

    :param reference: a packaged question's name (``trial-design``) or a path to a ``.rq`` file.
    :raises InputError: neither a question nor a readable file.
    """
    if reference in questions():
        return questions()[reference]
    path = Path(reference)
    try:
        return Question(path.stem, path.read_text("utf-8"), str(path))
    except FileNotFoundError:
        raise InputError(f"{reference}: no such question or file (see `ember3kg questions`)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{reference}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None


# --- Terms -----------------------------------------------------------------------

_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+\.\d*|\.\d+)")
_CURIE = re.compile(r"(?P<prefix>[A-Za-z][\w.-]*|):(?P<local>\S*)")
_INTEGER_TYPES = frozenset(
    XSD[name]
    for name in (
        "integer nonNegativeInteger positiveInteger nonPositiveInteger negativeInteger long int short byte "
        "unsignedLong unsignedInt unsignedShort unsignedByte"
    ).split()
)


def parse_term(text: str) -> Node:
    """Turn the value of a ``--param`` into a typed RDF term.

    ``<IRI>`` and ``prefix:local`` (the project's prefixes) give an IRI; an integer or a
    decimal number gives an ``xsd:integer`` or ``xsd:decimal`` literal; ``true`` and
    ``false`` give booleans; anything else is a plain string literal.

    :raises InputError: an IRI that is not an absolute IRI (RFC 3987), or an unknown prefix.

    Example:
        >>> parse_term("kg:ember3")
        rdflib.term.URIRef('https://w3id.org/ember3kg/id/ember3')
    """
    if text.startswith("<") and text.endswith(">"):
        return _iri(text[1:-1], text)
    if _INTEGER.fullmatch(text):
        return Literal(text, datatype=XSD.integer)
    if _DECIMAL.fullmatch(text):
        return Literal(text, datatype=XSD.decimal)
    if text in ("true", "false"):
        return Literal(text, datatype=XSD.boolean)
    match = _CURIE.fullmatch(text)
    if match and match["prefix"] in PREFIXES:
        return _iri(PREFIXES[match["prefix"]] + match["local"], text)
    if match and "://" not in text:
        raise InputError(f"{text}: unknown prefix {match['prefix']!r}; known: {', '.join(PREFIXES)}")
    return Literal(text)


def _iri(iri: str, text: str) -> URIRef:
    """Check an IRI (it cannot break out of ``<...>`` then); the error names ``text``."""
    return URIRef(checked_iri(iri, f"--param value {text}:"))


def parse_param(text: str) -> tuple[str, Node]:
    """Split ``NAME=VALUE`` into the variable name and the typed term of the value.

    :raises InputError: no ``=``, or a name that is not a SPARQL variable name.
    """
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise InputError(f"--param {text!r}: expected NAME=VALUE")
    return name, parse_term(value)


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
    """Write a term for a table cell: IRIs as CURIEs where a project prefix fits, literals as their text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        matches = [(len(ns), prefix) for prefix, ns in PREFIXES.items() if term.startswith(ns)]
        if matches:
            length, prefix = max(matches)
            return f"{prefix}:{term[length:]}"
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


# --- Answers ---------------------------------------------------------------------


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


def _rows_answer(variables: Iterable[str], rows: Iterable[Iterable[Node | None]]) -> Answer:
    """Build a rows answer, normalising every term."""
    return Answer(
        variables=tuple(variables),
        rows=tuple(tuple(normalise_term(term) for term in row) for row in rows),
    )


def _graph_answer(triples: Iterable[tuple[Node, Node, Node]]) -> Answer:
    """Build a graph answer, normalising every term."""
    graph = new_graph()
    for triple in triples:
        graph.add(tuple(normalise_term(term) for term in triple))  # type: ignore[arg-type]
    return Answer(graph=graph)


# --- Engines ---------------------------------------------------------------------


class Engine(Protocol):
    """Runs a question with bound parameters and returns its normalised answer."""

    def run(self, question: Question, bindings: Mapping[str, Node]) -> Answer:
        """Run ``question`` with ``bindings`` (variable name -> term)."""
        ...


def _packaged_dataset(entailment: bool) -> Dataset:
    """Load the packaged dataset, with its entailment graph (:mod:`ember3kg.entailment`) when asked."""
    return with_entailment() if entailment else load_dataset()


@lru_cache(maxsize=2)
def _rdflib_dataset(entailment: bool = True) -> Any:
    """Load the packaged dataset once, its default graph being the union of its graphs; read-only."""
    dataset = _packaged_dataset(entailment)
    dataset.default_union = True
    return dataset


def prepare_rdflib_query(question: Question) -> Any:
    """Parse ``question`` with rdflib's SPARQL parser, once, for evaluation over any rdflib dataset.

    :raises InputError: a syntax error, as ``FILE:LINE:COL: SPARQL syntax error: ...``.
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(question.sparql)
    except ParseBaseException as exc:
        raise InputError(f"{question.source}:{exc.lineno}:{exc.col}: SPARQL syntax error: {exc.msg}") from None


@dataclass(frozen=True)
class RdflibEngine:
    """rdflib's SPARQL engine over the packaged dataset; parameters bound with ``initBindings``.

    :param timeout: seconds before the query is stopped.
    :param entailment: include the entailment graph.
    """

    timeout: float = DEFAULT_TIMEOUT
    entailment: bool = True

    def run(self, question: Question, bindings: Mapping[str, Node]) -> Answer:
        """Run ``question`` on rdflib, in a child process stopped after :attr:`timeout`."""
        prepared = prepare_rdflib_query(question)
        # Loaded here, so that the child shares it and the next query reuses it.
        dataset = _rdflib_dataset(self.entailment)
        init = {Variable(k): v for k, v in bindings.items()}
        return run_bounded(lambda: self._evaluate(dataset, prepared, init, question), self.timeout, question.source)

    @staticmethod
    def _evaluate(dataset: Any, prepared: Any, init: Mapping[Variable, Node], question: Question) -> Answer:
        """Evaluate a prepared query and build the answer (in the child process)."""
        try:
            result = dataset.query(prepared, initBindings=init)
            return RdflibEngine._answer(result)
        except OSError as exc:  # a SERVICE call failed
            raise ServerError(f"{question.source}: SERVICE failed: {_one_line(exc)}") from None

    @staticmethod
    def _answer(result: Any) -> Answer:
        """Turn an rdflib query result into an answer."""
        if result.type == "ASK":
            return Answer(boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return _graph_answer(result.graph or ())
        variables = [str(var) for var in result.vars or ()]
        return _rows_answer(variables, ([row.get(Variable(v)) for v in variables] for row in result.bindings))


@lru_cache(maxsize=2)
def _oxigraph_store(entailment: bool = True) -> Any:
    """Load the packaged dataset once into an in-memory Oxigraph store, from its N-Quads; read-only."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(_packaged_dataset(entailment).serialize(format="nquads", encoding="utf-8"), pyoxigraph.RdfFormat.N_QUADS)
    return store


_OXIGRAPH_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


@dataclass(frozen=True)
class OxigraphEngine:
    """pyoxigraph's SPARQL engine over an in-memory copy of the dataset; parameters bound with ``substitutions``.

    :param timeout: seconds before the query is stopped.
    :param entailment: include the entailment graph.
    """

    timeout: float = DEFAULT_TIMEOUT
    entailment: bool = True

    def run(self, question: Question, bindings: Mapping[str, Node]) -> Answer:
        """Run ``question`` on Oxigraph, in a child process stopped after :attr:`timeout`."""
        # Loaded here, so that the child shares it and the next query reuses it.
        store = _oxigraph_store(self.entailment)
        return run_bounded(lambda: self._evaluate(store, question, bindings), self.timeout, question.source)

    @staticmethod
    def _evaluate(store: Any, question: Question, bindings: Mapping[str, Node]) -> Answer:
        """Evaluate ``question`` on ``store`` and build the answer (in the child process)."""
        import pyoxigraph

        substitutions = {pyoxigraph.Variable(k): to_oxigraph(v) for k, v in bindings.items()}
        try:
            result = store.query(question.sparql, use_default_graph_as_union=True, substitutions=substitutions)
            return OxigraphEngine._answer(result)
        except SyntaxError as exc:
            match = _OXIGRAPH_POSITION.match(str(exc))
            where = f"{match[1]}:{match[2]}" if match else "?:?"
            reason = match[3] if match else str(exc)
            raise InputError(f"{question.source}:{where}: SPARQL syntax error: {reason}") from None
        except RuntimeError as exc:  # e.g. a substituted variable missing from the projection
            raise InputError(f"{question.source}: {exc}") from None
        except OSError as exc:  # a SERVICE call failed
            raise ServerError(f"{question.source}: SERVICE failed: {_one_line(exc)}") from None

    @staticmethod
    def _answer(result: Any) -> Answer:
        """Turn a pyoxigraph query result into an answer (solutions are computed while read)."""
        import pyoxigraph

        if isinstance(result, pyoxigraph.QueryBoolean):
            return Answer(boolean=bool(result))
        if isinstance(result, pyoxigraph.QueryTriples):
            return _graph_answer(tuple(from_oxigraph(t) for t in (x.subject, x.predicate, x.object)) for x in result)
        variables = [var.value for var in result.variables]
        return _rows_answer(variables, ([from_oxigraph(s[v]) for v in variables] for s in result))


@dataclass(frozen=True)
class EndpointEngine:
    """A SPARQL 1.1 endpoint reached through SPARQLWrapper; parameters bound by an injected ``VALUES`` block.

    :param url: the endpoint's query URL, without user information.
    :param timeout: seconds to wait for an answer.
    :param credentials: HTTP Basic credentials (from a ``user:password@`` part of the URL).
    """

    url: str
    timeout: float = DEFAULT_TIMEOUT
    credentials: Credentials | None = None

    def run(self, question: Question, bindings: Mapping[str, Node]) -> Answer:
        """Send ``question`` to the endpoint and normalise its answer."""
        from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

        sparql = inject_values(question, bindings) if bindings else question.sparql
        _check_syntax(Question(question.name, sparql, question.source))
        wrapper = SPARQLWrapper(self.url)
        # SPARQLWrapper guesses query or update from keywords, comments included: send none.
        wrapper.setQuery(_strip_comments(sparql))
        wrapper.setMethod(POST)
        wrapper.setTimeout(max(1, round(self.timeout)))
        if self.credentials is not None:
            wrapper.setHTTPAuth("BASIC")
            wrapper.setCredentials(self.credentials.user, self.credentials.password)
        # SPARQLWrapper's own guess of the query form can be misled by IRIs: lex it ourselves.
        graph_query = _query_form(sparql) in ("CONSTRUCT", "DESCRIBE")
        wrapper.setReturnFormat(TURTLE if graph_query else JSON)
        try:
            response = wrapper.query()
            data = response.response.read()
        except Exception as exc:  # every transport or HTTP failure is the endpoint's, whatever its class
            raise self._error(f"{type(exc).__name__}: {_one_line(exc)[:300]}") from None
        try:
            return self._answer(data, graph_query)
        except Exception as exc:  # an answer that is not SPARQL results, whatever the parser raised
            expected = "RDF" if graph_query else "JSON results"
            raise self._error(f"not a SPARQL {expected} answer: {_one_line(exc)[:200]}") from None

    @staticmethod
    def _answer(data: bytes, graph_query: bool) -> Answer:
        """Read an endpoint's answer: Turtle for a graph query, SPARQL JSON results otherwise."""
        if graph_query:
            graph = Graph()
            graph.parse(data=data, format="turtle")
            return _graph_answer(graph)
        document = json.loads(data)
        if "boolean" in document:
            return Answer(boolean=bool(document["boolean"]))
        variables = document["head"]["vars"]
        return _rows_answer(
            variables,
            ([_from_json(binding.get(v)) for v in variables] for binding in document["results"]["bindings"]),
        )

    def _error(self, reason: str) -> ServerError:
        """Make a :class:`ServerError` naming the endpoint, with no credentials in it."""
        message = f"{display_url(self.url)}: {display_url(reason)}"
        return ServerError(self.credentials.scrub(message) if self.credentials else message)


def _from_json(value: Mapping[str, str] | None) -> Node | None:
    """Convert one term of the SPARQL 1.1 JSON results format to an rdflib term."""
    if value is None:
        return None
    if value["type"] == "uri":
        return URIRef(value["value"])
    if value["type"] == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    return Literal(value["value"], datatype=URIRef(value["datatype"]) if "datatype" in value else None)


def _check_syntax(question: Question) -> None:
    """Parse a query with rdflib's parser, to report a syntax error before it reaches an endpoint."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parseQuery(question.sparql)
    except ParseBaseException as exc:
        raise InputError(f"{question.source}:{exc.lineno}:{exc.col}: SPARQL syntax error: {exc.msg}") from None


#: Engine name -> factory taking the endpoint URL (ignored by embedded engines) and the timeout.
ENGINES: Mapping[str, Callable[[str | None, float], Engine]] = MappingProxyType(
    {
        "rdflib": lambda url, timeout: RdflibEngine(timeout),
        "oxigraph": lambda url, timeout: OxigraphEngine(timeout),
        "endpoint": lambda url, timeout: _endpoint(url, timeout),
    }
)
#: The embedded engines (no server needed).
EMBEDDED_ENGINES: tuple[str, ...] = ("rdflib", "oxigraph")
#: The faster embedded engine (benchmarks/query_bench.py measures both).
DEFAULT_ENGINE = "oxigraph"


def _endpoint(url: str | None, timeout: float) -> EndpointEngine:
    """Make an :class:`EndpointEngine`; an URL is required, its ``user:password@`` part becomes credentials."""
    if not url or not re.match(r"https?://", url):
        raise InputError(f"the endpoint engine needs an http(s) URL, got {display_url(url or '')!r}")
    stripped, userinfo = split_userinfo(url)
    return EndpointEngine(stripped, timeout, Credentials(*userinfo) if userinfo else None)


def _one_line(exc: BaseException) -> str:
    """Write an exception's message on one line."""
    return " ".join(str(exc).split()) or type(exc).__name__


def run_question(
    question: Question,
    *,
    engine: str = DEFAULT_ENGINE,
    params: Mapping[str, Node] | None = None,
    endpoint: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    entailment: bool = True,
) -> Answer:
    """Answer a question on one engine.

    :param question: from :func:`questions`, :func:`find_question` or built from text.
    :param engine: a key of :data:`ENGINES`.
    :param params: variable name -> term (see :func:`parse_param`); each must be a
        variable of the query.
    :param endpoint: the URL, for the ``endpoint`` engine.
    :param timeout: seconds before the query is stopped, on every engine.
    :param entailment: an embedded engine includes the entailment graph; an endpoint
        answers from the graphs it holds, whatever this says.
    :raises InputError: unknown engine, unknown parameter or a syntax error (``FILE:LINE:COL:``).
    :raises ServerError: the endpoint or a ``SERVICE`` call fails, or the endpoint does not answer in time.
    :raises LimitError: an embedded engine did not answer within ``timeout``.

    Example:
        >>> run_question(questions()["trial-design"]).table()[0][0]
        'EMBER-3'
    """
    try:
        make = ENGINES[engine]
    except KeyError:
        raise InputError(f"unknown engine {engine!r}; engines: {', '.join(ENGINES)}") from None
    bindings = dict(params or {})
    variables = _variables(question.sparql)
    for name in bindings:
        if name not in variables:
            raise InputError(f"{question.source}: --param {name}: the query has no variable ?{name}")
    chosen = make(endpoint, timeout)
    if engine in EMBEDDED_ENGINES and not entailment:
        chosen = replace(chosen, entailment=False)  # type: ignore[type-var]
    return chosen.run(question, bindings)


# --- Lexing, for parameters sent to endpoints ----------------------------------------

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


def _tokens(sparql: str) -> Iterable[tuple[str, str, int]]:
    """Lex a query into (kind, text, offset), skipping blanks and comments."""
    for match in _TOKEN.finditer(sparql):
        if match.lastgroup != "skip":
            yield match.lastgroup or "other", match.group(), match.start()


def _strip_comments(sparql: str) -> str:
    """Remove the ``#`` comments of a query, keeping its lines (strings and IRIs untouched)."""
    return "".join(
        "" if match.lastgroup == "skip" and match.group().startswith("#") else match.group()
        for match in _TOKEN.finditer(sparql)
    )


def _variables(sparql: str) -> set[str]:
    """Collect the names of the variables a query mentions."""
    return {text[1:] for kind, text, _ in _tokens(sparql) if kind == "var"}


def _query_form(sparql: str) -> str | None:
    """Find the query form keyword (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``) of a query."""
    return next(
        (text.upper() for kind, text, _ in _tokens(sparql) if kind == "word" and text.upper() in _FORMS),
        None,
    )


_FORMS = frozenset(("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"))


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
    for kind, text, offset in _tokens(question.sparql):
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


# --- Output formats ------------------------------------------------------------------


def _table(answer: Answer) -> str:
    """Aligned columns for reading; a graph as Turtle."""
    if answer.boolean is not None:
        return f"{'true' if answer.boolean else 'false'}\n"
    if answer.graph is not None:
        return _serialize_graph(answer.graph, "ttl")
    cells = [list(answer.variables), *answer.table()]
    widths = [max(len(row[i]) for row in cells) for i in range(len(answer.variables))]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines) + "\n"


def _delimited(delimiter: str) -> Callable[[Answer], str]:
    """CSV or TSV with a header row; a boolean as one cell; a graph as sorted N-Triples."""

    def write(answer: Answer) -> str:
        if answer.boolean is not None:
            return f"{'true' if answer.boolean else 'false'}\n"
        if answer.graph is not None:
            return _serialize_graph(answer.graph, "nt")
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        writer.writerow(answer.variables)
        writer.writerows(answer.table())
        return out.getvalue()

    return write


def _json(answer: Answer) -> str:
    """``{"boolean": ...}``, ``{"variables": [...], "rows": [{...}]}`` (unbound is null), or JSON-LD."""
    if answer.boolean is not None:
        return json.dumps({"boolean": answer.boolean}) + "\n"
    if answer.graph is not None:
        return _serialize_graph(answer.graph, "jsonld")
    rows = [
        {var: None if term is None else render_term(term) for var, term in zip(answer.variables, row, strict=True)}
        for row in answer.rows
    ]
    return json.dumps({"variables": list(answer.variables), "rows": rows}, indent=2, ensure_ascii=False) + "\n"


def _serialize_graph(graph: Graph, format_name: str) -> str:
    """Write a graph with the project's deterministic writer of one RDF format."""
    spec = RDF_FORMATS[format_name]
    data = graph.serialize(format=spec.serializer, encoding="utf-8", **spec.options)
    return spec.normalise(data).decode("utf-8")


#: Output format name -> writer of an answer.
FORMATS: Mapping[str, Callable[[Answer], str]] = MappingProxyType(
    {"table": _table, "csv": _delimited(","), "tsv": _delimited("\t"), "json": _json}
)


def format_answer(answer: Answer, format_name: str = "table") -> str:
    """Write an answer in one of :data:`FORMATS`.

    :raises InputError: unknown format.
    """
    try:
        return FORMATS[format_name](answer)
    except KeyError:
        raise InputError(f"unknown format {format_name!r}; formats: {', '.join(FORMATS)}") from None


@dataclass(frozen=True)
class QuestionSummary:
    """One line of ``ember3kg questions``: name, description and declared parameters."""

    name: str
    description: str
    params: Mapping[str, str] = field(default_factory=dict)


def list_questions() -> list[QuestionSummary]:
    """Summarise the packaged questions, sorted by name."""
    return [QuestionSummary(q.name, q.description, q.params) for q in questions().values()]
