"""Every format round-trips, and building twice gives byte-identical files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from conftest import DATA, curie, run_cli
from ember3kg.io.inputs import RdfInput
from ember3kg.publish.dataset import union_graph
from ember3kg.publish.export import FORMATS, OUTPUT_STEM, serialize
from ember3kg.vocab.namespaces import PREFIXES

FORMAT_NAMES = list(FORMATS)
QUAD_FORMATS = [name for name, spec in FORMATS.items() if spec.quads]
TRIPLE_FORMATS = [name for name, spec in FORMATS.items() if not spec.quads]


def _named_graphs(dataset: Dataset) -> dict[str, Graph]:
    """Non-empty graphs of ``dataset`` by graph IRI."""
    return {str(context.identifier): context for context in dataset.graphs() if len(context)}


@pytest.mark.parametrize("format_name", TRIPLE_FORMATS)
def test_triple_format_round_trips_the_union(format_name: str, dataset: Dataset, union: Graph) -> None:
    data = serialize(dataset, format_name)

    parsed = Graph().parse(data=data, format=FORMATS[format_name].parser)

    assert isomorphic(parsed, union)


@pytest.mark.parametrize("format_name", QUAD_FORMATS)
def test_quad_format_round_trips_each_named_graph(format_name: str, dataset: Dataset) -> None:
    data = serialize(dataset, format_name)

    parsed = _named_graphs(Dataset().parse(data=data, format=FORMATS[format_name].parser))
    expected = _named_graphs(dataset)

    assert sorted(parsed) == sorted(expected)
    for iri, graph in expected.items():
        assert isomorphic(parsed[iri], graph), f"graph {curie(iri)} differs after the round trip"


@pytest.mark.parametrize("format_name", [name for name, spec in FORMATS.items() if spec.line_based])
def test_line_based_formats_are_sorted(format_name: str, dataset: Dataset) -> None:
    lines = serialize(dataset, format_name).splitlines()

    assert lines == sorted(lines)


def test_jsonld_context_is_the_project_prefixes(dataset: Dataset) -> None:
    document = json.loads(serialize(dataset, "jsonld"))

    assert document["@context"] == dict(PREFIXES)


def test_blank_node_labels_are_the_same_on_every_load() -> None:
    path = DATA / "blank-nodes.ttl"

    first, second = (serialize(RdfInput.read([path]).dataset(), "nt") for _ in range(2))

    assert first == second
    assert b"_:blank-nodes-b1 " in first


@pytest.fixture(scope="session")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Build the dataset twice, in two processes with different hash seeds."""
    first, second = tmp_path_factory.mktemp("build1"), tmp_path_factory.mktemp("build2")
    for directory, seed in ((first, "1"), (second, "2")):
        result = run_cli("build", "--output-dir", str(directory), hash_seed=seed)
        assert result.returncode == 0, result.stderr.decode()
    return first, second


@pytest.mark.slow
@pytest.mark.parametrize("format_name", FORMAT_NAMES)
def test_build_is_deterministic(format_name: str, two_builds: tuple[Path, Path]) -> None:
    name = f"{OUTPUT_STEM}{FORMATS[format_name].suffix}"
    first, second = (directory / name for directory in two_builds)

    assert first.read_bytes() == second.read_bytes(), f"{name} differs between two builds"


@pytest.mark.slow
def test_every_built_file_is_identical_in_both_builds(two_builds: tuple[Path, Path]) -> None:
    first, second = ({path.name: path.read_bytes() for path in directory.iterdir()} for directory in two_builds)

    assert sorted(first) == sorted(second)
    assert [name for name in sorted(first) if first[name] != second[name]] == []


@pytest.mark.slow
def test_build_writes_one_file_per_format(two_builds: tuple[Path, Path]) -> None:
    names = {path.name for path in two_builds[0].iterdir()}

    assert {f"{OUTPUT_STEM}{spec.suffix}" for spec in FORMATS.values()} <= names


def test_build_returns_the_files_it_wrote_formats_first(packaged_build: list[Path]) -> None:
    written = packaged_build

    assert [path.suffix for path in written[: len(FORMATS)]] == [spec.suffix for spec in FORMATS.values()]
    assert all(path.stat().st_size > 0 for path in written)


def test_union_of_quads_equals_the_triple_export(dataset: Dataset) -> None:
    quads = Dataset().parse(data=serialize(dataset, "nq"), format="nquads")
    triples = Graph().parse(data=serialize(dataset, "nt"), format="nt")

    assert isomorphic(union_graph(quads), triples)
