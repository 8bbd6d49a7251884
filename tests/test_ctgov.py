"""``ember3kg import ctgov``: ClinicalTrials.gov API v2 records in the model, every number traceable to its field.

The expected numbers are read from the fixture records themselves (tests/data/ctgov,
AACT's MIT-licensed fixtures), independently of the importer: every analysis and
every measurement must be in the graph as printed, stated at its JSON Pointer, and
every number of the graph must lead back, through its pointer, to the same text.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, XSD, Dataset, Graph, Literal, URIRef

from conftest import DATA, run_cli
from ember3kg import ctgov as ctgov_stage
from ember3kg.checks.validate import validate
from ember3kg.ctgov import GRAPH_IRI, ImportReport, import_records
from ember3kg.ctgov.mapping import FIELD_PROPERTIES, map_record, match_groups, stated_order
from ember3kg.ctgov.records import pointer, resolve
from ember3kg.errors import SkippedInputError
from ember3kg.evidence.fhir import fhir_bundle, validate_bundle
from ember3kg.io.formats import FORMATS
from ember3kg.io.inputs import RdfInput
from ember3kg.publish.dataset import load_dataset
from ember3kg.query import find_question, run_questions
from ember3kg.reasoning.entailment import with_entailment
from ember3kg.vocab.namespaces import EKG, KG

pytestmark = pytest.mark.xdist_group("ctgov")

FIXTURES = DATA / "ctgov"
#: The fixture records with results, by NCT number.
WITH_RESULTS = ("NCT00763412", "NCT02210780", "NCT02552212", "NCT05594173")
#: The lines the fixture folder gives for the documents it cannot import (sorted by file name).
FIXTURE_PROBLEMS = [
    f"{FIXTURES}/NCT00023673.json: /FullStudiesResponse: a legacy API version 1 response;"
    " only API version 2 study records are read",
    f"{FIXTURES}/NCT03453554.json: /resultsSection: missing: NCT03453554 has no posted results to import",
    f"{FIXTURES}/NCT04207047.json: /resultsSection: missing: NCT04207047 has no posted results to import",
]
MEASURES = ("resultsSection", "outcomeMeasuresModule", "outcomeMeasures")


def _record(nct: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{nct}.json").read_text(encoding="utf-8"))


def _analyses() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every analysis of the fixtures: (NCT number, pointer, the analysis as the record holds it)."""
    for nct in WITH_RESULTS:
        for i, measure in enumerate(_record(nct)["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]):
            for j, analysis in enumerate(measure.get("analyses", [])):
                yield nct, pointer(*MEASURES, i, "analyses", j), analysis


def _measurements() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every measurement of the fixtures: (NCT number, pointer, the measurement)."""
    for nct in WITH_RESULTS:
        for i, measure in enumerate(_record(nct)["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]):
            for c, klass in enumerate(measure.get("classes", [])):
                for k, category in enumerate(klass["categories"]):
                    for m, measurement in enumerate(category["measurements"]):
                        path = pointer(*MEASURES, i, "classes", c, "categories", k, "measurements", m)
                        yield nct, path, measurement


ANALYSES = list(_analyses())
MEASUREMENTS = list(_measurements())


@cache
def _imported() -> tuple[Graph, ImportReport]:
    """Import the fixture folder once into a Turtle file and read it back, with the import's report."""
    path = Path(tempfile.mkdtemp(prefix="ctgov-")) / "ctgov.ttl"
    report = import_records([FIXTURES], path, "ttl")
    return Graph().parse(path, format="turtle"), report


@pytest.fixture(scope="module")
def imported() -> Graph:
    """Give the fixture folder imported as Turtle, read back."""
    return _imported()[0]


def _merged(imported: Graph) -> Dataset:
    """Give the packaged dataset with the imported records in their named graph."""
    dataset = load_dataset()
    dataset.graph(GRAPH_IRI).__iadd__(imported)
    return dataset


def _stated_at(graph: Graph, nct: str, path: str) -> list[URIRef]:
    """Find the nodes stated at the field ``path`` of record ``nct``."""
    locations = [
        node
        for node in graph.subjects(EKG.jsonPointer, Literal(path))
        if graph.value(node, EKG.inDocument) == KG[f"ctgov-{nct.lower()}-record"]
    ]
    assert len(locations) == 1, f"{nct} {path}: no single location"
    return sorted(node for node in graph.subjects(EKG.statedIn, locations[0]) if isinstance(node, URIRef))


def test_the_fixtures_hold_19_analyses() -> None:
    assert len(ANALYSES) == 19


@pytest.mark.parametrize(("nct", "path", "analysis"), ANALYSES, ids=[f"{n}{p}" for n, p, _ in ANALYSES])
def test_every_analysis_is_imported_as_printed(imported: Graph, nct: str, path: str, analysis: dict[str, Any]) -> None:
    (result,) = _stated_at(imported, nct, f"{path}/paramValue")
    ci = imported.value(result, EKG.hasConfidenceInterval)
    p = imported.value(result, EKG.hasPValue)

    printed = {
        "paramValue": str(imported.value(result, EKG.value)),
        "ciLowerLimit": str(imported.value(ci, EKG.lowerLimit)),
        "ciUpperLimit": str(imported.value(ci, EKG.upperLimit)),
        "ciPctValue": Decimal(str(imported.value(ci, EKG.confidenceLevel))).scaleb(2),
        "pValue": f"{imported.value(p, EKG.comparator)}{imported.value(p, EKG.value)}",
    }
    assert printed == {name: Decimal(analysis[name]) if name == "ciPctValue" else analysis[name] for name in printed}
    assert _stated_at(imported, nct, f"{path}/ciLowerLimit") == [ci]
    assert _stated_at(imported, nct, f"{path}/pValue") == [p]
    assert imported.value(result, EKG.forComparison) in set(imported.subjects(RDF.type, EKG.Comparison))


@pytest.mark.parametrize(("nct", "path", "measurement"), MEASUREMENTS, ids=[f"{n}{p}" for n, p, _ in MEASUREMENTS])
def test_every_measurement_is_imported_as_printed(
    imported: Graph, nct: str, path: str, measurement: dict[str, Any]
) -> None:
    if measurement["value"] == "NA":  # not a number: named in a note (below), not imported
        document = KG[f"ctgov-{nct.lower()}-record"]
        assert (URIRef(f"{document}#{path}/value"), EKG.inDocument, document) not in imported
        return
    (result,) = _stated_at(imported, nct, f"{path}/value")
    value = imported.value(result, EKG.value)

    assert (str(value), value.datatype) == (  # type: ignore[union-attr]
        measurement["value"],
        XSD.decimal if "." in measurement["value"] else XSD.integer,
    )
    ci = imported.value(result, EKG.hasConfidenceInterval)
    if ci is not None:
        assert (str(imported.value(ci, EKG.lowerLimit)), str(imported.value(ci, EKG.upperLimit))) == (
            measurement["lowerLimit"],
            measurement["upperLimit"],
        )


def test_the_import_reports_what_it_skipped_and_notes_the_rest() -> None:
    report = _imported()[1]
    notes = [note.removeprefix(f"{FIXTURES}/") for note in report.notes]

    assert [str(problem) for problem in report.problems] == FIXTURE_PROBLEMS
    assert report.records == sorted(WITH_RESULTS)
    assert [note for note in notes if "not a number" in note] == [
        "NCT02552212.json: /resultsSection/outcomeMeasuresModule/outcomeMeasures/10/classes/0/categories/0"
        "/measurements/1/value: 'NA' is not a number; measurement not imported"
    ]
    assert len([note for note in notes if "states no direction" in note]) == 8
    with pytest.raises(SkippedInputError, match=r"^3 part\(s\) of the input skipped \(listed above\); 4 record"):
        report.raise_for_skipped()


def _numbers(graph: Graph) -> list[tuple[URIRef, URIRef, Literal]]:
    props = {prop for props in FIELD_PROPERTIES.values() for prop in props}
    return sorted(
        (s, p, o)
        for s, p, o in graph
        if p in props and isinstance(o, Literal) and isinstance(s, URIRef) and s.startswith(str(KG["ctgov-"]))
    )


def test_every_number_of_the_graph_leads_back_to_its_field(imported: Graph) -> None:
    unmatched = []
    for node, prop, value in _numbers(imported):
        fields = [
            (imported.value(location, EKG.inDocument), str(imported.value(location, EKG.jsonPointer)))
            for location in imported.objects(node, EKG.statedIn)
        ]
        fields = [(doc, path) for doc, path in fields if prop in FIELD_PROPERTIES.get(path.rsplit("/", 1)[-1], ())]
        if len(fields) != 1:
            unmatched.append((node, prop, "pointers", fields))
            continue
        document, path = fields[0]
        nct = str(imported.value(document, URIRef("http://purl.org/dc/terms/identifier")))
        if str(_printed(resolve(_record(nct), path), path)) != str(value):
            unmatched.append((node, prop, str(value), resolve(_record(nct), path)))

    assert unmatched == []
    assert len(_numbers(imported)) > 400


def _printed(field: Any, path: str) -> str:
    """Give the number the graph holds for a field, from the field's text alone."""
    name = path.rsplit("/", 1)[-1]
    if name == "ciPctValue":
        return str(Decimal(field).scaleb(-2))
    if name == "dispersionType":
        return str(Decimal(field.split("%")[0]).scaleb(-2))
    if name == "pValue":
        return field.lstrip("<>=")
    return str(field)


def test_records_are_keyed_on_their_nct_number_not_their_file_name(imported: Graph, tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "NCT02210780.json", tmp_path / "renamed.json")
    alone = tmp_path / "alone.ttl"

    import_records([tmp_path / "renamed.json"], alone).raise_for_skipped()

    renamed = Graph().parse(alone, format="turtle")
    assert set(renamed) <= set(imported)
    assert KG["ctgov-nct02210780"] in set(renamed.subjects(RDF.type, EKG.ClinicalTrial))


def test_the_import_validates_merged_with_the_packaged_dataset(imported: Graph) -> None:
    report = validate(RdfInput.from_rdflib(_merged(imported)))

    assert [result for result in report.results if result.severity == "Violation"] == []


def test_effect_estimates_question_lists_every_imported_analysis(imported: Graph) -> None:
    data = with_entailment(RdfInput.from_rdflib(_merged(imported)))

    (answer,) = run_questions([find_question("effect-estimates-with-ci-and-p")], data)

    rows = [row for row in answer.table() if row[0].startswith("NCT")]
    assert len(rows) == 19
    assert sorted(row[0].split(":")[0] for row in rows) == ["NCT02210780"] * 7 + ["NCT02552212"] * 12


def test_fhir_export_of_the_imported_analyses_validates(imported: Graph) -> None:
    bundle = fhir_bundle(_merged(imported))

    validate_bundle(bundle)
    evidence = {entry["resource"]["id"]: entry["resource"] for entry in bundle["entry"]}
    statistic = evidence["ctgov-nct02552212-om-27-an-0"]["statistic"][0]
    assert (statistic["quantity"]["value"], statistic["quantity"]["code"]) == (Decimal("0.484"), "1")
    assert [estimate.get("quantity") for estimate in statistic["attributeEstimate"]] == [
        None,
        {"value": Decimal("0.247")},
    ]
    imported_evidence = [
        key for key, value in evidence.items() if key.startswith("ctgov-") and value["resourceType"] == "Evidence"
    ]
    assert len(imported_evidence) == len(set(imported.subjects(EKG.inPopulation, None)))


def _without(nct: str, *path: str | int) -> str:
    """Give the text of a fixture record with the field at ``path`` removed."""
    record = _record(nct)
    parent = record
    for token in path[:-1]:
        parent = parent[token]
    del parent[path[-1]]
    return json.dumps(record)


#: Bad input: file name, content, the one line expected per problem (FILE is the file), records still imported.
BAD_INPUTS = [
    pytest.param(
        "truncated.json",
        (FIXTURES / "NCT02210780.json").read_text(encoding="utf-8")[:500],
        ["FILE: malformed JSON at line 13 column 24: Unterminated string starting at"],
        [],
        id="malformed-json",
    ),
    pytest.param("list.json", "[1]", ["FILE: /0: not a study record (a JSON object)"], [], id="not-an-object"),
    pytest.param(
        "no-nct.json",
        _without("NCT02210780", "protocolSection", "identificationModule", "nctId"),
        ["FILE: /protocolSection/identificationModule/nctId: missing or not an NCT number"],
        [],
        id="missing-nct-id",
    ),
    pytest.param(
        "no-value.json",
        _without("NCT02552212", *MEASURES, 27, "analyses", 0, "paramValue"),
        [
            "FILE: /resultsSection/outcomeMeasuresModule/outcomeMeasures/27/analyses/0/paramValue: missing;"
            " analysis not imported"
        ],
        ["NCT02552212"],
        id="missing-param-value",
    ),
    pytest.param(
        "no-measurement-value.json",
        _without("NCT02210780", *MEASURES, 0, "classes", 0, "categories", 0, "measurements", 1, "value"),
        [
            "FILE: /resultsSection/outcomeMeasuresModule/outcomeMeasures/0/classes/0/categories/0/measurements/1/value:"
            " missing"
        ],
        ["NCT02210780"],
        id="missing-measurement-value",
    ),
    pytest.param(
        "two-records.json",
        json.dumps([_record("NCT03453554"), _record("NCT00763412")]),
        ["FILE: /0/resultsSection: missing: NCT03453554 has no posted results to import"],
        ["NCT00763412"],
        id="array-with-a-stub",
    ),
]


@pytest.mark.parametrize(("name", "content", "lines", "records"), BAD_INPUTS)
def test_bad_input_gives_one_line_each_and_the_rest_is_imported(
    name: str, content: str, lines: list[str], records: list[str], tmp_path: Path
) -> None:
    source = tmp_path / name
    source.write_text(content, encoding="utf-8")

    report = import_records([source, FIXTURES / "NCT05594173.json"], tmp_path / "out.ttl")

    found = [str(problem).replace(str(source), "FILE") for problem in report.problems]
    assert found == lines
    assert report.records == [*records, "NCT05594173"]
    imported = Graph().parse(tmp_path / "out.ttl", format="turtle")
    assert {str(trial) for trial in imported.subjects(RDF.type, EKG.ClinicalTrial)} == {
        str(KG[f"ctgov-{nct.lower()}"]) for nct in report.records
    }


def test_a_missing_file_is_one_problem(tmp_path: Path) -> None:
    report = import_records([tmp_path / "absent.json"], tmp_path / "out.ttl")

    assert [str(problem) for problem in report.problems] == [
        f"{tmp_path}/absent.json: cannot read: No such file or directory"
    ]


def test_standard_input_is_read_as_one_document(tmp_path: Path) -> None:
    stdin = io.BytesIO((FIXTURES / "NCT00763412.json").read_bytes())

    report = import_records(["-"], tmp_path / "out.nt", "nt", stdin=stdin)

    assert report.records == ["NCT00763412"]
    assert (tmp_path / "out.nt").read_text(encoding="utf-8").count("\n") == report.triples


#: A measure's groups and the record's arm groups (NCT02552212), for the matching rules.
ARMS = _record("NCT02552212")["protocolSection"]["armsInterventionsModule"]["armGroups"]
MEASURE_GROUPS = [
    (measure, measure["groups"])
    for measure in _record("NCT02552212")["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]
]


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (0, {"OG000": 1, "OG001": 0}),  # "Placebo (FAS)" by title, "CZP 200 mg Q2W (FAS)" by description
        (3, {"OG000": 0}),  # OG000 is CZP here, OG001 "Placebo->OL CZP (SS)" matches no arm
        (28, {"OG000": 1, "OG001": 0}),  # five groups, three of them open-label periods of no arm
    ],
)
def test_groups_match_arms_by_the_record_s_definitions_not_by_position(index: int, expected: dict[str, int]) -> None:
    assert match_groups(MEASURE_GROUPS[index][1], ARMS) == expected


def test_an_arm_matched_by_two_groups_of_a_measure_is_matched_by_neither() -> None:
    groups = [{"id": "OG000", "title": "Placebo (FAS)"}, {"id": "OG001", "title": "Placebo (SS)"}]

    assert match_groups(groups, ARMS) == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Odds ratio: CZP/Placebo and p-value were calculated", False),  # second group named first
        ("Odds ratio: CZP/PBO and p-value were calculated", None),  # PBO names no group
        ("From an ANCOVA model including scores at Baseline", None),
        ("Placebo vs. CZP 200 mg Q2W", True),
        ("CZP vs Placebo; Placebo vs CZP", None),  # both orders: none
    ],
)
def test_a_direction_is_read_only_where_the_record_names_both_groups_in_order(text: str, expected: bool | None) -> None:
    first, second = MEASURE_GROUPS[0][1]  # OG000 "Placebo (FAS)", OG001 "CZP 200 mg Q2W (FAS)"

    assert stated_order([text], first, second) is expected


def test_a_stated_direction_makes_experimental_and_reference_arms(imported: Graph) -> None:
    directed = KG["ctgov-nct02552212-om-0-an-0-cmp"]
    undirected = KG["ctgov-nct02552212-om-27-an-0-cmp"]

    assert (imported.value(directed, EKG.experimentalArm), imported.value(directed, EKG.referenceArm)) == (
        KG["ctgov-nct02552212-arm-0"],
        KG["ctgov-nct02552212-arm-1"],
    )
    assert imported.value(undirected, EKG.experimentalArm) is None
    assert set(imported.objects(undirected, EKG.comparesGroup)) == {
        KG["ctgov-nct02552212-om-27-og000-pop"],
        KG["ctgov-nct02552212-om-27-og001-pop"],
    }


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_every_format_reads_back_with_the_same_triples(format_name: str, imported: Graph, tmp_path: Path) -> None:
    path = tmp_path / f"ctgov{FORMATS[format_name].suffix}"

    import_records([FIXTURES], path, format_name)

    data = RdfInput.read([path]).dataset()
    graphs = {graph.identifier for graph in data.graphs() if len(graph)}
    assert graphs == ({GRAPH_IRI} if FORMATS[format_name].quads else {URIRef(path.resolve().as_uri())})
    assert set(data.graph(next(iter(graphs)))) == set(imported)


def test_two_imports_write_the_same_bytes(tmp_path: Path) -> None:
    import_records([FIXTURES], tmp_path / "a.ttl")
    import_records([FIXTURES], tmp_path / "b.ttl")

    assert (tmp_path / "a.ttl").read_bytes() == (tmp_path / "b.ttl").read_bytes()


@pytest.mark.slow
def test_cli_imports_then_every_command_reads_the_output(tmp_path: Path) -> None:
    output = tmp_path / "ctgov.trig"
    packaged = tmp_path / "packaged.nq"
    assert run_cli("export", "--format", "nq", "--output", str(packaged)).returncode == 0

    imported = run_cli("import", "ctgov", str(FIXTURES), "--format", "trig", "--output", str(output))

    errors = [line for line in imported.stderr.decode().splitlines() if line.startswith("error: ")]
    assert imported.returncode == SkippedInputError.exit_code == 7
    assert errors == [f"error: {line}" for line in FIXTURE_PROBLEMS] + [
        "error: 3 part(s) of the input skipped (listed above); 4 record(s) imported"
    ]
    assert run_cli("validate", str(packaged), str(output)).returncode == 0
    answer = run_cli(
        "query", "effect-estimates-with-ci-and-p", "--data", str(packaged), "--data", str(output), "-f", "csv"
    )
    assert answer.returncode == 0
    assert [row[0][:11] for row in csv.reader(io.StringIO(answer.stdout.decode()))].count("NCT02552212") == 12
    fhir = run_cli("export", "--format", "fhir", "--output", str(tmp_path / "b.json"), str(packaged), str(output))
    assert fhir.returncode == 0


@pytest.mark.slow
def test_cli_exits_0_when_nothing_is_skipped_and_documents_the_code() -> None:
    imported = run_cli("import", "ctgov", str(FIXTURES / "NCT02210780.json"))
    helped = run_cli("import", "ctgov", "--help")

    assert (imported.returncode, imported.stdout.decode().startswith("@prefix")) == (0, True)
    assert "7 a document or part of a record was skipped" in " ".join(helped.stdout.decode().split())


def test_an_interrupted_import_leaves_no_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mapped = []

    def interrupted(record: Any) -> Any:
        if mapped:
            raise KeyboardInterrupt
        mapped.append(record)
        return map_record(record)

    monkeypatch.setattr(ctgov_stage, "map_record", interrupted)

    with pytest.raises(KeyboardInterrupt):
        import_records([FIXTURES], tmp_path / "out.ttl")
    assert (len(mapped), sorted(tmp_path.iterdir())) == (1, [])
