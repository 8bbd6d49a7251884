"""Printed precision: the sources' 0.90 and 3.0 reach every output of `query`, on every embedded engine."""

from __future__ import annotations

import json
import re
from importlib.resources import files

import pytest
from rdflib import Graph, Literal, URIRef

from ember3kg.io.inputs import RdfInput
from ember3kg.query import EMBEDDED_ENGINES, Question, format_answer, questions, run_question
from ember3kg.query.answer import with_printed_forms
from ember3kg.reasoning.entailment import with_entailment
from ember3kg.vocab.printed import PRINTED_FORMS_FILE, printed_forms

GRAPH = files("ember3kg.graph")
EKG = "https://w3id.org/ember3kg/ontology#"
DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
#: The upper limit of the CNS cause-specific hazard ratio in ESR1-mutated patients, as the Lilly answer prints it.
UPPER = "0.90"
#: The ekg: properties whose numbers have a printed form (``ekg:printedValue`` for ``ekg:value`` ...).
PRINTED_OF = ("value", "lowerLimit", "upperLimit", "confidenceLevel", "timepointValue", "doseAmount")


def test_printed_forms_part_is_current() -> None:
    sources = sorted(
        (item for item in GRAPH.iterdir() if item.name.endswith(".ttl") and item.name != PRINTED_FORMS_FILE),
        key=lambda item: item.name,
    )
    expected = printed_forms((item.name, item.read_bytes()) for item in sources)
    assert GRAPH.joinpath(PRINTED_FORMS_FILE).read_bytes() == expected, "run tools/generate-printed-forms.py"


def test_every_printed_property_is_declared_in_the_ontology() -> None:
    part = Graph().parse(data=GRAPH.joinpath(PRINTED_FORMS_FILE).read_bytes(), format="turtle")
    ontology = Graph().parse(data=files("ember3kg.ontology").joinpath("ember3kg.ttl").read_bytes(), format="turtle")
    used = set(part.predicates())
    assert used, "no printed form generated"
    assert {prop for prop in used if (prop, None, None) not in ontology} == set()


def test_printed_companion_replaces_the_lexical_form_and_is_dropped() -> None:
    number = Literal("0.9", datatype=URIRef(DECIMAL))
    variables, rows = with_printed_forms(["x", "x_printed", "y"], [(number, Literal("0.90"), None)])
    assert variables == ("x", "y")
    assert rows == [(Literal("0.90", datatype=URIRef(DECIMAL)), None)]


def _projected_numbers(sparql: str) -> set[str]:
    """Name the variables a SELECT question projects that read a property holding printed forms."""
    head, _, body = sparql.partition("WHERE")
    read = set(re.findall(r"(?<![/\w:])ekg:(?:" + "|".join(PRINTED_OF) + r") \?(\w+)", body))
    return {name for name in read if re.search(rf"\?{name}\b", head.split("SELECT", 1)[-1])}


@pytest.mark.parametrize("name", sorted(questions()))
def test_every_projected_number_has_its_printed_companion(name: str) -> None:
    sparql = questions()[name].sparql
    if not re.search(r"^SELECT", sparql, re.MULTILINE):
        pytest.skip("not a SELECT question")
    missing = {var for var in _projected_numbers(sparql) if f"?{var}_printed" not in sparql.partition("WHERE")[0]}
    assert missing == set()


@pytest.mark.parametrize("engine", EMBEDDED_ENGINES)
@pytest.mark.parametrize(
    ("format_name", "needle"),
    [
        ("table", f"| {UPPER}\n"),
        ("csv", f",{UPPER}\r\n"),
        ("tsv", f"\t{UPPER}\n"),
        ("xml", f'<literal datatype="{DECIMAL}">{UPPER}</literal>'),
    ],
)
def test_cns_hazard_ratio_upper_limit_keeps_its_printed_form(engine: str, format_name: str, needle: str) -> None:
    answer = run_question(
        questions()["cns-progression-hazard-ratios"], with_entailment(RdfInput.packaged()), engine=engine
    )
    assert needle in format_answer(answer, format_name)


@pytest.mark.parametrize("engine", EMBEDDED_ENGINES)
def test_cns_hazard_ratio_upper_limit_keeps_its_printed_form_in_json(engine: str) -> None:
    answer = run_question(
        questions()["cns-progression-hazard-ratios"], with_entailment(RdfInput.packaged()), engine=engine
    )
    rows = json.loads(format_answer(answer, "json"))["results"]["bindings"]
    assert [row["ciUpper"] for row in rows][-1] == {"type": "literal", "value": UPPER, "datatype": DECIMAL}
    assert "ciUpper_printed" not in rows[-1]


@pytest.mark.parametrize("engine", EMBEDDED_ENGINES)
def test_ad_hoc_query_gets_the_printed_form_by_the_same_convention(engine: str) -> None:
    sparql = (
        "SELECT ?u ?u_printed WHERE { kg:ember3-result-cns-cshr-esr1m-ci ekg:upperLimit ?u ;"
        " ekg:printedUpperLimit ?u_printed }"
    )
    answer = run_question(Question("q", sparql, "q"), with_entailment(RdfInput.packaged()), engine=engine)
    assert format_answer(answer, "csv") == f"u\r\n{UPPER}\r\n"
