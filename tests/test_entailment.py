"""The entailment graph: what it holds, that the packaged copy is current, and where it is included.

The packaged file must equal a fresh computation (HermiT, then the RDFS closure) over
the installed dataset; ``python tools/regenerate-entailment.py`` rewrites it.
"""

from __future__ import annotations

import re
import shutil
from importlib.resources import files
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef

from conftest import packaged_reasoning, run_cli, run_main, synthetic_trials
from ember3kg.cli import build_command
from ember3kg.io.inputs import RdfInput
from ember3kg.publish.dataset import load_dataset, new_graph
from ember3kg.query import Question, run_question
from ember3kg.reasoning.entailment import (
    ENTAILMENT_GRAPH,
    PACKAGED_FILE,
    compute_entailment,
    entailment_graph,
    rdfs_closure,
    serialize_entailment,
    with_entailment,
)
from ember3kg.reasoning.reason import reason
from ember3kg.stores.serve import OxigraphServer, free_port
from ember3kg.vocab.namespaces import EKG, KG, SD
from ember3kg.vocab.terms import to_oxigraph

QUERIES = Path(__file__).parent.parent / "queries"
SERDS = "SELECT ?d WHERE { ?d a <https://w3id.org/ember3kg/ontology#SelectiveEstrogenReceptorDegrader> }"
NEEDS_JAVA = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")


def _asserted_of(cls: URIRef) -> set[URIRef]:
    """Subjects the packaged dataset types with ``cls`` itself."""
    return {s for context in load_dataset().graphs() for s in context.subjects(RDF.type, cls)}


@NEEDS_JAVA
@pytest.mark.slow
def test_packaged_entailment_graph_equals_a_fresh_computation() -> None:
    fresh = serialize_entailment(compute_entailment(RdfInput.packaged(), reasoner=True))

    packaged = files("ember3kg.reasoning").joinpath(PACKAGED_FILE).read_bytes()
    assert packaged == fresh, "stale: run python tools/regenerate-entailment.py and reinstall"


def test_query_finds_the_serds_hermit_classifies() -> None:
    answer = run_question(Question("serds", SERDS, "--sparql"), with_entailment(RdfInput.packaged()))

    assert sorted(row[0] for row in answer.table()) == [
        "kg:drug-amcenestrant",
        "kg:drug-elacestrant",
        "kg:drug-fulvestrant",
        "kg:drug-imlunestrant",
    ]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_hazard_ratios_include_the_cause_specific_ones(engine: str) -> None:
    sparql = "SELECT ?r WHERE { ?r a <https://w3id.org/ember3kg/ontology#HazardRatio> }"
    cause_specific = _asserted_of(EKG.CauseSpecificHazardRatio)

    found = {
        row[0]
        for row in run_question(
            Question("hr", sparql, "--sparql"), with_entailment(RdfInput.packaged()), engine=engine
        ).table()
    }

    assert cause_specific, "the dataset has cause-specific hazard ratios"
    assert {f"kg:{iri.removeprefix(str(KG))}" for iri in cause_specific | _asserted_of(EKG.HazardRatio)} == found


def test_no_entailment_asks_the_asserted_triples_only() -> None:
    result = run_main("query", "--no-entailment", "--format", "csv", "--sparql", SERDS)

    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().splitlines() == ["d"]


def test_cli_query_includes_entailment_by_default() -> None:
    result = run_main("query", "--format", "csv", "--sparql", SERDS)

    assert result.returncode == 0, result.stderr.decode()
    assert {str(KG["drug-imlunestrant"]), str(KG["drug-fulvestrant"])} <= set(result.stdout.decode().splitlines())


def test_a_query_from_standard_input_asks_by_class_with_the_project_prefixes() -> None:
    sparql = b"SELECT ?d WHERE { ?d a ekg:SelectiveEstrogenReceptorDegrader }"
    result = run_main("query", "-", stdin=sparql)

    assert result.returncode == 0, result.stderr.decode()
    assert {"kg:drug-imlunestrant", "kg:drug-fulvestrant"} <= {
        line.strip() for line in result.stdout.decode().splitlines()
    }


def test_no_entailment_with_an_endpoint_is_a_usage_error() -> None:
    result = run_main("query", "--no-entailment", "--endpoint", "http://127.0.0.1:9/query", "--sparql", SERDS)

    assert result.returncode == 2
    assert "--no-entailment is for the embedded engines; an endpoint answers from what it holds" in (
        result.stderr.decode()
    )


def test_questions_use_no_subclass_property_path() -> None:
    offending = [
        path.name for path in sorted(QUERIES.glob("*.rq")) if re.search(r"rdfs:subClassOf[+*]", path.read_text())
    ]

    assert offending == []


def test_closure_is_transitive_irreflexive_and_leaves_out_what_is_asserted() -> None:
    graph = new_graph()
    graph.add((EKG.C, RDFS.subClassOf, EKG.B))
    graph.add((EKG.B, RDFS.subClassOf, EKG.A))
    graph.add((EKG.A, RDFS.subClassOf, EKG.C))  # a cycle: no class becomes its own subclass
    graph.add((EKG.A, RDFS.subClassOf, OWL.Thing))
    graph.add((KG.x, RDF.type, EKG.C))
    graph.add((KG.x, RDF.type, EKG.B))
    graph.add((BNode("n"), RDF.type, EKG.C))

    entailed = rdfs_closure(graph)

    assert set(entailed) == {
        (EKG.C, RDFS.subClassOf, EKG.A),
        (EKG.B, RDFS.subClassOf, EKG.C),
        (EKG.A, RDFS.subClassOf, EKG.B),
        (KG.x, RDF.type, EKG.A),
    }
    assert entailed.identifier == ENTAILMENT_GRAPH


def test_closure_restates_statements_with_superproperties() -> None:
    graph = new_graph()
    graph.add((EKG.hasPrimaryEndpoint, RDFS.subPropertyOf, EKG.hasEndpoint))
    graph.add((EKG.hasEndpoint, RDFS.subPropertyOf, EKG.relatedTo))
    graph.add((KG.trial, EKG.hasPrimaryEndpoint, KG.pfs))
    graph.add((KG.trial, EKG.hasPrimaryEndpoint, Literal("text")))
    graph.add((KG.trial, EKG.hasPrimaryEndpoint, BNode("n")))

    entailed = rdfs_closure(graph)

    assert set(entailed) == {
        (EKG.hasPrimaryEndpoint, RDFS.subPropertyOf, EKG.relatedTo),
        (KG.trial, EKG.hasEndpoint, KG.pfs),
        (KG.trial, EKG.relatedTo, KG.pfs),
        (KG.trial, EKG.hasEndpoint, Literal("text")),
        (KG.trial, EKG.relatedTo, Literal("text")),
    }


def test_packaged_graph_holds_hermit_memberships_and_the_closure() -> None:
    entailed = entailment_graph(RdfInput.packaged())

    assert (KG["drug-imlunestrant"], RDF.type, EKG.SelectiveEstrogenReceptorDegrader) in entailed
    assert (KG["drug-imlunestrant"], RDF.type, EKG.Drug) not in entailed  # asserted
    assert (EKG.CauseSpecificHazardRatio, RDFS.subClassOf, EKG.StatisticalResult) in entailed
    asserted = {triple for context in load_dataset().graphs() for triple in context}
    assert not asserted & set(entailed)
    assert all(isinstance(term, URIRef | Literal) for triple in entailed for term in triple)


@NEEDS_JAVA
@pytest.mark.slow
def test_reasoner_ignores_the_entailment_graph_in_its_input() -> None:
    assert set(reason(with_entailment(RdfInput.packaged())).graph()) == set(packaged_reasoning().graph())


def test_export_entailment_adds_the_packaged_graph(tmp_path: Path) -> None:
    output = tmp_path / "with-entailment.nq"

    result = run_main("export", "--entailment", "--format", "nq", "--output", str(output))

    assert result.returncode == 0, result.stderr.decode()
    exported = Dataset().parse(output, format="nquads")
    assert set(exported.graph(ENTAILMENT_GRAPH)) == set(entailment_graph(RdfInput.packaged()))
    graphs = {context.identifier for context in exported.graphs() if len(context)}
    assert graphs == {ENTAILMENT_GRAPH, *(context.identifier for context in load_dataset().graphs() if len(context))}


def test_export_entailment_of_files_computes_the_closure_deterministically(tmp_path: Path) -> None:
    data = tmp_path / "mine.ttl"
    data.write_text(
        "@prefix ekg: <https://w3id.org/ember3kg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "ekg:CauseSpecificHazardRatio rdfs:subClassOf ekg:HazardRatio .\n"
        "ekg:HazardRatio rdfs:subClassOf ekg:RatioEstimate .\n"
        "<https://example.org/r1> a ekg:CauseSpecificHazardRatio .\n",
        encoding="utf-8",
    )
    first, second = tmp_path / "first.nq", tmp_path / "second.nq"

    for output, seed in ((first, "1"), (second, "2")):
        result = run_cli("export", "--entailment", "--format", "nq", "--output", str(output), str(data), hash_seed=seed)
        assert result.returncode == 0, result.stderr.decode()

    assert first.read_bytes() == second.read_bytes()
    entailed = Dataset().parse(first, format="nquads").graph(ENTAILMENT_GRAPH)
    assert set(entailed) == {
        (EKG.CauseSpecificHazardRatio, RDFS.subClassOf, EKG.RatioEstimate),
        (URIRef("https://example.org/r1"), RDF.type, EKG.HazardRatio),
        (URIRef("https://example.org/r1"), RDF.type, EKG.RatioEstimate),
    }


def test_build_entailment_lists_the_graph_in_the_void_description(default_build: Path) -> None:
    entailment = next(option for option in build_command.params if option.name == "entailment")

    assert entailment.default is True  # so the default build is `build --entailment`
    void = Graph().parse(default_build / "ember3kg.void.ttl", format="turtle")
    subset = next(void.subjects(SD.name, ENTAILMENT_GRAPH))
    assert int(void.value(subset, URIRef("http://rdfs.org/ns/void#triples"))) == len(
        entailment_graph(RdfInput.packaged())
    )
    assert str(void.value(ENTAILMENT_GRAPH, URIRef("http://purl.org/dc/terms/title"))) == (
        "entailed class memberships and links"
    )


@pytest.mark.server
def test_push_entailment_puts_the_graph_on_the_server() -> None:
    with OxigraphServer(free_port()) as server:
        result = run_cli("push", server.endpoints.store, "--entailment")

        assert result.returncode == 0, result.stderr.decode()
        sparql = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ENTAILMENT_GRAPH}> {{ ?s ?p ?o }} }}"
        question = Question("count", sparql, "-")
        answer = run_question(question, RdfInput.remote(server.endpoints.query), engine="endpoint")
        assert answer.table() == [[str(len(entailment_graph(RdfInput.packaged())))]]


#: What the entailment graph holds, by SPARQL property paths over the asserted triples: an independent statement
#: of the closure (IRIs only, never a term its own ancestor, OWL's, RDF's and RDFS's own terms never above).
_CLOSURE_BY_PATHS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?s ?relation ?above . ?x a ?class . ?y ?super ?value . }
WHERE {
  {
    ?s rdfs:subClassOf+ ?above .
    BIND (rdfs:subClassOf AS ?relation)
    FILTER (isIRI(?s) && ?s != ?above)
    FILTER NOT EXISTS { ?s rdfs:subClassOf ?above }
  } UNION {
    ?s rdfs:subPropertyOf+ ?above .
    BIND (rdfs:subPropertyOf AS ?relation)
    FILTER (isIRI(?s) && ?s != ?above)
    FILTER NOT EXISTS { ?s rdfs:subPropertyOf ?above }
  } UNION {
    ?x a ?asserted . ?asserted rdfs:subClassOf+ ?class .
    FILTER (isIRI(?x) && isIRI(?asserted) && ?class != ?asserted)
    FILTER NOT EXISTS { ?x a ?class }
  } UNION {
    ?sub rdfs:subPropertyOf+ ?super .
    FILTER (?super != ?sub)
    ?y ?sub ?value .
    FILTER (isIRI(?y) && !isBlank(?value))
    FILTER NOT EXISTS { ?y ?super ?value }
  }
  BIND (COALESCE(?above, ?class, ?super) AS ?top)
  FILTER (isIRI(?top) && !STRSTARTS(STR(?top), "http://www.w3.org/2002/07/owl#")
          && !STRSTARTS(STR(?top), "http://www.w3.org/1999/02/22-rdf-syntax-ns#")
          && !STRSTARTS(STR(?top), "http://www.w3.org/2000/01/rdf-schema#"))
}
"""


def _by_paths(data: RdfInput) -> set[str]:
    return {str(triple) for triple in data.store().query(_CLOSURE_BY_PATHS, use_default_graph_as_union=True)}


def _as_stored(graph: Graph) -> set[str]:
    """Give the triples of ``graph`` as a store gives them back (typed literals canonical, as the paths give them)."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.bulk_extend(pyoxigraph.Quad(*map(to_oxigraph, triple)) for triple in graph)
    return {str(quad.triple) for quad in store}


def test_the_closure_of_the_packaged_data_is_what_property_paths_give() -> None:
    assert _as_stored(compute_entailment(RdfInput.packaged(), reasoner=False)) == _by_paths(RdfInput.packaged())


@pytest.mark.slow
def test_the_closure_of_100k_synthetic_triples_is_what_property_paths_give_and_is_added_as_quads(
    tmp_path: Path,
) -> None:
    path = tmp_path / "100k.nt"
    generator = synthetic_trials()
    generator.write(path, triples=100_000)
    data = RdfInput.read([path])
    expected = _by_paths(data)

    computed = compute_entailment(data, reasoner=False)
    added = with_entailment(data)

    assert len(expected) > 20_000
    assert _as_stored(computed) == expected
    entailment = to_oxigraph(ENTAILMENT_GRAPH)
    named = {str(quad.triple) for quad in added.store().quads_for_pattern(None, None, None, entailment)}
    assert named == expected
    assert added.triple_count() == data.triple_count() + len(expected)
