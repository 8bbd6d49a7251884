"""Numbers written as trial reports print them (ember3kg.evidence.reporting): every case with its exact text."""

from __future__ import annotations

import pytest

from ember3kg.evidence import reporting


@pytest.mark.parametrize(
    ("arguments", "written"),
    [
        (
            ("hazard ratio", "0.83", "unitless ratio", "0.95", "0.69", "1.01", "=", "0.07"),
            "HR 0.83 (95% CI 0.69\u20131.01); P = 0.07",
        ),
        (
            ("hazard ratio", "0.58", "unitless ratio", "0.95", "0.43", "0.78", "<", "0.001"),
            "HR 0.58 (95% CI 0.43\u20130.78); P < 0.001",
        ),
        (("median time to event", "3.6", "month", "0.95", "2.6", "4.0"), "3.6 months (95% CI 2.6\u20134.0)"),
        (("median time to event", "1", "month"), "1 month"),
        (("median time to event", "1.0", "month"), "1.0 months"),
        (("incidence proportion", "17.1", "percent"), "17.1%"),
        (("event count", "12", "number of events"), "12 events"),
        (("event count", "1", "number of events"), "1 event"),
        (
            ("cause-specific hazard ratio", "0.90", "unitless ratio", "0.90", "0.60", "1.34"),
            "cause-specific HR 0.90 (90% CI 0.60\u20131.34)",
        ),
        (("hazard ratio", "0.87", None, None, "0.72", "1.04"), "HR 0.87 (CI 0.72\u20131.04)"),
        (
            ("difference in restricted mean survival time", "-1.2", "month", "0.95", "-2.5", "0.1"),
            "-1.2 months (95% CI -2.5\u20130.1)",
        ),
        (("landmark event-free rate", "5", "furlong"), "5 furlong"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_results_are_written_as_reports_do(arguments: tuple[str | None, ...], written: str) -> None:
    assert str(reporting.Reported(*arguments)) == written


@pytest.mark.parametrize(("level", "percent"), [("0.95", "95"), ("0.975", "97.5"), ("0.90", "90"), ("95%", "95%")])
def test_confidence_level_is_written_as_a_percentage(level: str, percent: str) -> None:
    assert reporting.percent_level(level) == percent


def test_parts_name_the_variable_of_each_number() -> None:
    parts = reporting.Reported("hazard ratio", "0.83", "unitless ratio", "0.95", "0.69", "1.01", "=", "0.07").parts()
    assert [var for var, _ in parts if var] == ["value", "ciLevel", "ciLower", "ciUpper", "pComparator", "pValue"]
    assert "".join(text for _, text in parts) == "HR 0.83 (95% CI 0.69\u20131.01); P = 0.07"
