"""Regression tests of issue 26: no silent wrong or surprising answers.

Each test fails on the code before the issue: a user's own query printing ``0.9`` for a
printed ``0.90``, whole numbers stored as decimals, duplicated or multiplied rows, a data
property declared as an annotation, and small gaps of the command line (a mistyped
question name, ``-f turtle``, ``-f CSV``). The bulk loads of ``build``'s files into
three stores are in ``tests/test_bulk_load.py``.
"""

from __future__ import annotations

import pytest

from ember3kg.cli import main


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
