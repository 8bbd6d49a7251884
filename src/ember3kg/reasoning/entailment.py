"""The entailment graph: class memberships and links that follow from the data, as one named graph.

A store without a reasoner answers ``?r a ekg:HazardRatio`` with the results typed
exactly so, and ``?d a ekg:SelectiveEstrogenReceptorDegrader`` with nothing, because
the cause-specific hazard ratios are typed with a subclass and no drug is asserted a
SERD. :data:`ENTAILMENT_GRAPH` holds what a reasoner would add, between IRIs only:

- HermiT's classifications (:func:`ember3kg.reasoning.reason.reason`): class memberships and
  subclass links that the OWL definitions imply;
- the RDFS closure of the result: ``rdfs:subClassOf`` and ``rdfs:subPropertyOf``
  made transitive (never reflexive), every ``rdf:type`` extended to all superclasses
  of its class, and every statement with a subproperty restated with its
  superproperties (``ekg:hasPrimaryEndpoint`` is also an ``ekg:hasEndpoint``).

Triples the dataset asserts are left out, and so are OWL's, RDF's and RDFS's own terms
(``owl:Thing``, ``rdfs:Resource``) and blank nodes, whose labels do not survive a
store. Domains and ranges add no types here: HermiT's memberships already carry
what they imply for the named classes.

The packaged dataset's graph is computed once and shipped as ``ember3kg/reasoning/entailment.ttl``
(``python tools/regenerate-entailment.py`` rewrites it; a test fails when it is stale);
for other datasets :func:`entailment_graph` computes the RDFS closure on the fly, after
HermiT only when asked. The closure is computed on pyoxigraph terms, from the quads an
input holds (:meth:`~ember3kg.io.inputs.RdfInput.oxigraph_triples`), and
:func:`with_entailment` adds it to them as quads: no rdflib term is made for a
file's entailment on its way to the store.
"""

from __future__ import annotations

__all__ = ["ENTAILMENT_GRAPH", "compute_entailment", "derived_input", "entailment_graph", "with_entailment"]

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any, TypeVar, cast

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from ember3kg.io.formats import FORMATS
from ember3kg.io.inputs import RdfInput
from ember3kg.publish.dataset import add_quads, new_graph
from ember3kg.reasoning.reason import ENTAILMENT_GRAPH, reason, with_inferred
from ember3kg.vocab.terms import to_oxigraph

if TYPE_CHECKING:
    import pyoxigraph

#: File name of the packaged dataset's entailment graph, in the ``ember3kg`` package.
PACKAGED_FILE = "entailment.ttl"

#: Namespaces of the languages' own vocabulary: never entailed about.
_BUILT_IN = (str(OWL), str(RDF), str(RDFS))

_Term = TypeVar("_Term")


def rdfs_closure(graph: Graph) -> Graph:
    """Compute the RDFS class and property closure of ``graph``, minus what it asserts.

    :returns: a new graph named :data:`ENTAILMENT_GRAPH`.

    Example:
        >>> from ember3kg.vocab.namespaces import EKG, KG
        >>> g = new_graph()
        >>> _ = g.add((EKG.HazardRatio, RDFS.subClassOf, EKG.RatioEstimate))
        >>> _ = g.add((KG.r, RDF.type, EKG.HazardRatio))
        >>> sorted(o.fragment for o in rdfs_closure(g).objects(KG.r, RDF.type))
        ['RatioEstimate']
    """
    import pyoxigraph

    return _graph(_closure([pyoxigraph.Triple(*map(to_oxigraph, triple)) for triple in graph]))


@cache
def _vocabulary() -> tuple[pyoxigraph.NamedNode, pyoxigraph.NamedNode, pyoxigraph.NamedNode]:
    """Give ``rdf:type``, ``rdfs:subClassOf`` and ``rdfs:subPropertyOf`` as pyoxigraph terms."""
    import pyoxigraph

    return (
        pyoxigraph.NamedNode(str(RDF.type)),
        pyoxigraph.NamedNode(str(RDFS.subClassOf)),
        pyoxigraph.NamedNode(str(RDFS.subPropertyOf)),
    )


def _closure(triples: Sequence[pyoxigraph.Triple]) -> list[pyoxigraph.Triple]:
    """Compute the RDFS closure of distinct pyoxigraph ``triples``, minus what they assert, in a deterministic order.

    No rdflib term is made: on a large input this is most of the cost of the entailment graph.
    """
    import pyoxigraph

    iri, blank, triple = pyoxigraph.NamedNode, pyoxigraph.BlankNode, pyoxigraph.Triple
    rdf_type, sub_class, sub_property = _vocabulary()
    asserted = set(triples)
    superclasses = _ancestors(triples, sub_class)
    superproperties = _ancestors(triples, sub_property)
    entailed: dict[pyoxigraph.Triple, None] = {}

    def add(candidates: Iterable[pyoxigraph.Triple]) -> None:
        entailed.update((candidate, None) for candidate in candidates if candidate not in asserted)

    for relation, ancestors in ((sub_class, superclasses), (sub_property, superproperties)):
        for term, above in ancestors.items():
            add(triple(term, relation, ancestor) for ancestor in above)
    for subject, predicate, value in triples:
        if not isinstance(subject, iri):
            continue
        if predicate == rdf_type and isinstance(value, iri) and value in superclasses:
            add(triple(subject, rdf_type, ancestor) for ancestor in superclasses[value])
        if predicate in superproperties and not isinstance(value, blank):
            add(triple(subject, ancestor, value) for ancestor in superproperties[predicate])
    return list(entailed)


def _ancestors(triples: Iterable[pyoxigraph.Triple], relation: pyoxigraph.NamedNode) -> dict[Any, list[Any]]:
    """Map each IRI to all IRIs above it by ``relation`` (OWL's own terms left out), sorted."""
    import pyoxigraph

    links = _links(
        ((t.subject, t.object) for t in triples if t.predicate == relation),
        lambda term: term.value if isinstance(term, pyoxigraph.NamedNode) else None,
    )
    return {
        term: sorted(above, key=lambda ancestor: ancestor.value) for term, above in close_transitively(links).items()
    }


def _graph(triples: Iterable[pyoxigraph.Triple]) -> Graph:
    """Make a graph named :data:`ENTAILMENT_GRAPH` of pyoxigraph triples (literals kept as written)."""
    import pyoxigraph

    graph = new_graph(ENTAILMENT_GRAPH)
    add_quads(graph, (pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples))
    return graph


def entailment_graph(data: RdfInput, *, reasoner: bool = False) -> Graph:
    """Give the entailment graph of ``data``: the packaged file for the packaged dataset, else computed.

    :param reasoner: run HermiT first and close over its classifications too (needs Java);
        the packaged graph always includes them.
    :returns: a new graph named :data:`ENTAILMENT_GRAPH`.
    :raises ReasonerUnavailableError: ``reasoner`` and Java is missing.
    :raises InconsistentError: ``reasoner`` and the dataset is inconsistent.
    """
    if data is RdfInput.packaged():
        graph = new_graph(ENTAILMENT_GRAPH)
        graph += _packaged()
        return graph
    return compute_entailment(data, reasoner=reasoner)


def compute_entailment(data: RdfInput, *, reasoner: bool = True) -> Graph:
    """Compute the entailment graph of ``data`` (any graph named :data:`ENTAILMENT_GRAPH` in it is ignored).

    :param reasoner: add HermiT's classifications before the closure (needs Java).
    """
    return _graph(_entailed(data, reasoner=reasoner))


def _entailed(data: RdfInput, *, reasoner: bool) -> list[pyoxigraph.Triple]:
    """Compute the triples of the entailment graph of ``data`` as pyoxigraph triples.

    The closure reads the types, the class and property links, and the statements of
    every property with a superproperty or a subproperty: a small part of a large
    dataset, taken from the quads without making rdflib terms.
    """
    import pyoxigraph

    _, _, sub_property = _vocabulary()
    asserted_input = data.without_graph(ENTAILMENT_GRAPH)
    classified = [pyoxigraph.Triple(*map(to_oxigraph, t)) for t in reason(asserted_input).graph()] if reasoner else []
    links = _ancestors([*asserted_input.oxigraph_triples(str(RDFS.subPropertyOf)), *classified], sub_property)
    properties = sorted({term.value for lower, above in links.items() for term in (lower, *above)})
    asserted = asserted_input.oxigraph_triples(
        str(RDF.type), str(RDFS.subClassOf), str(RDFS.subPropertyOf), *properties
    )
    known = set(asserted)
    closed = [*asserted, *(t for t in classified if t not in known)]
    return [*_closure(closed), *dict.fromkeys(t for t in classified if t not in known)]


@cache
def _packaged_with_entailment() -> RdfInput:
    """Give the packaged dataset with its entailment graph, made once per process and shared."""
    return RdfInput.packaged().with_graph(entailment_graph(RdfInput.packaged()))


def with_entailment(data: RdfInput, *, reasoner: bool = False) -> RdfInput:
    """Give ``data`` with its entailment graph added (see :func:`entailment_graph`)."""
    if data is RdfInput.packaged():
        return _packaged_with_entailment() if not reasoner else data.with_graph(entailment_graph(data))
    return data.with_oxigraph_graph(str(ENTAILMENT_GRAPH), _entailed(data, reasoner=reasoner))


def derived_input(data: RdfInput, *, inferred: bool = False, entailment: bool = False) -> RdfInput:
    """Give ``data`` with the derived graphs asked for.

    :param inferred: add HermiT's direct inferences as the graph ``.../graph/inferred`` (needs Java).
    :param entailment: add :data:`ENTAILMENT_GRAPH`: the packaged file for the packaged
        dataset, else the RDFS closure, over the inferred graph too when it is there.
    """
    if inferred:
        data = with_inferred(data)
    return with_entailment(data) if entailment else data


def serialize_entailment(graph: Graph) -> bytes:
    """Write an entailment graph as the packaged file holds it: the project's exact, sorted Turtle."""
    spec = FORMATS["ttl"]
    return spec.normalise(_sorted(graph).serialize(format=spec.serializer, encoding="utf-8", **spec.options))


@cache
def _packaged() -> Graph:
    """Parse the packaged entailment graph once; callers must not change it."""
    graph = new_graph(ENTAILMENT_GRAPH)
    return graph.parse(data=files("ember3kg.reasoning").joinpath(PACKAGED_FILE).read_bytes(), format="turtle")


def direct_links(graph: Graph, relation: URIRef) -> Mapping[URIRef, set[URIRef]]:
    """Map each IRI to the IRIs it is directly linked to by ``relation``, OWL's own terms left out."""
    pairs = cast("Iterable[tuple[URIRef, URIRef]]", graph.subject_objects(relation))  # _links drops the non-IRIs
    return _links(pairs, lambda term: str(term) if isinstance(term, URIRef) else None)


def _links(pairs: Iterable[tuple[_Term, _Term]], iri: Callable[[_Term], str | None]) -> dict[_Term, set[_Term]]:
    """Map each lower term to its upper ones, for pairs of IRIs (``iri`` gives one, or None), upper not built in."""
    links: dict[_Term, set[_Term]] = defaultdict(set)
    for lower, upper in pairs:
        upper_iri = iri(upper)
        if iri(lower) is not None and upper_iri is not None and not upper_iri.startswith(_BUILT_IN):
            links[lower].add(upper)
    return links


def close_transitively(links: Mapping[_Term, set[_Term]]) -> dict[_Term, set[_Term]]:
    """Close ``links`` transitively; a term is never its own ancestor, even in a cycle."""
    closed: dict[_Term, set[_Term]] = {}
    for start in links:
        seen: set[_Term] = set()
        stack = list(links[start])
        while stack:
            term = stack.pop()
            if term not in seen:
                seen.add(term)
                stack.extend(links.get(term, ()))
        seen.discard(start)
        closed[start] = seen
    return closed


def _sorted(graph: Graph) -> Graph:
    """Copy ``graph`` into a graph named :data:`ENTAILMENT_GRAPH`, its triples added in sorted order."""
    copy = new_graph(ENTAILMENT_GRAPH)
    for triple in sorted(graph, key=lambda triple: tuple(term.n3() for term in triple)):
        copy.add(triple)
    return copy
