"""Pool hazard ratios across trials: fixed effect, DerSimonian-Laird, REML, Hartung-Knapp-Sidik-Jonkman.

Each hazard ratio enters on the log scale with the standard error recovered from its
confidence interval at the level the source states, ``SE = (ln U - ln L) / (2 z)``, ``z``
being the normal quantile of that level (1.959964 for 95 %, 1.644854 for 90 %).

The models are those of R metafor's ``rma()`` (:data:`MODELS`), computed with maintained
libraries, not re-derived here:

- Cochran's Q, its p-value, I-squared and the DerSimonian-Laird tau-squared come from
  statsmodels' :func:`~statsmodels.stats.meta_analysis.combine_effects`;
- the REML tau-squared from PyMARE's ``VarianceBasedLikelihoodEstimator(method="REML")``
  (statsmodels has no REML estimator for a meta-analysis);
- every pooled mean, its standard error and interval from a statsmodels weighted least
  squares fit of the log hazard ratios on a constant with weights ``1 / (SE^2 + tau2)``:
  with the scale fixed at 1 this is the inverse-variance mean with a normal interval
  (metafor's ``test="z"``); with the scale estimated it is the Hartung-Knapp-Sidik-Jonkman
  interval on ``t(k - 1)`` (metafor's ``test="knha"``, not truncated at 1).

Two things are written out because neither library gives them: the prediction interval
(``mu +- crit * sqrt(tau2 + SE(mu)^2)``, with ``crit`` the normal quantile for a z-test
model and ``t(k - 1)`` for a Hartung-Knapp model, as metafor's ``predict()``), and the
truncation of the DerSimonian-Laird tau-squared at 0, which statsmodels 0.14-0.15 does not
apply (when Q is below its degrees of freedom it returns a negative tau-squared).

I-squared is Higgins and Thompson's ``(Q - df) / Q`` truncated at 0, the same for every
model (it is metafor's I-squared of the DerSimonian-Laird fit).

This module knows numbers only; which results of the graph may be pooled together is
decided by :mod:`ember3kg.evidence.cross_trial`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ember3kg.errors import InputError

#: Fewest estimates a pool is computed from.
MINIMUM_STUDIES = 2
#: Level of every pooled interval.
POOLED_LEVEL = 0.95


@dataclass(frozen=True)
class HazardRatioInput:
    """One hazard ratio with its confidence interval, as reported.

    :param label: names the estimate in tables and messages (e.g. the trial, or the result node).
    :param estimate: the hazard ratio.
    :param lower: lower confidence limit.
    :param upper: upper confidence limit.
    :param level: confidence level of the interval, e.g. 0.95 or 0.90.
    """

    label: str
    estimate: float
    lower: float
    upper: float
    level: float = 0.95

    @property
    def log_estimate(self) -> float:
        """The natural logarithm of the hazard ratio (metafor's ``yi``)."""
        return math.log(self.estimate)

    @property
    def standard_error(self) -> float:
        """Standard error of the log hazard ratio, from the width of its interval on the log scale (``sei``)."""
        from scipy.stats import norm

        return (math.log(self.upper) - math.log(self.lower)) / (2 * float(norm.ppf((1 + self.level) / 2)))

    def problem(self) -> str:
        """Say why the estimate cannot be pooled (``""`` when it can)."""
        printed = f"{self.estimate:g} ({self.lower:g}-{self.upper:g})"
        if not 0 < self.level < 1:
            return f"confidence level {self.level:g} is not between 0 and 1"
        if self.estimate <= 0 or self.lower <= 0:
            return f"hazard ratio {printed}: a ratio and its limits must be above 0"
        if self.lower >= self.upper:
            return f"hazard ratio {printed}: the lower limit is not below the upper one"
        if not self.lower <= self.estimate <= self.upper:
            return f"hazard ratio {printed}: the estimate lies outside its confidence interval"
        return ""


@dataclass(frozen=True)
class Model:
    """One meta-analysis model, as metafor names it.

    :param key: short name (``fixed``, ``dl``, ``reml``, ``hksj``, ...).
    :param label: name in tables and plots.
    :param tau2: how tau-squared is estimated: ``none`` (fixed effect), ``dl`` or ``reml``.
    :param knha: whether the Hartung-Knapp-Sidik-Jonkman interval (t on k - 1 df) is used.
    :param metafor: the metafor call that gives the same numbers.
    """

    key: str
    label: str
    tau2: str
    knha: bool
    metafor: str


#: The models every pool reports, in order; keys are those of the JSON and CSV outputs.
MODELS: Mapping[str, Model] = MappingProxyType(
    {
        model.key: model
        for model in (
            Model("fixed", "fixed effect (inverse variance)", "none", False, 'rma(yi, sei=sei, method="FE")'),
            Model("dl", "random effects, DerSimonian-Laird", "dl", False, 'rma(yi, sei=sei, method="DL")'),
            Model("reml", "random effects, REML", "reml", False, 'rma(yi, sei=sei, method="REML")'),
            Model(
                "dl-hksj",
                "random effects, DerSimonian-Laird, Hartung-Knapp",
                "dl",
                True,
                'rma(yi, sei=sei, method="DL", test="knha")',
            ),
            Model(
                "reml-hksj",
                "random effects, REML, Hartung-Knapp",
                "reml",
                True,
                'rma(yi, sei=sei, method="REML", test="knha")',
            ),
        )
    }
)


@dataclass(frozen=True)
class PooledEstimate:
    """One model's pooled hazard ratio with its 95 % confidence and prediction intervals.

    :param model: the model.
    :param estimate: pooled hazard ratio.
    :param lower: lower 95 % confidence limit.
    :param upper: upper 95 % confidence limit.
    :param log_estimate: pooled log hazard ratio (metafor's ``b``).
    :param standard_error: its standard error (metafor's ``se``).
    :param statistic: z (or t for a Hartung-Knapp model) of the test of no effect.
    :param p: its two-sided p-value.
    :param df: degrees of freedom of ``t``; ``None`` for a z-test.
    :param tau2: between-study variance the weights use (0 for the fixed effect).
    :param weights: relative weight of each input, in input order (sums to 1).
    :param prediction: 95 % prediction interval of a new trial's hazard ratio (``None`` for the fixed effect).
    """

    model: Model
    estimate: float
    lower: float
    upper: float
    log_estimate: float
    standard_error: float
    statistic: float
    p: float
    df: int | None
    tau2: float
    weights: tuple[float, ...]
    prediction: tuple[float, float] | None

    @property
    def method(self) -> str:
        """The model's label."""
        return self.model.label

    def as_dict(self) -> dict[str, object]:
        """Return the estimate as plain data (for JSON)."""
        return {
            "model": self.model.label,
            "metafor": self.model.metafor,
            "hazard_ratio": self.estimate,
            "ci_lower": self.lower,
            "ci_upper": self.upper,
            "log_hazard_ratio": self.log_estimate,
            "standard_error": self.standard_error,
            "statistic": self.statistic,
            "test": "t" if self.df is not None else "z",
            "df": self.df,
            "p": self.p,
            "tau2": self.tau2,
            "weights": list(self.weights),
            "prediction_lower": self.prediction[0] if self.prediction else None,
            "prediction_upper": self.prediction[1] if self.prediction else None,
        }


@dataclass(frozen=True)
class Pool:
    """The result of pooling: every model of :data:`MODELS` and the heterogeneity statistics.

    :param inputs: the hazard ratios pooled, in order.
    :param models: model key -> its pooled estimate.
    :param q: Cochran's Q.
    :param df: degrees of freedom of Q (number of inputs minus one).
    :param q_p: p-value of Q on ``df`` degrees of freedom.
    :param i2: I-squared, the share of variation due to heterogeneity (0 to 1).
    """

    inputs: tuple[HazardRatioInput, ...]
    models: Mapping[str, PooledEstimate]
    q: float
    df: int
    q_p: float
    i2: float

    @property
    def fixed(self) -> PooledEstimate:
        """The inverse-variance fixed-effect estimate."""
        return self.models["fixed"]

    @property
    def random(self) -> PooledEstimate:
        """The DerSimonian-Laird random-effects estimate."""
        return self.models["dl"]

    @property
    def tau2(self) -> float:
        """The DerSimonian-Laird tau-squared."""
        return self.models["dl"].tau2

    @property
    def estimates(self) -> tuple[PooledEstimate, ...]:
        """Every model's estimate, in the order of :data:`MODELS`."""
        return tuple(self.models[key] for key in MODELS)

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
                    "yi": item.log_estimate,
                    "sei": item.standard_error,
                }
                for item in self.inputs
            ],
            "models": {key: estimate.as_dict() for key, estimate in self.models.items()},
            "q": self.q,
            "df": self.df,
            "q_p": self.q_p,
            "i2": self.i2,
        }


def _dl_tau2(effects: Any, variances: Any) -> tuple[float, Any]:
    """DerSimonian-Laird tau-squared (truncated at 0) and statsmodels' combined result (Q, I-squared)."""
    from statsmodels.stats.meta_analysis import combine_effects

    with warnings.catch_warnings():
        # Below Q = df statsmodels takes the square root of its negative tau-squared's variances: unused here.
        warnings.simplefilter("ignore", RuntimeWarning)
        result = combine_effects(effects, variances, method_re="dl", use_t=False)
    return max(0.0, float(result.tau2)), result


def _reml_tau2(effects: Any, variances: Any) -> float:
    """REML tau-squared, from PyMARE."""
    from pymare import Dataset
    from pymare.estimators import VarianceBasedLikelihoodEstimator

    fitted = VarianceBasedLikelihoodEstimator(method="REML").fit_dataset(Dataset(effects, variances))
    return max(0.0, float(fitted.params_["tau2"].ravel()[0]))


#: How tau-squared is estimated -> function of (log effects, variances).
_TAU2: Mapping[str, Callable[[Any, Any], float]] = MappingProxyType(
    {"none": lambda effects, variances: 0.0, "dl": lambda e, v: _dl_tau2(e, v)[0], "reml": _reml_tau2}
)


def _fit(model: Model, effects: Any, variances: Any, tau2: float) -> PooledEstimate:
    """Fit one model: a weighted least squares mean of the log hazard ratios."""
    import numpy as np
    import statsmodels.api as sm
    from scipy.stats import norm
    from scipy.stats import t as student

    weights = 1 / (variances + tau2)
    design = np.ones((len(effects), 1))
    if model.knha:
        fit = sm.WLS(effects, design, weights=weights).fit(use_t=True)
    else:
        fit = sm.WLS(effects, design, weights=weights).fit(cov_type="fixed scale", use_t=False)
    mean, error = float(fit.params[0]), float(fit.bse[0])
    low, high = (float(value) for value in fit.conf_int(alpha=1 - POOLED_LEVEL)[0])
    df = len(effects) - 1 if model.knha else None
    crit = float(student.ppf((1 + POOLED_LEVEL) / 2, df)) if df else float(norm.ppf((1 + POOLED_LEVEL) / 2))
    spread = math.sqrt(tau2 + error**2)
    prediction = None if model.tau2 == "none" else (math.exp(mean - crit * spread), math.exp(mean + crit * spread))
    return PooledEstimate(
        model=model,
        estimate=math.exp(mean),
        lower=math.exp(low),
        upper=math.exp(high),
        log_estimate=mean,
        standard_error=error,
        statistic=float(fit.tvalues[0]),
        p=float(fit.pvalues[0]),
        df=df,
        tau2=tau2,
        weights=tuple(float(w) for w in weights / weights.sum()),
        prediction=prediction,
    )


def check_inputs(inputs: Sequence[HazardRatioInput]) -> None:
    """Refuse what cannot be pooled: too few inputs, or an input that is not a ratio inside a proper interval.

    :raises InputError: one line naming the input and the problem.
    """
    if len(inputs) < MINIMUM_STUDIES:
        names = ", ".join(item.label for item in inputs) or "none"
        raise InputError(f"pooling needs at least {MINIMUM_STUDIES} hazard ratios, got {len(inputs)} ({names})")
    for item in inputs:
        if problem := item.problem():
            raise InputError(f"{item.label}: cannot pool: {problem}")


def pool_hazard_ratios(inputs: Sequence[HazardRatioInput]) -> Pool:
    """Pool hazard ratios with every model of :data:`MODELS`.

    :param inputs: at least :data:`MINIMUM_STUDIES` hazard ratios with positive limits, lower below upper.
    :returns: the pooled estimates with 95 % intervals, Q, its p-value and I-squared.
    :raises InputError: too few inputs, or an input that :meth:`HazardRatioInput.problem` refuses.

    Example:
        >>> pool = pool_hazard_ratios([
        ...     HazardRatioInput("EMERALD", 0.70, 0.55, 0.88),
        ...     HazardRatioInput("VERITAC-2", 0.83, 0.69, 1.01),
        ...     HazardRatioInput("EMBER-3", 0.87, 0.72, 1.04),
        ... ])
        >>> round(pool.fixed.estimate, 2), round(pool.models["reml-hksj"].upper, 2)
        (0.81, 1.0)
    """
    import numpy as np
    from scipy.stats import chi2

    check_inputs(inputs)
    effects = np.array([item.log_estimate for item in inputs])
    variances = np.array([item.standard_error**2 for item in inputs])
    _, combined = _dl_tau2(effects, variances)
    tau2 = {kind: estimate(effects, variances) for kind, estimate in _TAU2.items()}
    q, df = float(combined.q), len(inputs) - 1
    return Pool(
        inputs=tuple(inputs),
        models=MappingProxyType(
            {key: _fit(model, effects, variances, tau2[model.tau2]) for key, model in MODELS.items()}
        ),
        q=q,
        df=df,
        q_p=float(chi2.sf(q, df)),
        i2=max(0.0, float(combined.i2)),
    )


@dataclass(frozen=True)
class SubgroupTest:
    """The test for subgroup differences: Q between the subgroups' pooled estimates.

    Each subgroup's estimate (a single trial's when it has one) enters an inverse-variance
    fixed-effect pool of the subgroups, as RevMan does; its Q on (subgroups - 1) df is the test.

    :param model: the model whose subgroup estimates are compared.
    :param q: Q between subgroups.
    :param df: its degrees of freedom.
    :param p: its p-value.
    :param i2: I-squared of the subgroup estimates.
    """

    model: Model
    q: float
    df: int
    p: float
    i2: float


def subgroup_difference(model: Model, estimates: Sequence[tuple[float, float]]) -> SubgroupTest:
    """Test whether subgroup estimates differ: Cochran's Q of (log estimate, standard error) pairs.

    :param model: the model the estimates come from (named in the result).
    :param estimates: one (log hazard ratio, standard error) per subgroup, at least two.
    :raises InputError: fewer than two subgroups.
    """
    import numpy as np
    from scipy.stats import chi2

    if len(estimates) < MINIMUM_STUDIES:
        raise InputError(f"a test for subgroup differences needs at least 2 subgroups, got {len(estimates)}")
    _, combined = _dl_tau2(np.array([e for e, _ in estimates]), np.array([s**2 for _, s in estimates]))
    q, df = float(combined.q), len(estimates) - 1
    return SubgroupTest(model, q, df, float(chi2.sf(q, df)), max(0.0, float(combined.i2)))
