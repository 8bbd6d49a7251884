"""Counts of :mod:`ember3kg.publish.stats`, checked against answers counted by hand.

Each fixture ``data/stats/NAME.ttl`` or ``NAME.trig`` has its own expected counts in ``NAME.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import DATA
from ember3kg.io.inputs import RdfInput
from ember3kg.publish.dataset import part_names
from ember3kg.publish.stats import compute_stats

STATS = DATA / "stats"
FIXTURES = sorted(path for path in STATS.iterdir() if path.suffix in (".ttl", ".trig"))


def test_every_fixture_has_its_own_expected_counts() -> None:
    assert sorted(path.stem for path in FIXTURES) == sorted(path.stem for path in STATS.glob("*.json"))
    assert len(FIXTURES) >= 2


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.name)
def test_counts_match_the_counts_made_by_hand(fixture: Path) -> None:
    expected = json.loads(fixture.with_suffix(".json").read_text(encoding="utf-8"))

    assert compute_stats(RdfInput.read([fixture])).as_dict() == expected


def test_packaged_counts_cover_every_part_in_order(packaged: RdfInput) -> None:
    stats = compute_stats(packaged)

    assert list(stats.triples) == part_names()
    assert all(count > 0 for count in stats.triples.values())
    assert stats.total_triples <= sum(stats.triples.values())


def test_text_report_names_every_result_kind(packaged: RdfInput) -> None:
    stats = compute_stats(packaged)

    report = stats.format_text()

    assert all(f"  {kind} " in report for kind in stats.results)
