"""Count what the dataset holds: triples per part, classes, individuals, results.

A *result* is an instance of ``ekg:StatisticalResult`` or of any of its subclasses
(``rdfs:subClassOf*`` in the dataset). Results are counted by kind: their most
specific asserted ``rdf:type`` among those classes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from ember3kg.io.inputs import RdfInput
from ember3kg.publish.dataset import part_names
from ember3kg.vocab.namespaces import EKG, GRAPH

#: Namespaces whose classes describe the ontology itself (owl:Class, rdf:Property,
#: ...): an IRI typed only with these is not counted as an individual.
_SCHEMA_NAMESPACES = (str(RDF), str(RDFS), str(OWL))


@dataclass(frozen=True)
class Stats:
    """Counts of one dataset.

    :param triples: graph name -> number of triples, in dataset order; a graph of
        the packaged dataset is named by its part.
    :param total_triples: distinct triples in the union of all graphs.
    :param classes: IRIs declared ``owl:Class`` or ``rdfs:Class``.
    :param properties: IRIs declared as an OWL or RDF property.
    :param individuals: IRIs typed with a class outside RDF, RDFS and OWL (or
        ``owl:NamedIndividual``).
    :param results: result kind (local name of the class) -> number of results.
    """

    triples: dict[str, int]
    total_triples: int
    classes: int
    properties: int
    individuals: int
    results: dict[str, int]

    def as_dict(self) -> dict[str, object]:
        """Return the counts as plain data (for JSON)."""
        return {
            "triples": dict(self.triples),
            "total_triples": self.total_triples,
            "classes": self.classes,
            "properties": self.properties,
            "individuals": self.individuals,
            "results": dict(self.results),
        }

    def format_text(self) -> str:
        """Render the counts as an aligned plain-text report."""
        width = max(map(len, [*self.triples, *self.results, "total (distinct)"]))
        lines = ["triples per part:"]
        lines += [f"  {name:<{width}}  {count:>7}" for name, count in self.triples.items()]
        lines.append(f"  {'total (distinct)':<{width}}  {self.total_triples:>7}")
        lines.append(f"classes: {self.classes}")
        lines.append(f"properties: {self.properties}")
        lines.append(f"individuals: {self.individuals}")
        lines.append(f"results: {sum(self.results.values())}")
        lines += [f"  {kind:<{width}}  {count:>7}" for kind, count in self.results.items()]
        return "\n".join(lines) + "\n"


_CLASS_TYPES = (OWL.Class, RDFS.Class)
_PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


def graph_name(identifier: object) -> str:
    """Name a graph for a report.

    :returns: the part name of a ``GRAPH[...]`` IRI, the file name of a ``file:`` IRI
        (see :func:`~ember3kg.publish.dataset.load_files`), else the IRI itself.
    """
    iri = str(identifier)
    if iri.startswith(str(GRAPH)):
        return iri.removeprefix(str(GRAPH))
    if iri.startswith("file:"):
        return PurePosixPath(unquote(urlsplit(iri).path)).name
    return iri


def result_classes(graph: Graph) -> set[URIRef]:
    """Return ``ekg:StatisticalResult`` and all its subclasses (``rdfs:subClassOf*``)."""
    found = graph.transitive_subjects(RDFS.subClassOf, EKG.StatisticalResult)
    return {node for node in found if isinstance(node, URIRef)}


def result_kinds(graph: Graph) -> dict[URIRef, list[URIRef]]:
    """Map every result node to its most specific asserted result classes.

    :param graph: a graph holding both the ontology and the data.
    :returns: result node -> sorted list of its asserted result classes that are not
        a superclass of another of them.
    """
    classes = result_classes(graph)
    kinds: dict[URIRef, list[URIRef]] = {}
    for node in {URIRef(str(node)) for cls in classes for node in graph.subjects(RDF.type, cls)}:
        asserted = {URIRef(str(cls)) for cls in graph.objects(node, RDF.type) if cls in classes}
        kinds[node] = sorted(
            cls
            for cls in asserted
            if not any(other != cls and cls in graph.transitive_objects(other, RDFS.subClassOf) for other in asserted)
        )
    return kinds


def compute_stats(data: RdfInput) -> Stats:
    """Count the triples per graph, classes, properties, individuals and results of ``data``.

    Example:
        >>> compute_stats(RdfInput.packaged()).triples["ontology"] > 0
        True
    """
    # Only the typing and subclass triples are counted: the rest never become rdflib terms.
    union = data.with_predicates(RDF.type, RDFS.subClassOf)
    order = {name: position for position, name in enumerate(part_names())}
    sizes = {graph_name(name): size for name, size in data.graph_sizes().items()}
    triples = {name: sizes[name] for name in sorted(sizes, key=lambda name: (order.get(name, len(order)), name))}
    typed = {(node, cls) for node, cls in union.subject_objects(RDF.type) if isinstance(node, URIRef)}
    results = Counter(_local_name(cls) for kinds in result_kinds(union).values() for cls in kinds)
    return Stats(
        triples=triples,
        classes=len({node for node, cls in typed if cls in _CLASS_TYPES}),
        properties=len({node for node, cls in typed if cls in _PROPERTY_TYPES}),
        individuals=len(
            {node for node, cls in typed if cls == OWL.NamedIndividual or not str(cls).startswith(_SCHEMA_NAMESPACES)}
        ),
        results=dict(sorted(results.items())),
        total_triples=data.triple_count(),
    )


def _local_name(iri: URIRef) -> str:
    """Return the part of an IRI after its last ``#`` or ``/``."""
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
