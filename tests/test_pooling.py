"""Pooling of hazard ratios: a hand-checked example, and agreement with an independent numpy computation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ember3kg.errors import InputError
from ember3kg.pooling import HazardRatioInput, pool_hazard_ratios

#: The published all-patient PFS hazard ratios of EMERALD, VERITAC-2 and EMBER-3.
ALL_PATIENTS = (
    HazardRatioInput("EMERALD", 0.70, 0.55, 0.88),
    HazardRatioInput("VERITAC-2", 0.83, 0.69, 1.01),
    HazardRatioInput("EMBER-3", 0.87, 0.72, 1.04),
)
#: Inputs on which the pooling is checked against numpy: name -> hazard ratios.
CASES = {
    "all-patients": ALL_PATIENTS,
    # Q below its degrees of freedom: tau-squared is truncated at 0.
    "esr1m-homogeneous": (
        HazardRatioInput("EMERALD", 0.55, 0.39, 0.77),
        HazardRatioInput("VERITAC-2", 0.57, 0.42, 0.77),
        HazardRatioInput("EMBER-3", 0.62, 0.46, 0.82),
    ),
    "heterogeneous-pair": (HazardRatioInput("A", 0.40, 0.30, 0.53), HazardRatioInput("B", 1.10, 0.90, 1.34)),
    "90-percent-interval": (
        HazardRatioInput("A", 0.70, 0.58, 0.85, 0.90),
        HazardRatioInput("B", 0.90, 0.75, 1.08, 0.90),
    ),
}


def test_hand_checked_all_patient_pool() -> None:
    pool = pool_hazard_ratios(ALL_PATIENTS)
    fixed, random = pool.fixed, pool.random
    assert [round(value, 2) for value in (fixed.estimate, fixed.lower, fixed.upper)] == [0.81, 0.72, 0.91]
    assert [round(value, 2) for value in (random.estimate, random.lower, random.upper)] == [0.81, 0.72, 0.91]
    assert pool.tau2 == pytest.approx(0.00066, abs=0.00001)
    assert 100 * pool.i2 == pytest.approx(5.8, abs=0.05)
    assert pool.q == pytest.approx(2.12, abs=0.005)
    assert pool.df == 2


def _numpy_pool(inputs: tuple[HazardRatioInput, ...]) -> dict[str, float]:
    """Pool with fixed effect and DerSimonian-Laird written out from the textbook formulas."""
    z = {0.95: 1.959963984540054, 0.90: 1.6448536269514722}
    y = np.log([item.estimate for item in inputs])
    se = np.array([(math.log(i.upper) - math.log(i.lower)) / (2 * z[i.level]) for i in inputs])
    w = 1 / se**2
    fixed = float(np.sum(w * y) / np.sum(w))
    q = float(np.sum(w * (y - fixed) ** 2))
    df = len(inputs) - 1
    tau2 = max(0.0, (q - df) / (np.sum(w) - np.sum(w**2) / np.sum(w)))
    w_re = 1 / (se**2 + tau2)
    random = float(np.sum(w_re * y) / np.sum(w_re))
    return {
        "fixed": math.exp(fixed),
        "fixed_lower": math.exp(fixed - 1.959963984540054 / math.sqrt(np.sum(w))),
        "fixed_upper": math.exp(fixed + 1.959963984540054 / math.sqrt(np.sum(w))),
        "random": math.exp(random),
        "random_lower": math.exp(random - 1.959963984540054 / math.sqrt(np.sum(w_re))),
        "random_upper": math.exp(random + 1.959963984540054 / math.sqrt(np.sum(w_re))),
        "q": q,
        "tau2": float(tau2),
        "i2": max(0.0, (q - df) / q),
    }


@pytest.mark.parametrize("inputs", CASES.values(), ids=CASES.keys())
def test_pool_equals_independent_numpy_computation(inputs: tuple[HazardRatioInput, ...]) -> None:
    pool = pool_hazard_ratios(inputs)
    expected = _numpy_pool(inputs)
    found = {
        "fixed": pool.fixed.estimate,
        "fixed_lower": pool.fixed.lower,
        "fixed_upper": pool.fixed.upper,
        "random": pool.random.estimate,
        "random_lower": pool.random.lower,
        "random_upper": pool.random.upper,
        "q": pool.q,
        "tau2": pool.tau2,
        "i2": pool.i2,
    }
    assert found == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert sum(pool.fixed.weights) == pytest.approx(1)
    assert sum(pool.random.weights) == pytest.approx(1)


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        (ALL_PATIENTS[:1], "at least 2"),
        ((ALL_PATIENTS[0], HazardRatioInput("bad", 0.8, 0.9, 0.7)), "bad: cannot pool"),
        ((ALL_PATIENTS[0], HazardRatioInput("zero", 0.8, 0.0, 1.2)), "zero: cannot pool"),
    ],
    ids=["one-input", "inverted-interval", "zero-limit"],
)
def test_pool_rejects_what_cannot_be_pooled(inputs: tuple[HazardRatioInput, ...], message: str) -> None:
    with pytest.raises(InputError, match=message):
        pool_hazard_ratios(inputs)
