"""The RDF a command works on, read once and handed to each stage in the form it needs.

Every command takes its input the same way (see :mod:`ember3kg.cli`): the packaged
dataset by default, RDF files in any format of :data:`~ember3kg.io.formats.FORMATS`,
``-`` for standard input, or, where a command only asks questions, a SPARQL
endpoint. The command line resolves those options once into one :class:`RdfInput`;
library functions take it and ask it for what they need:

- :meth:`RdfInput.lines`: N-Triples or N-Quads lines (export, Jena);
- :meth:`RdfInput.graph_sizes`, :meth:`RdfInput.triple_count` and
  :meth:`RdfInput.with_predicates` (the few triples a count needs, as an rdflib graph);
- :meth:`RdfInput.dataset`: an rdflib ``Dataset`` (pySHACL, owlready2, rdflib's
  serialisers and SPARQL engine);
- :meth:`RdfInput.store`: a pyoxigraph ``Store`` holding every named graph (querying);
- :meth:`RdfInput.union`: the union of the named graphs as one sorted rdflib graph.

Files are parsed once, with deterministic blank-node labels. When every file is in a
format that pyoxigraph parses (N-Triples, N-Quads), the master copy is the list of
quads its streaming parser gave (:func:`ember3kg.publish.dataset.parse_quads`): literals as
written, and no rdflib term is made until a stage asks for the dataset. Otherwise it
is the rdflib dataset (:func:`ember3kg.publish.dataset.parse_rdf`). Either way the store is
made on first use from the master copy, not kept as one: Oxigraph's store keeps typed
literals in canonical form (``"0.60"^^xsd:decimal`` comes back as ``0.6``). The
packaged dataset is held as quads too (:func:`ember3kg.publish.dataset.packaged_quads`), read
once per process and shared, so callers must not change what they get.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import IO, TYPE_CHECKING

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from ember3kg.errors import InputError
from ember3kg.io.formats import FORMATS, RdfFormat, format_for_path
from ember3kg.io.reading import reading
from ember3kg.io.serializers import ntriples_line
from ember3kg.publish.dataset import (
    Triple,
    add_quads,
    new_dataset,
    new_graph,
    packaged_quads,
    parse_quads,
    parse_rdf,
    union_graph,
    union_of_quads,
)
from ember3kg.vocab.terms import to_oxigraph

if TYPE_CHECKING:
    import pyoxigraph

#: The name that stands for standard input among the files of a command.
STDIN = "-"


@dataclass(eq=False)
class RdfInput:
    """RDF read once (pyoxigraph quads or an rdflib dataset), with the other forms made on demand, or a SPARQL endpoint.

    Build one with :meth:`packaged`, :meth:`read`, :meth:`from_rdflib` or :meth:`remote`.

    :param label: what the input is, for messages (``packaged dataset``, file names, a URL).
    :param endpoint: the query URL of a remote input; it then has no local store.
    """

    label: str
    endpoint: str | None = None
    _dataset: Dataset | None = field(default=None, repr=False)
    _store: pyoxigraph.Store | None = field(default=None, repr=False)
    #: The master copy of input parsed by pyoxigraph: distinct quads, those of the default graph
    #: belonging to :attr:`_default_graph` (the graph of the only file read).
    _quads: list[pyoxigraph.Quad] | None = field(default=None, repr=False)
    _default_graph: str = field(default="", repr=False)

    @staticmethod
    def packaged() -> RdfInput:
        """Give the packaged dataset, one named graph per part; read once per process and shared."""
        return _packaged()

    @classmethod
    def read(
        cls,
        paths: Sequence[str | Path],
        *,
        input_format: str | None = None,
        stdin: IO[bytes] | None = None,
        notice: Callable[[str], None] | None = None,
    ) -> RdfInput:
        """Read untrusted RDF files (and standard input, named ``-``) into one dataset.

        A file in a triple format becomes the named graph of the file's URI; a file in a
        quad format (TriG, N-Quads) keeps its named graphs, and its default graph goes to
        the graph of the file's URI. Standard input is ``file:///dev/stdin``'s graph.

        :param paths: the files to read; ``-`` reads ``stdin``.
        :param input_format: a key of :data:`FORMATS` for every input; else each file's suffix decides.
        :param stdin: the stream ``-`` reads; the process's standard input by default.
        :param notice: called with a line for an input that holds no triple (empty files are valid).
        :raises InputError: a file is missing, its format is unknown or it does not parse.

        Example:
            >>> RdfInput.read(["my-graph.ttl"])  # doctest: +SKIP
        """
        read = []
        for path in paths:
            spec, data, label, iri = _read_one(str(path), input_format, stdin)
            parse = parse_rdf if spec.oxigraph is None else parse_quads
            parsed = parse(data, spec, label=label, public_id=iri, bnode_prefix=Path(label).stem)
            if notice is not None and not len(parsed):
                notice(f"{label}: holds 0 triples")
            read.append((spec, iri, parsed))
        name = ", ".join(map(str, paths))
        quads = [(iri, parsed) for _, iri, parsed in read if isinstance(parsed, list)]
        if len(quads) == len(read) == 1:
            return cls(name, _quads=quads[0][1], _default_graph=quads[0][0])
        if len(quads) == len(read):
            return cls(name, _quads=list(dict.fromkeys(q for iri, part in quads for q in _named(part, iri))))
        dataset = new_dataset()
        for spec, iri, parsed in read:
            if isinstance(parsed, list):
                add_quads(dataset, parsed, default_graph=URIRef(iri))
                continue
            graphs = parsed.graphs() if isinstance(parsed, Dataset) else (parsed,)
            for graph in graphs:
                named = spec.quads and graph.identifier != DATASET_DEFAULT_GRAPH_ID
                target = dataset.graph(graph.identifier if named else URIRef(iri))
                target += graph
        return cls(name, _dataset=dataset)

    @classmethod
    def from_rdflib(cls, rdf: Graph | Dataset, label: str = "dataset") -> RdfInput:
        """Wrap an rdflib dataset (or one graph, kept under its IRI, else as the default graph) built in memory.

        The store is made from it on first use; the caller must not change it afterwards.
        """
        if isinstance(rdf, Dataset):
            return cls(label, _dataset=rdf)
        dataset = new_dataset()
        target = dataset.graph(rdf.identifier if isinstance(rdf.identifier, URIRef) else DATASET_DEFAULT_GRAPH_ID)
        target += rdf
        return cls(label, _dataset=dataset)

    @classmethod
    def remote(cls, endpoint: str) -> RdfInput:
        """Name a SPARQL endpoint: only questions can be asked of it."""
        return cls(endpoint, endpoint=endpoint)

    def store(self) -> pyoxigraph.Store:
        """Give the Oxigraph store, made on first use: every named graph; query it with the union as default graph.

        Oxigraph keeps typed literals in canonical form (``0.60`` becomes ``0.6``): for
        answers, not for writing the data out.

        :raises InputError: the input is a SPARQL endpoint.
        """
        if self._store is None:
            import pyoxigraph

            self._store = pyoxigraph.Store()
            if self._quads is not None:
                self._store.bulk_extend(_named(self._quads, self._default_graph))
            else:
                for graph in self.dataset().graphs():
                    _add(self._store, graph, graph.identifier)
        return self._store

    def dataset(self) -> Dataset:
        """Give the rdflib dataset, made on first use from parsed quads; its default graph is the union (for SPARQL).

        :raises InputError: the input is a SPARQL endpoint.
        """
        if self._dataset is None and self._quads is not None:
            self._dataset = new_dataset()
            add_quads(self._dataset, self._quads, default_graph=URIRef(self._default_graph or DATASET_DEFAULT_GRAPH_ID))
        if self._dataset is None:  # only a remote input has none
            raise InputError("a SPARQL endpoint can only be asked questions; this needs local RDF")
        self._dataset.default_union = True
        return self._dataset

    def lines(self, *, quads: bool = False) -> Iterator[str]:
        """Give the triples of every graph as N-Triples lines, or with ``quads`` as N-Quads lines; unsorted, may repeat.

        Lines are written as rdflib's N-Triples and N-Quads writers write them; from
        parsed quads, each literal keeps its lexical form as written.

        :raises InputError: the input is a SPARQL endpoint.
        """
        if self._quads is not None:
            import pyoxigraph

            default = f"<{self._default_graph}>" if quads else ""
            for quad in self._quads:
                named = quads and not isinstance(quad.graph_name, pyoxigraph.DefaultGraph)
                yield ntriples_line(quad, str(quad.graph_name) if named else default)
            return
        from rdflib.plugins.serializers.nquads import _nq_row
        from rdflib.plugins.serializers.nt import _nt_row

        for context in self.dataset().graphs():
            yield from (_nq_row(triple, context.identifier) if quads else _nt_row(triple) for triple in context)

    def graph_sizes(self) -> dict[str, int]:
        """Count the triples of each non-empty graph, by graph name (an IRI or a blank node label).

        :raises InputError: the input is a SPARQL endpoint.
        """
        if self._quads is None:
            return {str(context.identifier): len(context) for context in self.dataset().graphs() if len(context)}
        import pyoxigraph

        counts = Counter(quad.graph_name for quad in self._quads)
        return {
            name.value if isinstance(name, pyoxigraph.NamedNode | pyoxigraph.BlankNode) else self._default_graph: size
            for name, size in counts.items()
        }

    def triple_count(self) -> int:
        """Count the distinct triples of the union of the graphs.

        :raises InputError: the input is a SPARQL endpoint.
        """
        if self._quads is None:
            return len({triple for context in self.dataset().graphs() for triple in context})
        if len(self.graph_sizes()) <= 1:
            return len(self._quads)
        return len({quad.triple for quad in self._quads})

    def with_predicates(self, *predicates: URIRef) -> Graph:
        """Give the union's triples with one of ``predicates`` as a new rdflib graph, without making the dataset.

        :raises InputError: the input is a SPARQL endpoint.
        """
        graph = new_graph()
        if self._quads is None:
            for context in self.dataset().graphs():
                for predicate in predicates:
                    graph += context.triples((None, predicate, None))
            return graph
        wanted = {to_oxigraph(predicate) for predicate in predicates}
        add_quads(graph, (quad for quad in self._quads if quad.predicate in wanted))
        return graph

    def oxigraph_triples(self, *predicates: str) -> list[pyoxigraph.Triple]:
        """Give the union's distinct triples with one of ``predicates`` (IRIs) as pyoxigraph triples, in input order.

        From parsed quads no rdflib term is made; an rdflib dataset's triples are converted.

        :raises InputError: the input is a SPARQL endpoint.
        """
        import pyoxigraph

        wanted = {pyoxigraph.NamedNode(predicate) for predicate in predicates}
        if self._quads is not None:
            return list(dict.fromkeys(quad.triple for quad in self._quads if quad.predicate in wanted))
        return list(
            dict.fromkeys(
                pyoxigraph.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))
                for context in self.dataset().graphs()
                for p in map(URIRef, predicates)
                for s, _, o in context.triples((None, p, None))
            )
        )

    def with_oxigraph_graph(self, name: str, triples: Iterable[pyoxigraph.Triple]) -> RdfInput:
        """Make a new input holding these graphs and ``triples`` as the graph ``name`` (replacing one of that name).

        From parsed quads the other quads are kept as they are; no rdflib term is made.
        """
        import pyoxigraph

        if self._quads is None:
            graph = new_graph(URIRef(name))
            add_quads(graph, (pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples))
            return self.with_graph(graph)
        graph_name = pyoxigraph.NamedNode(name)
        replaced = {graph_name, pyoxigraph.DefaultGraph()} if name == self._default_graph else {graph_name}
        kept = [quad for quad in self._quads if quad.graph_name not in replaced]
        added = [pyoxigraph.Quad(t.subject, t.predicate, t.object, graph_name) for t in triples]
        return RdfInput(self.label, _quads=[*kept, *added], _default_graph=self._default_graph)

    @cached_property
    def _union(self) -> Graph:
        return self._merged(None)

    def union(self, keep: Callable[[Triple], bool] | None = None) -> Graph:
        """Give the union of the named graphs as one graph, triples added in sorted order.

        :param keep: if given, only the triples it accepts, in a new graph; else the
            whole union, made once and shared: do not change it.
        """
        return self._union if keep is None else self._merged(keep)

    def _merged(self, keep: Callable[[Triple], bool] | None) -> Graph:
        """Merge the graphs: from the parsed quads when there is no rdflib dataset yet, without making one."""
        if self._quads is not None and self._dataset is None:
            return union_of_quads(self._quads, keep)
        return union_graph(self.dataset(), keep)

    def with_graph(self, graph: Graph) -> RdfInput:
        """Make a new input holding these graphs and ``graph`` (under its identifier, replacing one of that name)."""
        if self._quads is not None:
            import pyoxigraph

            name = to_oxigraph(graph.identifier)
            kept = (quad for quad in _named(self._quads, self._default_graph) if quad.graph_name != name)
            added = (pyoxigraph.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), name) for s, p, o in graph)
            return RdfInput(self.label, _quads=[*kept, *added])
        copy = new_dataset()
        for context in [*self.dataset().graphs(), graph]:
            if len(context) and (context is graph or context.identifier != graph.identifier):
                target = copy.graph(context.identifier)
                target += context
        return RdfInput.from_rdflib(copy, self.label)

    def without_graph(self, name: Node) -> RdfInput:
        """Give this input without the graph named ``name`` (itself when it has none)."""
        if self._quads is not None:
            unnamed = to_oxigraph(name)
            if str(name) != self._default_graph and all(quad.graph_name != unnamed for quad in self._quads):
                return self  # without copying every quad of a large file
            kept = [quad for quad in _named(self._quads, self._default_graph) if quad.graph_name != unnamed]
            return self if len(kept) == len(self._quads) else RdfInput(self.label, _quads=kept)
        if not any(context.identifier == name for context in self.dataset().graphs()):
            return self
        copy = new_dataset()
        for context in self.dataset().graphs():
            if len(context) and context.identifier != name:
                target = copy.graph(context.identifier)
                target += context
        return RdfInput.from_rdflib(copy, self.label)


def _read_one(path: str, input_format: str | None, stdin: IO[bytes] | None) -> tuple[RdfFormat, bytes, str, str]:
    """Read one input: its format, bytes, label for messages and graph IRI."""
    if input_format is not None and input_format not in FORMATS:
        raise InputError(f"unknown RDF format {input_format!r}; formats: {', '.join(FORMATS)}")
    if path == STDIN:
        if input_format is None:
            raise InputError("standard input has no file suffix: name its RDF format")
        import sys

        return FORMATS[input_format], (stdin or sys.stdin.buffer).read(), "<stdin>", "file:///dev/stdin"
    spec = FORMATS[input_format] if input_format is not None else format_for_path(path)
    with reading(path):
        data = Path(path).read_bytes()
    return spec, data, path, Path(path).resolve().as_uri()


def _named(quads: list[pyoxigraph.Quad], graph: str) -> Iterator[pyoxigraph.Quad]:
    """Give ``quads`` with those of the default graph moved into the graph ``graph``."""
    import pyoxigraph

    name = pyoxigraph.NamedNode(graph) if graph else None
    for quad in quads:
        if name is not None and isinstance(quad.graph_name, pyoxigraph.DefaultGraph):
            yield pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, name)
        else:
            yield quad


def _add(store: pyoxigraph.Store, triples: Iterable[tuple], graph: Node) -> None:
    """Add rdflib ``triples`` to ``store`` in the named graph ``graph``."""
    import pyoxigraph

    name = pyoxigraph.NamedNode(str(graph))
    store.bulk_extend(pyoxigraph.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), name) for s, p, o in triples)


@cache
def _packaged() -> RdfInput:
    """Read the packaged parts once, as quads (:func:`ember3kg.publish.dataset.packaged_quads`)."""
    return RdfInput("packaged dataset", _quads=list(packaged_quads()))
