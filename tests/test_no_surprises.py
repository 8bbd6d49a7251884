"""Regression tests of issue 26: no silent wrong or surprising answers.

Each test fails on the code before the issue: a user's own query printing ``0.9`` for a
printed ``0.90``, whole numbers stored as decimals, duplicated or multiplied rows, a data
property declared as an annotation, and small gaps of the command line (a mistyped
question name, ``-f turtle``, ``-f CSV``). The bulk loads of ``build``'s files into
three stores are in ``tests/test_bulk_load.py``.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, Dataset, Literal

from ember3kg.checks import jena_shacl
from ember3kg.checks import validate as validate_module
from ember3kg.cli import main
from ember3kg.io.inputs import RdfInput
from ember3kg.query import questions, run_questions
from ember3kg.reasoning.entailment import with_entailment
from ember3kg.stores.serve import _servable
from ember3kg.vocab.namespaces import EKG, GRAPH, KG


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in this process: exit code, standard output, standard error."""
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# Point 7: small gaps of the command line.


def test_a_mistyped_question_name_is_answered_with_the_close_names(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "query", "trial-desing")

    assert (code, out) == (2, "")
    assert err == "error: trial-desing: no such question or file; did you mean trial-design?\n"


def test_a_name_close_to_nothing_points_to_the_list_of_questions(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "query", "zzzz")

    assert code == 2
    assert err == "error: zzzz: no such question or file (see `ember3kg questions`)\n"


@pytest.mark.parametrize("name", ["turtle", "Turtle", "TTL"])
def test_turtle_is_a_name_of_the_turtle_format(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "query", "construct-hazard-ratio-summary", "-f", name)
    _, expected, _ = _run(capsys, "query", "construct-hazard-ratio-summary", "-f", "ttl")

    assert code == 0
    assert out == expected


def test_format_and_engine_names_are_matched_whatever_their_case(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "query", "trial-design", "-f", "CSV", "--engine", "Oxigraph")
    _, expected, _ = _run(capsys, "query", "trial-design", "-f", "csv", "--engine", "oxigraph")

    assert code == 0
    assert out == expected


# Point 6: validate sets Debian's Jena up itself, and says so when large data must do without it.


def _tiny_input() -> RdfInput:
    """One labelled trial: valid enough for a quick pySHACL run."""
    dataset = Dataset()
    dataset.graph(GRAPH["tiny"]).add((KG["tiny-trial"], RDFS.label, Literal("tiny", lang="en")))
    return RdfInput.from_rdflib(dataset, "tiny.trig")


#: Debian's Jena, which set-up needs (set-up also starts Java, to archive the classes it loads: marked ``java``).
needs_jena = pytest.mark.skipif(
    not jena_shacl.DEBIAN_CORE_JAR.is_file(), reason="Debian's libapache-jena-java is not installed"
)


@pytest.mark.java
@needs_jena
def test_jena_is_set_up_on_first_use_where_debian_installed_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "jena"
    monkeypatch.setattr(jena_shacl, "home", lambda: home)

    command = jena_shacl.jena_command()

    assert command is not None and command[-1] == jena_shacl.MAIN_CLASS
    assert (home / "classpath").read_text().startswith(str(home / "xerces-messages.jar"))
    assert f"-XX:SharedArchiveFile={home / jena_shacl.ARCHIVE}" in command
    assert sorted(path.name for path in home.iterdir()) == sorted(
        ["classpath", "xerces-messages.jar", jena_shacl.ARCHIVE]
    )


@pytest.mark.java
@needs_jena
def test_jena_gives_the_same_report_when_its_class_archive_is_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A jar of the class path changed after set-up (an upgrade): the JVM warns that it cannot use the
    # archive, by default on stdout, where Jena's report is read.
    home = tmp_path / "jena"
    monkeypatch.setattr(jena_shacl, "home", lambda: home)
    jena_shacl.set_up()
    data = RdfInput.packaged()
    archived = validate_module.validate(data, engine="jena")
    os.utime(home / "xerces-messages.jar", (0, 0))

    assert validate_module.validate(data, engine="jena").results == archived.results


def test_large_data_without_jena_is_validated_with_a_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jena_shacl, "home", lambda: tmp_path / "jena")
    monkeypatch.setattr(jena_shacl, "DEBIAN_CORE_JAR", tmp_path / "no-such.jar")
    monkeypatch.setattr(validate_module, "JENA_FROM_TRIPLES", 1)
    monkeypatch.setattr(jena_shacl.shutil, "which", lambda name: f"/usr/bin/{name}")
    notices: list[str] = []

    report = validate_module.validate(_tiny_input(), notice=notices.append)

    assert report.conforms
    assert notices == [
        "notice: validating 1 triples with pySHACL, about ten times slower than Jena here:"
        " libapache-jena-java is not installed (install Debian's libapache-jena-java, or choose the pySHACL engine)"
    ]


def test_small_data_is_validated_with_pyshacl_without_a_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    notices: list[str] = []

    validate_module.validate(_tiny_input(), notice=notices.append)

    assert notices == []


# Point 2: a query of your own prints every number it selects as the source prints it.

ENGINES = ("oxigraph", "rdflib")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("sparql", "expected"),
    [
        pytest.param("SELECT ?v WHERE { kg:ember3-result-pfs-hr-all-ci ekg:upperLimit ?v }", "v\n1.04\n", id="1.04"),
        pytest.param(
            "SELECT ?v WHERE { kg:ember3-result-cns-cshr-esr1m-ci ekg:upperLimit ?v }", "v\n0.90\n", id="trailing-zero"
        ),
        pytest.param(
            "SELECT * WHERE { kg:ember3-result-cns-cshr-esr1m-ci ekg:upperLimit ?v }", "v\n0.90\n", id="select-star"
        ),
        pytest.param(
            "SELECT ?u WHERE { kg:acelera-result-pfs-hr-all-jco ekg:hasConfidenceInterval/ekg:upperLimit ?u }",
            "u\n1.10\n",
            id="path",
        ),
        pytest.param(
            "SELECT DISTINCT ?u WHERE { ?r ekg:upperLimit ?u FILTER (?u = 1.1) }", "u\n1.10\n", id="distinct-filter"
        ),
        pytest.param(
            "SELECT ?u WHERE { kg:ember3-result-cns-cshr-esr1m ekg:hasConfidenceInterval [ ekg:upperLimit ?u ] }",
            "u\n0.90\n",
            id="blank-node",
        ),
    ],
)
def test_a_query_of_your_own_prints_numbers_as_the_source_prints_them(
    engine: str, sparql: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "query", "--engine", engine, "--format", "csv", "--sparql", sparql)

    assert code == 0
    assert out.replace("\r\n", "\n") == expected


@pytest.mark.parametrize("engine", ENGINES)
def test_a_query_that_groups_is_left_as_written(engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    sparql = "SELECT ?u (COUNT(*) AS ?n) WHERE { ?r ekg:upperLimit ?u FILTER (?u = 1.1) } GROUP BY ?u"

    code, out, _ = _run(capsys, "query", "--engine", engine, "--format", "csv", "--sparql", sparql)

    assert code == 0
    assert out.replace("\r\n", "\n") == "u,n\n1.1,2\n"


# Point 4: no question repeats a row, and serve lists each SERD once.

ROW_QUESTIONS = [name for name, question in questions().items() if "# param" not in question.sparql]


def test_no_question_answers_with_two_identical_rows() -> None:
    asked = [questions()[name] for name in ROW_QUESTIONS]
    answers = run_questions(asked, with_entailment(RdfInput.packaged()))

    repeated = {
        question.name: [row for row, count in Counter(answer.rows).items() if count > 1]
        for question, answer in zip(asked, answers, strict=True)
    }

    assert {name: rows for name, rows in repeated.items() if rows} == {}


def test_the_renamed_significance_question_says_what_it_lists() -> None:
    assert "statistically-significant-effects" not in questions()
    assert questions()["effects-and-their-significance"].description.startswith("Is each effect estimate")


@pytest.mark.java
def test_serve_holds_each_drug_class_membership_once() -> None:
    served = _servable(RdfInput.packaged(), True, lambda line: None).dataset()
    serd = (KG["drug-imlunestrant"], RDF.type, EKG.SelectiveEstrogenReceptorDegrader)

    holding = sorted(str(graph.identifier) for graph in served.graphs() if serd in graph)

    assert len(holding) == 1, holding


# Point 3: a whole number the source prints is matched by the whole number a user writes.


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "pattern", ["?r ekg:timepointValue 12", "?d ekg:doseAmount 30", "?d ekg:doseAmount 400"], ids=lambda p: p[3:]
)
def test_a_whole_number_is_matched_as_the_user_writes_it(
    engine: str, pattern: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "query", "--engine", engine, "--sparql", f"ASK {{ {pattern} }}")

    assert (code, out) == (0, "true\n")


def test_no_decimal_of_the_graph_is_written_as_a_whole_number() -> None:
    whole_decimals = sorted(
        f"{subject} {predicate} {value}"
        for subject, predicate, value in RdfInput.packaged().union()
        if isinstance(value, Literal) and value.datatype == XSD.decimal and "." not in str(value)
    )

    assert whole_decimals == []
