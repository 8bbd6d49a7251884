"""End-to-end checks of `ember3kg query` and `ember3kg questions`: output and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from queries_support import EXPECTED

from conftest import run_cli
from ember3kg.query import questions

pytestmark = pytest.mark.slow


def test_questions_lists_every_question_with_its_description() -> None:
    result = run_cli("questions")
    assert result.returncode == 0
    out = result.stdout.decode()
    for name, question in questions().items():
        assert f"{name}\n    {question.description}\n" in out
    assert "--param result=...:" in out


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_query_by_name_prints_expected_csv(engine: str) -> None:
    result = run_cli("query", "median-pfs-by-arm-and-population", "--format", "csv", "--engine", engine)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == (EXPECTED / "median-pfs-by-arm-and-population.csv").read_text("utf-8")


def test_query_with_param(tmp_path: Path) -> None:
    result = run_cli("query", "provenance-of-result", "-f", "csv", "--param", "result=kg:ember3-result-pfs-hr-all")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == (EXPECTED / "provenance-of-result.hr-all.csv").read_text("utf-8")


def test_query_from_sparql_text() -> None:
    sparql = "PREFIX ekg: <https://w3id.org/ember3kg/ontology#> ASK { ?a ekg:armSize 213 }"
    result = run_cli("query", "--sparql", sparql)
    assert (result.returncode, result.stdout) == (0, b"true\n")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("query", "{file}"), 2, "bad.rq:4:1: SPARQL syntax error"),
        (("query", "{file}", "--engine", "rdflib"), 2, "bad.rq:"),
        (("query", "no-such-question"), 2, "no such question or file"),
        (("query", "trial-design", "--param", "nothing=1"), 2, "no variable ?nothing"),
        (("query", "trial-design", "--param", "result"), 2, "expected NAME=VALUE"),
        (("query",), 2, "either a question"),
        (("query", "trial-design", "--engine", "endpoint"), 2, "needs an http(s) URL"),
        (("query", "trial-design", "--engine", "rdflib", "--endpoint", "http://127.0.0.1:9/query"), 2, "--endpoint"),
        (("query", "trial-design", "--endpoint", "http://127.0.0.1:9/query", "--timeout", "2"), 4, "127.0.0.1:9"),
    ],
    ids=[
        "syntax-oxigraph",
        "syntax-rdflib",
        "unknown",
        "unknown-param",
        "param-syntax",
        "nothing",
        "no-url",
        "endpoint-and-engine",
        "down",
    ],
)
def test_query_errors(tmp_path: Path, args: tuple[str, ...], code: int, message: str) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("# broken\nSELECT ?x WHERE {\n  ?x ?y }\n")
    result = run_cli(*(arg.format(file=bad) for arg in args))
    stderr = result.stderr.decode()
    assert result.returncode == code, stderr
    assert stderr.startswith("error: ") and message in stderr
    assert len(stderr.splitlines()) == 1
