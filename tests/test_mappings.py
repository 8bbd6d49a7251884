"""The SSSOM mapping set: validation, identifier hygiene, coverage, traps, RDF and term imports."""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib.resources import files
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Dataset, Graph, URIRef

from conftest import DATA, curie, packaged_union, parametrize_on_collection, run_cli
from ember3kg.errors import InputError
from ember3kg.links.mappings import (
    Mapping,
    load_mapping_set,
    packaged_mapping_set,
    serialize_external_terms,
    validate_sssom,
)
from ember3kg.publish.dataset import load_part
from ember3kg.vocab.identifiers import prefix_entries, prefix_rows_from_bioregistry, read_prefix_rows
from ember3kg.vocab.namespaces import EKG, GRAPH, KG, OBO


@cache
def mappings() -> tuple[Mapping, ...]:
    """Give the rows of the packaged mapping set."""
    return tuple(packaged_mapping_set().mappings)


def found() -> list[Mapping]:
    """Give the rows that name an external term (the others record sssom:NoTermFound)."""
    return [row for row in mappings() if row.found]


def _mapping_id(row: Mapping) -> str:
    return f"line{row.line}-{row.object_id}"


def invalid_sets() -> list[Path]:
    """List the broken mapping sets of ``data/mappings/invalid/``."""
    return sorted((DATA / "mappings" / "invalid").glob("*.sssom.tsv"))


@cache
def traps() -> list[dict[str, str]]:
    """Read the known wrong targets (``data/mappings/traps.tsv``)."""
    return list(csv.DictReader((DATA / "mappings" / "traps.tsv").open(encoding="utf-8"), delimiter="\t"))


@cache
def sssom_rows() -> list[dict[str, str]]:
    """Read the data rows of the packaged SSSOM file as plain TSV (not through the library)."""
    text = files("ember3kg.graph").joinpath("mappings.sssom.tsv").read_text(encoding="utf-8")
    lines = (line for line in text.splitlines() if line and not line.startswith("#"))
    return list(csv.DictReader(lines, delimiter="\t"))


@cache
def unmapped() -> dict[str, str]:
    """Read entities of the linked classes with no confirmed identifier, and why (``data/mappings/unmapped.tsv``)."""
    rows = csv.DictReader((DATA / "mappings" / "unmapped.tsv").open(encoding="utf-8"), delimiter="\t")
    return {row["entity"]: row["why"] for row in rows}


@cache
def prefix_table() -> list[dict[str, str]]:
    """Read the packaged prefix table."""
    return read_prefix_rows(files("ember3kg.vocab").joinpath("prefixes.tsv").read_text(encoding="utf-8"))


#: Classes whose every instance (asserted or of a subclass) needs at least one external link.
LINKED_CLASSES = (EKG.Drug, EKG.Gene, EKG.Condition, EKG.JournalArticle, EKG.ClinicalTrial, EKG.CellLine)


@cache
def instances() -> list[tuple[str, str]]:
    """Give (class, entity) for every instance of :data:`LINKED_CLASSES` in the packaged data."""
    return sorted(
        {
            (str(cls), str(row.x))
            for cls in LINKED_CLASSES
            for row in packaged_union().query(
                "SELECT DISTINCT ?x WHERE { ?x a/rdfs:subClassOf* ?class }",
                initNs={"rdfs": RDFS},
                initBindings={"class": cls},
            )
        }
    )


def _instance_params() -> list[pytest.ParameterSet]:
    return [pytest.param(cls, entity, id=curie(entity)) for cls, entity in instances()]


def test_sssom_py_parses_validates_and_reads_the_same_mappings() -> None:
    ours = sorted((row.subject_id, row.predicate_id, row.object_id) for row in mappings())

    assert validate_sssom() == ours
    assert ours == sorted((row["subject_id"], row["predicate_id"], row["object_id"]) for row in sssom_rows())


@parametrize_on_collection("row", mappings, ids=_mapping_id)
def test_every_curie_matches_its_prefix_pattern(row: Mapping) -> None:
    for value in (row.subject_id, row.predicate_id, row.object_id, row.mapping_justification):
        prefix, _, local = value.partition(":")
        assert re.search(prefix_entries()[prefix].pattern, local), value


@parametrize_on_collection("row", mappings, ids=_mapping_id)
def test_every_mapping_carries_its_evidence(row: Mapping) -> None:
    assert row.mapping_justification == "semapv:ManualMappingCuration"
    assert len(row.comment.split()) >= 4


def test_curie_map_of_the_file_is_the_project_prefix_map() -> None:
    curie_map = packaged_mapping_set().metadata["curie_map"]

    assert curie_map == {prefix: prefix_entries()[prefix].uri_prefix for prefix in curie_map}


@parametrize_on_collection("row", prefix_table, ids=lambda row: row["prefix"])
def test_packaged_prefix_table_is_what_the_bioregistry_gives(row: dict[str, str]) -> None:
    assert prefix_rows_from_bioregistry([row["prefix"]]) == [row]


@parametrize_on_collection(("cls", "entity"), _instance_params)
def test_every_linked_entity_has_an_external_mapping_or_a_reason(cls: str, entity: str) -> None:
    mapped = any(str(row.subject) == entity for row in mappings())

    assert mapped != (curie(entity) in unmapped()), f"{curie(entity)} ({curie(cls)}): mapped and listed, or neither"


def test_every_entity_listed_as_unmapped_exists() -> None:
    assert set(unmapped()) <= {curie(entity) for _, entity in instances()}


@parametrize_on_collection("trap", traps, ids=lambda trap: f"{trap['subject_id']}-{trap['object_id']}")
def test_no_mapping_points_to_a_known_trap(trap: dict[str, str]) -> None:
    hits = [
        row for row in mappings() if row.object_id == trap["object_id"] and trap["subject_id"] in ("*", row.subject_id)
    ]

    assert hits == [], trap["why"]


@parametrize_on_collection("path", invalid_sets, ids=lambda path: path.name.removesuffix(".sssom.tsv"))
def test_a_bad_mapping_set_is_an_error_naming_file_and_line(path: Path) -> None:
    expected = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("## error: ")

    with pytest.raises(InputError) as caught:
        load_mapping_set(path)

    assert str(caught.value).startswith(f"{path}:{expected}")


@pytest.mark.slow
@parametrize_on_collection("path", lambda: invalid_sets()[:1], ids=lambda _: "bad-pattern")
def test_cli_reports_a_bad_mapping_set_in_one_line(path: Path) -> None:
    result = run_cli("mappings", "--sssom", str(path))

    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode().startswith(f"error: {path}:13: ")
    assert result.stderr.count(b"\n") == 1


def test_the_mappings_graph_holds_one_skos_triple_per_row(dataset: Dataset) -> None:
    graph = dataset.graph(GRAPH["mappings"])
    links = {(s, p, o) for s, p, o in graph if p != RDF.type}

    assert links == {(row.subject, row.predicate, row.object) for row in found()}
    assert (KG["drug-fulvestrant"], SKOS.exactMatch, OBO.CHEBI_31638) in graph
    assert set(graph.subjects(RDF.type, OWL.AnnotationProperty)) == {row.predicate for row in found()}


@pytest.mark.slow
def test_the_export_contains_the_skos_links(tmp_path: Path) -> None:
    result = run_cli("export", "--format", "nq", "--output", str(tmp_path / "all.nq"))
    exported = Dataset()
    exported.parse(tmp_path / "all.nq", format="nquads")

    assert result.returncode == 0
    assert (KG["drug-fulvestrant"], SKOS.exactMatch, OBO.CHEBI_31638, GRAPH["mappings"]) in exported


def test_committed_term_imports_are_what_the_mapping_set_generates() -> None:
    committed = files("ember3kg.ontology").joinpath("imports").joinpath("external-terms.ttl").read_bytes()

    assert committed == serialize_external_terms(packaged_mapping_set())


def test_term_imports_give_each_labelled_target_its_label_and_atc_parents() -> None:
    imports = load_part("external-terms")
    atc = "http://www.whocc.no/atc_ddd_index/?code="

    assert str(imports.value(OBO.CHEBI_31638, RDFS.label)) == "fulvestrant"
    assert (URIRef(atc + "L01EF03"), SKOS.broader, URIRef(atc + "L01EF")) in imports
    labelled = {row.object for row in mappings() if row.object_label}
    assert set(imports.subjects(RDFS.label, None)) == labelled


def test_no_external_term_is_punned_as_an_individual() -> None:
    union = packaged_union()
    classes = set(union.subjects(RDF.type, OWL.Class))
    typed_as_individual = {s for s, o in union.subject_objects(RDF.type) if o in classes and o != OWL.Class}

    assert {row.object for row in mappings()} & typed_as_individual == set()


@pytest.mark.slow
def test_cli_mappings_validates_writes_rdf_and_prints_the_table(tmp_path: Path) -> None:
    result = run_cli("mappings", "--output", str(tmp_path / "m.ttl"), "--imports", str(tmp_path / "t.ttl"))
    written = Graph().parse(tmp_path / "m.ttl")
    lines = result.stdout.decode().splitlines()

    assert result.returncode == 0
    found = [row for row in sssom_rows() if row["object_id"] != "sssom:NoTermFound"]
    # one triple per row that names a term, plus one declaration per predicate used
    assert len(written) == len(found) + len({row["predicate_id"] for row in found})
    assert (tmp_path / "t.ttl").read_bytes() == serialize_external_terms(packaged_mapping_set())
    assert lines[0].split() == ["subject", "predicate", "object", "object", "label"]
    assert len(lines) == 1 + len(sssom_rows()) + 2
    assert lines[-1].startswith(f"{len(sssom_rows())} mappings; by target: ")
