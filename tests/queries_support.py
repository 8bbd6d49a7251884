"""Golden answers of the competency questions, shared by the embedded and the server tests.

Each packaged question ``NAME`` has one expected answer in ``tests/expected/``:
``NAME.csv`` (SELECT, the W3C SPARQL CSV that ``ember3kg query --format csv`` writes,
with LF line ends for readable diffs, see :func:`golden_text`), ``NAME.txt``
(ASK: ``true`` or ``false``) or ``NAME.ttl`` (CONSTRUCT, compared by isomorphism).
A case with parameters is ``tests/data/query-params/NAME.CASE.params`` (one
``name=value`` a line) with its answer in ``tests/expected/NAME.CASE.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.term import Node

from ember3kg.query import Answer, format_answer, parse_param, questions

TESTS = Path(__file__).parent
EXPECTED = TESTS / "expected"
PARAMS = TESTS / "data" / "query-params"
#: Answer kind -> suffix of its expected file.
SUFFIXES = {"rows": ".csv", "boolean": ".txt", "graph": ".ttl"}


@dataclass(frozen=True)
class Case:
    """One question with its parameters and the file of its expected answer."""

    id: str
    question: str
    params: dict[str, Node]
    expected: Path


def cases() -> list[Case]:
    """Every packaged question without parameters, then every parameter case."""
    found = []
    for name in questions():
        matches = [EXPECTED / f"{name}{suffix}" for suffix in SUFFIXES.values()]
        expected = next((path for path in matches if path.exists()), matches[0])
        found.append(Case(name, name, {}, expected))
    for path in sorted(PARAMS.glob("*.params")):
        name = path.stem.split(".", 1)[0]
        params = dict(parse_param(line) for line in path.read_text("utf-8").splitlines() if line.strip())
        found.append(Case(path.stem, name, params, EXPECTED / f"{path.stem}.csv"))
    return found


def golden_text(answer: Answer) -> str:
    """Write a rows or boolean answer as its expected file holds it: W3C CSV with LF line ends; a graph as Turtle."""
    if answer.kind == "graph":
        return format_answer(answer, "table")
    return format_answer(answer, "csv").replace("\r\n", "\n")


def assert_expected(answer: Answer, case: Case) -> None:
    """Assert that ``answer`` is exactly the expected one: same rows in the same order, same boolean, same graph."""
    assert case.expected.suffix == SUFFIXES[answer.kind], f"{case.id}: answer kind {answer.kind}"
    if answer.kind == "graph":
        expected = Graph().parse(case.expected, format="turtle")
        assert answer.graph is not None
        assert isomorphic(answer.graph, expected), f"{case.id}: graph differs from {case.expected.name}"
        assert len(answer.graph) == len(expected)
    else:
        assert golden_text(answer) == case.expected.read_text("utf-8")
