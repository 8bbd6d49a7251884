"""The entailment graph: class memberships and links that follow from the data, as one named graph.

A store without a reasoner answers ``?r a ekg:HazardRatio`` with the results typed
exactly so, and ``?d a ekg:SelectiveEstrogenReceptorDegrader`` with nothing, because
the cause-specific hazard ratios are typed with a subclass and no drug is asserted a
SERD. :data:`ENTAILMENT_GRAPH` holds what a reasoner would add, between IRIs only:

- HermiT's classifications (:func:`ember3kg.reason.reason`): class memberships and
  subclass links that the OWL definitions imply;
- the RDFS closure of the result: ``rdfs:subClassOf`` and ``rdfs:subPropertyOf``
  made transitive (never reflexive), every ``rdf:type`` extended to all superclasses
  of its class, and every statement with a subproperty restated with its
  superproperties (``ekg:hasPrimaryEndpoint`` is also an ``ekg:hasEndpoint``).

Triples the dataset asserts are left out, and so are OWL's, RDF's and RDFS's own terms
(``owl:Thing``, ``rdfs:Resource``) and blank nodes, whose labels do not survive a
store. Domains and ranges add no types here: HermiT's memberships already carry
what they imply for the named classes.

The packaged dataset's graph is computed once and shipped as ``ember3kg/entailment.ttl``
(``python tools/regenerate-entailment.py`` rewrites it; a test fails when it is stale);
for other datasets :func:`entailment_graph` computes the RDFS closure on the fly, after
HermiT only when asked.
"""

from __future__ import annotations

__all__ = ["ENTAILMENT_GRAPH", "compute_entailment", "derived_input", "entailment_graph", "with_entailment"]

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from importlib.resources import files

from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef

from ember3kg.dataset import Triple, new_graph
from ember3kg.formats import FORMATS
from ember3kg.inputs import RdfInput
from ember3kg.reason import ENTAILMENT_GRAPH, reason, with_inferred

#: File name of the packaged dataset's entailment graph, in the ``ember3kg`` package.
PACKAGED_FILE = "entailment.ttl"

#: Namespaces of the languages' own vocabulary: never entailed about.
_BUILT_IN = (str(OWL), str(RDF), str(RDFS))


def rdfs_closure(graph: Graph) -> Graph:
    """Compute the RDFS class and property closure of ``graph``, minus what it asserts.

    :returns: a new graph named :data:`ENTAILMENT_GRAPH`.

    Example:
        >>> from ember3kg.namespaces import EKG, KG
        >>> g = new_graph()
        >>> _ = g.add((EKG.HazardRatio, RDFS.subClassOf, EKG.RatioEstimate))
        >>> _ = g.add((KG.r, RDF.type, EKG.HazardRatio))
        >>> sorted(o.fragment for o in rdfs_closure(g).objects(KG.r, RDF.type))
        ['RatioEstimate']
    """
    superclasses = close_transitively(direct_links(graph, RDFS.subClassOf))
    superproperties = close_transitively(direct_links(graph, RDFS.subPropertyOf))
    entailed = new_graph(ENTAILMENT_GRAPH)
    for relation, ancestors in ((RDFS.subClassOf, superclasses), (RDFS.subPropertyOf, superproperties)):
        for term, above in ancestors.items():
            entailed += _unasserted(graph, ((term, relation, ancestor) for ancestor in above))
    for subject, cls in graph.subject_objects(RDF.type):
        if isinstance(subject, URIRef) and isinstance(cls, URIRef):
            entailed += _unasserted(graph, ((subject, RDF.type, ancestor) for ancestor in superclasses.get(cls, ())))
    for prop, above in superproperties.items():
        for subject, value in graph.subject_objects(prop):
            if isinstance(subject, URIRef) and not isinstance(value, BNode):
                entailed += _unasserted(graph, ((subject, ancestor, value) for ancestor in above))
    return entailed


def _unasserted(graph: Graph, triples: Iterable[Triple]) -> Iterator[Triple]:
    """Give the ``triples`` that ``graph`` does not assert."""
    return (triple for triple in triples if triple not in graph)


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
    asserted_input = data.without_graph(ENTAILMENT_GRAPH)
    classified = reason(asserted_input).graph() if reasoner else new_graph()
    asserted = _closure_input(asserted_input, classified)
    closed = new_graph()
    closed += asserted
    closed += classified
    entailed = rdfs_closure(closed)
    entailed += _unasserted(asserted, classified)
    return entailed


def _closure_input(data: RdfInput, classified: Graph) -> Graph:
    """Give the triples of ``data`` that the closure reads or could entail, as a new graph.

    Those are the types, the class and property links, and the statements of every
    property with a superproperty or a subproperty: a small part of a large dataset,
    taken without making an rdflib graph of the rest.
    """
    links = data.with_predicates(RDFS.subPropertyOf)
    links += classified
    properties = {term for lower, above in direct_links(links, RDFS.subPropertyOf).items() for term in (lower, *above)}
    return data.with_predicates(RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, *sorted(properties))


@cache
def _packaged_with_entailment() -> RdfInput:
    """Give the packaged dataset with its entailment graph, made once per process and shared."""
    return RdfInput.packaged().with_graph(entailment_graph(RdfInput.packaged()))


def with_entailment(data: RdfInput, *, reasoner: bool = False) -> RdfInput:
    """Give ``data`` with its entailment graph added (see :func:`entailment_graph`)."""
    if data is RdfInput.packaged() and not reasoner:
        return _packaged_with_entailment()
    return data.with_graph(entailment_graph(data, reasoner=reasoner))


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
    return graph.parse(data=files("ember3kg").joinpath(PACKAGED_FILE).read_bytes(), format="turtle")


def direct_links(graph: Graph, relation: URIRef) -> Mapping[URIRef, set[URIRef]]:
    """Map each IRI to the IRIs it is directly linked to by ``relation``, OWL's own terms left out."""
    links: dict[URIRef, set[URIRef]] = defaultdict(set)
    for lower, upper in graph.subject_objects(relation):
        if isinstance(lower, URIRef) and isinstance(upper, URIRef) and not str(upper).startswith(_BUILT_IN):
            links[lower].add(upper)
    return links


def close_transitively(links: Mapping[URIRef, set[URIRef]]) -> dict[URIRef, set[URIRef]]:
    """Close ``links`` transitively; a term is never its own ancestor, even in a cycle."""
    closed: dict[URIRef, set[URIRef]] = {}
    for start in links:
        seen: set[URIRef] = set()
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
