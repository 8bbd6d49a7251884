"""Assemble the ember3kg dataset from its parts, and read RDF files.

The dataset has one named graph per *part*, ``GRAPH[<part>]``. Parts come from the
sources in :data:`PART_SOURCES`; each packaged source globs ``*.ttl`` in one folder
of the package, sorted, so adding a file adds a part:

- ``ontology/ember3kg.ttl`` -> part ``ontology``;
- ``graph/<stem>.ttl`` -> part ``<stem>``;
- ``ontology/imports/<stem>.ttl`` -> part ``<stem>`` (term imports, ``external-terms``);
- ``graph/mappings.sssom.tsv`` -> part ``mappings``, its SKOS links (:mod:`ember3kg.links.mappings`).

A new kind of part (mappings, a VoID description, inferred triples) is one more
entry in :data:`PART_SOURCES`.

Parsed parts are cached (:func:`functools.lru_cache`); the public functions return
fresh copies, so callers may change what they get.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from ember3kg.errors import DataError, InputError
from ember3kg.io.formats import FORMATS, RdfFormat
from ember3kg.links.mappings import mappings_part
from ember3kg.vocab.namespaces import GRAPH, bind_prefixes
from ember3kg.vocab.terms import from_oxigraph, oxigraph_converter, to_oxigraph

if TYPE_CHECKING:
    import pyoxigraph

#: A statement: subject, predicate, object.
Triple = tuple[Node, Node, Node]

#: Kind of a part holding OWL axioms.
ONTOLOGY = "ontology"
#: Kind of a part holding instance data.
DATA = "data"


@dataclass(frozen=True)
class Part:
    """One named graph of the dataset, read from one packaged file.

    :param name: short name; the graph IRI is ``GRAPH[name]``.
    :param kind: :data:`ONTOLOGY` or :data:`DATA`.
    :param resource: the packaged file.
    :param source: the file's path in the source tree, e.g. ``graph/sources.ttl``;
        error messages name the file by it.
    :param reader: builds the part's graph from the file's bytes, its ``source`` and
        the graph IRI; ``None`` reads the file as Turtle.
    """

    name: str
    kind: str
    resource: Traversable
    source: str
    reader: Callable[[bytes, str, URIRef], Graph] | None = None

    @property
    def iri(self) -> URIRef:
        """IRI of the part's named graph."""
        return GRAPH[self.name]


@dataclass(frozen=True)
class PackagedTurtle:
    """A source of parts: the ``*.ttl`` files of one package folder, sorted by name.

    :param package: the package holding the files, e.g. ``ember3kg.graph``; it is
        the source-tree folder named by its last component (``graph/``).
    :param kind: kind of the parts it gives.
    :param rename: file stem -> part name, for stems not used as they are.
    :param subfolder: a folder inside the package to glob instead, e.g. ``imports``.
    """

    package: str
    kind: str
    rename: Mapping[str, str] = field(default_factory=dict)
    subfolder: str = ""

    def parts(self) -> list[Part]:
        """List the parts of this source, sorted by file name."""
        root = files(self.package).joinpath(self.subfolder) if self.subfolder else files(self.package)
        resources = sorted(
            (item for item in root.iterdir() if item.is_file() and item.name.endswith(".ttl")),
            key=lambda item: item.name,
        )
        folder = "/".join(filter(None, (self.package.rsplit(".", 1)[-1], self.subfolder)))
        return [
            Part(self.rename.get(stem, stem), self.kind, item, f"{folder}/{item.name}")
            for item in resources
            for stem in (item.name.removesuffix(".ttl"),)
        ]


@dataclass(frozen=True)
class PackagedFile:
    """A source of one part built from one packaged file by a reader, e.g. RDF made from SSSOM.

    :param package: the package holding the file.
    :param filename: the file's name in the package.
    :param name: the part name.
    :param kind: kind of the part.
    :param reader: see :attr:`Part.reader`.
    """

    package: str
    filename: str
    name: str
    kind: str
    reader: Callable[[bytes, str, URIRef], Graph]

    def parts(self) -> list[Part]:
        """List the one part of this source."""
        folder = self.package.rsplit(".", 1)[-1]
        resource = files(self.package).joinpath(self.filename)
        return [Part(self.name, self.kind, resource, f"{folder}/{self.filename}", self.reader)]


#: Sources of the dataset's parts, in dataset order.
PART_SOURCES: tuple[PackagedTurtle | PackagedFile, ...] = (
    PackagedTurtle("ember3kg.ontology", ONTOLOGY, rename=MappingProxyType({"ember3kg": "ontology"})),
    # Term imports generated from the mapping set (ember3kg.links.mappings): external labels offline.
    PackagedTurtle("ember3kg.ontology", ONTOLOGY, subfolder="imports"),
    PackagedTurtle("ember3kg.graph", DATA),
    # The SKOS links of graph/mappings.sssom.tsv, in the named graph GRAPH["mappings"].
    PackagedFile("ember3kg.graph", "mappings.sssom.tsv", "mappings", DATA, mappings_part),
)


def new_graph(identifier: URIRef | None = None) -> Graph:
    """Create an empty graph that binds exactly the project's prefixes."""
    graph = Graph(identifier=identifier, bind_namespaces="none")
    return bind_prefixes(graph)


def new_dataset() -> Dataset:
    """Create an empty dataset that binds exactly the project's prefixes."""
    dataset = Dataset()
    dataset.namespace_manager = NamespaceManager(dataset, bind_namespaces="none")
    bind_prefixes(dataset)
    return dataset


@lru_cache(maxsize=1)
def parts() -> Mapping[str, Part]:
    """Discover the parts of the packaged dataset.

    :returns: part name -> part, ontology first, then data parts sorted by name.
    :raises DataError: two files give the same part name.
    """
    found: dict[str, Part] = {}
    for source in PART_SOURCES:
        for part in source.parts():
            if part.name in found:
                raise DataError(f"part {part.name!r} is given by both {found[part.name].source} and {part.source}")
            found[part.name] = part
    return MappingProxyType(found)


def part_names(kind: str | None = None) -> list[str]:
    """List the names of the parts, in dataset order, optionally only those of one kind."""
    return [name for name, part in parts().items() if kind is None or part.kind == kind]


def _part(name: str) -> Part:
    try:
        return parts()[name]
    except KeyError:
        raise InputError(f"unknown part {name!r}; parts: {', '.join(parts())}") from None


@cache
def _part_quads(name: str) -> tuple[pyoxigraph.Quad, ...]:
    """Parse one part once into quads of the default graph, with the blank-node labels of :func:`parse_quads`."""
    part = _part(name)
    if part.reader is not None:
        return tuple(quads_of(_parsed_part(name)))
    data = part.resource.read_bytes()
    return tuple(parse_quads(data, FORMATS["ttl"], label=part.source, public_id=str(part.iri), bnode_prefix=name))


@cache
def _parsed_part(name: str) -> Graph:
    """Give one part as an rdflib graph, made once; callers must not change the result."""
    part = _part(name)
    if part.reader is not None:
        return part.reader(part.resource.read_bytes(), part.source, part.iri)
    graph = new_graph()
    add_quads(graph, _part_quads(name))
    return graph


def load_part(name: str) -> Graph:
    """Load one part of the packaged dataset.

    :param name: a part name, e.g. ``ontology`` or ``sources``.
    :returns: a new graph named ``GRAPH[name]``.
    :raises InputError: no such part, or its file does not parse.

    Example:
        >>> len(load_part("ontology")) > 0
        True
    """
    graph = new_graph(GRAPH[name])
    graph += _parsed_part(name)
    return graph


def load_ontology() -> Graph:
    """Load the ember3kg ontology (the part ``ontology``)."""
    return load_part("ontology")


def load_dataset() -> Dataset:
    """Load the packaged dataset: one named graph per part.

    :returns: a new dataset, with the project's prefixes bound.
    :raises InputError: a packaged file does not parse.
    :raises DataError: two files give the same part name.
    """
    dataset = new_dataset()
    for name, part in parts().items():
        target = dataset.graph(part.iri)
        target += _parsed_part(name)
    return dataset


@cache
def packaged_quads() -> tuple[pyoxigraph.Quad, ...]:
    """Parse the packaged dataset into quads, one named graph per part, once per process.

    The triples and blank-node labels are those of :func:`load_dataset`; no rdflib term
    is made but for the parts with their own reader.
    """
    import pyoxigraph

    quads: list[pyoxigraph.Quad] = []
    for name, part in parts().items():
        graph = pyoxigraph.NamedNode(str(part.iri))
        quads += (pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, graph) for quad in _part_quads(name))
    return tuple(quads)


def union_graph(dataset: Dataset, keep: Callable[[Triple], bool] | None = None) -> Graph:
    """Merge all graphs of ``dataset`` into one new graph; with ``keep``, only the triples it accepts.

    Triples are added in a sorted order, so that serialisers that follow insertion
    order write the same bytes on every run.
    """
    return _sorted_graph({triple for context in dataset.graphs() for triple in context}, keep)


def union_of_quads(quads: Iterable[pyoxigraph.Quad], keep: Callable[[Triple], bool] | None = None) -> Graph:
    """Merge the triples of pyoxigraph quads into one new graph, as :func:`union_graph` merges a dataset's.

    The terms are made as :func:`add_quads` makes them, and no rdflib dataset of the
    quads is built first: on a large input that would hold every triple twice.
    """
    term = oxigraph_converter(exact=True)
    triples = {(term(quad.subject), term(quad.predicate), term(quad.object)) for quad in quads}
    return _sorted_graph(triples, keep)  # type: ignore[arg-type]  # a quad's terms are never None


def _sorted_graph(triples: set[Triple], keep: Callable[[Triple], bool] | None) -> Graph:
    """Make a graph of ``triples`` (those ``keep`` accepts), added in sorted order."""
    graph = new_graph()
    kept = triples if keep is None else filter(keep, triples)
    graph.addN((*triple, graph) for triple in sorted(kept, key=_triple_key))
    return graph


def sorted_dataset(dataset: Dataset) -> Dataset:
    """Copy ``dataset`` adding its graphs and triples in a sorted order (see :func:`union_graph`)."""
    copy = new_dataset()
    for context in sorted(dataset.graphs(), key=lambda context: str(context.identifier)):
        if len(context):
            target = copy.graph(context.identifier)
            for triple in sorted(context, key=_triple_key):
                target.add(triple)
    return copy


def parse_quads(
    data: bytes,
    spec: RdfFormat,
    *,
    label: str,
    public_id: str,
    bnode_prefix: str,
) -> list[pyoxigraph.Quad]:
    """Parse an untrusted RDF document with pyoxigraph into distinct quads, with deterministic blank-node labels.

    The document first passes the checks of its format (UTF-8, no remote JSON-LD
    context, well-formed XML without entities: :mod:`ember3kg.io.input_checks`); parsing
    then reads nothing but ``data``. Literals keep their lexical form as written; terms
    are those of RDF 1.1 (language tags in lower case, a simple literal is an
    ``xsd:string``). The triples without a blank node never become rdflib terms. Every
    triple of a triple format is in the default graph (JSON-LD's named graphs too).

    :param data: the serialised RDF.
    :param spec: its format.
    :param label: names the input in error messages (usually its path).
    :param public_id: base IRI for relative IRIs.
    :param bnode_prefix: blank nodes get labels ``<prefix>-b<n>``, numbered in an
        order derived from the content (:func:`_blank_node_order`), so equal inputs
        give equal output on every run.
    :raises InputError: ``LABEL:LINE: reason`` (``LABEL: reason`` if the line is unknown);
        also for an RDF 1.2 triple term.
    """
    import pyoxigraph

    if not data.strip():
        return []  # an empty document is an empty graph in every format
    for check in spec.checks:
        check(data, label)
    try:
        quads = list(
            dict.fromkeys(pyoxigraph.parse(data, getattr(pyoxigraph.RdfFormat, spec.oxigraph), base_iri=public_id))
        )
    except Exception as exc:  # every parser failure is an input error, whatever its class
        raise InputError(_syntax_message(exc, label)) from None
    if not spec.quads and any(not isinstance(quad.graph_name, pyoxigraph.DefaultGraph) for quad in quads):
        quads = list(dict.fromkeys(pyoxigraph.Quad(quad.subject, quad.predicate, quad.object) for quad in quads))
    blank, triple = pyoxigraph.BlankNode, pyoxigraph.Triple
    plain: list[pyoxigraph.Quad] = []
    touching: list[pyoxigraph.Quad] = []
    for quad in quads:
        kinds = (type(quad.subject), type(quad.object), type(quad.graph_name))
        if triple in kinds:
            raise InputError(f"{label}: holds an RDF 1.2 triple term, which ember3kg does not read")
        (touching if blank in kinds else plain).append(quad)
    if not touching:
        return quads
    # Labels are derived by rdflib code (_relabel_bnodes), on the triples that hold a blank node only.
    parsed: Graph | Dataset = new_dataset() if spec.quads else new_graph()
    add_quads(parsed, touching, blank_nodes={})
    return plain + list(quads_of(_relabel_bnodes(parsed, bnode_prefix)))


def add_quads(
    target: Graph | Dataset,
    quads: Iterable[pyoxigraph.Quad],
    *,
    blank_nodes: dict[str, BNode] | None = None,
    default_graph: URIRef | None = None,
) -> None:
    """Add pyoxigraph quads to an rdflib graph (their graph names ignored) or dataset (one graph each).

    Literals keep their lexical form (rdflib would make ``"01"^^xsd:integer`` ``"1"``), so
    that every view of an input holds the same terms.

    :param blank_nodes: if given, each blank node label gets a fresh rdflib blank node (see
        :func:`~ember3kg.vocab.terms.from_oxigraph`); else the labels are kept.
    :param default_graph: the graph of the quads in the default graph, if not the dataset's default graph.
    """
    import pyoxigraph

    contexts: dict[Any, Graph] = {}
    term = oxigraph_converter(blank_nodes, exact=True)

    def context(name: Any) -> Graph:
        if not isinstance(target, Dataset):
            return target
        if name not in contexts:
            if isinstance(name, pyoxigraph.DefaultGraph):
                contexts[name] = target.graph(default_graph or DATASET_DEFAULT_GRAPH_ID)
            else:
                contexts[name] = target.graph(from_oxigraph(name, blank_nodes))  # type: ignore[arg-type]
        return contexts[name]

    target.addN(
        (  # type: ignore[misc]  # a quad's terms are never None
            term(quad.subject),
            term(quad.predicate),
            term(quad.object),
            context(quad.graph_name),
        )
        for quad in quads
    )


def quads_of(parsed: Graph | Dataset) -> Iterator[pyoxigraph.Quad]:
    """Give the triples of an rdflib graph as quads of the default graph, those of a dataset in their graphs.

    :raises InputError: a term is not an RDF term (:func:`~ember3kg.vocab.terms.to_oxigraph`).
    """
    import pyoxigraph

    contexts = parsed.graphs() if isinstance(parsed, Dataset) else (parsed,)
    for context in contexts:
        named = isinstance(parsed, Dataset) and context.identifier != DATASET_DEFAULT_GRAPH_ID
        name = to_oxigraph(context.identifier) if named else pyoxigraph.DefaultGraph()
        for subject, predicate, obj in context:
            yield pyoxigraph.Quad(to_oxigraph(subject), to_oxigraph(predicate), to_oxigraph(obj), name)


def _relabel_bnodes(parsed: Graph | Dataset, prefix: str) -> Graph | Dataset:
    """Replace the parser's random blank-node labels by deterministic ones.

    Labels are derived graph by graph; a document whose blank nodes are shared
    between named graphs keeps the parser's labels.
    """
    contexts = _contexts(parsed)
    bnodes = [{term for triple in context for term in triple if isinstance(term, BNode)} for context in contexts]
    if not any(bnodes) or sum(map(len, bnodes)) != len(set().union(*bnodes)):
        return parsed
    relabelled: Graph | Dataset = new_dataset() if isinstance(parsed, Dataset) else new_graph()
    prefix = re.sub(r"[^A-Za-z0-9_-]", "_", prefix)
    numbered = 0
    for context in contexts:
        source, order = _blank_node_order(context)
        mapping = {node: BNode(f"{prefix}-b{numbered + number}") for number, node in enumerate(order, start=1)}
        numbered += len(order)
        target = relabelled.graph(context.identifier) if isinstance(relabelled, Dataset) else relabelled
        for triple in source:
            subject, predicate, obj = (mapping.get(term, term) if isinstance(term, BNode) else term for term in triple)
            target.add((subject, predicate, obj))
    return relabelled


#: A graph whose blank nodes do not form trees is labelled by rdflib's canonical
#: labelling, whose cost grows steeply with their number: only up to this many.
CANONICAL_LABELLING_LIMIT = 200


def _blank_node_order(graph: Graph) -> tuple[Graph, list[BNode]]:
    """Order the blank nodes of ``graph`` by content.

    Blank nodes that form trees (each is the object of at most one triple, no cycles:
    RDF lists, OWL restrictions, nested descriptions) are ordered in time linear in
    the graph's size: trees are sorted by where they hang and by a hash of their
    content, then numbered depth first, children sorted by predicate and content.
    Nodes with equal keys are interchangeable, so the labelled graph is the same
    whichever comes first. Other graphs fall back to rdflib's canonical labelling up
    to :data:`CANONICAL_LABELLING_LIMIT` blank nodes, and keep the parser's
    (random) order beyond.

    :returns: the graph to relabel (a canonical copy in the fallback) and its blank nodes in order.
    """
    children: dict[BNode, list[tuple[Node, Node]]] = defaultdict(list)
    parents: dict[BNode, list[tuple[Node, Node]]] = defaultdict(list)
    for subject, predicate, obj in graph:
        if isinstance(subject, BNode):
            children[subject].append((predicate, obj))
        if isinstance(obj, BNode):
            parents[obj].append((subject, predicate))
    nodes = set(children) | set(parents)
    roots = [node for node in nodes if not any(isinstance(parent, BNode) for parent, _ in parents[node])]
    reachable = _depth_first(roots, children)
    if any(len(found) > 1 for found in parents.values()) or len(reachable) != len(nodes):
        return _fallback_order(graph, nodes)
    digest: dict[BNode, str] = {}
    for node in reversed(reachable):  # children before their parent
        lines = sorted(f"{p.n3()} {'_:' + digest[o] if isinstance(o, BNode) else o.n3()}" for p, o in children[node])
        digest[node] = hashlib.sha256("\n".join(lines).encode()).hexdigest()

    def hanging(node: BNode) -> tuple[str, ...]:
        return (*(term.n3() for term in next(iter(parents[node]), ())), digest[node])

    def sorted_children(node: BNode) -> list[BNode]:
        found = [(p.n3(), digest[o], o) for p, o in children[node] if isinstance(o, BNode)]
        return [o for _, _, o in sorted(found, key=lambda item: item[:2])]

    return graph, _depth_first(sorted(roots, key=hanging), children, sorted_children)


def _depth_first(
    roots: list[BNode],
    children: Mapping[BNode, list[tuple[Node, Node]]],
    order: Callable[[BNode], list[BNode]] | None = None,
) -> list[BNode]:
    """List the blank nodes reachable from ``roots``, depth first, each once; ``order`` sorts a node's children."""
    seen: set[BNode] = set()
    found: list[BNode] = []
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        found.append(node)
        below = order(node) if order else [o for _, o in children.get(node, ()) if isinstance(o, BNode)]
        stack.extend(reversed(below))
    return found


def _fallback_order(graph: Graph, nodes: set[BNode]) -> tuple[Graph, list[BNode]]:
    """Order blank nodes that do not form trees: canonical labels while few enough, else the parser's labels."""
    if len(nodes) > CANONICAL_LABELLING_LIMIT:
        return graph, sorted(nodes)
    # Only the triples that touch a blank node decide its label: canonicalise those, not the whole graph.
    touching = new_graph()
    for triple in graph:
        if isinstance(triple[0], BNode) or isinstance(triple[2], BNode):
            touching.add(triple)
    canonical = to_canonical_graph(touching)
    for triple in graph:
        if not (isinstance(triple[0], BNode) or isinstance(triple[2], BNode)):
            canonical.add(triple)
    return canonical, sorted({term for triple in canonical for term in triple if isinstance(term, BNode)})


def _contexts(parsed: Graph | Dataset) -> list[Graph]:
    """List the non-empty graphs of a parse result, sorted (the graph itself, for a plain graph)."""
    if isinstance(parsed, Dataset):
        contexts = (context for context in parsed.graphs() if len(context))
        return sorted(contexts, key=lambda context: str(context.identifier))
    return [parsed]


def _triple_key(triple: tuple) -> tuple[str, ...]:
    """Sort key of a triple: the N-Triples form of its terms."""
    return tuple(term.n3() for term in triple)


def _syntax_message(exc: Exception, label: str) -> str:
    """Build ``LABEL:LINE: reason`` for a parser exception (``LABEL: reason`` if no line is known)."""
    if isinstance(exc, SyntaxError) and exc.lineno:  # pyoxigraph's: ``lineno`` is where the error starts
        return f"{label}:{exc.lineno}: {exc.msg}"
    return f"{label}: {' '.join(str(exc).split()) or type(exc).__name__}"
