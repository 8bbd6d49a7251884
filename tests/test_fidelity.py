"""Regression tests of the fidelity corrections (issues 10 and 24).

One test per correction; each asks the packaged dataset (all parts merged) with
SPARQL ASK for the exact corrected triples, and for the absence of what they
replaced, so a regression in the graph files fails here. The provenance of every
number is checked against the table of which source states it
(``data/fidelity/stated-numbers.tsv``, see ``stated_numbers.py``), and that table
against the fact sheets themselves.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import cache

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS
from stated_numbers import (
    FIDELITY,
    SOURCES,
    StatedNumber,
    fact_rows,
    graph_numbers,
    printed_numbers,
    source_documents,
    stated_numbers,
)

from conftest import curie, packaged_union, parametrize_on_collection
from ember3kg.checks.validate import REPORT_PREFIXES, validate
from ember3kg.io.inputs import RdfInput
from ember3kg.links.mappings import packaged_mapping_set
from ember3kg.vocab.namespaces import EKG, PREFIXES

PROLOGUE = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items()) + (
    "PREFIX bibo: <http://purl.org/ontology/bibo/>\n"
)


def ask(union: Graph, pattern: str) -> bool:
    """Tell whether ``pattern`` (a SPARQL group pattern body) matches the merged dataset."""
    return bool(union.query(PROLOGUE + "ASK {\n" + pattern + "\n}").askAnswer)


CAVEAT = (
    "Read with care: the analysis rests on small numbers of patients, "
    "and serial CNS imaging was not mandated for every patient."
)

CAVEATED_CNS_RESULTS = [
    "ember3-result-cns-cir12-all-imlunestrant",
    "ember3-result-cns-cir12-all-standard",
    "ember3-result-cns-cshr-all",
    "ember3-result-cns-cir12-esr1m-imlunestrant",
    "ember3-result-cns-cir12-esr1m-standard",
    "ember3-result-cns-cshr-esr1m",
]

CNS_EVENT_COUNTS = [
    "ember3-result-cns-events-all-total",
    "ember3-result-cns-events-all-new-lesion-total",
    "ember3-result-cns-events-all-new-lesion-imlunestrant",
    "ember3-result-cns-events-all-new-lesion-standard",
    "ember3-result-cns-events-all-existing-lesion-total",
    "ember3-result-cns-events-all-existing-lesion-imlunestrant",
    "ember3-result-cns-events-all-existing-lesion-standard",
]


def test_1_esr1_mutated_population_restricted_to_the_two_compared_arms(union: Graph) -> None:
    assert ask(
        union,
        """
        kg:ember3-pop-esr1-mutated ekg:restrictedToArm kg:ember3-arm-imlunestrant , kg:ember3-arm-standard-therapy ;
            ekg:populationSize 256 ;
            rdfs:label "EMBER-3 patients with ESR1 mutations in the imlunestrant and standard therapy arms"@en .
        """,
    )
    assert not ask(union, "kg:ember3-pop-esr1-mutated ekg:restrictedToArm kg:ember3-arm-imlunestrant-abemaciclib .")


def test_2_serial_imaging_as_indicated_applies_to_patients_without_baseline_brain_metastases(union: Graph) -> None:
    assert ask(
        union,
        """
        kg:ember3-imaging-serial-others ekg:appliesToPopulation kg:ember3-pop-no-brain-metastases-at-baseline ;
            ekg:requirementLevel ekg:AsClinicallyIndicated ;
            ekg:imagingTiming ekg:SerialImaging .
        kg:ember3-pop-no-brain-metastases-at-baseline a ekg:AnalysisPopulation ;
            ekg:populationOf kg:ember3 ;
            ekg:subsetOf kg:ember3-pop-all-randomized .
        kg:ember3 ekg:hasPopulation kg:ember3-pop-no-brain-metastases-at-baseline .
        """,
    )
    assert not ask(union, "kg:ember3-imaging-serial-others ekg:appliesToPopulation kg:ember3-pop-all-randomized .")


def test_3_each_brain_metastasis_rule_inherits_exactly_its_printed_citation(union: Graph) -> None:
    # the three enrollment criteria and the baseline-imaging rules cite reference 3 only
    reference_3_rules = """
        VALUES ?rule {
            kg:ember3-criterion-bm-prior-therapy-completed kg:ember3-criterion-bm-no-steroids-or-anticonvulsants
            kg:ember3-criterion-bm-stable kg:ember3-imaging-baseline-all kg:ember3-imaging-baseline-no-bm-history
            kg:ember3-imaging-baseline-treated-bm-preferred kg:ember3-imaging-baseline-treated-bm-mri-without-contrast
            kg:ember3-imaging-baseline-treated-bm-ct
        }
    """
    serial_rules = "VALUES ?rule { kg:ember3-imaging-serial-bm-at-baseline kg:ember3-imaging-serial-others }"
    for values, cited, not_cited in (
        (reference_3_rules, "kg:jhaveri-2025-nejm", "kg:jhaveri-2024-sabcs-poster"),
        (serial_rules, "kg:jhaveri-2024-sabcs-poster", "kg:jhaveri-2025-nejm"),
    ):
        # every rule is stated in a location that cites the printed reference ...
        assert not ask(union, values + f"FILTER NOT EXISTS {{ ?rule ekg:statedIn/ekg:locationCites {cited} }}")
        # ... and in none that cites the other one
        assert not ask(union, values + f"?rule ekg:statedIn/ekg:locationCites {not_cited} .")
    assert ask(
        union,
        """
        kg:loc-lilly-bm-criteria ekg:locationCites kg:jhaveri-2025-nejm .
        kg:loc-lilly-bm-baseline-imaging ekg:locationCites kg:jhaveri-2025-nejm .
        kg:loc-lilly-bm-serial-imaging ekg:locationCites kg:jhaveri-2024-sabcs-poster .
        """,
    )
    assert not ask(union, "kg:loc-lilly-bm-criteria ekg:locationCites kg:jhaveri-2024-sabcs-poster .")


@pytest.mark.parametrize("result", CAVEATED_CNS_RESULTS + CNS_EVENT_COUNTS)
def test_4_post_hoc_caveat_and_its_location_on_every_cns_result(union: Graph, result: str) -> None:
    assert ask(
        union,
        f"""
        kg:{result} ekg:caveat "{CAVEAT}"@en ;
            ekg:statedIn kg:loc-lilly-cns-posthoc ;
            ekg:hasAnalysisKind ekg:PostHocAnalysis .
        """,
    )
    narrowed = 'FILTER (CONTAINS(STR(?c), "few events") || CONTAINS(STR(?c), "few patients"))'
    assert not ask(union, f"kg:{result} ekg:caveat ?c . {narrowed}")


def test_5_preclinical_nodes_derived_only_from_the_lilly_answer(union: Graph) -> None:
    for node in (
        "preclinical-brain-exposure-pkpd",
        "preclinical-brain-orthotopic-survival",
        "preclinical-tumour-models-activity",
        "finding-sustained-brain-exposure",
        "finding-overall-survival-orthotopic",
        "finding-activity-esr1-mutant-and-wild-type",
    ):
        assert ask(union, f"kg:{node} prov:wasDerivedFrom kg:lilly-faq-iml003 .")
    assert not ask(
        union,
        """
        VALUES ?cited { kg:bhagwat-2025-cancer-res kg:vandekopple-2023-esmo-bc-poster }
        ?node prov:wasDerivedFrom ?cited .
        { ?node a ekg:PreclinicalStudy } UNION { ?node a ekg:PreclinicalFinding }
        """,
    )
    assert ask(
        union,
        """
        kg:loc-lilly-preclinical ekg:locationCites kg:bhagwat-2025-cancer-res , kg:vandekopple-2023-esmo-bc-poster .
        kg:loc-lilly-figure-1 ekg:locationCites kg:vandekopple-2023-esmo-bc-poster .
        """,
    )


def test_6_gene_identities_cited_to_hgnc_records(union: Graph) -> None:
    for number, gene in (("2594", "cyp19a1"), ("3430", "erbb2")):
        assert ask(
            union,
            f"""
            kg:hgnc-record-{number} a ekg:RegistryRecord ;
                ekg:hasSourceRole ekg:PrimarySource ;
                bibo:uri "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/HGNC:{number}"^^xsd:anyURI .
            kg:loc-hgnc-record-{number} ekg:inDocument kg:hgnc-record-{number} .
            kg:gene-{gene} prov:wasDerivedFrom kg:hgnc-record-{number} ;
                ekg:statedIn kg:loc-hgnc-record-{number} .
            """,
        )
    assert not ask(union, "kg:gene-cyp19a1 prov:wasDerivedFrom kg:fda-label-aromasin .")
    assert not ask(union, "kg:gene-erbb2 prov:wasDerivedFrom kg:pubmed-record-ember3 .")


def test_7_labels_do_not_drift_from_the_sources(union: Graph) -> None:
    footer = '"Lilly answer: footer (date of last review and copyright line)"@en'
    assert ask(union, f"kg:loc-lilly-footer rdfs:label {footer} .")
    assert ask(union, "kg:org-lilly-usa ekg:statedIn kg:loc-lilly-footer .")
    # words no source uses
    assert not ask(
        union,
        """
        ?s ?p ?text .
        FILTER (isLiteral(?text) && STRSTARTS(STR(?s), STR(kg:)))
        FILTER (CONTAINS(LCASE(STR(?text)), "from randomization") || CONTAINS(LCASE(STR(?text)), "read-out")
             || CONTAINS(LCASE(STR(?text)), "no active drug") || CONTAINS(LCASE(STR(?text)), "severe"))
        """,
    )
    # the ATC group L02BG under its current name, in the mappings and the term imports
    assert ask(
        union,
        """
        kg:mechanism-aromatase-inhibition skos:relatedMatch <http://www.whocc.no/atc_ddd_index/?code=L02BG> .
        <http://www.whocc.no/atc_ddd_index/?code=L02BG> rdfs:label "Aromatase inhibitors"@en .
        """,
    )
    assert not ask(union, '<http://www.whocc.no/atc_ddd_index/?code=L02BG> rdfs:label "Enzyme inhibitors"@en .')


def test_7_sssom_subject_labels_equal_graph_labels(union: Graph) -> None:
    mapping_set = packaged_mapping_set()
    l02bg = [row for row in mapping_set.mappings if row.object_id == "atc:L02BG"]
    assert [row.object_label for row in l02bg] == ["Aromatase inhibitors"]
    drifting = [
        (row.subject_id, row.subject_label)
        for row in mapping_set.mappings
        if Literal(row.subject_label, lang="en") not in set(union.objects(row.subject, RDFS.label))
    ]
    assert drifting == []


def test_8_each_preclinical_comparator_is_a_node(union: Graph) -> None:
    assert ask(
        union,
        """
        kg:finding-overall-survival-orthotopic
            ekg:comparedWith kg:preclinical-control-group-brain-orthotopic , kg:drug-fulvestrant ,
                kg:drug-group-other-serds .
        kg:preclinical-control-group-brain-orthotopic a ekg:ControlGroup ;
            prov:wasDerivedFrom kg:lilly-faq-iml003 .
        kg:drug-group-other-serds a ekg:DrugGroup ;
            ekg:groupMechanism kg:mechanism-er-degradation ;
            prov:wasDerivedFrom kg:lilly-faq-iml003 .
        """,
    )


def test_9_rmst_results_carry_no_analysis_kind(union: Graph) -> None:
    for result in (
        "ember3-result-pfs-rmst-esr1m-imlunestrant",
        "ember3-result-pfs-rmst-esr1m-standard",
        "ember3-result-pfs-rmst-difference-esr1m",
    ):
        assert ask(union, f"kg:{result} ekg:value ?v ; ekg:forEndpoint kg:endpoint-investigator-assessed-pfs .")
        assert not ask(union, f"kg:{result} ekg:hasAnalysisKind ?kind .")


def test_10_opening_claim_of_the_lilly_answer(union: Graph) -> None:
    assert ask(
        union,
        """
        ?claim a ekg:Claim ;
            ekg:claimAbout kg:drug-imlunestrant ;
            dcterms:description ?text ;
            prov:wasDerivedFrom kg:lilly-faq-iml003 ;
            ekg:statedIn ?loc .
        ?loc ekg:inDocument kg:lilly-faq-iml003 .
        FILTER (?claim = kg:claim-lilly-ember3-consistent-with-preclinical-cns-penetrance
                && ?loc = kg:loc-lilly-summary)
        """,
    )


# ---------------------------------------------------------------------------
# Issue 24: which document states each number
# ---------------------------------------------------------------------------

SHAPES_NS = Namespace(REPORT_PREFIXES["ekgsh"])
NEEDS_SOURCES = pytest.mark.skipif(not SOURCES.is_dir(), reason=f"the sources are not at {SOURCES}")


@cache
def _rows_by_node() -> dict[URIRef, list[StatedNumber]]:
    rows: dict[URIRef, list[StatedNumber]] = defaultdict(list)
    for row in stated_numbers():
        rows[row.node].append(row)
    return rows


@cache
def _secondary_documents() -> frozenset[URIRef]:
    union = packaged_union()
    return frozenset(union.subjects(EKG.hasSourceRole, EKG.SecondarySource))  # type: ignore[arg-type]


def credited_documents(node: URIRef) -> set[URIRef]:
    """Name the documents a node must be derived from: those that state every one of its numbers.

    A secondary source that restates what a primary document states is not credited (it is an
    ``ekg:restates`` link of the document); it is credited only for numbers no primary document states.
    """
    stating: dict[tuple[URIRef, URIRef, object], set[URIRef]] = defaultdict(set)
    for row in _rows_by_node()[node]:
        stating[row.key].add(source_documents()[row.source])
    documents = set.intersection(*stating.values())
    primary = documents - _secondary_documents()
    return primary or documents


def _is_trial(node: URIRef) -> bool:
    return (node, RDF.type, EKG.ClinicalTrial) in packaged_union()


def number_nodes() -> list[URIRef]:
    """List the nodes of the stated numbers that are not trials."""
    return sorted(node for node in _rows_by_node() if not _is_trial(node))


def trials() -> list[URIRef]:
    """List the trials among the nodes of the stated numbers."""
    return sorted(node for node in _rows_by_node() if _is_trial(node))


def _row_id(row: StatedNumber) -> str:
    return f"{curie(row.node)}-{curie(row.property)}-{row.source}"


@NEEDS_SOURCES
@parametrize_on_collection("row", stated_numbers, ids=_row_id)
def test_each_tabled_number_is_printed_in_its_source_at_its_locator(row: StatedNumber) -> None:
    texts = [text for locator, text in fact_rows(row.source) if locator == row.locator]
    assert texts, f"{row.source} has no fact row at {row.locator!r}"
    assert any(row.key[2] in printed_numbers(text) for text in texts)


def test_the_table_holds_exactly_the_numbers_of_the_graph(union: Graph) -> None:
    tabled = {row.key for row in stated_numbers()}
    in_graph = graph_numbers(union)
    assert sorted(map(str, tabled - in_graph)) == []
    assert sorted(map(str, in_graph - tabled)) == []


def test_every_source_of_the_table_names_a_document(union: Graph) -> None:
    assert {row.source for row in stated_numbers()} <= set(source_documents())
    assert [doc for doc in source_documents().values() if (doc, EKG.hasSourceRole, None) not in union] == []


@parametrize_on_collection("node", number_nodes, ids=curie)
def test_a_node_is_derived_exactly_from_the_documents_that_state_its_numbers(union: Graph, node: URIRef) -> None:
    assert sorted(union.objects(node, PROV.wasDerivedFrom)) == sorted(credited_documents(node))


@parametrize_on_collection("trial", trials, ids=curie)
def test_a_trial_credits_every_document_of_its_allocation_ratio_and_no_secondary_source_for_it(
    union: Graph, trial: URIRef
) -> None:
    documents = set(union.objects(trial, PROV.wasDerivedFrom))
    assert credited_documents(trial) <= documents
    assert documents & _secondary_documents() <= credited_documents(trial)


def test_secondary_only_warning_fires_exactly_on_the_numbers_only_a_secondary_source_states() -> None:
    warned = {
        result.focus
        for result in validate(RdfInput.packaged()).results
        if (result.severity, result.shape) == ("Warning", SHAPES_NS.SecondaryOnlyResultShape)
    }
    secondary_only = {node for node in _rows_by_node() if credited_documents(node) <= _secondary_documents()}
    assert sorted(map(curie, warned)) == sorted(map(curie, secondary_only))


# ---------------------------------------------------------------------------
# Issue 24: the other corrections
# ---------------------------------------------------------------------------

SERENA6_PFS_READOUT = [
    "serena6-result-pfs-hr",
    "serena6-result-pfs-rrr",
    "serena6-result-pfs-median-camizestrant",
    "serena6-result-pfs-median-aromatase-inhibitor",
]


def test_24_1_serena6_interim_analysis_holds_exactly_the_pfs_readout(union: Graph) -> None:
    linked = {
        curie(str(row["result"]))
        for row in union.query(
            PROLOGUE + "SELECT ?result { ?result ekg:fromAnalysis kg:serena6-analysis-interim-2025 }"
        )
    }
    assert linked == {f"kg:{result}" for result in SERENA6_PFS_READOUT}
    assert ask(
        union,
        """
        kg:serena6-analysis-interim-2025 ekg:hasAnalysisKind ekg:InterimAnalysis ;
            prov:wasDerivedFrom kg:astrazeneca-rns-2025-02-26 ;
            ekg:statedIn kg:loc-astrazeneca-rns-2025-02-26-para-1 .
        """,
    )


def test_24_2_serena6_randomized_population_is_the_esr1_mutated_one(union: Graph) -> None:
    assert ask(
        union,
        """
        kg:serena6 ekg:randomizedPopulation kg:serena6-pop-randomized .
        kg:serena6-pop-randomized ekg:definedByBiomarker kg:biomarker-esr1-mutation ;
            ekg:biomarkerAssessedBy kg:serena6-test-ctdna-esr1 ;
            prov:wasDerivedFrom kg:bidard-2025-nejm ;
            ekg:statedIn kg:loc-bidard-2025-nejm-methods .
        kg:serena6-criterion-esr1-mutation-without-progression ekg:appliesToPopulation kg:serena6-pop-randomized ;
            ekg:requiresBiomarker kg:biomarker-esr1-mutation .
        """,
    )


def test_24_5_esr1_not_detected_population_restricted_to_the_two_compared_arms(union: Graph) -> None:
    assert ask(
        union,
        """
        kg:ember3-pop-esr1-not-detected
            ekg:restrictedToArm kg:ember3-arm-imlunestrant , kg:ember3-arm-standard-therapy ;
            rdfs:label ?label .
        FILTER (STR(?label) = CONCAT("EMBER-3 patients without a detected ESR1 mutation ",
                                     "in the imlunestrant and standard therapy arms"))
        """,
    )
    assert not ask(
        union, "kg:ember3-pop-esr1-not-detected ekg:restrictedToArm kg:ember3-arm-imlunestrant-abemaciclib ."
    )


def test_24_6_astrazeneca_issuer_stated_where_the_sheets_name_it(union: Graph) -> None:
    assert ask(
        union,
        """
        kg:org-astrazeneca
            ekg:statedIn kg:loc-astrazeneca-pr-2025-06-01-dateline , kg:loc-astrazeneca-rns-2025-02-26-issuer .
        kg:loc-astrazeneca-rns-2025-02-26-para-3
            rdfs:label "AstraZeneca announcement 2025-02-26: paragraph 3 (double-blind design)"@en .
        """,
    )
    headlines = "kg:loc-astrazeneca-pr-2025-06-01-headline kg:loc-astrazeneca-rns-2025-02-26-headline"
    assert not ask(union, f"VALUES ?headline {{ {headlines} }} kg:org-astrazeneca ekg:statedIn ?headline .")


def test_24_6_no_trial_note_denies_a_data_cutoff_its_analyses_state(union: Graph) -> None:
    assert not ask(
        union,
        """
        ?analysis ekg:analysisOf ?trial ; ekg:dataCutoffDate ?date .
        ?trial skos:note ?note .
        FILTER (REGEX(?note, "(no|nor|neither)[^.;]*data cut-?off[^.;]*(are|is) stated", "i"))
        """,
    )


def test_24_6_approval_names_its_labelled_population(union: Graph) -> None:
    assert ask(
        union,
        """
        kg:approval-fda-imlunestrant-2025-09-25 ekg:approvedIndication ?indication ;
            ekg:approvedForPopulation kg:ember3-pop-esr1-mutated .
        ?indication a ekg:Condition ;
            ekg:requiresBiomarker kg:biomarker-er-positive , kg:biomarker-her2-negative , kg:biomarker-esr1-mutation ;
            prov:wasDerivedFrom kg:fda-notice-2025-09-25 ;
            ekg:statedIn kg:loc-fda-notice-2025-09-25-para-1 .
        """,
    )


def test_24_6_fda_design_words_and_response_criteria(union: Graph) -> None:
    assert ask(
        union,
        """
        kg:ember3 ekg:responseCriteria "RECIST v1.1" ; ekg:activeControlled true ; ekg:multicenter true ;
            prov:wasDerivedFrom kg:fda-notice-2025-09-25 ;
            ekg:statedIn kg:loc-fda-notice-2025-09-25-efficacy .
        """,
    )


@cache
def lines_of_therapy() -> list[dict[str, str]]:
    """Read the lines of therapy each trial's sources state (``lines-of-therapy.tsv``)."""
    return list(csv.DictReader((FIDELITY / "lines-of-therapy.tsv").open(encoding="utf-8"), delimiter="\t"))


def test_24_7_each_trial_has_exactly_the_lines_its_sources_state(union: Graph) -> None:
    tabled: dict[str, set[str]] = defaultdict(set)
    for row in lines_of_therapy():
        tabled[row["trial"]].add(row["line"])
    in_graph: dict[str, set[str]] = defaultdict(set)
    for trial in union.subjects(RDF.type, EKG.ClinicalTrial):
        in_graph[curie(str(trial))] |= {curie(str(line)) for line in union.objects(trial, EKG.treatmentLine)}
    assert dict(in_graph) == dict(tabled)


@parametrize_on_collection("row", lines_of_therapy, ids=lambda row: f"{row['trial']}-{row['line']}-{row['document']}")
def test_24_7_a_line_is_stated_by_its_document_at_its_location(union: Graph, row: dict[str, str]) -> None:
    assert ask(union, f"{row['trial']} prov:wasDerivedFrom {row['document']} ; ekg:statedIn {row['location']} .")
    assert ask(union, f"{row['location']} ekg:inDocument {row['document']} .")
    assert source_documents()[row["source"]] == URIRef(union.namespace_manager.expand_curie(row["document"]))
    if SOURCES.is_dir():
        assert row["printed"] in (SOURCES / row["source"]).read_text(encoding="utf-8")
