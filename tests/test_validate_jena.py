"""Jena's SHACL engine gives the same report as pySHACL, the reference.

Every failing example of ``data/shapes/invalid/`` is validated whole by Jena: it must give
exactly the results the example expects, beyond those of the unchanged data, and on the
example's own nodes exactly what pySHACL gives there (``test_validate.py`` validates each
example on those nodes only; this is where that shortcut is proved faithful). Starting Java once per
example would cost minutes, so the examples are validated by Jena in a few runs: each
mutated copy of the data gets its own names (every ``kg:`` IRI prefixed with the
example's number), the copies of one group of examples (``case_group`` of
``test_validate.py``, whose worker has their focused pySHACL reports) are validated together,
and each example's results are named back and compared with pySHACL's report of that
example. An example that expects a result on a node outside ``kg:`` (which
renaming cannot attribute) is validated alone. Two examples are also compared with
pySHACL's whole report, in every report format.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from rdflib import Graph, URIRef
from test_validate import (
    SHAPES_DATA,
    _baseline,
    _expected,
    _focused_report,
    _mutated,
    _packaged_report,
    _triples,
    case_group,
    case_params,
    invalid_cases,
)

from conftest import parametrize_on_collection, run_cli
from ember3kg.checks.jena_shacl import jena_command
from ember3kg.checks.validate import REPORT_FORMATS, ValidationReport, ValidationResult, validate
from ember3kg.io.inputs import RdfInput
from ember3kg.publish.dataset import quads_of
from ember3kg.vocab.namespaces import KG

pytestmark = [
    pytest.mark.java,
    pytest.mark.skipif(
        jena_command() is None, reason="Jena SHACL is not set up: needs Java, libapache-jena-java and `make jena`"
    ),
]


def _tag(number: int) -> str:
    return f"x{number:03d}-"


def _renamed(graph: Graph, tag: str) -> Iterator[str]:
    """Write ``graph`` as N-Triples lines, every ``kg:`` IRI prefixed with ``tag`` (on pyoxigraph terms, for speed)."""

    def rename(term: Any) -> Any:
        if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(KG):
            return pyoxigraph.NamedNode(f"{KG}{tag}{term.value.removeprefix(str(KG))}")
        return term

    for quad in quads_of(graph):
        yield f"{rename(quad.subject)} {rename(quad.predicate)} {rename(quad.object)} .\n"


def _named_back(result: ValidationResult, tag: str) -> ValidationResult:
    def back(term: object) -> object:
        return URIRef(str(term).replace(f"{KG}{tag}", str(KG))) if isinstance(term, URIRef) else term

    return ValidationResult(
        severity=result.severity,
        shape=result.shape,
        focus=back(result.focus),  # type: ignore[arg-type]
        focus_label=result.focus_label,
        path=result.path,
        value=back(result.value),  # type: ignore[arg-type]
        message=result.message.replace(f"kg:{tag}", "kg:"),
        constraint=result.constraint,
        path_node=result.path_node,
    )


@cache
def _jena_results(group: str) -> dict[str, set[ValidationResult]]:
    """Validate the renamed copies of the examples of ``group`` in one Jena run; results per example, named back."""
    union: list[str] = []
    found: dict[str, set[ValidationResult]] = {}
    for number, case in enumerate(invalid_cases()):
        if case_group(case) != group:
            continue
        if all(focus.startswith(KG) for _, _, focus in _expected(case)):
            union += _renamed(_mutated(case), _tag(number))
            found[case.stem] = set()
        else:
            found[case.stem] = set(validate(RdfInput.from_rdflib(_mutated(case)), engine="jena").results)
    with tempfile.TemporaryDirectory(prefix="ember3kg-test-") as folder:
        copies = Path(folder) / f"{group}.nt"
        copies.write_text("".join(union), encoding="utf-8")
        results = validate(RdfInput.read([copies]), engine="jena").results
    for result in results:
        number = int(str(result.focus).removeprefix(str(KG))[1:4])
        found[invalid_cases()[number].stem].add(_named_back(result, _tag(number)))
    return found


@parametrize_on_collection("case", case_params)
def test_jena_gives_exactly_the_expected_results_on_the_whole_graph(case) -> None:
    assert _triples(_jena_results(case_group(case))[case.stem]) - _baseline() == _expected(case)


@parametrize_on_collection("case", case_params)
def test_jena_gives_the_results_of_pyshacl(case) -> None:
    # On the example's nodes, pySHACL's results there; elsewhere, those of the unchanged data.
    results, focused = _jena_results(case_group(case))[case.stem], _focused_report(case)
    unchanged = {result for result in _packaged_report().results if result.focus not in focused.focus}

    assert {result for result in results if result.focus in focused.focus} == set(focused.results)
    assert {result for result in results if result.focus not in focused.focus} == unchanged


@cache
def _engine_report(case: str, engine: str) -> ValidationReport:
    """Validate the mutation of the invalid example ``case`` with ``engine``, once for every format."""
    return validate(RdfInput.from_rdflib(_mutated(SHAPES_DATA / "invalid" / f"{case}.ru")), engine=engine)


@pytest.mark.xdist_group("jena-formats")
@pytest.mark.parametrize("format_name", list(REPORT_FORMATS))
def test_jena_report_is_the_same_in_every_format(format_name: str) -> None:
    # A SPARQL constraint whose message names IRIs, and a property shape with a path.
    for case in ("comparison-population-of-another-trial", "estimate-above-upper-limit"):
        render = REPORT_FORMATS[format_name]

        assert render(_engine_report(case, "jena")) == render(_engine_report(case, "pyshacl"))


def test_auto_validates_small_data_with_pyshacl_and_large_data_with_jena(monkeypatch: pytest.MonkeyPatch) -> None:
    import ember3kg.checks.validate as module

    small = RdfInput.from_rdflib(_mutated(SHAPES_DATA / "invalid" / "hazard-ratio-zero.ru"))
    before = module._chosen_engine("auto", small)
    monkeypatch.setattr(module, "JENA_FROM_TRIPLES", small.triple_count())

    assert (before, module._chosen_engine("auto", small)) == ("pyshacl", "jena")


def test_cli_engine_option(tmp_path) -> None:
    data = tmp_path / "mutated.nt"
    _mutated(SHAPES_DATA / "invalid" / "hazard-ratio-zero.ru").serialize(data, format="nt", encoding="utf-8")
    outputs = [run_cli("validate", "--format", "json", "--engine", engine, str(data)) for engine in ("pyshacl", "jena")]

    assert [result.returncode for result in outputs] == [1, 1]
    assert outputs[0].stdout == outputs[1].stdout
    assert b'"conforms": false' in outputs[0].stdout


def test_unknown_engine_is_an_input_error() -> None:
    from ember3kg.errors import InputError

    with pytest.raises(InputError, match="unknown validation engine 'sparql'; engines: auto, pyshacl, jena"):
        validate(RdfInput.packaged(), engine="sparql")
