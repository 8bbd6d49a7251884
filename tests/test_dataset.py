"""Assembly of the dataset from the packaged parts."""

from __future__ import annotations

from importlib.resources import files

import pytest
from rdflib import OWL, RDF, BNode, Dataset, Graph
from rdflib.compare import isomorphic
from rdflib.plugins.serializers.nquads import _nq_row

from ember3kg.errors import InputError
from ember3kg.publish.dataset import (
    ONTOLOGY,
    add_quads,
    load_dataset,
    load_ontology,
    load_part,
    new_dataset,
    packaged_quads,
    part_names,
    parts,
    union_graph,
    union_of_quads,
)
from ember3kg.vocab.namespaces import GRAPH, PREFIXES

#: The packaged data folders and how their file stems become part names.
EXPECTED_PARTS = (
    {
        "ontology": files("ember3kg.ontology") / "ember3kg.ttl",
        # Term imports generated from the mapping set (issue 7).
        "external-terms": files("ember3kg.ontology") / "imports" / "external-terms.ttl",
    }
    | {
        item.name.removesuffix(".ttl"): item
        for item in sorted(files("ember3kg.graph").iterdir(), key=lambda item: item.name)
        if item.name.endswith(".ttl")
    }
    # The SKOS links read from graph/mappings.sssom.tsv (issue 7).
    | {"mappings": files("ember3kg.graph") / "mappings.sssom.tsv"}
)


def test_parts_are_the_packaged_turtle_files_ontology_first() -> None:
    assert part_names() == list(EXPECTED_PARTS)
    assert part_names(ONTOLOGY) == ["ontology", "external-terms"]


@pytest.mark.parametrize("name", list(EXPECTED_PARTS))
def test_each_part_is_one_named_graph(name: str, dataset: Dataset) -> None:
    graph = dataset.graph(GRAPH[name])

    assert parts()[name].iri == GRAPH[name]
    assert len(graph) == len(load_part(name)) > 0


def test_dataset_has_no_graph_but_the_parts(dataset: Dataset) -> None:
    names = {str(graph.identifier) for graph in dataset.graphs() if len(graph)}

    assert names == {str(GRAPH[name]) for name in EXPECTED_PARTS}


def test_ontology_declares_an_owl_ontology() -> None:
    assert list(load_ontology().subjects(RDF.type, OWL.Ontology))


def test_loaded_graphs_are_copies() -> None:
    first = load_part("ontology")
    first.remove((None, None, None))

    assert len(load_part("ontology")) > 0


def test_loaded_graphs_bind_exactly_the_project_prefixes() -> None:
    bound = {prefix: str(namespace) for prefix, namespace in load_ontology().namespaces()}

    assert bound == dict(PREFIXES)


def test_ontology_blank_nodes_are_labelled_by_part() -> None:
    labels = {term for triple in load_ontology() for term in triple if isinstance(term, BNode)}

    assert all(label.startswith("ontology-b") for label in labels)


def test_unknown_part_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown part"):
        load_part("no-such-part")


@pytest.mark.parametrize("name", [name for name, part in parts().items() if part.reader is None])
def test_packaged_turtle_is_read_as_rdflib_reads_it(name: str) -> None:
    # pyoxigraph's Turtle parser reads the packaged parts: the terms and lexical forms rdflib's parser gives.
    part = parts()[name]
    by_rdflib = Graph().parse(data=part.resource.read_bytes(), format="turtle", publicID=str(part.iri))

    assert isomorphic(load_part(name), by_rdflib)
    assert len(load_part(name)) == len(by_rdflib) > 0


def test_packaged_quads_hold_the_parts_in_their_graphs() -> None:
    from_quads = new_dataset()
    add_quads(from_quads, packaged_quads())

    def rows(dataset: Dataset) -> list[str]:
        return sorted(_nq_row(triple, context.identifier) for context in dataset.graphs() for triple in context)

    assert rows(from_quads) == rows(load_dataset())


def test_the_union_of_quads_is_the_union_of_their_dataset_in_the_same_order() -> None:
    from_quads = new_dataset()
    add_quads(from_quads, packaged_quads())

    union = list(union_of_quads(packaged_quads()))

    assert union == list(union_graph(from_quads))
    assert len(union) == len({triple for context in from_quads.graphs() for triple in context}) > 6000
