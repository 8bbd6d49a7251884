"""Checks of the packaged data: results are complete, terms are declared, numbers add up."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, URIRef

from conftest import (
    CLINICAL_TRIAL,
    DATA,
    REQUIRED_OUTCOME_PROPERTIES,
    REQUIRED_RESULT_PROPERTIES,
    STATISTICAL_RESULT,
    curie,
    packaged_union,
)
from ember3kg.dataset import DATA as DATA_KIND
from ember3kg.dataset import ONTOLOGY, load_part, part_names
from ember3kg.namespaces import EKG, is_standard_term

RESULT_NODES_QUERY = """
SELECT DISTINCT ?result WHERE {
  ?class rdfs:subClassOf* ?root .
  ?result a ?class .
  FILTER (isIRI(?result))
}
"""

TRIALS_QUERY = """
SELECT DISTINCT ?trial WHERE { ?trial a/rdfs:subClassOf* ?root . }
"""


def _instances(query: str, root: URIRef) -> list[URIRef]:
    """Run a one-column query over the packaged union with ``?root`` bound."""
    rows = packaged_union().query(query, initBindings={"root": root})
    return sorted(row[0] for row in rows)


def _data_terms() -> list[URIRef]:
    """Classes (objects of rdf:type) and properties (predicates) used in the data parts."""
    terms: set[URIRef] = set()
    for name in part_names(DATA_KIND):
        graph = load_part(name)
        terms.update(predicate for predicate in graph.predicates() if isinstance(predicate, URIRef))
        terms.update(cls for cls in graph.objects(None, RDF.type) if isinstance(cls, URIRef))
    return sorted(terms)


def _declared() -> set[URIRef]:
    """IRIs that an ontology part gives a type to."""
    return {
        node
        for name in part_names(ONTOLOGY)
        for node in load_part(name).subjects(RDF.type, None)
        if isinstance(node, URIRef)
    }


RESULTS = _instances(RESULT_NODES_QUERY, STATISTICAL_RESULT)
TRIALS = _instances(TRIALS_QUERY, CLINICAL_TRIAL)
DATA_TERMS = _data_terms()
DECLARED = _declared()


def test_the_data_has_results_and_trials() -> None:
    assert RESULTS, "no instance of a subclass of ekg:StatisticalResult"
    assert TRIALS, "no ekg:ClinicalTrial"


@pytest.mark.parametrize("result", RESULTS, ids=curie)
def test_result_states_value_unit_population_endpoint_and_provenance(result: URIRef, union: Graph) -> None:
    required = dict(REQUIRED_RESULT_PROPERTIES)
    if (result, RDF.type, EKG.PopulationDescriptor) not in union:
        required |= REQUIRED_OUTCOME_PROPERTIES
    missing = [label for label, props in required.items() if not any((result, prop, None) in union for prop in props)]

    assert not missing, f"{curie(result)} lacks: {', '.join(missing)}"


@pytest.mark.parametrize("term", DATA_TERMS, ids=curie)
def test_term_used_in_the_data_is_declared(term: URIRef) -> None:
    assert is_standard_term(term) or term in DECLARED, (
        f"{curie(term)} is used in graph/ but declared neither in ontology/ nor in a standard vocabulary"
    )


ARM_TOTALS = {row.trial: row for row in packaged_union().query((DATA / "queries" / "trial-arm-totals.rq").read_text())}


@pytest.mark.parametrize("trial", TRIALS, ids=curie)
def test_arm_sizes_add_up_to_the_randomized_population(trial: URIRef) -> None:
    row = ARM_TOTALS.get(trial)
    if row is None:
        # Only a trial whose sources give no randomized total may lack one (EMERALD and SERENA-6 print none).
        randomized = packaged_union().value(trial, EKG.randomizedPopulation)
        assert packaged_union().value(randomized, EKG.populationSize) is None, f"{curie(trial)} has no arm with a size"
        return
    assert row.armTotal.toPython() == row.randomized.toPython(), (
        f"{curie(trial)}: {row.arms} arms hold {row.armTotal} patients, the randomized population {row.randomized}"
    )
