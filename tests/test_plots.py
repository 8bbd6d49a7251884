"""Forest plots: every point equals its question's answer, the diamonds equal the pool, the bytes never change."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from conftest import CLI, site_fixture_input
from ember3kg.evidence import FORESTS, Evidence, forest_selection, lexical_answer
from ember3kg.inputs import RdfInput
from ember3kg.plots import forest_png, forest_svg
from ember3kg.query import questions

# With pytest -n N --dist loadgroup, one worker runs the module: its module fixtures are made once.
pytestmark = pytest.mark.xdist_group("plots")

_GROUP = re.compile(r'<g id="(?P<id>forest-[a-z]+-[a-z0-9]+)"(?P<attributes>[^>]*)>')
_ATTRIBUTE = re.compile(r'data-([a-z]+)="([^"]*)"')


@pytest.fixture(scope="module")
def fixture_evidence() -> Evidence:
    return Evidence(site_fixture_input())


def _groups(svg: bytes) -> dict[str, dict[str, str]]:
    """Group id -> its data attributes (unescaped)."""
    import html

    return {
        match["id"]: {key: html.unescape(value) for key, value in _ATTRIBUTE.findall(match["attributes"])}
        for match in _GROUP.finditer(svg.decode("utf-8"))
        if "data-" in match["attributes"]
    }


@pytest.mark.parametrize("name", FORESTS)
def test_every_point_equals_the_question_answer(fixture_evidence: Evidence, name: str) -> None:
    spec = FORESTS[name]
    answer = lexical_answer(questions()[spec.question], fixture_evidence.dataset)
    expected = [
        {var: str(row[answer.variables.index(var)]) for var in ("trial", "hazardRatio", "ciLower", "ciUpper")}
        for row in answer.rows
    ]
    points = _groups(forest_svg(forest_selection(fixture_evidence, name)))
    found = [
        {"trial": p["trial"], "hazardRatio": p["hr"], "ciLower": p["lower"], "ciUpper": p["upper"]}
        for key, p in sorted(points.items())
        if key.startswith("forest-point-")
    ]
    assert found == expected
    assert len(found) >= 3


def test_printed_precision_is_kept_on_the_plot(fixture_evidence: Evidence) -> None:
    points = _groups(forest_svg(forest_selection(fixture_evidence, "esr1m")))
    assert {p["trial"]: p["hr"] for p in points.values() if "trial" in p}["VERITAC-2"] == "0.570"
    assert "0.570 (0.42\u20130.77)" in forest_svg(forest_selection(fixture_evidence, "esr1m")).decode()


@pytest.mark.parametrize("name", FORESTS)
def test_diamonds_equal_the_pool(fixture_evidence: Evidence, name: str) -> None:
    selection = forest_selection(fixture_evidence, name)
    assert selection.pool is not None
    groups = _groups(forest_svg(selection))
    pool = selection.pool
    for key, estimate in (("forest-pooled-fixed", pool.fixed), ("forest-pooled-random", pool.random)):
        shown = groups[key]
        assert [float(shown[v]) for v in ("hr", "lower", "upper")] == pytest.approx(
            [estimate.estimate, estimate.lower, estimate.upper], abs=5e-5
        )


def test_secondary_only_number_is_drawn_hollow_and_marked(fixture_evidence: Evidence) -> None:
    svg = forest_svg(forest_selection(fixture_evidence, "esr1m")).decode()
    points = _groups(svg.encode())
    secondary = [key for key, p in points.items() if p.get("role") == "secondary source"]
    assert secondary == ["forest-point-1"]  # EMBER-3's ESR1m HR, from the news report only
    group = svg[svg.index('<g id="forest-point-1"') :]
    assert "fill: #ffffff" in group[: group.index("</g>")]
    assert "\u2020" in svg


@pytest.mark.parametrize("render", [forest_svg, forest_png], ids=["svg", "png"])
@pytest.mark.parametrize("name", FORESTS)
def test_same_selection_gives_same_bytes(fixture_evidence: Evidence, name: str, render) -> None:
    assert render(forest_selection(fixture_evidence, name)) == render(forest_selection(fixture_evidence, name))


def test_svg_records_no_date_or_version(fixture_evidence: Evidence) -> None:
    svg = forest_svg(forest_selection(fixture_evidence, "all")).decode()
    assert "<dc:date>" not in svg
    assert "Matplotlib v" not in svg


def test_packaged_all_patient_plot_shows_the_packaged_answer() -> None:
    evidence = Evidence(RdfInput.packaged())
    points = _groups(forest_svg(forest_selection(evidence, "all")))
    answer = lexical_answer(questions()["all-patient-pfs-hazard-ratios-across-trials"], evidence.dataset)
    hazard_ratios = sorted(str(row[answer.variables.index("hazardRatio")]) for row in answer.rows)
    assert sorted(p["hr"] for key, p in points.items() if key.startswith("forest-point-")) == hazard_ratios


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
def test_pool_command_prints_json_with_the_reason_when_there_is_no_pool() -> None:
    done = subprocess.run([CLI, "pool", "--population", "esr1m", "--format", "json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["question"] == "esr1m-pfs-hazard-ratios-across-trials"
    assert (document["pool"] is None) == (len(document["pooled"]) < 2)
