"""Every constraint of the SHACL shapes, and a generated mutation of the packaged data that breaks it.

A *constraint* is one constraint component declared on one shape: each parameter
such as ``sh:minCount`` or ``sh:class`` of a property shape, each ``sh:or`` /
``sh:xone`` of a node shape, each ``sh:sparql`` constraint. It is named by the
report fields that tell it apart: ``NODE-SHAPE PATH COMPONENT`` (for example
``ekgsh:LabelShape rdfs:label MinCount``), with ``#2``... when one shape declares
the same component twice.

:data:`MUTATORS` holds, per component, how to break it where that is natural: take
a focus node of the shape in the packaged data and delete its required value,
replace a value by one of the wrong datatype, class, pattern or range, or add a
second value. Rules about several nodes (SHACL-SPARQL, paths of several steps) have
hand-written failing examples in ``data/shapes/invalid/`` instead.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from rdflib import RDF, RDFS, SH, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from conftest import packaged_union
from ember3kg.checks.validate import REPORT_PREFIXES, ValidationResult
from ember3kg.checks.validate import load_shapes as _load_shapes
from ember3kg.publish.dataset import load_ontology as _load_ontology
from ember3kg.vocab.namespaces import KG

#: SHACL parameter -> the constraint component it declares.
COMPONENTS: dict[URIRef, URIRef] = {
    SH[name]: SH[name[0].upper() + name[1:] + "ConstraintComponent"]
    for name in (
        "class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive", "maxExclusive",
        "maxInclusive", "minLength", "maxLength", "pattern", "languageIn", "uniqueLang", "equals", "disjoint",
        "lessThan", "lessThanOrEquals", "not", "and", "or", "xone", "node", "qualifiedMinCount",
        "qualifiedMaxCount", "closed", "hasValue", "in",
    )
} | {SH.sparql: SH.SPARQLConstraintComponent}  # fmt: skip
#: Parameters of a shape that declare no constraint: how it is named, targeted and reported.
NOT_CONSTRAINTS = {
    RDF.type, RDFS.label, RDFS.comment, SH.name, SH.description, SH.message, SH.severity, SH.path, SH.property,
    SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.flags, SH.qualifiedValueShape,
    SH.qualifiedValueShapesDisjoint, SH.ignoredProperties, SH.declare,
}  # fmt: skip
#: A node of no class and no triples: the wrong target of a link.
STRANGER = KG["test-stranger"]
# Longest namespace first, so that a namespace inside another one is not cut short.
_NAMESPACES = sorted(REPORT_PREFIXES.items(), key=lambda item: -len(item[1]))


@cache
def load_shapes() -> Graph:
    """Load the packaged shapes once (read-only)."""
    return _load_shapes()


@cache
def load_ontology() -> Graph:
    """Load the packaged ontology once (read-only)."""
    return _load_ontology()


def curie(node: Node) -> str:
    """Shorten an IRI with the report prefixes, as the report does."""
    text = str(node)
    prefix, namespace = next(((p, ns) for p, ns in _NAMESPACES if text.startswith(ns)), ("", ""))
    return f"{prefix}:{text[len(namespace) :]}" if prefix else text


@dataclass(frozen=True)
class Constraint:
    """One constraint component of one shape."""

    key: str
    node_shape: URIRef
    shape: Node  # the node or property shape that declares it
    parameter: URIRef
    value: Node
    path: Node | None
    path_text: str
    severity: str
    message: str

    @property
    def component(self) -> URIRef:
        """The SHACL constraint component a result of this constraint names."""
        return COMPONENTS[self.parameter]

    def fired_by(self, result: ValidationResult) -> bool:
        """Tell whether ``result`` is a result of this constraint (or of its twin, same shape and path)."""
        return (result.shape, result.path, result.constraint) == (self.node_shape, self.path_text, self.component)


@dataclass(frozen=True)
class Mutation:
    """A change of the packaged data that breaks one constraint on one focus node."""

    constraint: Constraint
    focus: Node
    removed: tuple[tuple[Node, Node, Node], ...] = ()
    added: tuple[tuple[Node, Node, Node], ...] = ()
    values: tuple[Node | None, ...] = (None,)  # the value of each result it must give

    @property
    def value(self) -> Node | None:
        """The value a message names: the first one."""
        return self.values[0]

    def expected_message(self) -> str:
        """Fill in the placeholders of the shape's message, as the report must."""
        replacements = {
            "{$this}": curie(self.focus),
            "{$value}": "" if self.value is None else _term_text(self.value),
            "{$path}": self.constraint.path_text,
        }
        message = self.constraint.message
        for placeholder, text in replacements.items():
            message = message.replace(placeholder, text)
        return message


def _term_text(node: Node) -> str:
    return str(node) if isinstance(node, Literal) else curie(node)


def _path_text(path: Node | None, shapes: Graph) -> str:
    """Write a SHACL path as the report does (SPARQL syntax, CURIEs); "" for a node-level constraint."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return curie(path)
    if (path, RDF.first, None) in shapes:
        return "/".join(_path_text(step, shapes) for step in shapes.items(path))
    if (inverse := shapes.value(path, SH.inversePath)) is not None:
        return f"^{_path_text(inverse, shapes)}"
    if (alternatives := shapes.value(path, SH.alternativePath)) is not None:
        return "(" + "|".join(_path_text(step, shapes) for step in shapes.items(alternatives)) + ")"
    raise ValueError(f"path {path} is of a kind the tests do not know")


@cache
def constraints() -> tuple[Constraint, ...]:
    """List every constraint of the packaged shapes, in shape order."""
    shapes = load_shapes()
    found: list[Constraint] = []
    for node_shape in sorted(shapes.subjects(RDF.type, SH.NodeShape)):
        severity = str(shapes.value(node_shape, SH.severity, default=SH.Violation)).removeprefix(str(SH))
        for shape in [node_shape, *sorted(shapes.objects(node_shape, SH.property))]:
            path = shapes.value(shape, SH.path)
            path_text = _path_text(path, shapes)
            seen: dict[URIRef, int] = {}
            for parameter, value in sorted(shapes.predicate_objects(shape)):
                if parameter in NOT_CONSTRAINTS:
                    continue
                if parameter not in COMPONENTS:
                    raise ValueError(f"{curie(node_shape)}: parameter {parameter} is unknown to the tests")
                seen[parameter] = seen.get(parameter, 0) + 1
                name = COMPONENTS[parameter].removeprefix(str(SH)).removesuffix("ConstraintComponent")
                number = f"#{seen[parameter]}" if seen[parameter] > 1 else ""
                message = shapes.value(value if parameter == SH.sparql else shape, SH.message)
                key = f"{curie(node_shape)} {path_text or '.'} {name}{number}"
                found.append(
                    Constraint(key, node_shape, shape, parameter, value, path, path_text, severity, str(message))
                )
    return tuple(found)


# --- where a constraint applies in the packaged data ---------------------------


@cache
def _focus_nodes(node_shape: URIRef) -> list[Node]:
    """Find the focus nodes of ``node_shape`` in the packaged data (instances of subclasses included)."""
    shapes, data = load_shapes(), packaged_union()
    nodes: set[Node] = set()
    for cls in shapes.objects(node_shape, SH.targetClass):
        classes = set(data.transitive_subjects(RDFS.subClassOf, cls)) | {cls}
        nodes |= {node for cls_ in classes for node in data.subjects(RDF.type, cls_)}
    for predicate in shapes.objects(node_shape, SH.targetSubjectsOf):
        nodes |= set(data.subjects(predicate, None))
    for predicate in shapes.objects(node_shape, SH.targetObjectsOf):
        nodes |= set(data.objects(None, predicate))
    return sorted(nodes)


def _steps(path: Node | None) -> list[tuple[URIRef, bool]]:
    """Split a path into the single steps it stands for: (predicate, inverse?); none for longer paths."""
    shapes = load_shapes()
    if isinstance(path, URIRef):
        return [(path, False)]
    if path is None or (path, RDF.first, None) in shapes:
        return []
    if isinstance(inverse := shapes.value(path, SH.inversePath), URIRef):
        return [(inverse, True)]
    if (alternatives := shapes.value(path, SH.alternativePath)) is not None:
        return [step for item in shapes.items(alternatives) for step in _steps(item)]
    return []


def _triples(focus: Node, steps: list[tuple[URIRef, bool]]) -> list[tuple[Node, Node, Node]]:
    """Find the triples that give ``focus`` its values along ``steps``."""
    data = packaged_union()
    found = []
    for predicate, inverse in steps:
        pattern = (None, predicate, focus) if inverse else (focus, predicate, None)
        found += sorted(data.triples(pattern))
    return found


def _value(triple: tuple[Node, Node, Node], inverse: bool) -> Node:
    return triple[0] if inverse else triple[2]


def _with_value(triple: tuple[Node, Node, Node], inverse: bool, value: Node) -> tuple[Node, Node, Node]:
    return (value, triple[1], triple[2]) if inverse else (triple[0], triple[1], value)


def _valued(constraint: Constraint) -> Iterator[tuple[Node, tuple[Node, Node, Node], bool]]:
    """Each focus node with a value along the constraint's path: (focus, first triple, inverse?).

    Nodes the ontology describes are left out: the validator adds the ontology to the data.
    """
    ontology = load_ontology()
    for focus in _focus_nodes(constraint.node_shape):
        if (focus, None, None) in ontology:
            continue
        for predicate, inverse in _steps(constraint.path):
            triples = _triples(focus, [(predicate, inverse)])
            if triples:
                yield focus, triples[0], inverse
                break


def _other_values(predicate: URIRef) -> list[Node]:
    """Values that ``predicate`` has in the packaged data, of the right kind for it."""
    return sorted(set(packaged_union().objects(None, predicate)))


# --- one way to break each kind of constraint ---------------------------------

Mutator = Callable[[Constraint], Iterator[Mutation]]


def _replace_value(constraint: Constraint, make: Callable[[Node], Node | None]) -> Iterator[Mutation]:
    """Replace one value of the path of each focus node by ``make(old value)`` (None: this focus will not do)."""
    for focus, triple, inverse in _valued(constraint):
        new = make(_value(triple, inverse))
        if new is not None:
            yield Mutation(constraint, focus, (triple,), (_with_value(triple, inverse, new),), (new,))


def _delete_values(constraint: Constraint) -> Iterator[Mutation]:
    for focus, _, _ in _valued(constraint):
        yield Mutation(constraint, focus, tuple(_triples(focus, _steps(constraint.path))))


def _max_count(constraint: Constraint) -> Iterator[Mutation]:
    """Give a focus node one value more than the maximum, each like one it has (so of the right kind)."""
    for focus, triple, inverse in _valued(constraint):
        present = {_value(t, inverse) for t in _triples(focus, _steps(constraint.path))}
        how_many = int(constraint.value) + 1 - len(present)  # type: ignore[call-overload]
        others = _alike(_value(triple, inverse), present)[:how_many]
        if len(others) == how_many:
            yield Mutation(constraint, focus, (), tuple(_with_value(triple, inverse, other) for other in others))


def _alike(value: Node, exclude: set[Node]) -> list[Node]:
    """Other terms like ``value``: nodes of its class, or literals of its datatype."""
    data = packaged_union()
    if isinstance(value, Literal):
        python = value.toPython()
        if isinstance(python, bool):
            return [Literal(not python)]
        shifted = _shifted(value, 1)
        return [shifted if shifted is not None else Literal(f"{value} (again)", lang=value.language)]
    kind = data.value(value, RDF.type)
    return sorted(set(data.subjects(RDF.type, kind)) - exclude) if kind is not None else []


def _wrong_datatype(old: Node) -> Node:
    """Make a literal of another datatype than ``old``: a string, or a number instead of a string."""
    is_string = isinstance(old, Literal) and old.datatype in (None, XSD.string) and not old.language
    return Literal(7) if is_string else Literal("wrong datatype")


def _shifted(bound: Node, step: int) -> Node | None:
    """Make a literal ``step`` units above (or below) ``bound``, of its datatype."""
    value = bound.toPython() if isinstance(bound, Literal) else None
    if isinstance(value, datetime.date):
        return Literal(value + datetime.timedelta(days=step), datatype=bound.datatype)  # type: ignore[union-attr]
    if isinstance(value, int | float) or hasattr(value, "as_integer_ratio"):
        return Literal(value + step, datatype=bound.datatype)  # type: ignore[union-attr, operator]
    return None


def _compared(constraint: Constraint, make: Callable[[Node], Node | None]) -> Iterator[Mutation]:
    """Set the path's value from the focus node's value of the compared property (sh:lessThanOrEquals...)."""
    data = packaged_union()
    for focus, triple, inverse in _valued(constraint):
        other = data.value(focus, constraint.value)  # type: ignore[arg-type]
        new = None if other is None else make(other)
        if new is not None:
            yield Mutation(constraint, focus, (triple,), (_with_value(triple, inverse, new),), (new,))


def _not_equal(constraint: Constraint) -> Iterator[Mutation]:
    """Replace a value by one the compared property lacks: a result for it, and one for the old value if now missing."""
    for focus, triple, inverse in _valued(constraint):
        old = _value(triple, inverse)
        kept = {_value(t, inverse) for t in _triples(focus, _steps(constraint.path)) if t != triple}
        values = (STRANGER,) if old in kept else (old, STRANGER)
        yield Mutation(constraint, focus, (triple,), (_with_value(triple, inverse, STRANGER),), values)


def _xone(constraint: Constraint) -> Iterator[Mutation]:
    """Give a focus node that holds one alternative of an exactly-one choice a value of another as well."""
    shapes = load_shapes()
    members = [shapes.value(member, SH.path) for member in shapes.items(constraint.value)]
    for focus in _focus_nodes(constraint.node_shape):
        held = [path for path in members if _triples(focus, _steps(path))]
        missing = [path for path in members if path not in held and isinstance(path, URIRef)]
        if len(held) == 1 and missing:
            others = _other_values(missing[0])
            if others:
                yield Mutation(constraint, focus, (), ((focus, missing[0], others[0]),), (focus,))


def _or(constraint: Constraint) -> Iterator[Mutation]:
    """Break a choice of datatypes or classes with a value of neither."""
    shapes = load_shapes()
    kinds = {parameter for member in shapes.items(constraint.value) for parameter in shapes.predicates(member)}
    if kinds == {SH.datatype}:
        yield from _replace_value(constraint, lambda _: Literal("wrong datatype"))
    elif kinds == {SH["class"]}:
        yield from _replace_value(constraint, lambda _: STRANGER)


#: Constraint component -> the mutations that break it, best first.
MUTATORS: dict[URIRef, Mutator] = {
    SH.MinCountConstraintComponent: _delete_values,
    SH.MaxCountConstraintComponent: _max_count,
    SH.DatatypeConstraintComponent: lambda c: _replace_value(c, _wrong_datatype),
    SH.ClassConstraintComponent: lambda c: _replace_value(c, lambda _: STRANGER),
    SH.InConstraintComponent: lambda c: _replace_value(
        c, lambda old: STRANGER if isinstance(old, URIRef) else Literal("not listed")
    ),
    SH.PatternConstraintComponent: lambda c: _replace_value(
        c, lambda old: Literal("no match", datatype=getattr(old, "datatype", None))
    ),
    SH.MinInclusiveConstraintComponent: lambda c: _replace_value(c, lambda _: _shifted(c.value, -1)),
    SH.MinExclusiveConstraintComponent: lambda c: _replace_value(c, lambda _: c.value),
    SH.MaxInclusiveConstraintComponent: lambda c: _replace_value(c, lambda _: _shifted(c.value, 1)),
    SH.MaxExclusiveConstraintComponent: lambda c: _replace_value(c, lambda _: c.value),
    SH.MinLengthConstraintComponent: lambda c: _replace_value(
        c, lambda old: Literal("", lang=getattr(old, "language", None))
    ),
    SH.UniqueLangConstraintComponent: lambda c: (
        Mutation(c, focus, (), ((triple[0], triple[1], Literal("second label", lang=triple[2].language)),))
        for focus, triple, _ in _valued(c)
    ),
    SH.HasValueConstraintComponent: _delete_values,
    SH.LessThanOrEqualsConstraintComponent: lambda c: _compared(c, lambda other: _shifted(other, 1)),
    SH.EqualsConstraintComponent: _not_equal,
    SH.DisjointConstraintComponent: lambda c: (
        # the compared property gets the value too
        Mutation(c, focus, (), ((focus, c.value, _value(triple, inverse)),), (_value(triple, inverse),))
        for focus, triple, inverse in _valued(c)
    ),
    SH.XoneConstraintComponent: _xone,
    SH.OrConstraintComponent: _or,
}


def _changed(mutation: Mutation) -> set[Node]:
    """Name the nodes whose results a mutation may change: its focus and the subjects of the triples it edits."""
    return {mutation.focus} | {subject for subject, _, _ in mutation.removed + mutation.added}


@cache
def mutations() -> tuple[tuple[Mutation, ...], ...]:
    """One generated mutation per constraint that a change of one node can break, in batches.

    Within a batch no two mutations change the same node, so that a batch can be
    applied to one copy of the data and validated at once, each result told apart
    by its focus node.
    """
    batches: list[list[Mutation]] = []
    used: list[set[Node]] = []
    for constraint in constraints():
        mutator = MUTATORS.get(constraint.component)
        if mutator is None or (constraint.path is not None and not _steps(constraint.path)):
            continue
        candidates = [(mutation, _changed(mutation)) for mutation in mutator(constraint)]
        if not candidates:
            continue
        placed = next(
            ((number, mutation, nodes) for number, taken in enumerate(used) for mutation, nodes in candidates
             if not nodes & taken),
            (len(batches), *candidates[0]),
        )  # fmt: skip
        number, mutation, nodes = placed
        if number == len(batches):
            batches.append([])
            used.append(set())
        batches[number].append(mutation)
        used[number] |= nodes
    return tuple(tuple(batch) for batch in batches)
