"""Checks of the packaged data that no shape or quality check states.

The rules on the data live in one place each (docs/checks.md): the shapes
(``ember3kg validate``, tests/test_validate.py) and the quality checks
(``ember3kg qc``, tests/test_qc.py).
"""

from __future__ import annotations

from rdflib import URIRef

from conftest import CLINICAL_TRIAL, STATISTICAL_RESULT, packaged_union

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


def test_the_data_has_results_and_trials() -> None:
    assert _instances(RESULT_NODES_QUERY, STATISTICAL_RESULT), "no instance of a subclass of ekg:StatisticalResult"
    assert _instances(TRIALS_QUERY, CLINICAL_TRIAL), "no ekg:ClinicalTrial"
