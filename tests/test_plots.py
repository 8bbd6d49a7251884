"""Forest plots and pools: points are the pooled inputs, diamonds the models, the bytes never change; the rule."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CLI, site_fixture_input
from ember3kg.errors import InputError
from ember3kg.evidence.cross_trial import (
    DEFAULT_RULE,
    FORESTS,
    NOT_STATED,
    POOL_FORMATS,
    Choice,
    Evidence,
    Selection,
    forest_selection,
)
from ember3kg.evidence.plots import forest_png, forest_svg
from ember3kg.evidence.pooling import MODELS
from ember3kg.evidence.reporting import format_number
from ember3kg.io.inputs import RdfInput

# With pytest -n N --dist loadgroup, one worker runs the module: its module fixtures are made once.
pytestmark = pytest.mark.xdist_group("plots")

_GROUP = re.compile(r'<g id="(?P<id>forest-[a-z]+-[a-z0-9-]+)"(?P<attributes>[^>]*)>')
_ATTRIBUTE = re.compile(r'data-([a-z-]+)="([^"]*)"')
#: The trials the default pools of the packaged graph hold.
DEFAULT_TRIALS = {
    "all": ["AMEERA-3", "EMBER-3", "EMERALD", "VERITAC-2", "acelERA BC"],
    "esr1m": ["EMBER-3", "EMERALD", "VERITAC-2", "acelERA BC"],
}


@pytest.fixture(scope="module")
def fixture_evidence() -> Evidence:
    return Evidence(site_fixture_input())


@pytest.fixture(scope="module")
def packaged_evidence() -> Evidence:
    return Evidence(RdfInput.packaged())


def _groups(svg: bytes) -> dict[str, dict[str, str]]:
    """Group id -> its data attributes (unescaped)."""
    import html

    return {
        match["id"]: {key: html.unescape(value) for key, value in _ATTRIBUTE.findall(match["attributes"])}
        for match in _GROUP.finditer(svg.decode("utf-8"))
        if "data-" in match["attributes"]
    }


@pytest.mark.parametrize("name", FORESTS)
def test_points_are_the_pooled_inputs_with_their_weights(fixture_evidence: Evidence, name: str) -> None:
    selection = forest_selection(fixture_evidence, name)
    points = _groups(forest_svg(selection))
    found = [
        (p["trial"], p["hr"], p["lower"], p["upper"], p["weight"])
        for key, p in sorted(points.items())
        if key.startswith("forest-point-")
    ]
    expected = [
        (row["trial"], row["hazardRatio"], row["ciLower"], row["ciUpper"], format_number(100 * weight, 1))
        for row in selection.pooled
        if (weight := selection.weight(row)) is not None
    ]
    assert found == expected
    assert len(found) >= 2


def test_printed_precision_is_kept_on_the_plot(fixture_evidence: Evidence) -> None:
    points = _groups(forest_svg(forest_selection(fixture_evidence, "esr1m")))
    assert {p["trial"]: p["hr"] for key, p in points.items() if key.startswith("forest-point-")}["VERITAC-2"] == "0.570"


@pytest.mark.parametrize("name", FORESTS)
def test_a_diamond_per_model_equals_the_pool(fixture_evidence: Evidence, name: str) -> None:
    selection = forest_selection(fixture_evidence, name)
    assert selection.pool is not None
    diamonds = {key: p for key, p in _groups(forest_svg(selection)).items() if key.startswith("forest-pooled-")}
    assert set(diamonds) == {f"forest-pooled-{key}" for key in MODELS}
    for key, estimate in selection.pool.models.items():
        diamond = diamonds[f"forest-pooled-{key}"]
        assert (diamond["hr"], diamond["lower"], diamond["upper"]) == tuple(
            format_number(value, 4) for value in (estimate.estimate, estimate.lower, estimate.upper)
        )


def test_secondary_only_number_is_drawn_hollow_and_marked(fixture_evidence: Evidence) -> None:
    svg = forest_svg(forest_selection(fixture_evidence, "esr1m")).decode("utf-8")
    points = _groups(svg.encode("utf-8"))
    secondary = [key for key, p in points.items() if p.get("role") == "secondary source"]
    assert len(secondary) == 1
    assert "\u2020 hollow square: the number comes from a secondary source only" in svg


@pytest.mark.parametrize("name", FORESTS)
@pytest.mark.parametrize("render", [forest_svg, forest_png], ids=["svg", "png"])
def test_same_selection_gives_same_bytes(fixture_evidence: Evidence, name: str, render) -> None:
    assert render(forest_selection(fixture_evidence, name)) == render(forest_selection(fixture_evidence, name))


def test_svg_records_no_date_or_version(fixture_evidence: Evidence) -> None:
    svg = forest_svg(forest_selection(fixture_evidence, "all")).decode("utf-8")
    assert "<dc:date>" not in svg
    assert "Matplotlib v" not in svg


def test_plot_lists_what_was_not_pooled_and_the_rule(packaged_evidence: Evidence) -> None:
    selection = forest_selection(packaged_evidence, "all")
    svg = forest_svg(selection).decode("utf-8")
    assert "Not pooled: persevERA BC 0.89 (0.76\u20131.05)" in svg
    assert "Rule: an oral ER degrader alone" in svg
    assert "favours experimental arm" in svg and "favours comparator arm" in svg


DEGENERATE = Path(__file__).parent / "data" / "pooling" / "degenerate.ttl"


@pytest.fixture(scope="module")
def degenerate() -> Selection:
    return forest_selection(Evidence(site_fixture_input(DEGENERATE)), "all")


def test_inputs_that_cannot_be_pooled_are_listed_and_warned_about(degenerate: Selection) -> None:
    assert [row["trial"] for row in degenerate.pooled] == ["T1", "T2", "T6"]
    reasons = {row["trial"]: why for row, why in degenerate.excluded}
    assert reasons == {
        "T3": "cannot be pooled: hazard ratio 0 (0.5-0.9): a ratio and its limits must be above 0",
        "T4": "cannot be pooled: hazard ratio 1.2 (0.6-1): the estimate lies outside its confidence interval",
        "T5": "cannot be pooled: hazard ratio 0.8 (0.9-0.7): the lower limit is not below the upper one",
        "T7": "combination (its drugs not stated): not monotherapy; first line only: not pretreated disease",
    }
    assert [w for w in degenerate.warnings if "cannot be pooled" in w] == [
        f"T3 0 (0.5\u20130.9): {reasons['T3']}",
        f"T4 1.2 (0.6\u20131.0): {reasons['T4']}",
        f"T5 0.8 (0.9\u20130.7): {reasons['T5']}",
    ]


def test_ninety_percent_interval_is_pooled_with_its_own_quantile(degenerate: Selection) -> None:
    (ninety,) = [row for row in degenerate.pooled if row["trial"] == "T2"]
    assert ninety.interval == "0.8 (0.62\u20131.03, 90% CI)"
    assert ninety.as_input().standard_error == pytest.approx(0.5075946 / (2 * 1.6448536), abs=1e-6)


def test_interval_past_the_axis_gets_an_arrow_at_each_clipped_end(degenerate: Selection) -> None:
    svg = forest_svg(degenerate).decode("utf-8")
    assert svg.count('<g id="forest-arrow-3">') == 2  # T6, 0.15-3.5, the third pooled row
    assert "forest-arrow-1" not in svg and "forest-arrow-2" not in svg


@pytest.mark.parametrize("name", FORESTS)
def test_default_pool_holds_the_rule_s_trials(packaged_evidence: Evidence, name: str) -> None:
    selection = forest_selection(packaged_evidence, name)
    assert [row["trial"] for row in selection.pooled] == DEFAULT_TRIALS[name]
    assert selection.rule == DEFAULT_RULE


def test_serena6_is_an_esr1m_input_left_out_by_the_rule(packaged_evidence: Evidence) -> None:
    all_patients = forest_selection(packaged_evidence, "all")
    assert "SERENA-6" not in {row["trial"] for row in all_patients.rows}
    esr1m = forest_selection(packaged_evidence, "esr1m")
    (reason,) = [why for row, why in esr1m.excluded if row["trial"] == "SERENA-6"]
    assert "not monotherapy" in reason and "first line only" in reason
    (serena6,) = [row for row in esr1m.rows if row["trial"] == "SERENA-6"]
    assert serena6.population_note == "the whole randomized population is selected by ESR1 mutation"


@pytest.mark.parametrize("name", FORESTS)
def test_every_comparability_column_is_filled_or_not_stated_with_reason(packaged_evidence: Evidence, name: str) -> None:
    for row in forest_selection(packaged_evidence, name).pooled:
        for column, value in row.comparability().items():
            assert value, (row["trial"], column)
            assert not value.startswith(NOT_STATED) or value.startswith(f"{NOT_STATED} ("), (row["trial"], column)


def test_secondary_only_input_is_warned_about(packaged_evidence: Evidence) -> None:
    selection = forest_selection(packaged_evidence, "esr1m")
    assert any(
        w.startswith("EMBER-3 0.62 (0.46\u20130.82) is known only from a secondary source") for w in selection.warnings
    )
    primary = forest_selection(packaged_evidence, "esr1m", Choice(source_role="primary"))
    assert [row["trial"] for row in primary.pooled] == ["EMERALD", "VERITAC-2", "acelERA BC"]


def test_leave_one_out_and_subgroups(packaged_evidence: Evidence) -> None:
    selection = forest_selection(packaged_evidence, "all", leave_one_out=True, subgroup="assessor")
    assert [row["trial"] for row, _ in selection.leave_one_out] == DEFAULT_TRIALS["all"]
    assert [group.value for group in selection.subgroups] == [
        "independent central review",
        "investigator assessment",
        "blinded independent central review",
    ]
    assert [test.df for test in selection.subgroup_tests] == [2, 2]


@pytest.mark.parametrize(
    ("report", "document"),
    [
        ("primary", "Mart\u00edn et al. 2024, Journal of Clinical Oncology (acelERA BC primary publication)"),
        ("first", "Martin Jimenez et al. 2022, ESMO Congress abstract 211MO (acelERA BC primary analysis)"),
        ("latest", "Mart\u00edn et al. 2024, Journal of Clinical Oncology (acelERA BC primary publication)"),
    ],
)
def test_report_choice_picks_one_report_per_trial(packaged_evidence: Evidence, report: str, document: str) -> None:
    selection = forest_selection(packaged_evidence, "all", Choice(report=report))
    assert {row["report"] for row in selection.pooled if row["trial"] == "acelERA BC"} == {document}
    assert [row["trial"] for row in selection.pooled] == DEFAULT_TRIALS["all"]


def test_line_choice_keeps_the_trials_stating_that_line(packaged_evidence: Evidence) -> None:
    selection = forest_selection(packaged_evidence, "all", Choice(line="second line"))
    stated = list(dict.fromkeys(row["trial"] for row in selection.rows if "second line" in row.lines))
    assert [row["trial"] for row in selection.pooled] == stated
    assert all(
        "line 'second line' not stated for the trial" in why
        for row, why in selection.excluded
        if "second line" not in row.lines
    )


BAD_CHOICES = {
    "unknown-trial": (Choice(trials=("FOO",)), "no trial 'FOO' in this population's hazard ratios; trials: "),
    "unknown-line": (Choice(line="fifth line"), "no line 'fifth line' in this population's hazard ratios; lines: "),
    "unknown-assessor": (Choice(assessor="nobody"), "no assessor 'nobody' in this population's hazard ratios"),
}


@pytest.mark.parametrize("case", BAD_CHOICES, ids=list(BAD_CHOICES))
def test_a_choice_naming_what_the_data_lacks_is_refused(packaged_evidence: Evidence, case: str) -> None:
    choice, message = BAD_CHOICES[case]
    with pytest.raises(InputError, match=re.escape(message)):
        forest_selection(packaged_evidence, "all", choice)


def test_one_trial_selection_has_no_pool_and_is_refused(packaged_evidence: Evidence) -> None:
    selection = forest_selection(packaged_evidence, "esr1m", Choice(trials=("EMERALD",)))
    assert selection.pool is None
    with pytest.raises(InputError) as raised:
        selection.require_pool()
    assert str(raised.value) == "esr1m: no pooled estimate: 1 trial(s) qualify (EMERALD), pooling needs at least 2"


def test_csv_has_yi_sei_flags_and_comparability(packaged_evidence: Evidence) -> None:
    selection = forest_selection(packaged_evidence, "all")
    rows = list(csv.DictReader(io.StringIO(POOL_FORMATS["csv"](selection))))
    pooled = [row for row in rows if row["pooled"] == "1"]
    assert [row["study"] for row in pooled] == DEFAULT_TRIALS["all"]
    assert all(row["reason"] for row in rows if row["pooled"] == "0")
    (ember3,) = [row for row in pooled if row["study"] == "EMBER-3"]
    assert (ember3["yi"], ember3["sei"]) == ("-0.139262", "0.093809")
    assert ember3["line"] and ember3["assessor"] == "investigator assessment"


@pytest.mark.slow
def test_plot_forest_command_writes_svg_and_png(tmp_path: Path) -> None:
    done = subprocess.run(
        [CLI, "plot", "forest", "--population", "all", "--output", tmp_path / "all"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(tmp_path / "all.svg"), str(tmp_path / "all.png")]
    assert (tmp_path / "all.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.slow
def test_pool_command_refuses_a_one_trial_selection_in_one_line() -> None:
    done = subprocess.run(
        [CLI, "pool", "--population", "esr1m", "--trial", "EMERALD"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "error: esr1m: no pooled estimate: 1 trial(s) qualify (EMERALD), pooling needs at least 2\n"


@pytest.mark.slow
def test_metafor_reads_the_csv_export_and_pools_like_ember3kg(tmp_path: Path) -> None:
    rscript = shutil.which("Rscript")
    if rscript is None or subprocess.run([rscript, "-e", "library(metafor)"], capture_output=True).returncode:
        pytest.skip("Rscript with the R package metafor is not installed (make metafor installs r-cran-metafor)")
    exported = subprocess.run([CLI, "pool", "--format", "csv"], capture_output=True, text=True, check=True).stdout
    (tmp_path / "esr1m.csv").write_text(exported, encoding="utf-8")
    script = (
        "suppressPackageStartupMessages(library(metafor)); d <- read.csv(commandArgs(TRUE)[1]); "
        'r <- rma(yi, sei=sei, data=d, subset=pooled==1, method="REML", test="knha"); '
        "cat(sprintf('%.6f %.6f %.6f %d', exp(r$b[1]), exp(r$ci.lb), exp(r$ci.ub), r$k)); "
        'g <- rma(yi, sei=sei, data=d, subset=pooled==1, mods=~factor(assessor), method="FE"); '
        "cat(sprintf(' %.6f', g$QM))"
    )
    done = subprocess.run([rscript, "-e", script, tmp_path / "esr1m.csv"], capture_output=True, text=True, check=True)
    ours = json.loads(
        subprocess.run(
            [CLI, "pool", "--format", "json", "--subgroup", "assessor"], capture_output=True, check=True
        ).stdout
    )
    model = ours["pool"]["models"]["reml-hksj"]
    estimate, lower, upper, k, between = done.stdout.split()
    assert round(float(between), 4) == round(ours["subgroup_tests"][0]["q"], 4)
    assert int(k) == len(ours["pooled"])
    assert [round(float(v), 3) for v in (estimate, lower, upper)] == [
        round(model[key], 3) for key in ("hazard_ratio", "ci_lower", "ci_upper")
    ]


#: Pools of the packaged graph -> the set of tests/data/pooling/inputs.csv that metafor was run on.
REFERENCE_SETS = {
    "all-default": ("all", Choice()),
    "all-any-line-any-combination": ("all", Choice(line="any", combination="any")),
    "all-investigator": ("all", Choice(assessor="investigator assessment")),
    "esr1m-default": ("esr1m", Choice()),
    "esr1m-primary-only": ("esr1m", Choice(source_role="primary")),
    "esr1m-any-line-any-combination": ("esr1m", Choice(line="any", combination="any")),
}


@pytest.mark.parametrize("set_name", REFERENCE_SETS, ids=list(REFERENCE_SETS))
def test_packaged_pools_are_the_sets_metafor_was_run_on(packaged_evidence: Evidence, set_name: str) -> None:
    from test_pooling import SETS

    population, choice = REFERENCE_SETS[set_name]
    pooled = [row.as_input() for row in forest_selection(packaged_evidence, population, choice).pooled]
    assert pooled == SETS[set_name]
