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

Files are parsed once, by pyoxigraph, with deterministic blank-node labels
(:func:`ember3kg.publish.dataset.parse_quads`), in every format. The one master copy is
the list of quads it gave: literals keep their lexical form as written, and no rdflib
term is made until a stage asks for one. Terms are those of RDF 1.1: a language tag
is in lower case (``"a"@EN`` is ``"a"@en``) and ``"x"^^xsd:string`` is the simple
literal ``"x"``, whatever the format. An rdflib graph made in memory
(:meth:`RdfInput.from_rdflib`) is converted into quads once. The rdflib dataset and the
store are made on first use from the quads and kept, not masters: Oxigraph's store
keeps typed literals in canonical form (``"0.60"^^xsd:decimal`` comes back as ``0.6``).
The packaged dataset is held as quads too
(:func:`ember3kg.publish.dataset.packaged_quads`), read once per process and shared, so
callers must not change what they get.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

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
    quads_of,
    union_of_quads,
)
from ember3kg.vocab.terms import to_oxigraph

if TYPE_CHECKING:
    import pyoxigraph

#: The name that stands for standard input among the files of a command.
STDIN = "-"

#: The name of rdflib's default graph, that of a dataset made in memory; its writers write it without a name.
_RDFLIB_DEFAULT = str(DATASET_DEFAULT_GRAPH_ID)
_UNNAMED = f"<{_RDFLIB_DEFAULT}>"


@dataclass(eq=False)
class RdfInput:
    """RDF read once into pyoxigraph quads, with the other forms made on demand, or a SPARQL endpoint.

    Build one with :meth:`packaged`, :meth:`read`, :meth:`from_rdflib` or :meth:`remote`.

    :param label: what the input is, for messages (``packaged dataset``, file names, a URL).
    :param endpoint: the query URL of a remote input; it then has no local store.
    """

    label: str
    endpoint: str | None = None
    #: The master copy, ``None`` for an endpoint: distinct quads, those of the default graph
    #: belonging to :attr:`_default_graph` (the graph of the only file read, else rdflib's default graph).
    _quads: list[pyoxigraph.Quad] | None = field(default=None, repr=False)
    _default_graph: str = field(default=_RDFLIB_DEFAULT, repr=False)
    #: Made from the quads on first use.
    _dataset: Dataset | None = field(default=None, repr=False)
    _store: pyoxigraph.Store | None = field(default=None, repr=False)

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
            quads = parse_quads(data, spec, label=label, public_id=iri, bnode_prefix=Path(label).stem)
            if notice is not None and not quads:
                notice(f"{label}: holds 0 triples")
            read.append((iri, quads))
        name = ", ".join(map(str, paths))
        if len(read) == 1:
            return cls(name, _quads=read[0][1], _default_graph=read[0][0])
        return cls(name, _quads=list(dict.fromkeys(q for iri, quads in read for q in _named(quads, iri))))

    @classmethod
    def from_rdflib(cls, rdf: Graph | Dataset, label: str = "dataset") -> RdfInput:
        """Convert an rdflib dataset (or one graph, kept under its IRI, else as the default graph) built in memory.

        Its terms become those of RDF 1.1, as parsed files give them (an ``xsd:string``
        literal is a simple literal); later changes to ``rdf`` do not reach the input.

        :raises InputError: ``rdf`` holds something that is not an RDF term.
        """
        named = not isinstance(rdf, Dataset) and isinstance(rdf.identifier, URIRef)
        return cls(
            label,
            _quads=list(dict.fromkeys(quads_of(rdf))),
            _default_graph=str(rdf.identifier) if named else _RDFLIB_DEFAULT,
        )

    @classmethod
    def remote(cls, endpoint: str) -> RdfInput:
        """Name a SPARQL endpoint: only questions can be asked of it."""
        return cls(endpoint, endpoint=endpoint)

    def _local(self) -> list[pyoxigraph.Quad]:
        """Give the quads, or raise :class:`InputError` for a SPARQL endpoint."""
        if self._quads is None:
            raise InputError("a SPARQL endpoint can only be asked questions; this needs local RDF")
        return self._quads

    def store(self) -> pyoxigraph.Store:
        """Give the Oxigraph store, made on first use: every named graph; query it with the union as default graph.

        Oxigraph keeps typed literals in canonical form (``0.60`` becomes ``0.6``): for
        answers, not for writing the data out.

        :raises InputError: the input is a SPARQL endpoint.
        """
        if self._store is None:
            import pyoxigraph

            store = pyoxigraph.Store()
            store.bulk_extend(_named(self._local(), self._default_graph))
            self._store = store
        return self._store

    def dataset(self) -> Dataset:
        """Give the rdflib dataset, made on first use from the quads; its default graph is the union (for SPARQL).

        Made once and shared: do not change it.

        :raises InputError: the input is a SPARQL endpoint.
        """
        if self._dataset is None:
            dataset = new_dataset()
            add_quads(dataset, self._local(), default_graph=URIRef(self._default_graph))
            self._dataset = dataset
        self._dataset.default_union = True
        return self._dataset

    def lines(self, *, quads: bool = False) -> Iterator[str]:
        """Give the triples of every graph as N-Triples lines, or with ``quads`` as N-Quads lines; unsorted, may repeat.

        Lines are written as rdflib's N-Triples and N-Quads writers write them; each
        literal keeps its lexical form as written.

        :raises InputError: the input is a SPARQL endpoint.
        """
        for quad in _named(self._local(), self._default_graph) if quads else self._local():
            graph = str(quad.graph_name) if quads else ""
            # rdflib's writer gives no name to its default graph (that of a dataset made in memory)
            yield ntriples_line(quad, "" if graph == _UNNAMED else graph)

    def graph_sizes(self) -> dict[str, int]:
        """Count the triples of each non-empty graph, by graph name (an IRI or a blank node label).

        :raises InputError: the input is a SPARQL endpoint.
        """
        import pyoxigraph

        counts = Counter(quad.graph_name for quad in self._local())
        return {
            name.value if isinstance(name, pyoxigraph.NamedNode | pyoxigraph.BlankNode) else self._default_graph: size
            for name, size in counts.items()
        }

    def triple_count(self) -> int:
        """Count the distinct triples of the union of the graphs.

        :raises InputError: the input is a SPARQL endpoint.
        """
        if len(self.graph_sizes()) <= 1:
            return len(self._local())
        return len({quad.triple for quad in self._local()})

    def with_predicates(self, *predicates: URIRef) -> Graph:
        """Give the union's triples with one of ``predicates`` as a new rdflib graph, without making the dataset.

        :raises InputError: the input is a SPARQL endpoint.
        """
        graph = new_graph()
        wanted = {to_oxigraph(predicate) for predicate in predicates}
        add_quads(graph, (quad for quad in self._local() if quad.predicate in wanted))
        return graph

    def oxigraph_triples(self, *predicates: str) -> list[pyoxigraph.Triple]:
        """Give the union's distinct triples with one of ``predicates`` (IRIs) as pyoxigraph triples, in input order.

        :raises InputError: the input is a SPARQL endpoint.
        """
        import pyoxigraph

        wanted = {pyoxigraph.NamedNode(predicate) for predicate in predicates}
        return list(dict.fromkeys(quad.triple for quad in self._local() if quad.predicate in wanted))

    def with_oxigraph_graph(self, name: str, triples: Iterable[pyoxigraph.Triple]) -> RdfInput:
        """Make a new input holding these graphs and ``triples`` as the graph ``name`` (replacing one of that name).

        The other quads are kept as they are; no rdflib term is made.
        """
        import pyoxigraph

        return self._replaced(pyoxigraph.NamedNode(name), triples)

    @cached_property
    def _union(self) -> Graph:
        return union_of_quads(self._local())

    def union(self, keep: Callable[[Triple], bool] | None = None) -> Graph:
        """Give the union of the named graphs as one graph, triples added in sorted order; the dataset is not made.

        :param keep: if given, only the triples it accepts, in a new graph; else the
            whole union, made once and shared: do not change it.
        """
        return self._union if keep is None else union_of_quads(self._local(), keep)

    def with_graph(self, graph: Graph) -> RdfInput:
        """Make a new input holding these graphs and ``graph`` (under its identifier, replacing one of that name)."""
        import pyoxigraph

        triples = (pyoxigraph.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph)
        return self._replaced(to_oxigraph(graph.identifier), triples)

    def _replaced(self, graph_name: Any, triples: Iterable[pyoxigraph.Triple]) -> RdfInput:
        """Make a new input with ``triples`` as the graph ``graph_name`` (a pyoxigraph IRI or blank node)."""
        import pyoxigraph

        replaced = {graph_name}
        if graph_name == pyoxigraph.NamedNode(self._default_graph):
            replaced.add(pyoxigraph.DefaultGraph())
        kept = [quad for quad in self._local() if quad.graph_name not in replaced]
        added = dict.fromkeys(pyoxigraph.Quad(t.subject, t.predicate, t.object, graph_name) for t in triples)
        return RdfInput(self.label, _quads=[*kept, *added], _default_graph=self._default_graph)

    def without_graph(self, name: Node) -> RdfInput:
        """Give this input without the graph named ``name`` (itself when it has none)."""
        unnamed = to_oxigraph(name)
        if str(name) != self._default_graph and all(quad.graph_name != unnamed for quad in self._local()):
            return self  # without copying every quad of a large file
        kept = [quad for quad in _named(self._local(), self._default_graph) if quad.graph_name != unnamed]
        return self if len(kept) == len(self._local()) else RdfInput(self.label, _quads=kept)


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

    name = pyoxigraph.NamedNode(graph)
    for quad in quads:
        if isinstance(quad.graph_name, pyoxigraph.DefaultGraph):
            yield pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, name)
        else:
            yield quad


@cache
def _packaged() -> RdfInput:
    """Read the packaged parts once, as quads (:func:`ember3kg.publish.dataset.packaged_quads`)."""
    return RdfInput("packaged dataset", _quads=list(packaged_quads()))
