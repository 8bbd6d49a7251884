"""Upload the dataset's named graphs to a triple store through the W3C SPARQL 1.1 protocols.

Two ways in, both replacing each graph so that pushing twice leaves one copy:

- the **Graph Store HTTP Protocol** (:func:`push` with ``store_url``): one
  ``PUT <store>?graph=<iri>`` per graph, its triples as N-Triples;
- **SPARQL 1.1 Update** (``update_endpoint``), for stores without the Graph Store
  Protocol: one request per graph, ``DROP SILENT GRAPH`` then ``INSERT DATA``
  operations of at most ``batch_size`` triples, through SPARQLWrapper. Triples that
  share a blank node go in the same operation.

Either way each graph is replaced by one request, which a store runs as one
transaction: two pushes at once leave one copy of each graph, never a mixture or
duplicated blank-node triples. Graph names reach SPARQL text only as IRIs checked
by :func:`ember3kg.iris.sparql_iri`, so ``--graph-prefix`` cannot inject SPARQL.

The triples of each graph are exactly those ``ember3kg export --format nq`` writes.
After the upload, a ``COUNT`` query per graph checks that the store holds exactly the
triples sent; the query endpoint is derived from the upload URL when the store's
layout is known (:data:`QUERY_ENDPOINTS`).

A failed request is retried with back-off when trying again may help (refused
connection, timeout, HTTP 5xx, 408, 429). A graph that still fails stops the push
with a :class:`~ember3kg.errors.ServerError` whose message names the graph, what is
known of its state on the server, and which graphs were already pushed. The password
is sent only in the ``Authorization`` header and never appears in a message: neither
it nor the header's token is printed, whatever a server echoes, and a
``user:password@`` part of a URL becomes the credentials and is never shown.
"""

from __future__ import annotations

import base64
import http.client
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, TypeVar

from rdflib import Dataset, URIRef
from SPARQLWrapper import BASIC, JSON, POST, POSTDIRECTLY, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from ember3kg.errors import InputError, ServerError, VerificationError
from ember3kg.iris import checked_iri, display_url, sparql_iri, split_userinfo
from ember3kg.namespaces import GRAPH
from ember3kg.serializers import sorted_lines

#: End of the path of an upload endpoint -> end of the path of the same store's query
#: endpoint. Used to verify the counts when no query endpoint is given.
QUERY_ENDPOINTS: Mapping[str, str] = MappingProxyType(
    {
        "/store": "/query",  # Oxigraph
        "/data": "/query",  # Apache Jena Fuseki: /<dataset>/data
        "/update": "/query",  # Oxigraph and Fuseki update endpoints
        "/rdf-graphs/service": "",  # GraphDB: /repositories/<id>/rdf-graphs/service
        "/statements": "",  # GraphDB and RDF4J: /repositories/<id>/statements
        "/sparql-graph-crud": "/sparql",  # Virtuoso
        "/sparql-graph-crud-auth": "/sparql",  # Virtuoso, authenticated
        "/sparql/gsp": "/sparql",  # Amazon Neptune
    }
)
#: Environment variable holding the password for ``--user``.
PASSWORD_VARIABLE = "EMBER3KG_PASSWORD"  # noqa: S105 (a variable name, not a password)
#: Media type of the graphs sent with the Graph Store Protocol.
NTRIPLES = "application/n-triples"
#: Statuses worth retrying besides 5xx: request timeout, too many requests.
_RETRIABLE_STATUSES = frozenset({408, 429})
#: A blank node as the subject, or as the object, of an N-Triples line.
_SUBJECT_BNODE = re.compile(rb"^_:(\S+) ")
_OBJECT_BNODE = re.compile(rb" _:(\S+) \.\s*$")
#: At most this many characters of a server's error message are reported.
_MESSAGE_LIMIT = 300

Progress = Callable[[str], None]
_T = TypeVar("_T")


@dataclass(frozen=True)
class Credentials:
    """HTTP Basic credentials; the password is left out of ``repr``."""

    user: str
    password: str = field(repr=False)

    @classmethod
    def from_environment(cls, user: str | None, environ: Mapping[str, str]) -> Credentials | None:
        """Pair ``user`` with the password in :data:`PASSWORD_VARIABLE`; ``None`` without a user.

        :raises InputError: a user is given but the variable is not set.
        """
        if user is None:
            return None
        if PASSWORD_VARIABLE not in environ:
            raise InputError(f"--user {user} needs the password in the environment variable {PASSWORD_VARIABLE}")
        return cls(user, environ[PASSWORD_VARIABLE])

    def header(self) -> str:
        """Build the value of the ``Authorization`` header."""
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
        return f"Basic {token}"

    def scrub(self, text: str) -> str:
        """Remove the password and the header's token from ``text`` (a server might echo what it was sent)."""
        for secret in (self.header().split(" ", 1)[1], self.password):
            if secret:
                text = text.replace(secret, "***")
        return text


@dataclass(frozen=True)
class Upload:
    """One named graph to send.

    :param graph: the graph's IRI on the server (after ``--graph-prefix``).
    :param triples: its triples, N-Triples lines, sorted.
    """

    graph: URIRef
    triples: tuple[bytes, ...]

    @property
    def body(self) -> bytes:
        """The graph as an N-Triples document."""
        return b"".join(self.triples)


@dataclass(frozen=True)
class PushResult:
    """What a push did.

    :param counts: graph IRI on the server -> triples sent, in upload order.
    :param verified_with: the query endpoint that confirmed the counts, or ``None``.
    :param seconds: wall time of the upload (without verification).
    """

    counts: dict[str, int]
    verified_with: str | None
    seconds: float

    @property
    def triples(self) -> int:
        """Total number of triples sent."""
        return sum(self.counts.values())


@dataclass(frozen=True)
class Connection:
    """How to talk to a server: credentials, timeout and retry policy.

    :param credentials: HTTP Basic credentials, or ``None``.
    :param timeout: seconds to wait for each answer.
    :param retries: how many times a failed request is tried again.
    :param backoff: seconds before the first retry; doubled for each further one.
    """

    credentials: Credentials | None = None
    timeout: float = 60.0
    retries: int = 3
    backoff: float = 0.5

    def scrub(self, text: str) -> str:
        """Remove the password, if any, from ``text``."""
        return self.credentials.scrub(text) if self.credentials else text


def uploads(dataset: Dataset, graph_prefix: str | None = None) -> list[Upload]:
    """List the graphs of ``dataset`` as they are sent: sorted by IRI, non-empty ones only.

    :param dataset: the dataset to push.
    :param graph_prefix: replaces ``https://w3id.org/ember3kg/graph/`` at the start of
        each graph IRI; other graph IRIs are kept.
    :raises InputError: ``graph_prefix``, or a graph IRI made with it, is not an absolute IRI (RFC 3987).

    Example:
        >>> from ember3kg.dataset import load_dataset
        >>> [str(u.graph) for u in uploads(load_dataset(), "urn:x:")][:1]
        ['urn:x:ember3-design']
    """
    if graph_prefix is not None:
        checked_iri(graph_prefix, "--graph-prefix")
    found = []
    for context in sorted(dataset.graphs(), key=lambda context: str(context.identifier)):
        if not len(context):
            continue
        iri = str(context.identifier)
        if graph_prefix is not None and iri.startswith(str(GRAPH)):
            iri = graph_prefix + iri.removeprefix(str(GRAPH))
        lines = sorted_lines(context.serialize(format="nt", encoding="utf-8"))
        found.append(Upload(URIRef(checked_iri(iri, "graph")), tuple(line + b"\n" for line in lines.splitlines())))
    return found


def derive_query_endpoint(url: str) -> str | None:
    """Guess the query endpoint of the store behind an upload URL (see :data:`QUERY_ENDPOINTS`).

    Example:
        >>> derive_query_endpoint("http://127.0.0.1:7878/store")
        'http://127.0.0.1:7878/query'
        >>> derive_query_endpoint("http://example.org/unknown") is None
        True
    """
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    for suffix, replacement in sorted(QUERY_ENDPOINTS.items(), key=lambda item: -len(item[0])):
        if path.endswith(suffix):
            return urllib.parse.urlunsplit(parts._replace(path=path.removesuffix(suffix) + replacement, query=""))
    return None


def push(
    dataset: Dataset,
    store_url: str | None = None,
    *,
    update_endpoint: str | None = None,
    query_endpoint: str | None = None,
    verify: bool = True,
    graph_prefix: str | None = None,
    connection: Connection | None = None,
    batch_size: int = 1000,
    progress: Progress | None = None,
) -> PushResult:
    """Replace each named graph of ``dataset`` on a server, then check the counts.

    :param dataset: the dataset to push.
    :param store_url: a Graph Store Protocol endpoint, e.g. ``http://127.0.0.1:7878/store``.
    :param update_endpoint: a SPARQL Update endpoint, used instead of ``store_url``.
    :param query_endpoint: where to check the counts; derived from the upload URL if not given.
    :param verify: check the counts; skipped (and said so) when no query endpoint is known.
    :param graph_prefix: see :func:`uploads`.
    :param connection: credentials, timeout and retry policy.
    :param batch_size: triples per ``INSERT DATA`` operation (Update path only).
    :param progress: called with one line per graph and per retry.
    :returns: the counts sent and whether they were verified.
    :raises InputError: neither or both of ``store_url`` and ``update_endpoint``, a bad URL or a bad option.
    :raises ServerError: a request failed after its retries.
    :raises VerificationError: the server holds other counts than were sent.

    Example:
        >>> push(load_dataset(), "http://127.0.0.1:7878/store")  # doctest: +SKIP
    """
    if (store_url is None) == (update_endpoint is None):
        raise InputError("give either a Graph Store URL or --update-endpoint, not both or neither")
    if batch_size < 1:
        raise InputError(f"--batch-size must be at least 1, not {batch_size}")
    connection = connection or Connection()
    store_url, update_endpoint, query_endpoint, connection = _without_userinfo(
        store_url, update_endpoint, query_endpoint, connection
    )
    report = progress or (lambda _message: None)
    target = store_url or update_endpoint or ""
    query = query_endpoint or (derive_query_endpoint(target) if verify else None)
    pending = uploads(dataset, graph_prefix)
    done: list[Upload] = []
    started = time.perf_counter()
    for upload in pending:
        began = time.perf_counter()
        try:
            if store_url is not None:
                _put_graph(store_url, upload, connection, report)
            else:
                _update_graph(target, upload, connection, batch_size, report)
        except _PartialUpload as exc:
            raise ServerError(_failure_message(exc, upload, done, pending, query, connection)) from None
        done.append(upload)
        report(f"{upload.graph}: {len(upload.triples)} triples in {time.perf_counter() - began:.2f} s")
    seconds = time.perf_counter() - started
    counts = {str(upload.graph): len(upload.triples) for upload in done}
    if not verify:
        return PushResult(counts, None, seconds)
    if query is None:
        report(f"not verified: no query endpoint known for {display_url(target)}; give --query-endpoint")
        return PushResult(counts, None, seconds)
    verify_counts(query, counts, connection)
    report(f"verified {len(counts)} graphs, {sum(counts.values())} triples, at {display_url(query)}")
    return PushResult(counts, query, seconds)


def count_triples(query_endpoint: str, graphs: Sequence[str], connection: Connection | None = None) -> dict[str, int]:
    """Count the triples of each of ``graphs`` on a server (0 for a graph it does not have).

    :raises InputError: a graph name is not an absolute IRI.
    :raises ServerError: the query failed after its retries, or its answer is not SPARQL JSON results.
    """
    connection = connection or Connection()
    values = " ".join(map(sparql_iri, graphs))
    text = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
    what = f"query {display_url(query_endpoint)}"
    answer = _retrying(lambda: _sparql(query_endpoint, text, connection, update=False), connection, what, None)
    counts = dict.fromkeys(graphs, 0)
    try:
        for row in answer["results"]["bindings"]:
            counts[row["g"]["value"]] = int(row["n"]["value"])
    except (TypeError, KeyError, ValueError) as exc:
        raise ServerError(f"{what}: not a SPARQL JSON count answer ({type(exc).__name__}: {exc})") from None
    return counts


def _without_userinfo(
    store_url: str | None, update_endpoint: str | None, query_endpoint: str | None, connection: Connection
) -> tuple[str | None, str | None, str | None, Connection]:
    """Take ``user:password@`` out of the URLs; it becomes the credentials unless some are given.

    :raises InputError: a URL cannot be parsed.
    """
    urls = []
    found = None
    for url in (store_url, update_endpoint, query_endpoint):
        stripped, userinfo = split_userinfo(url) if url is not None else (None, None)
        urls.append(stripped)
        found = found or userinfo
    if found is not None and connection.credentials is None:
        connection = replace(connection, credentials=Credentials(*found))
    return urls[0], urls[1], urls[2], connection


class _PartialUpload(Exception):
    """A graph upload failed (its one request: the graph is either replaced or unchanged)."""

    def __init__(self, cause: ServerError):
        super().__init__(str(cause))
        self.cause = cause


def _put_graph(store_url: str, upload: Upload, connection: Connection, report: Progress) -> None:
    """Replace one graph with a Graph Store Protocol ``PUT``."""
    separator = "&" if urllib.parse.urlsplit(store_url).query else "?"
    url = f"{store_url}{separator}{urllib.parse.urlencode({'graph': str(upload.graph)})}"
    request = urllib.request.Request(url, data=upload.body, method="PUT", headers={"Content-Type": NTRIPLES})  # noqa: S310 (the user's URL)
    try:
        _retrying(lambda: _http(request, connection), connection, f"PUT {upload.graph}", report)
    except ServerError as exc:
        raise _PartialUpload(exc) from None


def _update_graph(endpoint: str, upload: Upload, connection: Connection, batch_size: int, report: Progress) -> None:
    """Replace one graph with one SPARQL Update request: drop it, then insert it in operations of ``batch_size``."""
    graph = sparql_iri(upload.graph)
    operations = [f"DROP SILENT GRAPH {graph}"]
    for batch in _batches(upload.triples, batch_size):
        operations.append(f"INSERT DATA {{ GRAPH {graph} {{\n{b''.join(batch).decode('utf-8')}}} }}")
    text = " ;\n".join(operations)
    try:
        _retrying(
            lambda: _sparql(endpoint, text, connection, update=True), connection, f"update {upload.graph}", report
        )
    except ServerError as exc:
        raise _PartialUpload(exc) from None


def _batches(triples: Sequence[bytes], size: int) -> Iterator[list[bytes]]:
    """Group N-Triples lines into batches of about ``size``, never splitting triples that share a blank node.

    Triples linked through blank nodes form one unit; a unit larger than ``size`` is a batch of its own.
    """
    parent: dict[str, str] = {}

    def root(label: str) -> str:
        while parent.setdefault(label, label) != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    labels = [_bnode_labels(line) for line in triples]
    for found in labels:
        for label in found[1:]:
            parent[root(label)] = root(found[0])
    units: dict[str, list[bytes]] = {}
    for index, (line, found) in enumerate(zip(triples, labels, strict=True)):
        units.setdefault(root(found[0]) if found else f"#{index}", []).append(line)
    batch: list[bytes] = []
    for unit in units.values():
        if batch and len(batch) + len(unit) > size:
            yield batch
            batch = []
        batch.extend(unit)
    if batch:
        yield batch


def _bnode_labels(line: bytes) -> list[str]:
    """Find the labels of the blank nodes of one N-Triples line, as written (subject, then object)."""
    return [match.decode() for pattern in (_SUBJECT_BNODE, _OBJECT_BNODE) for match in pattern.findall(line)]


def verify_counts(query_endpoint: str, expected: Mapping[str, int], connection: Connection) -> None:
    """Check that the server holds exactly ``expected`` triples per graph.

    :raises ServerError: the count query fails.
    :raises VerificationError: a graph holds another count.
    """
    found = count_triples(query_endpoint, list(expected), connection)
    wrong = [
        f"<{graph}> holds {found[graph]} triples, expected {count}"
        for graph, count in expected.items()
        if found[graph] != count
    ]
    if wrong:
        raise VerificationError(f"count mismatch at {query_endpoint}: {'; '.join(wrong)}")


def _failure_message(
    exc: _PartialUpload,
    upload: Upload,
    done: Sequence[Upload],
    pending: Sequence[Upload],
    query_endpoint: str | None,
    connection: Connection,
) -> str:
    """Say what failed, what state the graph was left in, and which graphs were pushed."""
    expected = len(upload.triples)
    if not exc.cause.reached:
        state = f"graph <{upload.graph}> was not changed (the server was not reached)"
    else:
        state = f"graph <{upload.graph}> may be unchanged or incomplete (not checked: no query endpoint)"
        if query_endpoint is not None:
            quick = Connection(connection.credentials, timeout=min(connection.timeout, 10.0), retries=0)
            try:
                held = count_triples(query_endpoint, [str(upload.graph)], quick)[str(upload.graph)]
            except ServerError:
                state = f"graph <{upload.graph}> may be unchanged or incomplete (the server could not be asked)"
            else:
                state = f"graph <{upload.graph}> now holds {held} triples on the server ({expected} were sent)"
    pushed = f"{len(done)} of {len(pending)} graphs pushed before it"
    return f"{exc.cause}; {state}; {pushed}"


def _retrying(action: Callable[[], _T], connection: Connection, what: str, report: Progress | None) -> _T:
    """Run ``action``; retry a retriable :class:`ServerError` with doubling back-off."""
    for attempt in range(connection.retries + 1):
        try:
            return action()
        except ServerError as exc:
            if not exc.retriable or attempt == connection.retries:
                raise
            delay = connection.backoff * 2**attempt
            if report is not None:
                report(f"{what}: {exc}; retry {attempt + 1} of {connection.retries} in {delay:.1f} s")
            time.sleep(delay)
    raise AssertionError("unreachable: the last attempt returns or raises")


def _http(request: urllib.request.Request, connection: Connection) -> bytes:
    """Send one request; turn every failure into a one-line :class:`ServerError`."""
    if connection.credentials is not None:
        request.add_unredirected_header("Authorization", connection.credentials.header())
    try:
        with urllib.request.urlopen(request, timeout=connection.timeout) as response:  # noqa: S310 (the user's URL)
            return response.read()
    except urllib.error.HTTPError as exc:
        text = exc.read().decode("utf-8", "replace")
        raise _status_error(
            f"{request.get_method()} {_without_query(request.full_url)}", exc.code, exc.reason, text, connection
        ) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise _connection_error(_without_query(request.full_url), exc, connection) from None


def _sparql(endpoint: str, text: str, connection: Connection, *, update: bool) -> Any:
    """Run one SPARQL query (JSON results) or update through SPARQLWrapper."""
    wrapper = SPARQLWrapper(endpoint, updateEndpoint=endpoint)
    wrapper.setMethod(POST)
    wrapper.setTimeout(max(1, round(connection.timeout)))
    if connection.credentials is not None:
        wrapper.setHTTPAuth(BASIC)
        wrapper.setCredentials(connection.credentials.user, connection.credentials.password)
    wrapper.setQuery(text)
    if update:
        wrapper.setRequestMethod(POSTDIRECTLY)
    else:
        wrapper.setReturnFormat(JSON)
    what = f"{'update' if update else 'query'} {display_url(endpoint)}"
    try:
        result = wrapper.query()
        return None if update else result.convert()
    except SPARQLWrapperException as exc:
        cause = exc.__context__
        status = cause.code if isinstance(cause, urllib.error.HTTPError) else 0
        reason = cause.reason if isinstance(cause, urllib.error.HTTPError) else type(exc).__name__
        raise _status_error(what, status, reason, _wrapper_response(exc), connection) from None
    except urllib.error.HTTPError as exc:
        raise _status_error(what, exc.code, exc.reason, exc.read().decode("utf-8", "replace"), connection) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise _connection_error(endpoint, exc, connection) from None
    except ValueError as exc:  # an answer that is not SPARQL JSON results
        raise ServerError(connection.scrub(f"{what}: unreadable answer: {exc}")) from None


def _wrapper_response(exc: SPARQLWrapperException) -> str:
    """Recover the server's message from a SPARQLWrapper exception (it keeps only its formatted text)."""
    text = str(exc)
    marker = "Response:\n"
    if marker not in text:
        return ""
    body = text.split(marker, 1)[1]
    if body.startswith(("b'", 'b"')):
        body = body[2:-1].encode("latin-1", "backslashreplace").decode("unicode_escape", "replace")
    return body


def _status_error(what: str, status: int, reason: str, text: str, connection: Connection) -> ServerError:
    """Make a :class:`ServerError` for an HTTP error status, with the server's message."""
    message = connection.scrub(" ".join(text.split()))
    if len(message) > _MESSAGE_LIMIT:
        message = message[:_MESSAGE_LIMIT] + "..."
    head = f"{what}: HTTP {status} {reason}" if status else f"{what}: {reason}"
    retriable = status >= 500 or status in _RETRIABLE_STATUSES
    return ServerError(f"{head}: {message}" if message else head, retriable=retriable)


def _connection_error(url: str, exc: BaseException, connection: Connection) -> ServerError:
    """Make a :class:`ServerError` for a failure below HTTP: refused, timed out, unknown host, broken answer."""
    url = display_url(url)
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, ConnectionRefusedError):
        return ServerError(f"{url}: connection refused (is the server running?)", retriable=True, reached=False)
    if isinstance(reason, TimeoutError | socket.timeout):
        return ServerError(f"{url}: no answer within {connection.timeout:g} s", retriable=True)
    if isinstance(reason, ConnectionError | http.client.IncompleteRead | http.client.RemoteDisconnected):
        return ServerError(f"{url}: connection lost: {type(reason).__name__}", retriable=True)
    if isinstance(reason, http.client.HTTPException):
        return ServerError(f"{url}: not an HTTP answer: {type(reason).__name__}", retriable=False)
    return ServerError(f"{url}: {connection.scrub(display_url(str(reason)))}", retriable=False)


def _without_query(url: str) -> str:
    """Drop the query string and any user information of ``url``, for messages (which name the graph themselves)."""
    return display_url(urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(query="")))
