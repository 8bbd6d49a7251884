"""Upload the dataset's named graphs to a triple store through the W3C SPARQL 1.1 protocols.

Two ways in, both replacing each graph so that pushing twice leaves one copy:

- the **Graph Store HTTP Protocol** (:func:`push` with ``store_url``): one
  ``PUT <store>?graph=<iri>`` per graph, its triples as N-Triples;
- **SPARQL 1.1 Update** (``update_endpoint``), for stores without the Graph Store
  Protocol: one request per graph, ``DROP SILENT GRAPH`` then ``INSERT { ... } WHERE {}``
  operations of at most ``batch_size`` triples. Triples that share a blank node go in
  the same operation, where one label is one new blank node: the template form is
  used rather than ``INSERT DATA`` because some stores (Virtuoso) refuse blank nodes
  in ``INSERT DATA``.

Either way each graph is replaced by one request, which a store runs as one
transaction: two pushes at once leave one copy of each graph, never a mixture or
duplicated blank-node triples. Graph names reach SPARQL text only as IRIs checked
by :func:`ember3kg.vocab.iris.sparql_iri`, so ``--graph-prefix`` cannot inject SPARQL.

The triples of each graph are exactly those ``ember3kg export --format nq`` writes.
After the upload, a ``COUNT`` query per graph checks that the store holds exactly the
triples sent; the query endpoint is derived from the upload URL when the store's
layout is known (:data:`QUERY_ENDPOINTS`).

Requests go through :class:`~ember3kg.stores.sparql_client.SparqlClient`: credentials
answer the server's challenge (Digest or Basic), failures that trying again may cure
are retried with back-off. A graph that still fails stops the push with a
:class:`~ember3kg.errors.ServerError` whose message names the graph, what is known of
its state on the server, and which graphs were already pushed. The password never
appears in a message, whatever a server echoes, and a ``user:password@`` part of a
URL becomes the credentials and is never shown.
"""

from __future__ import annotations

import re
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

from rdflib import Dataset, URIRef

from ember3kg.errors import InputError, ServerError, VerificationError
from ember3kg.io.serializers import sorted_lines
from ember3kg.query.endpoint import select_results, send_update
from ember3kg.stores.sparql_client import Connection, Credentials, SparqlClient
from ember3kg.vocab.iris import checked_iri, display_url, sparql_iri, split_userinfo
from ember3kg.vocab.namespaces import GRAPH

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
#: A blank node as the subject, or as the object, of an N-Triples line.
_SUBJECT_BNODE = re.compile(rb"^_:(\S+) ")
_OBJECT_BNODE = re.compile(rb" _:(\S+) \.\s*$")

Progress = Callable[[str], None]


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


def uploads(dataset: Dataset, graph_prefix: str | None = None) -> list[Upload]:
    """List the graphs of ``dataset`` as they are sent: sorted by IRI, non-empty ones only.

    :param dataset: the dataset to push.
    :param graph_prefix: replaces ``https://w3id.org/ember3kg/graph/`` at the start of
        each graph IRI; other graph IRIs are kept.
    :raises InputError: ``graph_prefix``, or a graph IRI made with it, is not an absolute IRI (RFC 3987).

    Example:
        >>> from ember3kg.publish.dataset import load_dataset
        >>> [str(u.graph) for u in uploads(load_dataset(), "urn:x:")][:1]
        ['urn:x:ember3-design']
    """
    if graph_prefix is not None:
        checked_iri(graph_prefix, "graph prefix")
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
        raise InputError("give either a Graph Store URL or an Update endpoint, not both or neither")
    if batch_size < 1:
        raise InputError(f"batch size must be at least 1, not {batch_size}")
    connection = connection or Connection()
    store_url, update_endpoint, query_endpoint, connection = _without_userinfo(
        store_url, update_endpoint, query_endpoint, connection
    )
    report = progress or (lambda _message: None)
    client = SparqlClient(connection, report)
    target = store_url or update_endpoint or ""
    query = query_endpoint or (derive_query_endpoint(target) if verify else None)
    pending = uploads(dataset, graph_prefix)
    done: list[Upload] = []
    started = time.perf_counter()
    for upload in pending:
        began = time.perf_counter()
        try:
            if store_url is not None:
                client.put_graph(store_url, str(upload.graph), upload.body)
            else:
                send_update(client, target, _replacing_update(upload, batch_size))
        except ServerError as exc:
            raise ServerError(_failure_message(exc, upload, done, pending, query, connection)) from None
        done.append(upload)
        report(f"{upload.graph}: {len(upload.triples)} triples in {time.perf_counter() - began:.2f} s")
    seconds = time.perf_counter() - started
    counts = {str(upload.graph): len(upload.triples) for upload in done}
    if not verify:
        return PushResult(counts, None, seconds)
    if query is None:
        report(f"not verified: no query endpoint known for {display_url(target)}; give one to verify")
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
    answer = select_results(SparqlClient(connection), query_endpoint, text)
    counts = dict.fromkeys(graphs, 0)
    try:
        for row in answer["results"]["bindings"]:
            counts[row["g"]["value"]] = int(row["n"]["value"])
    except (TypeError, KeyError, ValueError) as exc:
        raise ServerError(
            f"query {display_url(query_endpoint)}: not a SPARQL JSON count answer ({type(exc).__name__}: {exc})"
        ) from None
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


def _replacing_update(upload: Upload, batch_size: int) -> str:
    """Write one SPARQL update that drops the graph, then inserts it in operations of ``batch_size`` triples."""
    graph = sparql_iri(upload.graph)
    operations = [f"DROP SILENT GRAPH {graph}"]
    for batch in _batches(upload.triples, batch_size):
        operations.append(f"INSERT {{ GRAPH {graph} {{\n{b''.join(batch).decode('utf-8')}}} }} WHERE {{}}")
    return " ;\n".join(operations)


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
    exc: ServerError,
    upload: Upload,
    done: Sequence[Upload],
    pending: Sequence[Upload],
    query_endpoint: str | None,
    connection: Connection,
) -> str:
    """Say what failed, what state the graph was left in, and which graphs were pushed."""
    expected = len(upload.triples)
    if not exc.reached:
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
    return f"{exc}; {state}; {pushed}"
