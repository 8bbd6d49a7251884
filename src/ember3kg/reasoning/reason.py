"""Classify the ontology and the data with the HermiT OWL reasoner, through owlready2.

:func:`reason` checks that the ontology and the data are consistent, lists the
unsatisfiable classes, and reports what HermiT infers that the graph does not assert:
class memberships of individuals (``rdf:type``) and subclass links
(``rdfs:subClassOf``), both between named terms only. :meth:`ReasoningReport.graph`
gives those triples as an RDF graph, the named graph :data:`INFERRED_GRAPH` of a
materialised export (:func:`with_inferred`).

The reasoning input is the union of ontology and data, never the entailment graph
(:data:`ENTAILMENT_GRAPH`, :mod:`ember3kg.reasoning.entailment`), minus literals whose datatype is
outside the OWL 2 datatype map (``xsd:date``, ``xsd:gYear``, ...): HermiT rejects them as
data values (the packaged dates are annotations, but user files may have them), and no
class definition depends on them. Each run uses a fresh owlready2 ``World`` so
that runs never see each other's triples.

HermiT runs in Java. Without ``java`` on the ``PATH`` the run stops with
:class:`~ember3kg.errors.ReasonerUnavailableError`; an inconsistent input gives
:class:`~ember3kg.errors.InconsistentError` naming the nodes and disjoint classes
involved, found by the ``disjoint-types`` quality check or, failing that, by bisecting
the individuals with further reasoner runs.
"""

from __future__ import annotations

import io
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from ember3kg.checks.qc import check_named, run_check
from ember3kg.errors import InconsistentError, ReasonerUnavailableError
from ember3kg.io.formats import format_for_path
from ember3kg.io.inputs import RdfInput
from ember3kg.publish.dataset import Triple, new_graph
from ember3kg.publish.export import write_dataset
from ember3kg.vocab.identifiers import compress, compress_iris
from ember3kg.vocab.namespaces import GRAPH

if TYPE_CHECKING:
    from owlready2 import World

#: Named graph of the inferred triples in a materialised export.
INFERRED_GRAPH = GRAPH["inferred"]
#: Named graph of the entailed triples (:mod:`ember3kg.reasoning.entailment`); never part of the reasoner's input.
ENTAILMENT_GRAPH = GRAPH["entailment"]

#: Where the reasoner's input is loaded in owlready2; not a published IRI.
_INPUT_IRI = "https://w3id.org/ember3kg/reasoning-input"

#: Install hint shown when Java is missing.
JAVA_HINT = "the HermiT reasoner needs Java and no 'java' is on the PATH: apt-get install default-jre-headless"

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#: The OWL 2 datatype map (OWL 2 Structural Specification, section 4): what HermiT accepts.
OWL2_DATATYPES: frozenset[URIRef] = frozenset(
    {
        URIRef(_RDF + "PlainLiteral"),
        URIRef(_RDF + "XMLLiteral"),
        URIRef(_RDF + "langString"),
        RDFS.Literal,
        OWL.real,
        OWL.rational,
        *(
            XSD[name]
            for name in (
                "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long int "
                "short byte unsignedLong unsignedInt unsignedShort unsignedByte double float string "
                "normalizedString token language Name NCName NMTOKEN boolean hexBinary base64Binary anyURI "
                "dateTime dateTimeStamp"
            ).split()
        ),
    }
)

#: Namespaces whose terms are vocabulary of OWL itself, not inferences worth reporting.
_BUILT_IN = (str(OWL), str(RDF), str(RDFS))

#: The explanation when the class axioms alone are inconsistent.
INCONSISTENT_ONTOLOGY = "the ontology is inconsistent without any individual (check its class axioms)"
#: Checks that name the culprits of an inconsistency without running the reasoner.
EXPLAINING_CHECKS: tuple[str, ...] = ("disjoint-types",)


@dataclass(frozen=True, order=True)
class Inference:
    """One inferred triple between named terms, with labels for people."""

    subject: URIRef
    predicate: URIRef
    object: URIRef
    subject_label: str
    object_label: str

    def format_text(self) -> str:
        """One line: ``label (curie) -> label (curie)``."""
        subject, value = compress(str(self.subject)), compress(str(self.object))
        return f"{self.subject_label} ({subject}) -> {self.object_label} ({value})"


@dataclass(frozen=True)
class ReasoningReport:
    """What HermiT found about a consistent input.

    :param memberships: inferred ``rdf:type`` triples not asserted, sorted.
    :param subclass_links: inferred ``rdfs:subClassOf`` triples not asserted, sorted.
    :param unsatisfiable: classes that can have no member, sorted.
    :param individuals: number of named individuals in the input.
    :param seconds: wall-clock time of the reasoner run (Java included).
    """

    memberships: tuple[Inference, ...]
    subclass_links: tuple[Inference, ...]
    unsatisfiable: tuple[URIRef, ...]
    individuals: int
    seconds: float

    def graph(self) -> Graph:
        """Collect the inferred triples in a graph named :data:`INFERRED_GRAPH`, added in sorted order."""
        graph = new_graph(INFERRED_GRAPH)
        for inference in (*self.memberships, *self.subclass_links):
            graph.add((inference.subject, inference.predicate, inference.object))
        return graph

    def format_text(self) -> str:
        """Render the report for people: consistency, unsatisfiable classes, inferences with labels."""
        lines = [f"consistent: yes ({self.individuals} individuals classified)"]
        lines.append(f"unsatisfiable classes: {len(self.unsatisfiable)}")
        lines += [f"  {compress(str(iri))}" for iri in self.unsatisfiable]
        lines.append(f"inferred class memberships not asserted: {len(self.memberships)}")
        lines += [f"  {inference.format_text()}" for inference in self.memberships]
        lines.append(f"inferred subclass links not asserted: {len(self.subclass_links)}")
        lines += [f"  {inference.format_text()}" for inference in self.subclass_links]
        return "\n".join(lines)


def reasoning_input(graph: Graph) -> Graph:
    """Copy ``graph`` without the literals HermiT cannot read (datatypes outside the OWL 2 map).

    Example:
        >>> from rdflib import Literal
        >>> g = Graph(); g.add((RDFS.Resource, RDFS.comment, Literal("2025-01-01", datatype=XSD.date)))
        >>> len(reasoning_input(g))
        0
    """
    kept = new_graph()
    kept += filter(readable_by_hermit, graph)
    return kept


def asserted_input(data: RdfInput) -> Graph:
    """Give what the reasoners read of ``data``: its graphs but the entailment graph, as :func:`reasoning_input`.

    Made in one pass from the input: a copy of the union, then a filtered copy, would
    hold a large input twice.
    """
    return data.without_graph(ENTAILMENT_GRAPH).union(keep=readable_by_hermit)


def readable_by_hermit(triple: Triple) -> bool:
    """Tell whether HermiT reads the object of ``triple``: not a literal of a datatype outside the OWL 2 map."""
    value = triple[2]
    return not (isinstance(value, Literal) and value.datatype is not None and value.datatype not in OWL2_DATATYPES)


def require_java() -> str:
    """Find the ``java`` executable HermiT runs in.

    :raises ReasonerUnavailableError: no ``java`` on the ``PATH``.
    """
    java = shutil.which("java")
    if java is None:
        raise ReasonerUnavailableError(JAVA_HINT)
    return java


def reason(data: RdfInput) -> ReasoningReport:
    """Run HermiT over ontology and data and report what it infers.

    :param data: ontology and data together.
    :returns: the report of a consistent input.
    :raises ReasonerUnavailableError: Java is missing or HermiT fails to run.
    :raises InconsistentError: the input is inconsistent; the message names the nodes involved.

    Example:
        >>> report = reason(RdfInput.packaged())
        >>> any(i.subject_label == "imlunestrant" for i in report.memberships)
        True
    """
    require_java()
    graph = asserted_input(data)
    started = time.perf_counter()
    world = classify(graph)
    if world is None:
        raise InconsistentError(explain_inconsistency(graph))
    seconds = time.perf_counter() - started
    inferred = inferred_triples(world, graph)
    return ReasoningReport(
        memberships=tuple(sorted(labelled(graph, triple) for triple in inferred if triple[1] == RDF.type)),
        subclass_links=tuple(sorted(labelled(graph, triple) for triple in inferred if triple[1] == RDFS.subClassOf)),
        unsatisfiable=unsatisfiable_classes(world),
        individuals=len(named_individuals(graph)),
        seconds=seconds,
    )


def with_inferred(data: RdfInput) -> RdfInput:
    """Copy ``data`` and add the inferred triples as the named graph :data:`INFERRED_GRAPH`.

    :raises ReasonerUnavailableError: Java is missing.
    :raises InconsistentError: the input is inconsistent.
    """
    return data.with_graph(reason(data).graph())


def explain_inconsistency(graph: Graph) -> str:
    """Name the nodes that make ``graph`` inconsistent, for an error message.

    First the :data:`EXPLAINING_CHECKS` (SPARQL over types, domains and ranges); if they
    find nothing, the individuals are bisected: the shortest sorted prefix of them whose
    statements make the ontology inconsistent ends with a culprit.
    """
    explained = explain_inconsistency_by_checks(graph)
    if explained is not None:
        return explained
    culprit = _bisect(graph)
    if culprit is None:
        return INCONSISTENT_ONTOLOGY
    return (
        f"the ontology and data are inconsistent: adding the statements about {compress(str(culprit))} "
        "(individuals taken in sorted order) makes them so; look there for two values of a functional "
        "property or a value outside a property's range"
    )


def explain_inconsistency_by_checks(graph: Graph) -> str | None:
    """Name the nodes the :data:`EXPLAINING_CHECKS` find (disjoint types, ...), or give ``None`` when they find none."""
    store = RdfInput.from_rdflib(graph, "reasoning input").store()
    findings = [finding for name in EXPLAINING_CHECKS for finding in run_check(check_named(name), store)]
    if not findings:
        return None
    reasons = "; ".join(f"{compress_iris(f.entity)} is {compress_iris(f.detail)}" for f in findings)
    return f"the ontology and data are inconsistent: {reasons}"


def unsatisfiable_classes(world: World) -> tuple[URIRef, ...]:
    """List the classes that can have no member in a classified world, sorted."""
    # owlready2 lists owl:Nothing itself among the unsatisfiable classes of every world.
    return tuple(sorted(URIRef(c.iri) for c in world.inconsistent_classes() if c.iri != str(OWL.Nothing)))


def load_world(graph: Graph) -> World:
    """Load ``graph`` into a fresh owlready2 world, as N-Triples (no reasoning).

    :param graph: the triples to load; see :func:`reasoning_input` for what HermiT accepts.
    :returns: the world; ``world[iri]`` gives the owlready2 entity of an IRI.
    """
    import owlready2  # imported here: loading owlready2 costs time every command would pay

    world = owlready2.World()
    data = graph.serialize(format="nt", encoding="utf-8")
    world.get_ontology(_INPUT_IRI).load(fileobj=io.BytesIO(data), format="ntriples")
    return world


def classify(graph: Graph) -> World | None:
    """Run HermiT on ``graph`` in a fresh world; ``None`` if the input is inconsistent."""
    import owlready2

    world = load_world(graph)
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return None
    except owlready2.OwlReadyJavaError as exc:
        last = next((line for line in reversed(str(exc).splitlines()) if line.strip()), "no message")
        raise ReasonerUnavailableError(f"HermiT failed to run: {last.strip()}") from None
    return world


def inferred_triples(world: World, graph: Graph) -> list[tuple[URIRef, URIRef, URIRef]]:
    """List the ``rdf:type`` and ``rdfs:subClassOf`` triples between named terms in ``world`` but not in ``graph``."""
    found = []
    reasoned = world.as_rdflib_graph()
    for predicate in (RDF.type, RDFS.subClassOf):
        for subject, _, value in reasoned.triples((None, predicate, None)):
            if not (isinstance(subject, URIRef) and isinstance(value, URIRef)):
                continue
            if str(value).startswith(_BUILT_IN) or (subject, predicate, value) in graph:
                continue
            found.append((subject, predicate, value))
    return sorted(set(found))


def labelled(graph: Graph, triple: tuple[URIRef, URIRef, URIRef]) -> Inference:
    """Attach the ``rdfs:label`` of subject and object (their CURIE when unlabelled)."""
    subject, predicate, value = triple
    return Inference(subject, predicate, value, _label(graph, subject), _label(graph, value))


def _label(graph: Graph, node: Node) -> str:
    """Give the smallest ``rdfs:label`` of ``node`` (deterministic when there are several), or its CURIE."""
    labels = sorted(str(label) for label in graph.objects(node, RDFS.label))
    return labels[0] if labels else compress(str(node))


def named_individuals(graph: Graph) -> set[Node]:
    """IRIs typed with a class that is not part of OWL's own vocabulary: the named individuals."""
    return {
        subject
        for subject, value in graph.subject_objects(RDF.type)
        if isinstance(subject, URIRef) and not str(value).startswith(_BUILT_IN)
    }


def _bisect(graph: Graph) -> Node | None:
    """Find the first individual, in sorted order, whose statements make ``graph`` inconsistent."""
    individuals = sorted(named_individuals(graph), key=str)
    axioms = without_subjects(graph, individuals)
    if classify(axioms) is None:
        return None
    low, high = 0, len(individuals)  # invariant: prefix [:low] consistent, prefix [:high] inconsistent
    while high - low > 1:
        middle = (low + high) // 2
        subset = without_subjects(graph, individuals[middle:])
        if classify(subset) is None:
            high = middle
        else:
            low = middle
    return individuals[high - 1] if individuals else None


def without_subjects(graph: Graph, subjects: Iterable[Node]) -> Graph:
    """Copy ``graph`` without the triples whose subject is one of ``subjects``."""
    dropped = set(subjects)
    kept = new_graph()
    for triple in graph:
        if triple[0] not in dropped:
            kept.add(triple)
    return kept


def write_inferred(report: ReasoningReport, dest: str | Path) -> int:
    """Write the inferred triples of ``report`` to a file, in the RDF format of its suffix.

    A quad format (TriG, N-Quads) keeps them in the named graph :data:`INFERRED_GRAPH`.

    :returns: the number of bytes written.
    :raises InputError: the suffix names no known format.
    :raises OutputError: the file cannot be written.
    """
    return write_dataset(format_for_path(dest).name, dest, RdfInput.from_rdflib(report.graph(), "inferred triples"))
