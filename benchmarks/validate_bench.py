"""Time SHACL validation of the knowledge graph, and what the SHACL-SPARQL rules cost.

Run on demand (never by pytest), against the installed package::

    python benchmarks/validate_bench.py [--repeat N] [--copies N]

Every figure is the median of N runs after one warm-up run, in seconds, of pySHACL
alone (the data is loaded and prepared beforehand). It measures:

- the packaged dataset with all shapes, and with the shapes that hold a
  SHACL-SPARQL constraint left out: the difference is the share of the SPARQL rules;
- three ways of giving pySHACL the class hierarchy without inference: the ontology
  added to the data (what :func:`ember3kg.checks.validate.validate` does), pySHACL's own
  ``ont_graph`` mixing, and ``rdf:type`` closed over ``rdfs:subClassOf`` beforehand;
- the same without :class:`ember3kg.query.embedded.QueryCachingGraph`, i.e. with rdflib
  parsing each SPARQL constraint again for every focus node;
- a synthetic graph of N renamed copies of the dataset (every ``kg:`` IRI gets a
  per-copy prefix), with and without the SPARQL shapes.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from pyshacl import validate as shacl_validate
from rdflib import RDF, RDFS, SH, Graph, URIRef

from ember3kg.checks.validate import load_shapes
from ember3kg.publish.dataset import load_dataset, load_ontology, union_graph
from ember3kg.query.embedded import QueryCachingGraph
from ember3kg.vocab.namespaces import KG


def timed(run: Callable[[], int], repeat: int) -> tuple[float, int]:
    """Median time of ``run`` over ``repeat`` runs after a warm-up, and its number of results."""
    results = run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), results


def pyshacl_run(data: Graph, shapes: Graph, ont_graph: Graph | None = None) -> Callable[[], int]:
    """Make a validation run of ``data`` (copied first, so that runs start alike) that returns its number of results."""

    def run() -> int:
        copy = type(data)()
        copy += data
        _, results, _ = shacl_validate(
            copy, shacl_graph=shapes, ont_graph=ont_graph, inference="none", allow_warnings=True, inplace=True
        )
        return len(set(results.subjects(RDF.type, SH.ValidationResult)))

    return run


def core_only(shapes: Graph) -> Graph:
    """Drop the node shapes that hold a SHACL-SPARQL constraint."""
    sparql_shapes = set(shapes.subjects(SH.sparql, None))
    kept = Graph()
    for triple in shapes:
        if triple[0] not in sparql_shapes:
            kept.add(triple)
    return kept


def graph_of(kind: type[Graph], *parts: Graph) -> Graph:
    """Union of ``parts`` in a new graph of class ``kind``."""
    graph = kind()
    for part in parts:
        graph += part
    return graph


def with_closed_types(data: Graph, ontology: Graph) -> Graph:
    """Close every rdf:type of the data over rdfs:subClassOf; add the ontology without its subclass axioms."""
    closed = QueryCachingGraph()
    closed += data
    for triple in ontology:
        if triple[1] != RDFS.subClassOf:
            closed.add(triple)
    for node, cls in list(closed.subject_objects(RDF.type)):
        for superclass in ontology.transitive_objects(cls, RDFS.subClassOf):
            closed.add((node, RDF.type, superclass))
    return closed


def copies(data: Graph, count: int) -> Graph:
    """``count`` copies of ``data``, each with its ``kg:`` IRIs renamed; other IRIs are shared."""

    def rename(term: object, number: int) -> object:
        if isinstance(term, URIRef) and str(term).startswith(str(KG)):
            return URIRef(f"{KG}copy{number}-{str(term)[len(str(KG)) :]}")
        return term

    graph = QueryCachingGraph()
    for number in range(count):
        for triple in data:
            graph.add(tuple(rename(term, number) for term in triple))  # type: ignore[arg-type]
    return graph


def main() -> None:
    """Print the figures as a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per figure (default 5)")
    parser.add_argument(
        "--copies", type=int, default=5, help="copies of the dataset in the synthetic graph (default 5)"
    )
    options = parser.parse_args()

    start = time.perf_counter()
    data = union_graph(load_dataset())
    ontology = load_ontology()
    shapes = load_shapes()
    print(f"load dataset, ontology and shapes: {time.perf_counter() - start:.2f} s")  # noqa: T201 -- a report script
    core = core_only(shapes)
    merged = graph_of(QueryCachingGraph, data, ontology)
    plain = graph_of(Graph, data, ontology)
    synthetic = copies(merged, options.copies)
    synthetic_plain = graph_of(Graph, synthetic)

    rows = [
        ("packaged, all shapes (ontology added to data)", merged, shapes, None),
        ("packaged, Core shapes only", merged, core, None),
        ("packaged, all shapes, pySHACL ont_graph mixing", graph_of(QueryCachingGraph, data), shapes, ontology),
        ("packaged, all shapes, rdf:type closed beforehand", with_closed_types(data, ontology), shapes, None),
        ("packaged, all shapes, no query caching", plain, shapes, None),
        (f"synthetic x{options.copies}, all shapes", synthetic, shapes, None),
        (f"synthetic x{options.copies}, Core shapes only", synthetic, core, None),
        (f"synthetic x{options.copies}, all shapes, no query caching", synthetic_plain, shapes, None),
    ]
    figures = {}
    width = max(len(name) for name, *_ in rows)
    print(f"{'run'.ljust(width)}  triples  results  median s")  # noqa: T201 -- a report script
    for name, graph, shape_graph, ont_graph in rows:
        seconds, results = timed(pyshacl_run(graph, shape_graph, ont_graph), options.repeat)
        figures[name] = seconds
        print(f"{name.ljust(width)}  {len(graph):7d}  {results:7d}  {seconds:8.3f}")  # noqa: T201 -- a report script
    for label, full, core_name in (
        ("packaged", rows[0][0], rows[1][0]),
        (f"synthetic x{options.copies}", rows[5][0], rows[6][0]),
    ):
        share = (figures[full] - figures[core_name]) / figures[full]
        print(f"share of SHACL-SPARQL constraints, {label}: {share:.0%}")  # noqa: T201 -- a report script


if __name__ == "__main__":
    main()
