"""Exact, deterministic RDF writers: the same graph gives the same bytes on every run.

rdflib's in-memory store keeps triples in sets, whose order changes from process to
process. Turtle is sorted by rdflib itself; for the other formats this module adds
rdflib serialiser plugins that visit graphs and subjects in sorted order, and
byte-level normalisers for N-Triples, N-Quads and JSON-LD.

rdflib's Turtle and TriG writers also rewrite some literals when they use the
shorthand form (``"12"^^xsd:decimal`` becomes ``12.0``, a double loses digits), so
the file would hold a different RDF term than the data: the ``ember3kg-turtle`` and
``ember3kg-trig`` writers use the shorthand only where it keeps the literal as it is.
:mod:`ember3kg.io.formats` says which format uses which writer.
"""

from __future__ import annotations

import json
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from rdflib import XSD, Graph, plugin
from rdflib.graph import ConjunctiveGraph
from rdflib.plugins.serializers.rdfxml import XMLSerializer
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.serializer import Serializer
from rdflib.term import Literal, Node

if TYPE_CHECKING:
    import pyoxigraph


class _ExactLiterals:
    """Mixin for rdflib's Turtle-family writers: keep every literal's lexical form."""

    def label(self, node: Node, position: int) -> str:
        """Write ``node``; a literal in shorthand form only if that gives the same literal back."""
        text: str = super().label(node, position)  # type: ignore[misc]
        if isinstance(node, Literal) and not text.startswith('"') and text != str(node):
            return node._literal_n3(qname_callback=lambda datatype: self.get_pname(datatype, False))  # type: ignore[attr-defined]
        return text


class ExactTurtleSerializer(_ExactLiterals, TurtleSerializer):
    """Turtle writer that keeps every literal's lexical form."""


class SortedTrigSerializer(_ExactLiterals, TrigSerializer):
    """TriG writer that keeps literals and writes the named graphs sorted by IRI.

    rdflib's own writer writes the graphs in store order.
    """

    def __init__(self, store: Graph | ConjunctiveGraph):
        super().__init__(store)
        self.contexts.sort(key=lambda context: context.identifier.n3())


class _SubjectSortedGraph(Graph):
    """A view of a graph whose :meth:`subjects` without a pattern are sorted."""

    def subjects(self, predicate: Any = None, object: Any = None, unique: bool = False) -> Generator[Node, None, None]:
        """Iterate the subjects; sorted by N-Triples form when no pattern is given."""
        if predicate is None and object is None:
            yield from sorted(set(super().subjects()), key=lambda node: node.n3())
        else:
            yield from super().subjects(predicate, object, unique)


class SortedXmlSerializer(XMLSerializer):
    """RDF/XML writer that writes the subjects sorted (rdflib writes them in store order).

    The properties of a subject follow insertion order, which
    :func:`ember3kg.publish.dataset.union_graph` makes sorted.
    """

    def __init__(self, store: Graph):
        view = _SubjectSortedGraph(store=store.store, identifier=store.identifier)
        view.namespace_manager = store.namespace_manager
        super().__init__(view)


plugin.register("ember3kg-turtle", Serializer, __name__, ExactTurtleSerializer.__name__)
plugin.register("ember3kg-trig", Serializer, __name__, SortedTrigSerializer.__name__)
plugin.register("ember3kg-xml", Serializer, __name__, SortedXmlSerializer.__name__)


def unchanged(data: bytes) -> bytes:
    """Return ``data`` as it is (for writers whose output is already deterministic)."""
    return data


def sorted_lines(data: bytes) -> bytes:
    """Sort the lines of a line-based serialisation (N-Triples, N-Quads), dropping blank ones."""
    lines = sorted({line for line in data.splitlines() if line.strip()})
    return b"".join(line + b"\n" for line in lines)


#: What rdflib's N-Triples writer escapes in a literal (and nothing else: a tab stays a tab).
_NT_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", '"': '\\"', "\r": "\\r"})


def ntriples_line(quad: pyoxigraph.Quad, graph: str = "") -> str:
    """Write a pyoxigraph quad's triple as one N-Triples line, as rdflib writes it; with ``graph`` (``<iri>``), N-Quads.

    Each literal is written with its lexical form as parsed.
    """
    text = str(quad.triple)
    if "\\" in text:  # pyoxigraph escaped a character of a literal, maybe one that rdflib writes as it is
        text = " ".join(map(_ntriples_term, (quad.subject, quad.predicate, quad.object)))
    return f"{text} {graph} .\n" if graph else f"{text} .\n"


def _ntriples_term(term: Any) -> str:
    """Write a pyoxigraph term as rdflib's N-Triples writer does."""
    import pyoxigraph

    if not isinstance(term, pyoxigraph.Literal):
        return str(term)
    text = '"' + term.value.translate(_NT_ESCAPES) + '"'
    if term.language:
        return f"{text}@{term.language}"
    return text if term.datatype.value == str(XSD.string) else f"{text}^^<{term.datatype.value}>"


def canonical_json(data: bytes) -> bytes:
    """Rewrite JSON-LD with sorted keys and sorted arrays (RDF lists, ``@list``, keep their order)."""
    document = _sorted_json(json.loads(data))
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _sorted_json(value: Any, *, ordered: bool = False) -> Any:
    """Sort every JSON array in ``value``; ``ordered`` marks the content of an ``@list``."""
    if isinstance(value, dict):
        return {key: _sorted_json(item, ordered=key == "@list") for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return items if ordered else sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value
