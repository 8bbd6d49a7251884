"""Pool hazard ratios across trials: inverse-variance fixed effect and DerSimonian-Laird random effects.

Each hazard ratio enters on the log scale with the standard error recovered from its
confidence interval, ``SE = (ln U - ln L) / (2 z)``, ``z`` being the normal quantile of
the interval's level (1.959964 for 95 %). The pooling itself is statsmodels'
:func:`~statsmodels.stats.meta_analysis.combine_effects`, a maintained implementation:
nothing here re-derives the weights, Q, tau-squared or I-squared. One rule is applied on
top: DerSimonian and Laird truncate their moment estimate of tau-squared at zero, which
statsmodels' ``method_re="dl"`` does not (up to 0.15 it returns a negative tau-squared and
I-squared when Q is below its degrees of freedom, and weights the random-effects mean by
``1 / (variance + tau2)`` with that negative value). When that happens the random-effects
model is the fixed-effect one: tau-squared and I-squared are 0, estimate and interval
those of the fixed effect.

This module knows numbers only; which results of the graph may be pooled together is
decided by :mod:`ember3kg.evidence`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ember3kg.errors import InputError

#: Fewest estimates a pool is computed from.
MINIMUM_STUDIES = 2
#: Names of the two models, as tables and plots show them.
FIXED = "fixed effect"
RANDOM = "random effects (DerSimonian-Laird)"


@dataclass(frozen=True)
class HazardRatioInput:
    """One hazard ratio with its confidence interval, as reported.

    :param label: names the estimate in tables (e.g. the trial).
    :param estimate: the hazard ratio.
    :param lower: lower confidence limit.
    :param upper: upper confidence limit.
    :param level: confidence level of the interval, e.g. 0.95.
    """

    label: str
    estimate: float
    lower: float
    upper: float
    level: float = 0.95

    @property
    def log_estimate(self) -> float:
        """The natural logarithm of the hazard ratio."""
        return math.log(self.estimate)

    @property
    def standard_error(self) -> float:
        """Standard error of the log hazard ratio, from the width of its interval on the log scale."""
        from scipy.stats import norm

        return (math.log(self.upper) - math.log(self.lower)) / (2 * float(norm.ppf((1 + self.level) / 2)))


@dataclass(frozen=True)
class PooledEstimate:
    """One pooled hazard ratio with its 95 % confidence interval.

    :param method: ``fixed effect`` or ``random effects (DerSimonian-Laird)``.
    :param estimate: pooled hazard ratio.
    :param lower: lower 95 % limit.
    :param upper: upper 95 % limit.
    :param weights: relative weight of each input, in input order (sums to 1).
    """

    method: str
    estimate: float
    lower: float
    upper: float
    weights: tuple[float, ...]


@dataclass(frozen=True)
class Pool:
    """The result of pooling: both models and the heterogeneity statistics.

    :param inputs: the hazard ratios pooled, in order.
    :param fixed: the inverse-variance fixed-effect estimate.
    :param random: the DerSimonian-Laird random-effects estimate.
    :param q: Cochran's Q.
    :param df: degrees of freedom of Q (number of inputs minus one).
    :param tau2: between-study variance of the log hazard ratio (DerSimonian-Laird).
    :param i2: I-squared, the share of variation due to heterogeneity (0 to 1).
    """

    inputs: tuple[HazardRatioInput, ...]
    fixed: PooledEstimate
    random: PooledEstimate
    q: float
    df: int
    tau2: float
    i2: float

    @property
    def estimates(self) -> tuple[PooledEstimate, PooledEstimate]:
        """Both pooled estimates, fixed effect first."""
        return self.fixed, self.random

    def as_dict(self) -> dict[str, object]:
        """Return the pool as plain data (for JSON)."""
        return {
            "inputs": [
                {
                    "label": item.label,
                    "hazard_ratio": item.estimate,
                    "ci_lower": item.lower,
                    "ci_upper": item.upper,
                    "ci_level": item.level,
                    "log_hazard_ratio": item.log_estimate,
                    "standard_error": item.standard_error,
                }
                for item in self.inputs
            ],
            "models": {
                estimate.method: {
                    "hazard_ratio": estimate.estimate,
                    "ci_lower": estimate.lower,
                    "ci_upper": estimate.upper,
                    "weights": list(estimate.weights),
                }
                for estimate in self.estimates
            },
            "q": self.q,
            "df": self.df,
            "tau2": self.tau2,
            "i2": self.i2,
        }


def pool_hazard_ratios(inputs: Sequence[HazardRatioInput]) -> Pool:
    """Pool hazard ratios with statsmodels' inverse-variance and DerSimonian-Laird models.

    :param inputs: at least :data:`MINIMUM_STUDIES` hazard ratios with positive limits, lower below upper.
    :returns: both pooled estimates with 95 % intervals (normal approximation), Q, tau-squared and I-squared.
    :raises InputError: too few inputs, or an input that is not a positive ratio inside a proper interval.

    Example:
        >>> pool = pool_hazard_ratios([
        ...     HazardRatioInput("EMERALD", 0.70, 0.55, 0.88),
        ...     HazardRatioInput("VERITAC-2", 0.83, 0.69, 1.01),
        ...     HazardRatioInput("EMBER-3", 0.87, 0.72, 1.04),
        ... ])
        >>> round(pool.fixed.estimate, 2), round(pool.random.upper, 2)
        (0.81, 0.91)
    """
    import numpy as np
    from statsmodels.stats.meta_analysis import combine_effects

    if len(inputs) < MINIMUM_STUDIES:
        raise InputError(f"pooling needs at least {MINIMUM_STUDIES} hazard ratios, got {len(inputs)}")
    for item in inputs:
        if not 0 < item.lower < item.upper or not 0 < item.estimate or not 0 < item.level < 1:
            raise InputError(f"{item.label}: cannot pool {item.estimate} ({item.lower}-{item.upper}, {item.level})")
    effects = np.array([item.log_estimate for item in inputs])
    variances = np.array([item.standard_error**2 for item in inputs])
    result = combine_effects(effects, variances, method_re="dl", use_t=False, row_names=[i.label for i in inputs])
    frame = result.summary_frame(alpha=0.05)

    def pooled(method: str, row: str, weights: str) -> PooledEstimate:
        return PooledEstimate(
            method,
            math.exp(frame.loc[row, "eff"]),
            math.exp(frame.loc[row, "ci_low"]),
            math.exp(frame.loc[row, "ci_upp"]),
            tuple(float(weight) for weight in frame[weights].iloc[: len(inputs)]),
        )

    homogeneous = result.tau2 <= 0  # Q <= df: DerSimonian-Laird's tau-squared is truncated at 0
    return Pool(
        inputs=tuple(inputs),
        fixed=pooled(FIXED, "fixed effect", "w_fe"),
        random=pooled(RANDOM, *(("fixed effect", "w_fe") if homogeneous else ("random effect", "w_re"))),
        q=float(result.q),
        df=len(inputs) - 1,
        tau2=0.0 if homogeneous else float(result.tau2),
        i2=0.0 if homogeneous else float(result.i2),
    )
