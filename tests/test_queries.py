"""Competency questions on the embedded engines: exact golden answers, same on rdflib and Oxigraph."""

from __future__ import annotations

import functools
import io
import json
import re
from pathlib import Path

import pyoxigraph
import pytest
from queries_support import Case, assert_expected, cases
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result
from rdflib.term import Node

from ember3kg.errors import InputError
from ember3kg.io.inputs import RdfInput
from ember3kg.publish.dataset import new_dataset
from ember3kg.query import (
    EMBEDDED_ENGINES,
    FORMATS,
    Answer,
    Question,
    format_answer,
    inject_values,
    lexical_answer,
    normalise_term,
    parse_param,
    parse_term,
    questions,
    run_question,
    run_questions,
)
from ember3kg.reasoning.entailment import with_entailment
from ember3kg.vocab.namespaces import EKG, KG
from ember3kg.vocab.terms import from_oxigraph

CASES = cases()
#: XML Schema datatypes (not rdflib's XSD namespace object, which pytest's collection trips over).
XSD = "http://www.w3.org/2001/XMLSchema#"


def test_at_least_thirty_questions_each_with_a_description() -> None:
    assert len(questions()) >= 30
    assert all(question.description.endswith("?") for question in questions().values())


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
@pytest.mark.parametrize("engine", EMBEDDED_ENGINES)
def test_question_gives_expected_answer(case: Case, engine: str) -> None:
    answer = run_question(
        questions()[case.question], with_entailment(RdfInput.packaged()), engine=engine, params=case.params
    )
    assert answer.rows or answer.boolean is not None or answer.graph, f"{case.id}: empty answer"
    assert_expected(answer, case)


#: Every question without parameters on Oxigraph; on rdflib, slower by far, the first ten.
SERIES = {"oxigraph": [case for case in CASES if not case.params]}
SERIES["rdflib"] = SERIES["oxigraph"][:10]


@pytest.mark.parametrize("engine", EMBEDDED_ENGINES)
def test_questions_asked_as_one_series_give_their_expected_answers(engine: str) -> None:
    series = SERIES[engine]
    asked = [questions()[case.question] for case in series]

    answers = list(run_questions(asked, with_entailment(RdfInput.packaged()), engine=engine))

    assert len(answers) == len(series) >= 10
    for answer, case in zip(answers, series, strict=True):
        assert_expected(answer, case)


@pytest.mark.parametrize("engine", EMBEDDED_ENGINES)
def test_a_result_without_a_place_in_its_document_is_not_traceable(engine: str) -> None:
    untraced = KG["ember3-result-pfs-median-esr1m-imlunestrant"]
    packaged = with_entailment(RdfInput.packaged())
    dataset = new_dataset()
    for context in packaged.dataset().graphs():
        target = dataset.graph(context.identifier)
        target += (triple for triple in context if triple[:2] != (untraced, EKG.statedIn))
    question = questions()["every-result-traceable-to-a-source"]
    assert run_question(question, packaged, engine=engine).boolean is True
    assert run_question(question, RdfInput.from_rdflib(dataset), engine=engine).boolean is False


def _order_keys(sparql: str) -> dict[str, str]:
    """Map each ``ORDER BY`` variable of a question to its wrapper: ``""``, ``"STR("`` or ``"COALESCE(STR("``."""
    clause = re.search(r"^ORDER BY (.*)$", sparql, re.MULTILINE)
    found = re.findall(r"(COALESCE\(STR\(|STR\(|)\?(\w+)", clause.group(1)) if clause else []
    return {variable: wrapper for wrapper, variable in found}


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_order_keys_are_written_to_sort_alike_on_every_engine(case: Case) -> None:
    # docs/queries.md, "Writing a question that answers the same on every store": SPARQL leaves the order of
    # language-tagged literals to the store (Virtuoso sorts them by a prefix), and rdflib fails on STR() of an
    # unbound key.
    answer = _answer(case.id)
    keys = _order_keys(questions()[case.question].sparql)
    cells = [(variable, term) for row in answer.rows for variable, term in zip(answer.variables, row, strict=True)]
    tagged = {variable for variable, term in cells if isinstance(term, Literal) and term.language}
    unbound = {variable for variable, term in cells if term is None}
    assert not {variable for variable in tagged if keys.get(variable) == ""}
    assert not {variable for variable in unbound if keys.get(variable) == "STR("}


def test_every_expected_file_belongs_to_a_case() -> None:
    used = {case.expected.name for case in CASES}
    assert sorted(path.name for path in Path(CASES[0].expected.parent).iterdir()) == sorted(used)


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("kg:ember3", KG.ember3),
        ("<https://w3id.org/ember3kg/id/ember3>", KG.ember3),
        ("12", Literal("12", datatype=XSD + "integer")),
        ("0.90", Literal("0.90", datatype=XSD + "decimal")),
        ("true", Literal("true", datatype=XSD + "boolean")),
        ('imlunestrant" } ?s ?p ?o {', Literal('imlunestrant" } ?s ?p ?o {')),
    ],
    ids=["curie", "iri", "integer", "decimal", "boolean", "text-with-quotes"],
)
def test_parse_term(text: str, term: object) -> None:
    assert parse_term(text) == term


@pytest.mark.parametrize("text", ["<a b>", "<x> } ?s ?p ?o {<y>", "nope:thing"], ids=["space", "breakout", "prefix"])
def test_parse_term_rejects(text: str) -> None:
    with pytest.raises(InputError):
        parse_term(text)


@pytest.mark.parametrize(
    ("term", "canonical"),
    [
        (Literal("0.90", datatype=XSD + "decimal"), "0.9"),
        (Literal("3.0", datatype=XSD + "decimal"), "3"),
        (Literal("12", datatype=XSD + "decimal"), "12"),
        (Literal("007", datatype=XSD + "integer"), "7"),
        (Literal("1", datatype=XSD + "boolean"), "true"),
    ],
    ids=["trailing-zero", "integral-decimal", "decimal-without-point", "leading-zeros", "boolean-one"],
)
def test_normalise_term(term: Literal, canonical: str) -> None:
    assert str(normalise_term(term)) == canonical


def test_values_injected_in_where_group_of_construct() -> None:
    question = Question("q", "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t }", "q")
    injected = inject_values(question, {"s": URIRef("https://example.org/x")})
    assert injected == "CONSTRUCT { ?s a ?t } WHERE {\n  VALUES (?s) { (<https://example.org/x>) }\n ?s a ?t }"


def test_injected_literal_is_escaped() -> None:
    question = Question("q", "SELECT ?x WHERE { ?x ?p ?o }", "q")
    injected = inject_values(question, {"x": Literal('a" } DROP ALL {')})
    assert 'VALUES (?x) { ("a\\" } DROP ALL {") }' in injected


@pytest.mark.parametrize("engine", EMBEDDED_ENGINES)
def test_syntax_error_names_file_line_and_column(engine: str) -> None:
    question = Question("bad", "# broken\nSELECT ?x WHERE {\n  ?x ?y }\n", "bad.rq")
    with pytest.raises(InputError, match=r"^bad\.rq:\d+:\d+: SPARQL syntax error"):
        run_question(question, with_entailment(RdfInput.packaged()), engine=engine)


def test_unknown_parameter_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"no variable \?nothing"):
        run_question(questions()["trial-design"], with_entailment(RdfInput.packaged()), params={"nothing": Literal(1)})


def test_param_without_equals_sign_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"^parameter 'result': expected NAME=VALUE$"):
        parse_param("result")


@pytest.mark.parametrize("format_name", ["table", "json", "xml", "csv", "tsv"])
def test_formats_write_every_row(format_name: str) -> None:
    golden = (Path(__file__).parent / "expected" / "grade3-adverse-events-by-arm.csv").read_text("utf-8").splitlines()
    percents = [line.rsplit(",", 2)[1] for line in golden[1:]]
    text = format_answer(
        run_question(questions()["grade3-adverse-events-by-arm"], with_entailment(RdfInput.packaged())), format_name
    )
    assert all(value in text for value in percents)
    if format_name in ("table", "csv", "tsv"):
        assert len(text.splitlines()) == len(percents) + (2 if format_name == "table" else 1)


@functools.cache
def _answer(case_id: str) -> Answer:
    """Answer one case on Oxigraph, once for every format."""
    case = next(case for case in CASES if case.id == case_id)
    return run_question(questions()[case.question], with_entailment(RdfInput.packaged()), params=case.params)


def _cell(term: Node | None, format_name: str) -> object:
    """Keep what a W3C format keeps of a term: all of it, but only the text in CSV."""
    if format_name == "csv":
        return "" if term is None else str(term)
    return term


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
@pytest.mark.parametrize("format_name", ["json", "xml", "csv", "tsv"])
def test_w3c_format_parses_back_to_the_same_answer(case: Case, format_name: str) -> None:
    answer = _answer(case.id)
    text = format_answer(answer, format_name)
    if answer.kind == "graph":
        syntax = {"json": "json-ld", "xml": "xml", "csv": "nt", "tsv": "nt"}[format_name]
        assert isomorphic(Graph().parse(data=text, format=syntax), answer.graph)
        return
    if answer.kind == "boolean" and format_name in ("csv", "tsv"):
        assert text == f"{str(answer.boolean).lower()}\n"  # the W3C CSV/TSV formats define SELECT only
        return
    if format_name == "tsv":  # rdflib's TSV parser fails on negative numbers ("Not a number"): read with Oxigraph's
        solutions = pyoxigraph.parse_query_results(text, pyoxigraph.QueryResultsFormat.TSV)
        names = [var.value for var in solutions.variables]
        rows = [tuple(from_oxigraph(solution[name]) for name in names) for solution in solutions]
    else:
        parsed = Result.parse(io.StringIO(text), format=format_name)
        if answer.kind == "boolean":
            assert parsed.askAnswer is answer.boolean
            return
        names = [str(var) for var in parsed.vars or ()]
        rows = [tuple(_cell(row.get(var), format_name) for var in parsed.vars or ()) for row in parsed.bindings]
    assert names == list(answer.variables)
    assert rows == [tuple(_cell(term, format_name) for term in row) for row in answer.rows]


def test_json_has_full_iris_datatypes_and_language_tags() -> None:
    answer = run_question(
        Question("q", "SELECT * WHERE { BIND(kg:ember3 AS ?i) BIND(0.90 AS ?d) BIND('x'@en AS ?l) }", "q"),
        RdfInput.packaged(),
    )
    bindings = json.loads(format_answer(answer, "json"))["results"]["bindings"][0]
    assert bindings["i"] == {"type": "uri", "value": str(KG.ember3)}
    assert bindings["d"] == {"type": "literal", "value": "0.9", "datatype": XSD + "decimal"}
    assert bindings["l"] == {"type": "literal", "value": "x", "xml:lang": "en"}


def test_rdf_syntax_is_refused_for_a_select_answer() -> None:
    with pytest.raises(InputError, match="format 'ttl' writes graphs"):
        format_answer(run_question(questions()["trial-design"], with_entailment(RdfInput.packaged())), "ttl")


@pytest.mark.parametrize(
    "format_name", [name for name in FORMATS if name not in ("table", "json", "xml", "csv", "tsv")]
)
def test_construct_answer_in_any_rdf_syntax(format_name: str) -> None:
    answer = run_question(questions()["construct-hazard-ratio-summary"], with_entailment(RdfInput.packaged()))
    syntax = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[format_name]
    parsed = Graph().parse(data=format_answer(answer, format_name), format=syntax)
    assert len(parsed) == len(answer.graph or ())


def test_a_lexical_answer_is_the_union_of_a_dataset_left_as_it_was() -> None:
    dataset = new_dataset()
    dataset.graph(URIRef("urn:x:g1")).add(
        (URIRef("urn:x:a"), URIRef("urn:x:p"), Literal("0.60", datatype=XSD + "decimal"))
    )
    dataset.graph(URIRef("urn:x:g2")).add((URIRef("urn:x:b"), URIRef("urn:x:p"), Literal("2")))
    prefixes = sorted(dataset.namespaces())
    question = Question("union", "SELECT ?s ?o WHERE { ?s <urn:x:p> ?o } ORDER BY ?s", "--sparql")

    answer = lexical_answer(question, dataset)

    assert [tuple(map(str, row)) for row in answer.rows] == [("urn:x:a", "0.60"), ("urn:x:b", "2")]
    assert dataset.default_union is False
    assert sorted(dataset.namespaces()) == prefixes
