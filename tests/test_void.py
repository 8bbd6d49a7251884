"""The VoID/DCAT description written by ``ember3kg build``: its counts, checksums and metadata are the real ones."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib import namespace as ns

from conftest import curie, packaged_graph_names, parametrize_on_collection
from ember3kg import __version__
from ember3kg.publish.dataset import load_dataset
from ember3kg.publish.export import DESCRIPTION_SUFFIX, FORMATS, OUTPUT_STEM
from ember3kg.publish.void import VOID_GRAPH, dataset_iri, describe, write_description
from ember3kg.vocab import namespaces as ekg_ns

# With pytest -n N --dist loadgroup, one worker runs the module: its module fixtures are made once.
pytestmark = pytest.mark.xdist_group("void")


DUMPS = [f"{OUTPUT_STEM}{spec.suffix}" for spec in FORMATS.values()]
ROOT = dataset_iri()


@pytest.fixture(scope="module")
def built(packaged_build: list[Path]) -> Path:
    """Give the directory of the session's build of every file."""
    return packaged_build[0].parent


@pytest.fixture(scope="module")
def void(built: Path) -> Graph:
    """Parse the description as ``build`` wrote it."""
    return Graph().parse(built / f"{OUTPUT_STEM}{DESCRIPTION_SUFFIX}", format="turtle")


def _integer(graph: Graph, subject: URIRef, predicate: URIRef) -> int:
    """Read the single integer value of ``subject predicate``."""
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, f"{curie(str(subject))} has {len(values)} values of {curie(str(predicate))}"
    return int(values[0])


@parametrize_on_collection("graph", packaged_graph_names, ids=curie)
def test_each_named_graph_is_a_subset_with_its_triple_count(graph: str, void: Graph, dataset: Dataset) -> None:
    subset = next(void.subjects(ekg_ns.SD.name, URIRef(graph)))

    assert (ROOT, ns.VOID.subset, subset) in void
    assert _integer(void, subset, ns.VOID.triples) == len(dataset.graph(URIRef(graph)))


def test_subsets_are_exactly_the_named_graphs(void: Graph) -> None:
    assert (
        sorted(str(void.value(subset, ekg_ns.SD.name)) for subset in void.objects(ROOT, ns.VOID.subset))
        == packaged_graph_names()
    )


def test_dataset_counts_are_those_of_the_union(void: Graph, union: Graph) -> None:
    assert _integer(void, ROOT, ns.VOID.triples) == len(union)
    assert _integer(void, ROOT, ns.VOID.distinctSubjects) == len(set(union.subjects()))
    assert _integer(void, ROOT, ns.VOID.properties) == len(set(union.predicates()))


def test_class_partitions_count_the_instances_of_every_class(void: Graph, union: Graph) -> None:
    expected = Counter(cls for _, cls in union.subject_objects(ns.RDF.type) if isinstance(cls, URIRef))

    found = {
        void.value(partition, ns.VOID["class"]): _integer(void, partition, ns.VOID.entities)
        for partition in void.objects(ROOT, ns.VOID.classPartition)
    }

    assert found == dict(expected)


def test_property_partitions_count_the_triples_of_every_property(void: Graph, union: Graph) -> None:
    expected = Counter(predicate for _, predicate, _ in union)

    found = {
        void.value(partition, ns.VOID.property): _integer(void, partition, ns.VOID.triples)
        for partition in void.objects(ROOT, ns.VOID.propertyPartition)
    }

    assert found == dict(expected)


def test_vocabularies_are_the_namespaces_of_the_terms_used(void: Graph, union: Graph) -> None:
    terms = {str(p) for p in union.predicates()} | {str(c) for c in union.objects(None, ns.RDF.type)}
    vocabularies = {str(v) for v in void.objects(ROOT, ns.VOID.vocabulary)}

    assert all(any(term.startswith(vocabulary) for vocabulary in vocabularies) for term in terms)
    assert all(any(term.startswith(vocabulary) for term in terms) for vocabulary in vocabularies)
    assert {
        ekg_ns.PREFIXES["ekg"],
        ekg_ns.PREFIXES["rdf"],
        ekg_ns.PREFIXES["owl"],
        ekg_ns.PREFIXES["prov"],
    } <= vocabularies


@pytest.mark.parametrize("name", DUMPS)
def test_each_dump_is_a_distribution_with_its_checksum(name: str, void: Graph, built: Path) -> None:
    data = (built / name).read_bytes()
    distribution = next(
        d for d in void.objects(ROOT, ns.DCAT.distribution) if str(void.value(d, ns.DCTERMS.title)) == name
    )
    checksum = void.value(distribution, ekg_ns.SPDX.checksum)
    spec = next(spec for spec in FORMATS.values() if name.endswith(spec.suffix))

    assert (ROOT, ns.DCAT.distribution, distribution) in void
    assert (distribution, ns.RDF.type, ns.DCAT.Distribution) in void
    assert str(void.value(distribution, ns.DCAT.mediaType)).endswith(f"/media-types/{spec.media_type}")
    assert int(void.value(distribution, ns.DCAT.byteSize)) == len(data)
    assert void.value(checksum, ekg_ns.SPDX.algorithm) == ekg_ns.SPDX.checksumAlgorithm_sha256
    assert str(void.value(checksum, ekg_ns.SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()


def test_the_distributions_are_the_dumps_and_not_the_description(void: Graph) -> None:
    titles = sorted(str(void.value(d, ns.DCTERMS.title)) for d in void.objects(ROOT, ns.DCAT.distribution))

    assert titles == sorted(DUMPS)


def test_metadata_comes_from_the_ontology_header_and_the_package(void: Graph, union: Graph) -> None:
    header = next(union.subjects(ns.RDF.type, ns.OWL.Ontology))
    publisher = void.value(ROOT, ns.DCTERMS.publisher)

    assert void.value(ROOT, ns.DCTERMS.license) == union.value(header, ns.DCTERMS.license)
    assert void.value(ROOT, ns.DCTERMS.created) == union.value(header, ns.DCTERMS.created)
    assert void.value(publisher, ns.FOAF.name) == union.value(header, ns.DCTERMS.creator)
    assert str(void.value(ROOT, ns.OWL.versionInfo)) == __version__
    assert void.value(ROOT, ns.DCTERMS.title) is not None
    assert void.value(ROOT, ns.DCTERMS.description) is not None
    assert (VOID_GRAPH, ns.FOAF.primaryTopic, ROOT) in void


def test_description_is_the_same_on_every_run(tmp_path: Path, built: Path, dataset: Dataset) -> None:
    dumps = [built / name for name in DUMPS]

    first = write_description(tmp_path / "first.ttl", dataset, dumps).read_bytes()
    second = write_description(tmp_path / "second.ttl", load_dataset(), dumps).read_bytes()

    assert first == second
    assert first == (built / f"{OUTPUT_STEM}{DESCRIPTION_SUFFIX}").read_bytes()


def test_checksum_follows_the_bytes_of_the_dump(tmp_path: Path, dataset: Dataset) -> None:
    dump = tmp_path / "changed.nt"
    dump.write_bytes(b"")
    before = describe(dataset, [dump])
    dump.write_bytes(b"<urn:a> <urn:b> <urn:c> .\n")
    after = describe(dataset, [dump])

    assert str(next(before.objects(None, ekg_ns.SPDX.checksumValue))) == hashlib.sha256(b"").hexdigest()
    assert str(next(after.objects(None, ekg_ns.SPDX.checksumValue))) == hashlib.sha256(dump.read_bytes()).hexdigest()


def test_description_describes_whatever_graphs_a_dataset_has() -> None:
    dataset = Dataset()
    dataset.graph(URIRef("urn:example:graph:one")).add((URIRef("urn:a"), ns.RDF.type, URIRef("urn:C")))

    void = describe(dataset)

    assert [str(void.value(subset, ekg_ns.SD.name)) for subset in void.objects(ROOT, ns.VOID.subset)] == [
        "urn:example:graph:one"
    ]
    assert _integer(void, ROOT, ns.VOID.triples) == 1
