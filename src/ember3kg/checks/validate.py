"""Validate the knowledge graph against the packaged SHACL shapes.

The shapes (``shapes/*.ttl``, package ``ember3kg.shapes``) say what well-formed
data is: ``structure.ttl`` holds one shape per class (cardinalities, datatypes,
controlled values, links, labels, provenance, value ranges) and ``coherence.ttl``
the rules that relate several nodes. :func:`validate` runs one of the
:data:`ENGINES` on them: pySHACL, the reference, or Apache Jena's SHACL validator
(:mod:`ember3kg.checks.jena_shacl`), which ``auto`` picks for large data; both reports are
read into the same :class:`ValidationReport`.

Speed: pySHACL runs no inference here (``inference="none"``). So that
``sh:targetClass`` and ``sh:class`` still reach instances of subclasses, the
ontology is added to the data graph before validation: pySHACL follows
``rdfs:subClassOf`` in the data graph (``benchmarks/validate_bench.py`` compares
this with pySHACL's own ``ont_graph`` mixing and with materialised types).

A :class:`ValidationReport` lists the results sorted by shape and focus node and
renders them as text, Turtle or JSON (:data:`REPORT_FORMATS`). A report *conforms*
when it holds no violation; warnings fail only a strict check
(:meth:`ValidationReport.raise_for_failure`).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from itertools import chain
from pathlib import Path
from types import MappingProxyType

from rdflib import RDF, RDFS, SH, BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from ember3kg.errors import DataError, InputError, ValidationFailedError
from ember3kg.io.inputs import RdfInput
from ember3kg.io.outputs import atomic_stream, write_atomic
from ember3kg.publish.dataset import load_ontology, new_graph
from ember3kg.query import QueryCachingGraph
from ember3kg.vocab.identifiers import compress_iris, term_text
from ember3kg.vocab.namespaces import PREFIXES, SHAPES, bind_prefixes

__all__ = ["ENGINES", "REPORT_FORMATS", "SEVERITIES", "ValidationReport", "ValidationResult", "load_shapes", "validate"]

#: Package holding the shapes files.
SHAPES_PACKAGE = "ember3kg.shapes"

#: Prefixes of reports: the project's, plus the shapes and SHACL.
REPORT_PREFIXES: Mapping[str, str] = MappingProxyType({**PREFIXES, "ekgsh": str(SHAPES), "sh": str(SH)})

#: SHACL severity -> its name in reports, most severe first.
SEVERITIES: Mapping[URIRef, str] = MappingProxyType({SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"})


@lru_cache(maxsize=1)
def _packaged_shapes() -> Graph:
    """Parse every ``*.ttl`` of the shapes package once, in name order."""
    graph = Graph(bind_namespaces="none")
    resources = sorted(
        (item for item in files(SHAPES_PACKAGE).iterdir() if item.is_file() and item.name.endswith(".ttl")),
        key=lambda item: item.name,
    )
    for item in resources:
        # The shapes' blank nodes never reach a report, so rdflib's own labels will do.
        try:
            graph.parse(data=item.read_bytes(), format="turtle", publicID=str(SHAPES))
        except Exception as exc:  # any parser failure of a packaged file is a data error
            raise DataError(f"{item}: shapes do not parse: {' '.join(str(exc).split())}") from None
    for prefix, namespace in REPORT_PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def load_shapes() -> Graph:
    """Load the packaged SHACL shapes (all files of ``shapes/``) as one new graph.

    Example:
        >>> (SHAPES.StudyArmShape, RDF.type, SH.NodeShape) in load_shapes()
        True
    """
    graph = Graph(bind_namespaces="none")
    graph += _packaged_shapes()
    for prefix, namespace in _packaged_shapes().namespaces():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


@dataclass(frozen=True)
class ValidationResult:
    """One result of a validation: a node that breaks one constraint of one shape.

    :param severity: ``Violation``, ``Warning`` or ``Info``.
    :param shape: the named node shape the constraint belongs to.
    :param focus: the node that breaks the rule.
    :param focus_label: its ``rdfs:label``, if it has one.
    :param path: the property path, in SPARQL syntax with prefixes, or ``""``.
    :param value: the offending value, or None.
    :param message: what is wrong, naming the node.
    :param constraint: the SHACL constraint component that fired.
    :param path_node: the path as a SHACL path node of the shapes graph, or None.
    """

    severity: str
    shape: URIRef
    focus: Node
    focus_label: str | None
    path: str
    value: Node | None
    message: str
    constraint: URIRef
    path_node: Node | None = None

    def as_dict(self) -> dict[str, str | None]:
        """Return the result as plain data (for JSON); IRIs in full."""
        return {
            "severity": self.severity,
            "shape": str(self.shape),
            "focus": str(self.focus),
            "focusLabel": self.focus_label,
            "path": self.path or None,
            "value": None if self.value is None else str(self.value),
            "message": self.message,
            "constraint": str(self.constraint),
        }


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`.

    :param results: every result, sorted by shape, focus node, path, value and message.
    :param shapes: the shapes graph validated against (for paths in the Turtle report).
    """

    results: tuple[ValidationResult, ...]
    shapes: Graph

    @property
    def conforms(self) -> bool:
        """True when no result is a violation (warnings and infos are allowed)."""
        return not any(result.severity == "Violation" for result in self.results)

    def counts(self) -> dict[str, int]:
        """Count the results per severity, listing every severity."""
        found = Counter(result.severity for result in self.results)
        return {name: found[name] for name in SEVERITIES.values()}

    def raise_for_failure(self, strict: bool = False) -> None:
        """Raise :class:`ValidationFailedError` on a violation, or, if ``strict``, on a warning too."""
        counts = self.counts()
        failing = counts["Violation"] + (counts["Warning"] if strict else 0)
        if failing:
            kinds = "violations and warnings" if strict else "violations"
            raise ValidationFailedError(f"the data does not conform to the shapes: {failing} {kinds}")

    def format_text(self) -> str:
        """Render the report as text: one table per shape, then the counts per severity."""
        lines: list[str] = []
        for shape in dict.fromkeys(result.shape for result in self.results):
            rows = [result for result in self.results if result.shape == shape]
            name = self.shapes.value(shape, SH.name)
            lines.append(f"{term_text(shape)} ({name}): {len(rows)} result{'s' if len(rows) != 1 else ''}")
            table = [("severity", "focus node", "path", "value", "message")]
            table += [
                (
                    row.severity,
                    f"{row.focus_label} ({term_text(row.focus)})" if row.focus_label else term_text(row.focus),
                    row.path or "-",
                    "-" if row.value is None else _term_text(row.value),
                    row.message,
                )
                for row in rows
            ]
            widths = [max(len(cells[column]) for cells in table) for column in range(4)]
            lines += [
                "  " + "  ".join([*(c.ljust(w) for c, w in zip(cells, widths, strict=False)), cells[4]]).rstrip()
                for cells in table
            ]
            lines.append("")
        counts = self.counts()
        verdict = "conforms" if self.conforms else "does not conform"
        tally = ", ".join(f"{number} {name.lower()}{'s' if number != 1 else ''}" for name, number in counts.items())
        lines.append(f"{verdict}: {tally}")
        return "\n".join(lines) + "\n"

    def to_graph(self) -> Graph:
        """Build the SHACL validation report graph, with stable blank-node labels.

        ``sh:conforms`` follows SHACL: false as soon as there is any result,
        warnings included. ``sh:sourceShape`` names the node shape.
        """
        graph = new_graph()
        for prefix in ("ekgsh", "sh"):
            graph.bind(prefix, REPORT_PREFIXES[prefix], override=True, replace=True)
        report = BNode("report")
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(not self.results)))
        severity_iris = {name: iri for iri, name in SEVERITIES.items()}
        for number, result in enumerate(self.results, start=1):
            node = BNode(f"r{number:04d}")
            graph.add((report, SH.result, node))
            graph.add((node, RDF.type, SH.ValidationResult))
            graph.add((node, SH.resultSeverity, severity_iris[result.severity]))
            graph.add((node, SH.sourceShape, result.shape))
            graph.add((node, SH.focusNode, result.focus))
            graph.add((node, SH.sourceConstraintComponent, result.constraint))
            graph.add((node, SH.resultMessage, Literal(result.message)))
            if result.value is not None:
                graph.add((node, SH.value, result.value))
            if result.path_node is not None:
                graph.add((node, SH.resultPath, _copy_path(result.path_node, self.shapes, graph, f"r{number:04d}")))
        return graph

    def to_turtle(self) -> str:
        """Render the report graph (:meth:`to_graph`) as Turtle."""
        return self.to_graph().serialize(format="turtle")

    def to_json(self) -> str:
        """Render the report as JSON: conforms, counts per severity, results."""
        document = {
            "conforms": self.conforms,
            "counts": self.counts(),
            "results": [result.as_dict() for result in self.results],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


#: Report format name -> renderer; drives ``ember3kg validate --format``.
REPORT_FORMATS: Mapping[str, Callable[[ValidationReport], str]] = MappingProxyType(
    {
        "text": ValidationReport.format_text,
        "turtle": ValidationReport.to_turtle,
        "json": ValidationReport.to_json,
    }
)


def validate(
    data_input: RdfInput,
    *,
    ontology: Graph | None = None,
    shapes: Graph | None = None,
    engine: str = "auto",
    notice: Callable[[str], None] | None = None,
) -> ValidationReport:
    """Validate RDF data against the packaged SHACL shapes.

    :param data_input: the data, validated as the union of its graphs.
    :param ontology: the class hierarchy to validate with; the packaged ontology by
        default. It is added to (a copy of) the data.
    :param shapes: the shapes graph; the packaged shapes by default.
    :param engine: a key of :data:`ENGINES`, or ``auto``: Jena from
        :data:`JENA_FROM_TRIPLES` triples on when it can be used (set up on first use
        where Debian's Jena is installed), else pySHACL.
    :param notice: called with one line when ``auto`` meets large data but cannot use Jena.
    :returns: the report; ``report.conforms`` is False if any violation was found.
    :raises InputError: unknown engine.
    :raises DataError: Jena was asked for but is not set up, or failed.

    Example:
        >>> validate(RdfInput.packaged()).conforms
        True
    """
    shapes = _packaged_shapes() if shapes is None else shapes
    ontology = load_ontology() if ontology is None else ontology
    results_graph, labels = ENGINES[_chosen_engine(engine, data_input, notice)](data_input, ontology, shapes)
    results = sorted(
        (
            _result(node, results_graph, labels, shapes)
            for node in results_graph.subjects(RDF.type, SH.ValidationResult)
        ),
        key=lambda result: (term_text(result.shape), str(result.focus), result.path, str(result.value), result.message),
    )
    return ValidationReport(tuple(results), shapes)


#: From this many triples of data on, ``auto`` validates with Jena (when it is set up):
#: below it, Java's start-up costs more than pySHACL's whole run.
JENA_FROM_TRIPLES = 50_000


def _chosen_engine(engine: str, data: RdfInput, notice: Callable[[str], None] | None = None) -> str:
    """Resolve ``auto`` by the size of ``data``, telling ``notice`` when large data must do without Jena."""
    if engine == "auto":
        triples = data.triple_count()
        if triples < JENA_FROM_TRIPLES:
            return "pyshacl"
        from ember3kg.checks.jena_shacl import JENA_PACKAGE, unavailable

        reason = unavailable()
        if reason is None:
            return "jena"
        if notice is not None:
            notice(
                f"notice: validating {triples:,} triples with pySHACL, about ten times slower than Jena here:"
                f" {reason} (install Debian's {JENA_PACKAGE}, or choose the pySHACL engine)"
            )
        return "pyshacl"
    if engine not in ENGINES:
        raise InputError(f"unknown validation engine {engine!r}; engines: auto, {', '.join(ENGINES)}")
    return engine


def _pyshacl_results(data_input: RdfInput, ontology: Graph, shapes: Graph) -> tuple[Graph, Graph]:
    """Validate with pySHACL: (its results graph, the graph to read labels from)."""
    from pyshacl import validate as shacl_validate

    data = _prepared_data(data_input.dataset(), ontology)
    _, results_graph, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        allow_warnings=True,
        inplace=True,  # ``data`` is our own copy
    )
    return results_graph, data


#: Named shapes are skolemised with this prefix for Jena, so that its report names them as the shapes graph does.
_SKOLEM = "urn:x-ember3kg-shape:"


def _jena_results(data_input: RdfInput, ontology: Graph, shapes: Graph) -> tuple[Graph, Graph]:
    """Validate with Jena: its results graph, rewritten to name the shapes graph's nodes, and the labels of the data.

    Jena reads the data and the ontology as N-Triples, the data's written from the input
    as it is held (:meth:`RdfInput.lines`): no rdflib dataset is made. Shapes that are blank nodes go to
    Jena as IRIs (:data:`_SKOLEM`), turned back into the shapes graph's blank nodes in
    the report; a result path that Jena writes out as a new structure is replaced by the
    shapes graph's node for the same path.
    """
    from rdflib.plugins.serializers.nt import _nt_row

    from ember3kg.checks.jena_shacl import run_jena

    with tempfile.TemporaryDirectory(prefix="ember3kg-jena-") as folder:
        data_file, shapes_file = Path(folder) / "data.nt", Path(folder) / "shapes.nt"
        with atomic_stream(data_file) as stream:
            stream.writelines(line.encode() for line in chain(data_input.lines(), map(_nt_row, ontology)))
        skolem = {node: URIRef(_SKOLEM + str(node)) for node in _shape_nodes(shapes)}
        skolemised = Graph(bind_namespaces="none")
        for triple in shapes:
            subject, predicate, value = (skolem.get(term, term) if isinstance(term, BNode) else term for term in triple)
            skolemised.add((subject, predicate, value))
        write_atomic(shapes_file, skolemised.serialize(format="nt", encoding="utf-8"))
        report = Graph(bind_namespaces="none").parse(data=run_jena(shapes_file, data_file), format="turtle")
    paths = {_path_text(path, shapes): path for path in shapes.objects(None, SH.path)}
    for node in list(report.subjects(RDF.type, SH.ValidationResult)):
        message = report.value(node, SH.resultMessage)
        if message is not None:  # Jena writes the IRIs it puts into SPARQL messages in brackets, pySHACL bare
            report.set((node, SH.resultMessage, Literal(_BRACKETED_IRI.sub(r"\1", str(message)))))
        source = report.value(node, SH.sourceShape)
        if str(source).startswith(_SKOLEM):
            source = BNode(str(source).removeprefix(_SKOLEM))
            report.set((node, SH.sourceShape, source))
        path = report.value(node, SH.resultPath)
        if isinstance(path, BNode):
            text, own = _path_text(path, report), shapes.value(source, SH.path)
            same = own is not None and _path_text(own, shapes) == text  # the shape's own path, as pySHACL names it
            report.set((node, SH.resultPath, own if own is not None and same else paths.get(text, path)))
    return report, data_input.with_predicates(RDFS.label)


_BRACKETED_IRI = re.compile(r"<([^<>\s\"{}|^`\\]+:[^<>\s\"{}|^`\\]*)>")


def _shape_nodes(shapes: Graph) -> set[BNode]:
    """Find the blank-node shapes of ``shapes`` (property shapes, inline node shapes), not paths or lists."""
    found = {node for node in shapes.subjects(SH.path) if isinstance(node, BNode)}
    for predicate in (SH.property, SH.node, SH["not"], SH.qualifiedValueShape):
        found |= {node for node in shapes.objects(None, predicate) if isinstance(node, BNode)}
    for predicate in (SH["or"], SH["and"], SH.xone):
        for head in shapes.objects(None, predicate):
            found |= {node for node in shapes.items(head) if isinstance(node, BNode)}
    return found


#: Validation engine name -> function giving (SHACL results graph, graph to read labels from).
ENGINES: Mapping[str, Callable[[RdfInput, Graph, Graph], tuple[Graph, Graph]]] = MappingProxyType(
    {"pyshacl": _pyshacl_results, "jena": _jena_results}
)


def _prepared_data(dataset: Dataset, ontology: Graph) -> Graph:
    """Copy the data into one graph that caches parsed queries, and add the ontology to it."""
    data = bind_prefixes(QueryCachingGraph(bind_namespaces="none"))
    for graph in dataset.graphs():
        for triple in graph:
            data.add(triple)
    for triple in ontology:
        data.add(triple)
    return data


def _result(node: Node, results: Graph, data: Graph, shapes: Graph) -> ValidationResult:
    """Turn one ``sh:ValidationResult`` of pySHACL into a :class:`ValidationResult`."""
    focus = _required(results, node, SH.focusNode)
    value = results.value(node, SH.value)
    path_node = results.value(node, SH.resultPath)
    path = _path_text(path_node, shapes if path_node is not None and (path_node, None, None) in shapes else results)
    source = _required(results, node, SH.sourceShape)
    message = str(results.value(node, SH.resultMessage) or "")
    replacements = {
        "{$this}": term_text(focus),
        "{$value}": "" if value is None else _term_text(value),
        "{$path}": path,
    }
    for placeholder, text in replacements.items():
        message = message.replace(placeholder, text)
    label = next(data.objects(focus, RDFS.label), None)
    return ValidationResult(
        severity=SEVERITIES.get(URIRef(str(results.value(node, SH.resultSeverity))), "Violation"),
        shape=_node_shape(source, shapes),
        focus=focus,
        focus_label=None if label is None else str(label),
        path=path,
        value=value,
        message=compress_iris(message),
        constraint=URIRef(str(_required(results, node, SH.sourceConstraintComponent))),
        path_node=path_node,
    )


def _node_shape(shape: Node, shapes: Graph) -> URIRef:
    """Find the named node shape that ``shape`` is, or whose (nested) property shape it is."""
    seen: set[Node] = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        parent = next(iter(_parents(shape, shapes)), None)
        if parent is None:
            break
        shape = parent
    return shape  # type: ignore[return-value]


def _parents(shape: Node, shapes: Graph) -> Iterable[Node]:
    """Shapes that use ``shape`` through sh:property, sh:node or a logical list."""
    yield from shapes.subjects(SH.property, shape)
    yield from shapes.subjects(SH.node, shape)
    for cell in shapes.subjects(RDF.first, shape):
        head = cell
        while (previous := shapes.value(predicate=RDF.rest, object=head)) is not None:
            head = previous
        for predicate in (SH["or"], SH["and"], SH.xone):
            yield from shapes.subjects(predicate, head)


def _copy_path(path: Node, source: Graph, target: Graph, prefix: str) -> Node:
    """Copy a SHACL path from ``source`` into ``target``, its blank nodes labelled ``<prefix>-p<n>``."""
    if not isinstance(path, BNode):
        return path
    counter = iter(range(1, 1_000_000))

    def copy(node: Node) -> Node:
        if not isinstance(node, BNode):
            return node
        twin = BNode(f"{prefix}-p{next(counter)}")
        for predicate, value in sorted(source.predicate_objects(node)):
            target.add((twin, predicate, copy(value)))
        return twin

    return copy(path)


def _required(results: Graph, node: Node, predicate: URIRef) -> Node:
    """Read a value every SHACL validation result has (focus node, source shape, constraint component)."""
    value = results.value(node, predicate)
    if value is None:
        raise DataError(f"the SHACL engine gave a validation result without {term_text(predicate)}")
    return value


def _path_text(path: Node | None, graph: Graph) -> str:
    """Write a SHACL property path in SPARQL syntax, with prefixes."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return term_text(path)
    if (path, RDF.first, None) in graph:
        return "/".join(_path_text(step, graph) for step in graph.items(path))
    for predicate, write in _PATH_WRITERS.items():
        inner = graph.value(path, predicate)
        if inner is not None:
            return write(inner, graph)
    return str(path)


_PATH_WRITERS: Mapping[URIRef, Callable[[Node, Graph], str]] = MappingProxyType(
    {
        SH.inversePath: lambda inner, graph: f"^{_path_text(inner, graph)}",
        SH.alternativePath: lambda inner, graph: "(" + "|".join(_path_text(p, graph) for p in graph.items(inner)) + ")",
        SH.zeroOrMorePath: lambda inner, graph: f"{_path_text(inner, graph)}*",
        SH.oneOrMorePath: lambda inner, graph: f"{_path_text(inner, graph)}+",
        SH.zeroOrOnePath: lambda inner, graph: f"{_path_text(inner, graph)}?",
    }
)


def _term_text(node: Node) -> str:
    """Write a term as a person reads it: a literal's lexical form, an IRI as a CURIE."""
    return str(node) if isinstance(node, Literal) else term_text(node)
