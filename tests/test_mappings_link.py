"""``ember3kg link``: mappings checked against small ontology fixtures in OBO, OWL, N-Triples and SKOS/Turtle."""

from __future__ import annotations

import csv
import tracemalloc
from pathlib import Path

import pytest

from conftest import DATA, run_cli
from ember3kg.errors import InputError
from ember3kg.links.mappings import packaged_mapping_set
from ember3kg.links.release_check import Status, check_links

LINK = DATA / "link"
EXPECTED: dict[str, dict[str, str]] = {}
for _row in csv.DictReader((LINK / "expected.tsv").open(encoding="utf-8"), delimiter="\t"):
    EXPECTED.setdefault(_row["file"], {})[_row["object_id"]] = _row["status"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_link_reports_each_mapped_term_of_the_fixture(name: str) -> None:
    report = check_links(packaged_mapping_set(), LINK / name)

    assert {result.mapping.object_id: result.status.value for result in report.results} == EXPECTED[name]


def test_rdfxml_labels_written_as_attributes_are_read(tmp_path: Path) -> None:
    ontology = tmp_path / "attributes.owl"
    ontology.write_text(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#" xmlns:owl="http://www.w3.org/2002/07/owl#">'
        '<owl:Class rdf:about="http://purl.obolibrary.org/obo/CHEBI_31638" rdfs:label="fulvestrant"/>'
        "</rdf:RDF>",
        encoding="utf-8",
    )

    report = check_links(packaged_mapping_set(), ontology, ["CHEBI"])

    statuses = {result.mapping.object_id: result.status for result in report.results}
    assert statuses["CHEBI:31638"] is Status.OK


@pytest.mark.parametrize("name", ["mini.obo", "mini.owl"])
def test_a_relabelled_term_is_reported_with_both_labels(name: str) -> None:
    report = check_links(packaged_mapping_set(), LINK / name)
    [relabelled] = [result for result in report.results if result.status is Status.RELABELLED]

    assert relabelled.detail == "mapping says 'Breast Carcinoma', file says 'Carcinoma of the Breast'"


def test_prefix_option_restricts_the_check() -> None:
    report = check_links(packaged_mapping_set(), LINK / "mini.obo", ["CHEBI"])

    assert report.prefixes == ("CHEBI",)
    assert {result.mapping.object_id for result in report.results} == {"CHEBI:31638", "CHEBI:4953"}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("unrelated.obo", "unrelated.obo: no mapping points into it"),
        ("broken.owl", "broken.owl: not valid RDF"),
        ("expected.tsv", "expected.tsv: unknown ontology format '.tsv'"),
        ("absent.obo", "absent.obo: no such file"),
    ],
)
def test_bad_ontology_input_is_an_input_error(name: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        check_links(packaged_mapping_set(), LINK / name)

    assert str(caught.value).startswith(str(LINK / message.split(":", 1)[0]) + ":" + message.split(":", 1)[1])


@pytest.mark.slow
@pytest.mark.parametrize(("name", "code"), [("mini.owl", 1), ("mesh-mini.ttl", 0), ("unrelated.obo", 2)])
def test_cli_link_exit_code(name: str, code: int) -> None:
    result = run_cli("link", "--ontology", str(LINK / name))

    assert result.returncode == code


@pytest.mark.slow
def test_cli_link_prints_one_line_per_mapping_in_file_order_and_a_summary() -> None:
    result = run_cli("link", "--ontology", str(LINK / "mini.obo"))
    lines = result.stdout.decode().splitlines()

    assert [line.split()[:2] for line in lines[:-1]] == [
        ["relabelled", "NCIT:C4872"],
        ["obsolete", "NCIT:C97660"],
        ["missing", "CHEBI:4953"],
        ["ok", "CHEBI:31638"],
    ]
    summary = "checked 4 mapping(s) into CHEBI, NCIT: 1 ok, 1 missing, 1 obsolete, 1 relabelled"
    assert lines[-1] == f"{LINK / 'mini.obo'}: {summary}"


def _write_obo(path: Path, terms: int) -> Path:
    """Write an OBO file of ``terms`` generated terms plus fulvestrant (CHEBI:31638)."""
    with path.open("w", encoding="utf-8") as out:
        out.write("format-version: 1.2\n")
        for number in range(terms):
            out.write(f"\n[Term]\nid: CHEBI:{number + 1_000_000}\nname: generated test term {number}\n")
        out.write("\n[Term]\nid: CHEBI:31638\nname: fulvestrant\n")
    return path


def _peak_memory_of_checking(path: Path) -> tuple[int, dict[str, str]]:
    """Check the packaged mappings against ``path``: peak bytes allocated meanwhile, and the statuses."""
    mappings = packaged_mapping_set()  # loaded before measuring: only the reading of the file counts
    tracemalloc.start()
    try:
        report = check_links(mappings, path, ["CHEBI"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, {result.mapping.object_id: result.status.value for result in report.results}


def test_obo_reader_streams_a_large_file_in_constant_memory(tmp_path: Path) -> None:
    small_peak, small_statuses = _peak_memory_of_checking(_write_obo(tmp_path / "small.obo", 2_000))
    large_peak, large_statuses = _peak_memory_of_checking(_write_obo(tmp_path / "large.obo", 20_000))

    assert small_statuses == large_statuses == {"CHEBI:31638": "ok", "CHEBI:4953": "missing"}
    # Ten times the terms: a reader that kept them would need about ten times the memory.
    assert large_peak < 2 * small_peak, f"peak {large_peak} bytes for 20,000 terms, {small_peak} for 2,000"
