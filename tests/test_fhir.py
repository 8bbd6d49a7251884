"""The FHIR R5 export: every resource validates, every code is in its value set, nothing is lost or invented."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDFS, Dataset, Graph, URIRef

from conftest import DATA, curie, packaged_union, parametrize_on_collection, run_cli, with_fixture
from ember3kg.errors import DataError
from ember3kg.evidence.fhir import (
    EXTENSIONS,
    FHIR_BASE,
    OWN_SYSTEM,
    codings,
    mapping_rows,
    resource_id,
    validate_bundle,
)
from ember3kg.io.serializers import canonical_json
from ember3kg.links.mappings import packaged_mapping_set
from ember3kg.publish.dataset import load_part, new_dataset
from ember3kg.publish.export import serialize
from ember3kg.publish.stats import result_kinds
from ember3kg.vocab.identifiers import expand
from ember3kg.vocab.namespaces import EKG, KG

# With pytest -n N --dist loadgroup, one worker runs the module: its module fixtures are made once.
pytestmark = pytest.mark.xdist_group("fhir")

FIXTURES = DATA / "fhir"


@cache
def code_systems() -> dict[str, list[str]]:
    """Read the code systems the export claims, with their codes (see the file's ``_source``)."""
    systems = json.loads((FIXTURES / "code-systems.json").read_text(encoding="utf-8"))["systems"]
    return {system: entry["codes"] for system, entry in systems.items()}


UCUM = "http://unitsofmeasure.org"
#: The parts that make up the EMBER-3 bundle of the golden file (later trials live in parts of their own).
EMBER3_PARTS = ("ontology", "sources", "endpoints", "ember3-design", "ember3-results", "mappings")

#: Every statistical result of the graph, with what the round trip compares (independent of queries/fhir/).
RESULTS_QUERY = """
SELECT DISTINCT ?result ?value ?level ?lower ?upper ?p ?comparator ?doi WHERE {
  ?result a/rdfs:subClassOf* ekg:StatisticalResult .
  OPTIONAL { ?result ekg:value ?value }
  OPTIONAL { ?result ekg:hasConfidenceInterval ?ci .
             OPTIONAL { ?ci ekg:confidenceLevel ?level } OPTIONAL { ?ci ekg:lowerLimit ?lower }
             OPTIONAL { ?ci ekg:upperLimit ?upper } }
  OPTIONAL { ?result ekg:hasPValue ?pv . ?pv ekg:value ?p . OPTIONAL { ?pv ekg:comparator ?comparator } }
  OPTIONAL { ?result prov:wasDerivedFrom ?document .
             OPTIONAL { ?document ekg:reproduces ?article }
             BIND (COALESCE(?article, ?document) AS ?work)
             ?work bibo:doi ?doi . }
}
"""
NAMESPACES = {
    "ekg": EKG,
    "rdfs": RDFS,
    "prov": URIRef("http://www.w3.org/ns/prov#"),
    "bibo": "http://purl.org/ontology/bibo/",
}


@cache
def results() -> list[Any]:
    """Query every statistical result of the packaged data once (:data:`RESULTS_QUERY`), sorted by IRI."""
    return sorted(packaged_union().query(RESULTS_QUERY, initNs=NAMESPACES), key=lambda row: str(row.result))


def _result_id(row: Any) -> str:
    return curie(str(row.result))


def _load(data: bytes) -> dict[str, Any]:
    """Parse the written bundle keeping every number's lexical form (Decimal for decimals)."""
    return json.loads(data, parse_float=Decimal)


@pytest.fixture(scope="module")
def written(dataset: Dataset) -> bytes:
    """Write the bundle of the packaged dataset as ``export --format fhir`` does."""
    return serialize(dataset, "fhir")


@pytest.fixture(scope="module")
def bundle(written: bytes) -> dict[str, Any]:
    """Parse the written bundle."""
    return _load(written)


@pytest.fixture(scope="module")
def resources(bundle: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """(resource type, id) -> resource."""
    return {
        (entry["resource"]["resourceType"], entry["resource"]["id"]): entry["resource"] for entry in bundle["entry"]
    }


def _codings(value: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (path, coding) for every Coding (a dict with system and code) anywhere in ``value``."""
    if isinstance(value, dict):
        if "system" in value and "code" in value:
            yield path, value
        for key, item in value.items():
            yield from _codings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for item in value:
            yield from _codings(item, path)


def _evidence_of(resources: dict[tuple[str, str], dict[str, Any]], result: str) -> dict[str, Any]:
    return resources[("Evidence", resource_id(result))]


# --- Validation -------------------------------------------------------------------------


def test_every_resource_and_the_bundle_validate_with_the_r5_models(bundle: dict[str, Any]) -> None:
    counts = validate_bundle(bundle)

    assert counts["Bundle"] == 1
    assert sum(counts.values()) == len(bundle["entry"]) + 1


def test_every_coding_is_in_the_code_system_it_claims(bundle: dict[str, Any], union: Graph) -> None:
    unknown = []
    for path, coding in _codings(bundle):
        system, code = coding["system"], coding["code"]
        if system in code_systems():
            known = code in code_systems()[system]
        elif system == OWN_SYSTEM:
            known = (EKG[code], RDFS.label, None) in union
        else:
            known = system == UCUM and code in {row.code for row in mapping_rows() if row.system == UCUM}
        if not known:
            unknown.append(f"{path}: {system}|{code}")
    assert unknown == []


def test_plain_codes_are_in_their_value_sets(bundle: dict[str, Any]) -> None:
    core = "http://hl7.org/fhir/"
    checks = [(bundle["type"], "bundle-type")]
    for entry in bundle["entry"]:
        resource = entry["resource"]
        checks += [
            (resource[key], name)
            for key, name in (
                ("status", "publication-status"),
                ("type", "group-type"),
                ("membership", "group-membership-basis"),
            )
            if key in resource
        ]
        checks += [(artifact["type"], "related-artifact-type") for artifact in resource.get("relatedArtifact", [])]
        for statistic in resource.get("statistic", []):
            quantities = [estimate.get("quantity", {}) for estimate in statistic.get("attributeEstimate", [])]
            checks += [(q["comparator"], "quantity-comparator") for q in quantities if "comparator" in q]

    assert [(code, name) for code, name in checks if code not in code_systems()[core + name]] == []


def test_variable_roles_and_statistic_types_use_their_bound_code_systems(bundle: dict[str, Any]) -> None:
    for entry in bundle["entry"]:
        resource = entry["resource"]
        for variable in resource.get("variableDefinition", []):
            assert [c["system"] for c in variable["variableRole"]["coding"]] == [
                "http://terminology.hl7.org/CodeSystem/variable-role"
            ]
        for statistic in resource.get("statistic", []):
            assert statistic["statisticType"]["coding"][-1]["system"] == OWN_SYSTEM


def test_every_extension_is_one_the_export_defines(bundle: dict[str, Any]) -> None:
    def urls(value: Any) -> Iterator[str]:
        if isinstance(value, dict):
            yield from (item["url"] for item in value.get("extension", []))
            for item in value.values():
                yield from urls(item)
        elif isinstance(value, list):
            for item in value:
                yield from urls(item)

    assert {url.removeprefix(f"{FHIR_BASE}StructureDefinition/") for url in urls(bundle)} <= set(EXTENSIONS)


# --- Round trip -------------------------------------------------------------------------


def test_one_evidence_per_statistical_result(resources: dict[tuple[str, str], dict[str, Any]]) -> None:
    evidence = {resource["url"] for (kind, _), resource in resources.items() if kind == "Evidence"}

    assert evidence == {str(row.result) for row in results()}
    assert len(evidence) == len(results())


@parametrize_on_collection("row", results, ids=_result_id)
def test_evidence_carries_the_result_as_printed(row: Any, resources: dict[tuple[str, str], dict[str, Any]]) -> None:
    evidence = _evidence_of(resources, str(row.result))
    statistic = evidence["statistic"][0]
    estimates = {estimate["type"]["text"]: estimate for estimate in statistic.get("attributeEstimate", [])}

    assert str(statistic["quantity"].get("value", "")) == str(row.value or "")
    interval = estimates.get("confidence interval", {})
    assert str(interval.get("level", "")) == str(row.level or "")
    assert str(interval.get("range", {}).get("low", {}).get("value", "")) == str(row.lower or "")
    assert str(interval.get("range", {}).get("high", {}).get("value", "")) == str(row.upper or "")
    p_value = estimates.get("p-value", {}).get("quantity", {})
    assert str(p_value.get("value", "")) == str(row.p or "")
    assert p_value.get("comparator", "=") == str(row.comparator or "=")


@parametrize_on_collection("row", results, ids=_result_id)
def test_evidence_cites_a_citation_with_the_same_doi(
    row: Any, resources: dict[tuple[str, str], dict[str, Any]]
) -> None:
    evidence = _evidence_of(resources, str(row.result))
    cited = [artifact["resourceReference"]["reference"].split("/") for artifact in evidence["relatedArtifact"]]
    dois = {
        identifier["value"]
        for kind, rid in cited
        for identifier in resources[(kind, rid)].get("citedArtifact", {}).get("identifier", [])
        if identifier.get("system") == "https://doi.org"
    }

    assert cited
    assert dois == ({str(row.doi)} if row.doi is not None else set())


def test_every_reference_resolves_inside_the_bundle(bundle: dict[str, Any], resources: dict) -> None:
    references = [value["reference"] for _, value in _references(bundle)]

    assert [ref for ref in references if tuple(ref.split("/")) not in resources] == []
    assert {f"{kind}/{rid}" for kind, rid in resources if kind != "Evidence"} == set(references)


def _references(value: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield every Reference (a dict with ``reference``) in ``value``."""
    if isinstance(value, dict):
        if "reference" in value:
            yield "", value
        for item in value.values():
            yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


# --- The acceptance example -------------------------------------------------------------


def test_the_ember3_all_patient_pfs_hazard_ratio(resources: dict[tuple[str, str], dict[str, Any]]) -> None:
    evidence = _evidence_of(resources, str(KG["ember3-result-pfs-hr-all"]))
    statistic = evidence["statistic"][0]
    interval, p_value = statistic["attributeEstimate"]
    roles = {
        variable["variableRole"]["coding"][0]["code"]: variable["observed"]["reference"]
        for variable in evidence["variableDefinition"]
    }
    citation = resources[("Citation", "jhaveri-2025-nejm")]

    assert statistic["statisticType"]["coding"][0] == {
        "system": "https://fevir.net/sevco",
        "code": "STATO:0000677",
        "display": "hazard ratio",
    }
    assert str(statistic["quantity"]["value"]) == "0.87"
    assert (
        str(interval["level"]),
        str(interval["range"]["low"]["value"]),
        str(interval["range"]["high"]["value"]),
    ) == ("0.95", "0.72", "1.04")
    assert str(p_value["quantity"]["value"]) == "0.12"
    assert "comparator" not in p_value["quantity"]
    assert roles == {
        "population": "Group/ember3-pop-all-randomized",
        "exposure": "Group/ember3-arm-imlunestrant",
        "referenceExposure": "Group/ember3-arm-standard-therapy",
        "measuredVariable": "EvidenceVariable/endpoint-investigator-assessed-pfs",
    }
    assert evidence["relatedArtifact"][0]["resourceReference"]["reference"] == "Citation/jhaveri-2025-nejm"
    assert {"system": "https://doi.org", "value": "10.1056/NEJMoa2410858"} in citation["citedArtifact"]["identifier"]


def test_decimals_keep_their_printed_precision(written: bytes) -> None:
    assert b'"value": 0.90\n' in written  # the upper limit of the ESR1-mutated CNS cause-specific hazard ratio


def test_results_without_a_sevco_code_carry_the_ontology_coding(bundle: dict[str, Any]) -> None:
    only_own = {
        statistic["statisticType"]["text"]
        for entry in bundle["entry"]
        for statistic in entry["resource"].get("statistic", [])
        if [coding["system"] for coding in statistic["statisticType"]["coding"]] == [OWN_SYSTEM]
    }

    assert {
        "restricted mean survival time",
        "difference in restricted mean survival time",
        "cumulative incidence",
        "cause-specific hazard ratio",
    } <= only_own


# --- What the graph has and FHIR has no element for ---------------------------------------


def test_not_reached_limits_cut_off_sidedness_and_nominal_p_are_carried() -> None:
    bundle = _load(serialize(with_fixture(FIXTURES / "not-reached.ttl").dataset(), "fhir"))
    evidence = next(
        entry["resource"] for entry in bundle["entry"] if entry["resource"]["id"] == "fhirtest-result-os-hr"
    )
    statistic = evidence["statistic"][0]
    interval, p_value = statistic["attributeEstimate"]
    extensions = {item["url"].rsplit("/", 1)[1]: item for item in evidence["extension"]}
    p_extensions = {item["url"].rsplit("/", 1)[1]: item for item in p_value["extension"]}

    assert "value" not in statistic["quantity"]
    assert statistic["quantity"]["extension"][0]["valueCoding"]["code"] == "NotReached"
    assert statistic["description"] == "not reached"
    assert "value" not in interval["range"]["high"]
    assert interval["range"]["high"]["extension"][0]["valueCoding"]["code"] == "NotEstimable"
    assert extensions["data-cutoff"]["valueDate"] == "2024-06-24"
    assert p_extensions["test-sidedness"]["valueCoding"]["code"] == "OneSided"
    assert p_extensions["nominal"]["valueBoolean"] is True


# --- Mapping table and SSSOM ----------------------------------------------------------------


@parametrize_on_collection("row", mapping_rows, ids=lambda row: f"{row.ours}-{row.code or 'none'}")
def test_every_mapped_term_is_declared_in_the_ontology(row: Any, union: Graph) -> None:
    if ":" in row.ours:
        assert (URIRef(expand(row.ours, "fhir_mapping.tsv")), RDFS.label, None) in union
    assert row.system in (*code_systems(), UCUM, "")


def test_every_result_kind_in_the_data_is_recorded_in_the_sssom_set(union: Graph) -> None:
    recorded = {
        row.subject for row in packaged_mapping_set().mappings if row.object_prefix in ("STATO", "fhirstat", "sssom")
    }
    kinds = {kind for found in result_kinds(union).values() for kind in found}

    assert sorted(curie(str(kind)) for kind in kinds - recorded) == []


def test_a_statistic_type_row_limited_to_a_unit_applies_only_there() -> None:
    assert [c["code"] for c in codings("ekg:PopulationDescriptor", "Evidence.statistic.statisticType", "unit:MO")] == [
        "STATO:0000574",
        "C28007",
    ]
    assert codings("ekg:PopulationDescriptor", "Evidence.statistic.statisticType", "unit:NUM") == []


# --- Determinism, golden file, command line ----------------------------------------------


def test_the_same_graph_gives_the_same_bytes(dataset: Dataset, written: bytes) -> None:
    assert serialize(dataset, "fhir") == written


def test_the_ember3_bundle_matches_the_golden_file() -> None:
    dataset = new_dataset()
    for name in EMBER3_PARTS:
        target = dataset.graph(load_part(name).identifier)
        target += load_part(name)

    assert canonical_json(serialize(dataset, "fhir")) == canonical_json((FIXTURES / "ember3-bundle.json").read_bytes())


@pytest.mark.slow
def test_cli_exports_the_bundle(tmp_path: Path, written: bytes) -> None:
    result = run_cli("export", "--format", "fhir", "--output", str(tmp_path / "bundle.json"))

    assert result.returncode == 0, result.stderr.decode()
    assert (tmp_path / "bundle.json").read_bytes() == written


def test_a_mapping_row_for_an_element_the_export_does_not_fill_is_a_data_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    table = tmp_path / "fhir_mapping.tsv"
    table.write_text(
        "ours\twhen_unit\telement\tsystem\tcode\tdisplay\n"
        "ekg:HazardRatio\t\tEvidence.statistic.sampleSize\thttp://example.org\tx\tX\n",
        encoding="utf-8",
    )
    monkeypatch.setattr("ember3kg.evidence.fhir.files", lambda package: tmp_path)
    mapping_rows.cache_clear()
    try:
        with pytest.raises(DataError) as raised:
            mapping_rows()
    finally:
        mapping_rows.cache_clear()

    assert str(raised.value) == (
        "fhir_mapping.tsv: unknown FHIR element Evidence.statistic.sampleSize; known: Evidence.statistic.statisticType,"
        " Evidence.statistic.attributeEstimate.type, Evidence.variableDefinition.variableRole, Quantity.code,"
        " Quantity.comparator"
    )
