"""Reasoning that scales: HermiT on the ontology alone, the individuals realised by the class definitions.

HermiT classifies ontology and data together, and its time grows faster than the
individuals (exponent 1.3 on the synthetic trials of ``benchmarks/``). Its answers
about the individuals come from few axioms: the defined classes
(``owl:equivalentClass`` of an intersection of named classes, ``owl:someValuesFrom``
and ``owl:hasValue`` restrictions) and the class hierarchy. :func:`realise` splits
the work accordingly:

1. HermiT on the ontology without the individuals' statements: the subclass links and
   the unsatisfiable classes, in a time that does not grow with the data;
2. the members of each defined class, computed from its definition over the data, the
   asserted types and the class hierarchy of step 1, repeated until nothing is added
   (a member of one defined class can make another one's);
3. each individual's most specific classes that it is not asserted to have: what
   :func:`ember3kg.reasoning.reason.reason` reports as HermiT's memberships.

A test proves that both give the same report on the packaged dataset. Consistency of
the individuals is checked by the quality checks that name the culprits
(:data:`~ember3kg.reasoning.reason.EXPLAINING_CHECKS`: disjoint types, domains, ranges), not by
HermiT: an inconsistency that only a tableau proof finds needs ``reason --engine hermit``.
An ontology with a definition outside these forms is refused with an :class:`InputError`.

The definitions are evaluated by hand over rdflib graphs: OWL-RL (rdflib's rule engine)
materialises the whole closure of every rule and takes far longer than HermiT at these
sizes, and no maintained Python library realises OWL definitions over a large ABox.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from types import MappingProxyType

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ember3kg.errors import InconsistentError, InputError
from ember3kg.io.inputs import RdfInput
from ember3kg.reasoning.entailment import close_transitively, direct_links
from ember3kg.reasoning.reason import (
    INCONSISTENT_ONTOLOGY,
    ReasoningReport,
    asserted_input,
    classify,
    explain_inconsistency_by_checks,
    inferred_triples,
    labelled,
    named_individuals,
    reason,
    require_java,
    unsatisfiable_classes,
    without_subjects,
)
from ember3kg.vocab.identifiers import compress

#: Members of a class expression: individual IRIs.
Members = set[Node]


def realise(data: RdfInput) -> ReasoningReport:
    """Report what HermiT infers about ``data``, with HermiT run on the ontology part only.

    :raises ReasonerUnavailableError: Java is missing.
    :raises InconsistentError: the ontology is inconsistent, or a quality check finds
        individuals of disjoint classes or values outside a range.
    :raises InputError: a class definition uses a form :func:`realise` does not evaluate.
    """
    require_java()
    graph = asserted_input(data)
    individuals = named_individuals(graph)
    started = time.perf_counter()
    world = classify(without_subjects(graph, individuals))
    if world is None:
        raise InconsistentError(INCONSISTENT_ONTOLOGY)
    explanation = explain_inconsistency_by_checks(graph)
    if explanation is not None:
        raise InconsistentError(explanation)
    links = [triple for triple in inferred_triples(world, graph) if triple[1] == RDFS.subClassOf]
    hierarchy = Graph()
    for link in [*links, *graph.triples((None, RDFS.subClassOf, None))]:
        hierarchy.add(link)
    superclasses = close_transitively(direct_links(hierarchy, RDFS.subClassOf))
    memberships = _direct_new_types(graph, individuals, superclasses, _definitions(graph))
    return ReasoningReport(
        memberships=tuple(sorted(labelled(graph, (node, RDF.type, cls)) for node, cls in memberships)),
        subclass_links=tuple(sorted(labelled(graph, triple) for triple in links)),
        unsatisfiable=unsatisfiable_classes(world),
        individuals=len(individuals),
        seconds=time.perf_counter() - started,
    )


def _definitions(graph: Graph) -> dict[URIRef, Callable[[Mapping[Node, set[Node]]], Members]]:
    """Map each named class with an ``owl:equivalentClass`` expression to the function giving its members."""
    return {
        cls: _expression(graph, expression, cls)
        for cls, expression in graph.subject_objects(OWL.equivalentClass)
        if isinstance(cls, URIRef) and not isinstance(expression, URIRef)
    }


def _expression(graph: Graph, node: Node, defined: URIRef) -> Callable[[Mapping[Node, set[Node]]], Members]:
    """Translate a class expression (in the definition of ``defined``) into a function from types to members.

    The function takes the current types (individual -> classes) and gives the individuals that are members.
    """
    if isinstance(node, URIRef):
        return lambda types: {individual for individual, classes in types.items() if node in classes}
    parts = graph.value(node, OWL.intersectionOf)
    if parts is not None:
        conjuncts = [_expression(graph, part, defined) for part in Collection(graph, parts)]
        return lambda types: set.intersection(*(conjunct(types) for conjunct in conjuncts))
    prop = graph.value(node, OWL.onProperty)
    filler = graph.value(node, OWL.someValuesFrom)
    if isinstance(prop, URIRef) and filler is not None:
        values = _expression(graph, filler, defined)
        pairs = list(graph.subject_objects(prop))

        def holders_of_a_value(types: Mapping[Node, set[Node]]) -> Members:
            allowed = values(types)
            return {subject for subject, value in pairs if value in allowed}

        return holders_of_a_value
    value = graph.value(node, OWL.hasValue)
    if isinstance(prop, URIRef) and value is not None:
        holders = set(graph.subjects(prop, value))
        return lambda types: holders
    raise InputError(
        f"the definition of {compress(str(defined))} uses a form the rules engine does not evaluate "
        "(intersections, someValuesFrom and hasValue only): use the hermit engine"
    )


def _direct_new_types(
    graph: Graph,
    individuals: set[Node],
    superclasses: Mapping[URIRef, set[URIRef]],
    definitions: Mapping[URIRef, Callable[[Mapping[Node, set[Node]]], Members]],
) -> list[tuple[URIRef, URIRef]]:
    """Close the individuals' types under the definitions; give each one's most specific types not asserted."""
    types: dict[Node, set[Node]] = defaultdict(set)
    for individual in individuals:
        for cls in graph.objects(individual, RDF.type):
            if isinstance(cls, URIRef):
                types[individual] |= {cls, *superclasses.get(cls, ())}
    changed = True
    while changed:
        changed = False
        for cls, members in definitions.items():
            for individual in members(types) - {node for node, classes in types.items() if cls in classes}:
                types[individual] |= {cls, *superclasses.get(cls, ())}
                changed = True
    return sorted(
        (individual, cls)
        for individual, classes in types.items()
        for cls in classes
        if isinstance(individual, URIRef)
        and isinstance(cls, URIRef)
        and (individual, RDF.type, cls) not in graph
        and not _has_narrower(cls, classes, superclasses)
    )


def _has_narrower(cls: URIRef, classes: set[Node], superclasses: Mapping[URIRef, set[URIRef]]) -> bool:
    """Tell whether ``classes`` holds a class strictly below ``cls`` (an equivalent one is not below it)."""
    above = superclasses.get(cls, set())
    return any(
        isinstance(other, URIRef) and cls in superclasses.get(other, ()) and other not in above for other in classes
    )


#: Reasoning engines: name -> the function that reports on a dataset.
REASONERS: Mapping[str, Callable[[RdfInput], ReasoningReport]] = MappingProxyType({"hermit": reason, "rules": realise})
#: From this many triples on, ``auto`` reasons with ``rules``: HermiT's time grows faster than the data.
RULES_FROM_TRIPLES = 50_000


def reason_with(data: RdfInput, engine: str = "auto") -> ReasoningReport:
    """Report on ``data`` with the engine named ``engine`` (a key of :data:`REASONERS`), or ``auto``.

    ``auto`` takes HermiT below :data:`RULES_FROM_TRIPLES` triples (it also proves the
    individuals consistent), the rules above.

    :raises InputError: an unknown engine name.
    """
    if engine == "auto":
        engine = "rules" if data.triple_count() >= RULES_FROM_TRIPLES else "hermit"
    if engine not in REASONERS:
        raise InputError(f"unknown reasoning engine {engine!r}; engines: auto, {', '.join(REASONERS)}")
    return REASONERS[engine](data)
