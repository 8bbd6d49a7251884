"""Tests of the SHACL shapes and of ``ember3kg validate``.

Every constraint of the shapes has a failing example (``test_every_constraint_bites``).
Most are generated (``shape_constraints.py``): the packaged data with one focus node
changed so that the constraint breaks; the result must name that node, with the
shape's message and the offending value. The others, rules about several nodes, are
mutations written as SPARQL Update files in ``data/shapes/invalid/``; each names, in
``# expect:`` lines, every result the mutation must give (severity, shape, focus
node) and nothing else. Each has a passing neighbour of the same name in
``data/shapes/valid/``: a close edit of the same data on which no rule fires.

A whole pySHACL validation of the data takes seconds, so the cases are validated here on
their own nodes only (:func:`_focused_report`: the nodes the edit touches and those it
expects results on). That such a validation gives what a whole one gives on those nodes,
and that nothing fires anywhere else, is checked in the integration run, where Jena
validates every case whole (``test_validate_jena.py``).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, SH, Dataset, Graph, URIRef
from rdflib.term import Node

from conftest import DATA, curie, packaged_union, parametrize_on_collection, run_cli
from ember3kg.checks.validate import (
    REPORT_FORMATS,
    REPORT_PREFIXES,
    ValidationReport,
    ValidationResult,
    _packaged_shapes,
    _prepared_data,
    _result,
    load_shapes,
    validate,
)
from ember3kg.errors import ValidationFailedError
from ember3kg.io.inputs import RdfInput
from ember3kg.publish.dataset import load_ontology, new_dataset
from shape_constraints import Constraint, Mutation, constraints, mutations

SHAPES_DATA = DATA / "shapes"
EXPECT = re.compile(r"^# expect: (\w+) (\S+) (\S+)$", re.MULTILINE)
#: Results, arms and populations with a size, whose every document is a secondary source, found without the shapes.
SECONDARY_ONLY_RESULTS = """
    PREFIX ekg: <https://w3id.org/ember3kg/ontology#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT DISTINCT ?result WHERE {
        { ?result a/rdfs:subClassOf* ekg:StatisticalResult } UNION { ?result ekg:armSize|ekg:populationSize ?size }
        ?result prov:wasDerivedFrom/ekg:hasSourceRole ekg:SecondarySource .
        FILTER NOT EXISTS { ?result prov:wasDerivedFrom/ekg:hasSourceRole ekg:PrimarySource }
    }
"""
#: A mutation that only gives a warning (for --strict).
WARNING_ONLY = SHAPES_DATA / "invalid" / "p-value-significant-but-ci-includes-one.ru"
#: The invalid cases are dealt round into this many groups; with ``pytest -n N --dist loadgroup``
#: one worker runs every test of a group, so that each case is validated once (by pySHACL, and by
#: Jena in one run per group, ``test_validate_jena.py``).
CASE_GROUPS = 8


@cache
def invalid_cases() -> list[Path]:
    """List the SPARQL Update files of ``data/shapes/invalid/``, each a failing example."""
    return sorted((SHAPES_DATA / "invalid").glob("*.ru"))


@cache
def valid_cases() -> list[Path]:
    """List the passing neighbours, ``data/shapes/valid/``."""
    return sorted((SHAPES_DATA / "valid").glob("*.ru"))


@cache
def hand_edits() -> list[dict[str, str]]:
    """Read the edits of an exported file that the command line must reject (``hand-edits.tsv``)."""
    return list(csv.DictReader((SHAPES_DATA / "hand-edits.tsv").open(encoding="utf-8"), delimiter="\t"))


def case_group(case: Path) -> str:
    """Name the ``xdist_group`` of an invalid case."""
    return f"invalid{invalid_cases().index(case) % CASE_GROUPS}"


def _iri(name: str) -> URIRef:
    """Expand a CURIE of the report prefixes."""
    prefix, local = name.split(":", 1)
    return URIRef(REPORT_PREFIXES[prefix] + local)


def _expected(case: Path) -> set[tuple[str, URIRef, URIRef]]:
    """Read the (severity, shape, focus node) triples an invalid case names."""
    return {(severity, _iri(shape), _iri(focus)) for severity, shape, focus in EXPECT.findall(case.read_text())}


#: The named graph that holds a mutated copy of the packaged data.
MUTATED = URIRef("urn:x-ember3kg-test:mutated")


def _mutated_dataset(case: Path) -> Dataset:
    """Apply the SPARQL Update of ``case`` to a copy of the packaged data, held in a new dataset."""
    dataset = new_dataset()
    graph = dataset.graph(MUTATED)
    graph += packaged_union()
    graph.update(case.read_text(encoding="utf-8"), initNs=dict(REPORT_PREFIXES))
    return dataset


def _mutated(case: Path) -> Graph:
    """Give the mutated copy of the packaged data (:func:`_mutated_dataset`) as a graph."""
    return _mutated_dataset(case).graph(MUTATED)


def _mutated_input(case: Path) -> RdfInput:
    """Wrap the mutated dataset as it is: ``RdfInput.from_rdflib`` copies a lone graph into a dataset, not a dataset."""
    return RdfInput.from_rdflib(_mutated_dataset(case))


@cache
def _packaged_report() -> ValidationReport:
    """Validate the unchanged packaged data once per session."""
    return validate(RdfInput.packaged())


@cache
def _baseline() -> set[tuple[str, URIRef, URIRef]]:
    """Give the results of the unchanged packaged data, which every case also gives (secondary-only warnings)."""
    return _triples(_packaged_report().results)


def _triples(results: Iterable[ValidationResult]) -> set[tuple[str, URIRef, URIRef]]:
    return {(result.severity, result.shape, result.focus) for result in results}


@cache
def _report(case: Path) -> ValidationReport:
    """Validate the mutation of ``case`` once per session."""
    return validate(_mutated_input(case))


@cache
def _second_report(case: Path) -> ValidationReport:
    """Validate the mutation of ``case`` again, from a new copy, to compare with :func:`_report`."""
    return validate(_mutated_input(case))


def _named_node_shapes() -> list[URIRef]:
    shapes = load_shapes()
    return sorted(node for node in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(node, URIRef))


def test_packaged_dataset_conforms_with_warnings_only_for_secondary_only_results() -> None:
    report = _packaged_report()
    secondary_only = {
        result.focus
        for result in report.results
        if (result.severity, result.shape) == ("Warning", _iri("ekgsh:SecondaryOnlyResultShape"))
    }
    sources = {str(row["result"]) for row in packaged_union().query(SECONDARY_ONLY_RESULTS)}

    assert report.conforms
    assert len(secondary_only) == len(report.results)
    assert {str(focus) for focus in secondary_only} == sources
    report.raise_for_failure()
    with pytest.raises(
        ValidationFailedError, match=r"^the data does not conform to the shapes: \d+ violations and warnings$"
    ):
        report.raise_for_failure(strict=True)


def case_params() -> list[pytest.ParameterSet]:
    """Parametrise over the invalid cases, each in its group (:func:`case_group`)."""
    return [
        pytest.param(case, id=case.stem, marks=pytest.mark.xdist_group(case_group(case))) for case in invalid_cases()
    ]


def _prepared_mutation(case: Path) -> tuple[Graph, set[URIRef]]:
    """Apply the SPARQL Update of ``case`` to a copy of the packaged data, then add the ontology (as :func:`validate`).

    :returns: that graph, and the IRIs in the triples the update added or removed.
    """
    data, packaged = _prepared_data(new_dataset(), Graph()), packaged_union()
    data += packaged
    data.update(case.read_text(encoding="utf-8"), initNs=dict(REPORT_PREFIXES))
    changed = {triple for triple in data if triple not in packaged} | {
        triple for triple in packaged if triple not in data
    }
    data += load_ontology()
    return data, {node for subject, _, value in changed for node in (subject, value) if isinstance(node, URIRef)}


#: How a shape selects its focus nodes in the data: sh:targetClass C (instances of C and its subclasses), ...
_TARGETS: dict[URIRef, Callable[[Graph, URIRef], set[Node]]] = {
    SH.targetClass: lambda data, cls: {
        node for sub in data.transitive_subjects(RDFS.subClassOf, cls) for node in data.subjects(RDF.type, sub)
    },
    SH.targetSubjectsOf: lambda data, predicate: set(data.subjects(predicate=predicate)),
    SH.targetObjectsOf: lambda data, predicate: set(data.objects(predicate=predicate)),
    SH.targetNode: lambda _, node: {node},
}


def _focused_results(data: Graph, focus: frozenset[URIRef]) -> list[ValidationResult]:
    """Validate ``data`` (:func:`_prepared_mutation`) with every shape, giving only the results on the nodes ``focus``.

    Each shape's targets are replaced by the nodes of ``focus`` that they select (``sh:targetNode``):
    a focus node is validated as in a whole run, and the others are not, in a fraction of its time.
    (pySHACL's own ``focus_nodes`` also skips the nested checks of other nodes, such as the values of an
    ``sh:or``, so it would miss results.)
    """
    from pyshacl import validate as shacl_validate

    shapes = Graph()
    shapes += _packaged_shapes()
    for predicate, select in _TARGETS.items():
        for shape, target in list(shapes.subject_objects(predicate)):
            shapes.remove((shape, predicate, target))
            for node in select(data, target) & focus:
                shapes.add((shape, SH.targetNode, node))
    _, results, _ = shacl_validate(data, shacl_graph=shapes, inference="none", allow_warnings=True, inplace=True)
    return [_result(node, results, data, shapes) for node in results.subjects(RDF.type, SH.ValidationResult)]


@dataclass(frozen=True)
class FocusedReport:
    """The results of an invalid case on its own nodes (:func:`_focused_report`)."""

    focus: frozenset[URIRef]
    results: tuple[ValidationResult, ...]


@cache
def _focused_report(case: Path) -> FocusedReport:
    """Validate the mutation of ``case`` on the nodes it touches and those it expects results on, once per session."""
    data, touched = _prepared_mutation(case)
    focus = frozenset(touched | {node for _, _, node in _expected(case)})
    return FocusedReport(focus, tuple(_focused_results(data, focus)))


@parametrize_on_collection("case", case_params)
def test_invalid_case_fires_exactly_the_expected_shapes_on_its_nodes(case: Path) -> None:
    report = _focused_report(case)

    assert _triples(report.results) - _baseline() == _expected(case)
    assert len(report.results) == len(set(report.results))


@parametrize_on_collection("case", case_params)
def test_every_message_names_its_focus_node(case: Path) -> None:
    for result in _focused_report(case).results:
        assert curie(str(result.focus)) in result.message, result.message


def neighbour_params() -> list[pytest.ParameterSet]:
    """Parametrise over the passing neighbours, each in the group of its failing twin (whose focus it reads)."""
    return [
        pytest.param(case, id=case.stem, marks=pytest.mark.xdist_group(case_group(SHAPES_DATA / "invalid" / case.name)))
        for case in valid_cases()
    ]


@parametrize_on_collection("case", neighbour_params)
def test_passing_neighbour_fires_nothing(case: Path) -> None:
    # Checked on the nodes where the edit or its failing twin can make a rule fire: the twin's
    # nodes (what it touches and where it expects results) and every node this edit touches.
    data, touched = _prepared_mutation(case)
    focus = frozenset(touched) | _focused_report(SHAPES_DATA / "invalid" / case.name).focus

    assert _triples(_focused_results(data, focus)) == {triple for triple in _baseline() if triple[2] in focus}


def test_every_invalid_case_has_a_passing_neighbour() -> None:
    assert [path.stem for path in invalid_cases()] == [path.stem for path in valid_cases()]


@parametrize_on_collection("shape", _named_node_shapes, ids=curie)
def test_every_shape_has_a_failing_case(shape: URIRef) -> None:
    fired = {expected_shape for case in invalid_cases() for _, expected_shape, _ in _expected(case)}

    assert shape in fired, f"no file in {SHAPES_DATA / 'invalid'} expects {curie(str(shape))}"


@parametrize_on_collection("shape", _named_node_shapes, ids=curie)
def test_every_shape_is_named_and_every_constraint_has_a_message(shape: URIRef) -> None:
    shapes = load_shapes()
    constraints = [shape, *shapes.objects(shape, SH.property), *shapes.objects(shape, SH.sparql)]
    unexplained = [node for node in constraints if (node, SH.message, None) not in shapes and node != shape]

    assert shapes.value(shape, SH.name) is not None
    assert not unexplained


#: Every constraint of the shapes -> its failing example: "generated", or the name of a file of invalid/.
CONSTRAINTS_TABLE = SHAPES_DATA / "constraints.tsv"


@cache
def failing_examples() -> dict[str, str]:
    """Read :data:`CONSTRAINTS_TABLE`."""
    rows = csv.DictReader(CONSTRAINTS_TABLE.open(encoding="utf-8"), delimiter="\t")
    return {row["constraint"]: row["failing example"] for row in rows}


@cache
def generated() -> dict[str, tuple[int, Mutation]]:
    """Map each constraint key to (batch number, the generated mutation that breaks it)."""
    return {
        mutation.constraint.key: (number, mutation) for number, batch in enumerate(mutations()) for mutation in batch
    }


@cache
def _batch_report(number: int) -> ValidationReport:
    """Apply one batch of generated mutations to a copy of the packaged data and validate it."""
    graph = Graph()
    graph += packaged_union()
    for mutation in mutations()[number]:
        for triple in mutation.removed:
            graph.remove(triple)
        for triple in mutation.added:
            graph.add(triple)
    return validate(RdfInput.from_rdflib(graph))


def _generated_results(constraint: Constraint, number: int, mutation: Mutation) -> list[tuple[str, str, str]]:
    fired = [
        result
        for result in _batch_report(number).results
        if result.focus == mutation.focus and constraint.fired_by(result)
    ]
    return sorted((result.severity, result.message, str(result.value)) for result in fired)


def _hand_written_case_fires(constraint: Constraint, case: Path) -> bool:
    """Tell whether ``case`` gives, among the results it expects, one of ``constraint``."""
    return any(
        constraint.fired_by(result) and (result.severity, result.shape, result.focus) in _expected(case)
        for result in _focused_report(case).results
    )


def test_every_constraint_of_the_shapes_is_listed_with_a_failing_example() -> None:
    enumerated = {constraint.key for constraint in constraints()}
    unlisted = sorted(enumerated - set(failing_examples()))
    gone = sorted(set(failing_examples()) - enumerated)

    assert (unlisted, gone) == ([], []), f"(not in {CONSTRAINTS_TABLE.name}, listed but not in the shapes)"


def _example_params() -> list[pytest.ParameterSet]:
    """Parametrise over the constraints; a worker of ``pytest -n`` takes all of one batch or one group of cases."""
    return [
        pytest.param(
            key,
            example,
            id=key,
            marks=pytest.mark.xdist_group(f"batch{generated()[key][0]}")
            if key in generated()
            else pytest.mark.xdist_group(case_group(SHAPES_DATA / "invalid" / f"{example}.ru")),
        )
        for key, example in failing_examples().items()
    ]


@parametrize_on_collection(("key", "example"), _example_params)
def test_every_constraint_bites(key: str, example: str) -> None:
    constraint = next((constraint for constraint in constraints() if constraint.key == key), None)
    assert constraint is not None, f"{key} is listed in {CONSTRAINTS_TABLE} but is not in the shapes"

    if example == "generated":
        assert key in generated(), f"no mutation of tests/shape_constraints.py breaks {key}"
        number, mutation = generated()[key]
        expected = sorted((constraint.severity, mutation.expected_message(), str(value)) for value in mutation.values)
        assert _generated_results(constraint, number, mutation) == expected
    else:
        assert _hand_written_case_fires(constraint, SHAPES_DATA / "invalid" / f"{example}.ru")


def test_docs_list_every_shape() -> None:
    text = (Path(__file__).parents[1] / "docs" / "validation.md").read_text(encoding="utf-8")
    rows = [line.split("|")[1] for line in text.splitlines() if line.startswith("| `")]
    documented = [name for row in rows for name in re.findall(r"`(\w+Shape)`", row)]
    named = [str(shape).removeprefix(REPORT_PREFIXES["ekgsh"]) for shape in _named_node_shapes()]

    assert sorted(documented) == sorted(named)


@pytest.mark.xdist_group(case_group(SHAPES_DATA / "invalid" / "confidence-interval-limits-swapped.ru"))
def test_turtle_report_parses_and_lists_the_results() -> None:
    report = _report(SHAPES_DATA / "invalid" / "confidence-interval-limits-swapped.ru")
    graph = Graph().parse(data=report.to_turtle(), format="turtle")

    focus_nodes = set(graph.objects(None, SH.focusNode))
    assert focus_nodes == {result.focus for result in report.results}
    assert (None, SH.conforms, None) in graph
    assert len(set(graph.subjects(RDF.type, SH.ValidationResult))) == len(report.results)
    assert set(graph.objects(None, SH.resultPath)) >= {_iri("ekg:lowerLimit")}


@pytest.mark.xdist_group(case_group(SHAPES_DATA / "invalid" / "hazard-ratio-zero.ru"))
def test_json_report_loads_with_counts_and_results() -> None:
    report = _report(SHAPES_DATA / "invalid" / "hazard-ratio-zero.ru")
    document = json.loads(report.to_json())

    assert document["conforms"] is False
    assert document["counts"] == {"Violation": 2, "Warning": len(_baseline()), "Info": 0}
    assert {item["shape"] for item in document["results"] if item["severity"] == "Violation"} == {
        str(_iri("ekgsh:HazardRatioShape")),
        str(_iri("ekgsh:LowerLimitNotAboveEstimateShape")),
    }


@pytest.mark.xdist_group(case_group(SHAPES_DATA / "invalid" / "hazard-ratio-zero.ru"))
def test_text_report_groups_results_by_shape_and_counts_them() -> None:
    text = _report(SHAPES_DATA / "invalid" / "hazard-ratio-zero.ru").format_text()

    assert "ekgsh:HazardRatioShape (hazard ratio): 1 result" in text
    assert "ekgsh:LowerLimitNotAboveEstimateShape" in text
    assert text.endswith(f"does not conform: 2 violations, {len(_baseline())} warnings, 0 infos\n")


@pytest.mark.xdist_group(case_group(WARNING_ONLY))
def test_warnings_alone_conform_unless_strict() -> None:
    report = _report(WARNING_ONLY)

    assert report.conforms
    report.raise_for_failure()
    with pytest.raises(
        ValidationFailedError, match=r"^the data does not conform to the shapes: \d+ violations and warnings$"
    ):
        report.raise_for_failure(strict=True)


#: A case whose report has a SPARQL message and a result path, validated twice.
DETERMINISM_CASE = SHAPES_DATA / "invalid" / "comparison-population-of-another-trial.ru"


@pytest.mark.xdist_group(case_group(DETERMINISM_CASE))
@pytest.mark.parametrize("format_name", list(REPORT_FORMATS))
def test_report_formats_are_deterministic(format_name: str) -> None:
    render = REPORT_FORMATS[format_name]

    assert render(_second_report(DETERMINISM_CASE)) == render(_report(DETERMINISM_CASE))


# --- the command line -------------------------------------------------------


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Export the packaged dataset with ``ember3kg export --format ttl``."""
    path = tmp_path_factory.mktemp("export") / "ember3kg.ttl"
    assert run_cli("export", "--format", "ttl", "--output", str(path)).returncode == 0
    return path.read_text(encoding="utf-8")


def _hand_edit(text: str, edit: dict[str, str]) -> str:
    """Apply one edit of hand-edits.tsv inside the block of its node."""
    start = text.index(f"\n{edit['node']} a ") + 1
    end = text.index("\n\n", start)
    block = text[start:end]
    assert edit["find"] in block, f"{edit['find']!r} not in the block of {edit['node']}"
    return text[:start] + block.replace(edit["find"], edit["replace"], 1) + text[end:]


@pytest.mark.slow
def test_cli_validates_the_packaged_dataset() -> None:
    completed = run_cli("validate")

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.decode().endswith(f"conforms: 0 violations, {len(_baseline())} warnings, 0 infos\n")


@pytest.mark.slow
@parametrize_on_collection("edit", hand_edits, ids=lambda edit: f"{edit['node']}:{edit['find']}")
def test_cli_rejects_a_hand_edited_export(edit: dict[str, str], exported: str, tmp_path: Path) -> None:
    path = tmp_path / "edited.ttl"
    path.write_text(_hand_edit(exported, edit), encoding="utf-8")

    completed = run_cli("validate", "--format", "json", str(path))

    assert completed.returncode == 1, completed.stderr
    results = json.loads(completed.stdout)["results"]
    assert (str(_iri(edit["shape"])), str(_iri(edit["node"]))) in {(item["shape"], item["focus"]) for item in results}
    assert any(edit["node"] in item["message"] for item in results)


@pytest.mark.slow
def test_cli_exports_that_are_not_edited_conform(exported: str, tmp_path: Path) -> None:
    path = tmp_path / "ember3kg.ttl"
    path.write_text(exported, encoding="utf-8")

    assert run_cli("validate", str(path)).returncode == 0


@pytest.mark.slow
@pytest.mark.parametrize(("strict", "exit_code"), [((), 0), (("--strict",), 1)], ids=["default", "strict"])
def test_cli_fails_on_warnings_only_when_strict(strict: tuple[str, ...], exit_code: int, tmp_path: Path) -> None:
    path = tmp_path / "warning.nt"
    _mutated(WARNING_ONLY).serialize(path, format="nt", encoding="utf-8")

    completed = run_cli("validate", *strict, str(path))

    assert completed.returncode == exit_code
    assert "ekgsh:PValueAgreesWithConfidenceIntervalShape" in completed.stdout.decode()


@pytest.mark.slow
def test_cli_turtle_report_is_the_same_whatever_the_hash_seed(tmp_path: Path) -> None:
    path = tmp_path / "broken.nt"
    _mutated(SHAPES_DATA / "invalid" / "comparison-population-of-another-trial.ru").serialize(
        path, format="nt", encoding="utf-8"
    )

    runs = [run_cli("validate", "--format", "turtle", str(path), hash_seed=seed) for seed in ("1", "2")]

    assert [run.returncode for run in runs] == [1, 1]
    assert runs[0].stdout == runs[1].stdout
    Graph().parse(data=runs[0].stdout, format="turtle")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.ttl", None, "missing.ttl: no such file"),
        ("broken.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c\nex:d ex:e ex:f .\n", "broken.ttl:3:"),
    ],
    ids=["missing", "unparseable"],
)
def test_cli_input_errors_exit_2_with_one_line(name: str, content: str | None, message: str, tmp_path: Path) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")

    completed = run_cli("validate", str(path))

    assert completed.returncode == 2
    assert completed.stdout == b""
    lines = completed.stderr.decode().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ") and message in lines[0]
