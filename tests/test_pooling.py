"""Pooling of hazard ratios: every model equals R metafor's, to the printed decimals and beyond.

The reference values (tests/data/pooling/metafor-reference.csv) were computed by
tests/data/pooling/metafor-reference.R with metafor 3.8-1 from tests/data/pooling/inputs.csv:
the default pool sets of the packaged graph, each with and without its sensitivity choices,
and leave-one-out runs. The integration test reruns the script and compares.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from ember3kg.errors import InputError
from ember3kg.evidence.pooling import MODELS, HazardRatioInput, pool_hazard_ratios, subgroup_difference
from ember3kg.evidence.reporting import format_number

DATA = Path(__file__).parent / "data" / "pooling"
INPUTS = DATA / "inputs.csv"
REFERENCE = DATA / "metafor-reference.csv"
SCRIPT = DATA / "metafor-reference.R"


def read_inputs(path: Path = INPUTS) -> dict[str, list[HazardRatioInput]]:
    """Set name -> its hazard ratios, from inputs.csv."""
    sets: dict[str, list[HazardRatioInput]] = defaultdict(list)
    for row in csv.DictReader(path.open(encoding="utf-8")):
        values = (float(row[name]) for name in ("hr", "lower", "upper", "level"))
        sets[row["set"]].append(HazardRatioInput(row["study"], *values))
    return dict(sets)


def read_reference(path: Path = REFERENCE) -> dict[tuple[str, str], dict[str, str]]:
    """(set, model) -> metafor's figures as written by the R script."""
    return {(row["set"], row["model"]): row for row in csv.DictReader(path.open(encoding="utf-8"))}


SETS = read_inputs()
REFERENCE_ROWS = read_reference()
#: Figure -> decimals compared: the pool's printed decimals (HR and CI 2; checked here to 3), tau2 4, Q 2 ...
DECIMALS = {"estimate": 3, "ci_lower": 3, "ci_upper": 3, "pi_lower": 3, "pi_upper": 3, "tau2": 4, "q": 2}
DECIMALS |= {"q_p": 4, "statistic": 2, "p": 4}


def ours(set_name: str, model: str) -> dict[str, float | None]:
    """Our figures for one set and model, by the reference's column names."""
    pool = pool_hazard_ratios(SETS[set_name])
    estimate = pool.models[model]
    prediction = estimate.prediction or (None, None)
    return {
        "estimate": estimate.estimate,
        "ci_lower": estimate.lower,
        "ci_upper": estimate.upper,
        "pi_lower": prediction[0],
        "pi_upper": prediction[1],
        "tau2": estimate.tau2,
        "i2": 100 * pool.i2,
        "q": pool.q,
        "q_p": pool.q_p,
        "statistic": estimate.statistic,
        "p": estimate.p,
    }


def test_reference_covers_every_model_and_set() -> None:
    assert {model for _, model in REFERENCE_ROWS} == set(MODELS)
    assert {name for name, _ in REFERENCE_ROWS} == set(SETS)
    assert {row["metafor"] for row in REFERENCE_ROWS.values()} == {"3.8.1"}


@pytest.mark.parametrize(("set_name", "model"), sorted(REFERENCE_ROWS), ids=lambda value: str(value))
def test_every_figure_equals_metafor(set_name: str, model: str) -> None:
    reference = REFERENCE_ROWS[(set_name, model)]
    found = ours(set_name, model)
    for name, decimals in DECIMALS.items():
        expected = reference[name].strip()
        shown = found[name]
        assert (format_number(shown, decimals) if shown is not None else "") == (
            format_number(float(expected), decimals) if expected else ""
        ), name
    if model in ("fixed", "dl"):  # I-squared from Q, as metafor's for these two models
        assert format_number(found["i2"], 1) == format_number(float(reference["i2"]), 1)


def test_issue_figures_with_and_without_serena6() -> None:
    with_serena6 = pool_hazard_ratios(SETS["all-as-before-with-serena6"])
    without = pool_hazard_ratios(SETS["all-any-line-any-combination"])
    assert format_number(100 * with_serena6.i2, 1) == "69.5"
    assert format_number(100 * without.i2, 1) == "4.8"
    assert format_number(without.fixed.estimate, 2) == "0.85"
    assert (format_number(without.fixed.lower, 2), format_number(without.fixed.upper, 2)) == ("0.78", "0.93")


def test_ninety_percent_interval_uses_its_own_quantile() -> None:
    item = HazardRatioInput("A", 0.70, 0.58, 0.85, 0.90)
    assert item.standard_error == pytest.approx((0.3822 + 0.0) / (2 * 1.644854), abs=1e-4)


def test_subgroup_difference_is_q_total_minus_q_within_for_fixed_effect() -> None:
    groups = (SETS["all-investigator"], SETS["all-independent-review"])
    pools = [pool_hazard_ratios(group) for group in groups]
    test = subgroup_difference(MODELS["fixed"], [(p.fixed.log_estimate, p.fixed.standard_error) for p in pools])
    total = pool_hazard_ratios([*groups[0], *groups[1]])
    assert test.q == pytest.approx(total.q - sum(p.q for p in pools), abs=1e-9)
    assert test.df == 1


BAD = {
    "one-input": ([HazardRatioInput("A", 0.8, 0.6, 1.0)], "pooling needs at least 2 hazard ratios, got 1 (A)"),
    "hazard-ratio-zero": (
        [HazardRatioInput("A", 0.8, 0.6, 1.0), HazardRatioInput("zero", 0.0, 0.6, 1.0)],
        "zero: cannot pool: hazard ratio 0 (0.6-1): a ratio and its limits must be above 0",
    ),
    "lower-above-upper": (
        [HazardRatioInput("A", 0.8, 0.6, 1.0), HazardRatioInput("bad", 0.8, 0.9, 0.7)],
        "bad: cannot pool: hazard ratio 0.8 (0.9-0.7): the lower limit is not below the upper one",
    ),
    "estimate-outside-interval": (
        [HazardRatioInput("A", 0.8, 0.6, 1.0), HazardRatioInput("out", 1.2, 0.6, 1.0)],
        "out: cannot pool: hazard ratio 1.2 (0.6-1): the estimate lies outside its confidence interval",
    ),
    "level-above-one": (
        [HazardRatioInput("A", 0.8, 0.6, 1.0), HazardRatioInput("lvl", 0.8, 0.6, 1.0, 95)],
        "lvl: cannot pool: confidence level 95 is not between 0 and 1",
    ),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_pool_refuses_what_cannot_be_pooled(case: str) -> None:
    inputs, message = BAD[case]
    with pytest.raises(InputError) as raised:
        pool_hazard_ratios(inputs)
    assert str(raised.value) == message


def _rscript() -> str:
    """Return the path of Rscript with metafor, or skip the test saying what is missing."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        pytest.skip("Rscript is not installed (make metafor installs r-cran-metafor)")
    probe = subprocess.run([rscript, "-e", "library(metafor)"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("R package metafor is not installed (make metafor installs r-cran-metafor)")
    return rscript


@pytest.mark.slow
def test_metafor_still_gives_the_stored_reference(tmp_path: Path) -> None:
    out = tmp_path / "reference.csv"
    subprocess.run([_rscript(), SCRIPT, INPUTS, out], check=True, capture_output=True)
    rerun = read_reference(out)
    assert rerun.keys() == REFERENCE_ROWS.keys()
    for key, row in rerun.items():
        for name in (*DECIMALS, "i2"):
            stored, again = REFERENCE_ROWS[key][name].strip(), row[name].strip()
            assert bool(stored) == bool(again), (key, name)
            if stored:
                assert float(again) == pytest.approx(float(stored), rel=1e-9, abs=1e-12), (key, name)
