"""Regression tests of issue 26: no silent wrong or surprising answers.

Each test fails on the code before the issue: a user's own query printing ``0.9`` for a
printed ``0.90``, whole numbers stored as decimals, duplicated or multiplied rows, a data
property declared as an annotation, and small gaps of the command line (a mistyped
question name, ``-f turtle``, ``-f CSV``). The bulk loads of ``build``'s files into
three stores are in ``tests/test_bulk_load.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDFS, Dataset, Literal

from ember3kg import jena_shacl
from ember3kg import validate as validate_module
from ember3kg.cli import main
from ember3kg.inputs import RdfInput
from ember3kg.namespaces import GRAPH, KG


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


@pytest.mark.skipif(not jena_shacl.DEBIAN_CORE_JAR.is_file(), reason="Debian's libapache-jena-java is not installed")
def test_jena_is_set_up_on_first_use_where_debian_installed_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jena_shacl, "home", lambda: tmp_path / "jena")

    command = jena_shacl.jena_command()

    assert command is not None and command[-1] == jena_shacl.MAIN_CLASS
    assert (tmp_path / "jena" / "classpath").read_text().startswith(str(tmp_path / "jena" / "xerces-messages.jar"))


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
        " libapache-jena-java is not installed (install Debian's libapache-jena-java, or give --engine pyshacl)"
    ]


def test_small_data_is_validated_with_pyshacl_without_a_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    notices: list[str] = []

    validate_module.validate(_tiny_input(), notice=notices.append)

    assert notices == []
