"""Checks of `ember3kg query` and `ember3kg questions`, run in this process: output and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from queries_support import EXPECTED

from conftest import run_main
from ember3kg.cli import cli
from ember3kg.query import questions


def test_questions_lists_every_question_with_its_description() -> None:
    result = run_main("questions")
    assert result.returncode == 0
    out = result.stdout.decode()
    for name, question in questions().items():
        assert f"{name}\n    {question.description}\n" in out
    assert "--param result=...:" in out


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_query_by_name_prints_expected_csv(engine: str) -> None:
    result = run_main("query", "median-pfs-by-arm-and-population", "--format", "csv", "--engine", engine)
    assert result.returncode == 0, result.stderr
    # W3C CSV ends lines with CRLF; the golden files keep LF (queries_support.golden_text).
    assert (
        result.stdout.decode().replace("\r\n", "\n") == (EXPECTED / "median-pfs-by-arm-and-population.csv").read_text()
    )


def test_query_with_param(tmp_path: Path) -> None:
    result = run_main("query", "provenance-of-result", "-f", "csv", "--param", "result=kg:ember3-result-pfs-hr-all")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().replace("\r\n", "\n") == (EXPECTED / "provenance-of-result.hr-all.csv").read_text()


def test_query_from_sparql_text() -> None:
    sparql = "PREFIX ekg: <https://w3id.org/ember3kg/ontology#> ASK { ?a ekg:armSize 213 }"
    result = run_main("query", "--sparql", sparql)
    assert (result.returncode, result.stdout) == (0, b"true\n")


def test_query_from_standard_input_with_the_project_prefixes() -> None:
    result = CliRunner().invoke(cli, ["query", "-"], input="ASK { ?arm ekg:armSize 213 }")
    assert (result.exit_code, result.output) == (0, "true\n")


def test_param_takes_a_project_curie() -> None:
    sparql = "SELECT ?drug ?chebi WHERE { ?drug skos:exactMatch ?chebi }"
    result = CliRunner().invoke(cli, ["query", "--sparql", sparql, "--param", "chebi=CHEBI:31638", "-f", "tsv"])
    row = "<https://w3id.org/ember3kg/id/drug-fulvestrant>\t<http://purl.obolibrary.org/obo/CHEBI_31638>"
    assert (result.exit_code, result.output) == (0, f"?drug\t?chebi\n{row}\n")


def test_several_questions_print_each_table_under_its_name() -> None:
    names = ["trial-design", "drugs-degrading-the-estrogen-receptor", "investigational-drugs"]
    alone = [CliRunner().invoke(cli, ["query", name]).output for name in names]

    result = CliRunner().invoke(cli, ["query", *names])

    assert result.exit_code == 0, result.output
    assert result.output == "".join(f"== {name}\n{table}" for name, table in zip(names, alone, strict=True))


def test_help_lists_the_declared_prefixes() -> None:
    result = CliRunner().invoke(cli, ["query", "--help"], terminal_width=1000)
    assert result.exit_code == 0
    assert "Prefixes declared for every query: " in result.output
    assert all(f" {prefix}," in result.output for prefix in ("CHEBI", "ekg", "kg"))


UNDECLARED = "SELECT ?x WHERE {\n  ?x a nope:Thing }\n"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("query", "{file}"), 2, "bad.rq:4:1: SPARQL syntax error: unexpected end of query (a closing"),
        (("query", "{file}", "--engine", "rdflib"), 2, "bad.rq:3:3: SPARQL syntax error: unexpected '?x' (check the"),
        (("query", "--sparql", UNDECLARED), 2, "--sparql:2:8: SPARQL syntax error: unknown prefix 'nope' (declare"),
        (
            ("query", "--sparql", UNDECLARED, "-e", "rdflib"),
            2,
            "--sparql:2:8: SPARQL syntax error: unknown prefix 'nope'",
        ),
        (
            ("query", "--sparql", "SELEC ?x WHERE {}"),
            2,
            "--sparql:1:1: SPARQL syntax error: unexpected 'SELEC' (is a keyword misspelt",
        ),
        (
            ("query", "--sparql", "SELEC ?x WHERE {}", "-e", "rdflib"),
            2,
            "--sparql:1:1: SPARQL syntax error: unexpected 'SELEC'",
        ),
        (("query", "trial-design", "-f", "ttl"), 2, "format 'ttl' writes graphs"),
        (("query", "no-such-question"), 2, "no such question or file"),
        (("query", "trial-design", "--param", "nothing=1"), 2, "no variable ?nothing"),
        (
            ("query", "trial-design", "--param", "result"),
            2,
            "Invalid value for '--param' / '-p': parameter 'result': expected NAME=VALUE",
        ),
        (("query",), 2, "either a question"),
        (("query", "trial-design", "--sparql", "ASK {}"), 2, "either a question"),
        (
            ("query", "trial-design", "investigational-drugs", "-f", "json"),
            2,
            "several questions are printed as tables only, not --format json",
        ),
        (("query", "trial-design", "no-such-question"), 2, "no-such-question: no such question or file"),
        (("query", "trial-design", "--engine", "endpoint"), 2, "needs an http(s) URL"),
        (("query", "trial-design", "--engine", "rdflib", "--endpoint", "http://127.0.0.1:9/query"), 2, "--endpoint"),
        (("query", "trial-design", "--endpoint", "http://127.0.0.1:9/query", "--timeout", "2"), 4, "127.0.0.1:9"),
    ],
    ids=[
        "syntax-oxigraph",
        "syntax-rdflib",
        "prefix-oxigraph",
        "prefix-rdflib",
        "keyword-oxigraph",
        "keyword-rdflib",
        "rdf-syntax-for-rows",
        "unknown",
        "unknown-param",
        "param-syntax",
        "nothing",
        "names-and-sparql",
        "several-as-json",
        "one-of-several-unknown",
        "no-url",
        "endpoint-and-engine",
        "down",
    ],
)
def test_query_errors(tmp_path: Path, args: tuple[str, ...], code: int, message: str) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("# broken\nSELECT ?x WHERE {\n  ?x ?y }\n")
    result = run_main(*(str(bad) if arg == "{file}" else arg for arg in args))
    stderr = result.stderr.decode()
    assert result.returncode == code, stderr
    assert stderr.startswith("error: ") and message in stderr
    assert len(stderr.splitlines()) == 1
