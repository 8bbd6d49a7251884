"""Numbers written as trial reports print them: ``HR 0.83 (95% CI 0.69-1.01); P = 0.07``, ``3.6 months``, ``17.1%``.

Every function takes numbers as the text a source prints (``"0.90"`` stays ``0.90``:
nothing is rounded or re-typed) and units as the labels the graph gives them (QUDT's
``month``, ``percent``, ``unitless ratio``), and writes them in the words a clinician
reads: plural units where the number is not exactly one, ``%`` after percentages, no
unit on a ratio, ``HR`` before a hazard ratio. A confidence level ``0.95`` is written
``95%`` (:func:`percent_level`), the one number that is shown scaled; ranges use an en
dash (U+2013), so that a negative limit stays readable (``-1.2-3.4`` would be ambiguous with hyphens).

Numbers the project computes (pooled estimates, weights, heterogeneity) have no printed
form: :func:`format_number` and :func:`format_p` write them with the decimals a
meta-analysis report uses. The site, the forest plots and ``ember3kg pool`` use this
module for every number they show. Example:

>>> str(Reported("hazard ratio", "0.83", "unitless ratio", "0.95", "0.69", "1.01", "=", "0.07"))
'HR 0.83 (95% CI 0.69\u20131.01); P = 0.07'
>>> estimate("median time to event", "3.6", "month")
'3.6 months'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

#: Dash between the limits of a range.
RANGE_DASH = "\u2013"


@dataclass(frozen=True)
class UnitWords:
    """How a unit is written after a number.

    :param singular: after exactly one (``1 month``).
    :param plural: after any other number (``3.6 months``).
    :param attached: written without a space (``17.1%``).
    """

    singular: str
    plural: str
    attached: bool = False

    def after(self, number: str) -> str:
        """Write ``number`` followed by the unit."""
        words = self.singular if _is_one(number) else self.plural
        if not words:
            return number
        return f"{number}{words}" if self.attached else f"{number} {words}"


#: Unit label (as the graph's QUDT individuals give it) -> how a report writes it.
UNITS = MappingProxyType(
    {
        "month": UnitWords("month", "months"),
        "day": UnitWords("day", "days"),
        "week": UnitWords("week", "weeks"),
        "year": UnitWords("year", "years"),
        "milligram": UnitWords("mg", "mg"),
        "percent": UnitWords("%", "%", attached=True),
        "number of events": UnitWords("event", "events"),
        "unitless ratio": UnitWords("", ""),
        "unitless": UnitWords("", ""),
    }
)

#: Comparator as the graph writes it -> as a report prints it.
COMPARATORS = MappingProxyType({">=": "\u2265", "<=": "\u2264"})

#: Result kind (the label of its class) -> abbreviation written before the estimate.
ESTIMATE_PREFIXES = MappingProxyType(
    {
        "hazard ratio": "HR",
        "cause-specific hazard ratio": "cause-specific HR",
    }
)


def _is_one(number: str) -> bool:
    """Whether ``number`` is printed as exactly one (``1``, not ``1.0``: reports write ``1.0 months``)."""
    return number.strip() == "1"


#: A piece of formatted text: the variable whose number it is (``None`` for the words between), and its text.
Part = tuple[str | None, str]


def _joined(parts: Iterable[Part]) -> str:
    return "".join(part for _, part in parts)


def with_unit_parts(number: str, unit: str | None, var: str = "value") -> tuple[Part, ...]:
    """As :func:`with_unit`, in parts: the number (named ``var``) and the unit words."""
    words = UNITS.get((unit or "").lower())
    if not unit:
        return ((var, number),)
    if words is None:
        return (var, number), (None, f" {unit}")
    after = words.after(number)
    return (var, number), (None, after[len(number) :])


def with_unit(number: str, unit: str | None) -> str:
    """Write a number with its unit: ``3.6`` + ``month`` -> ``3.6 months``; an unknown unit is written as given."""
    return _joined(with_unit_parts(number, unit))


def estimate_parts(kind: str | None, value: str, unit: str | None = None) -> tuple[Part, ...]:
    """As :func:`estimate`, in parts."""
    prefix = ESTIMATE_PREFIXES.get((kind or "").lower())
    written = with_unit_parts(value, unit)
    return ((None, f"{prefix} "), *written) if prefix else written


def estimate(kind: str | None, value: str, unit: str | None = None) -> str:
    """Write an estimate: ``HR 0.83``, ``3.6 months``, ``17.1%``."""
    return _joined(estimate_parts(kind, value, unit))


def percent_level(level: str) -> str:
    """Write a confidence level as a percentage: ``0.95`` -> ``95``, ``0.975`` -> ``97.5``; other text unchanged."""
    try:
        scaled = Decimal(level).scaleb(2)
    except InvalidOperation:
        return level
    written = format(scaled, "f")
    return written.rstrip("0").rstrip(".") if "." in written else written


def interval_parts(level: str | None, lower: str, upper: str) -> tuple[Part, ...]:
    """As :func:`interval`, in parts."""
    limits: tuple[Part, ...] = (("ciLower", lower), (None, RANGE_DASH), ("ciUpper", upper))
    if not level:
        return ((None, "CI "), *limits)
    return (("ciLevel", percent_level(level)), (None, "% CI "), *limits)


def interval(level: str | None, lower: str, upper: str) -> str:
    """Write a confidence interval: ``95% CI 0.69-1.01`` (an en dash between the limits), ``CI ...`` without a level."""
    return _joined(interval_parts(level, lower, upper))


def p_value_parts(comparator: str | None, value: str) -> tuple[Part, ...]:
    """As :func:`p_value`, in parts."""
    return (None, "P "), ("pComparator", comparator or "="), (None, " "), ("pValue", value)


def p_value(comparator: str | None, value: str) -> str:
    """Write a p-value: ``P = 0.07``, ``P < 0.001``."""
    return _joined(p_value_parts(comparator, value))


@dataclass(frozen=True)
class Reported:
    """A result as a report writes it: ``str(Reported(...))`` is ``HR 0.83 (95% CI 0.69-1.01); P = 0.07``.

    Every number is the text a source prints; a part not given (``None`` or ``""``) is left out.

    :param kind: the result kind (the label of its class), e.g. ``hazard ratio``.
    :param value: the estimate.
    :param unit: its unit's label, e.g. ``month``.
    :param level: the confidence level, e.g. ``0.95``.
    :param lower: the lower confidence limit.
    :param upper: the upper confidence limit.
    :param comparator: the p-value's comparator (``=``, ``<``).
    :param p: the p-value.
    """

    kind: str | None
    value: str
    unit: str | None = None
    level: str | None = None
    lower: str | None = None
    upper: str | None = None
    comparator: str | None = None
    p: str | None = None

    def parts(self) -> tuple[Part, ...]:
        """Give the text in parts: a page can mark each number with the variable it shows."""
        parts = list(estimate_parts(self.kind, self.value, self.unit))
        if self.lower and self.upper:
            parts += [(None, " ("), *interval_parts(self.level, self.lower, self.upper), (None, ")")]
        if self.p:
            parts += [(None, "; "), *p_value_parts(self.comparator, self.p)]
        return tuple(parts)

    def __str__(self) -> str:
        """Write the whole result."""
        return _joined(self.parts())


def format_number(value: float, decimals: int) -> str:
    """Write a computed number with a fixed number of decimals: ``format_number(0.8412, 2)`` is ``0.84``."""
    return f"{value:.{decimals}f}"


def format_p(value: float) -> str:
    """Write a computed p-value as ``p = 0.0356`` (four decimals), or ``p < 0.0001``."""
    return "p < 0.0001" if value < 0.0001 else f"p = {format_number(value, 4)}"
