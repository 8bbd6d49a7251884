"""Counts of :mod:`ember3kg.stats`, checked against golden answers."""

from __future__ import annotations

import json

import pytest

from conftest import DATA
from ember3kg.dataset import part_names
from ember3kg.inputs import RdfInput
from ember3kg.stats import compute_stats

STATS = DATA / "stats"


@pytest.mark.parametrize("fixture", sorted(STATS.glob("*.ttl")), ids=lambda path: path.name)
def test_counts_match_the_golden_answer(fixture) -> None:
    expected = json.loads(fixture.with_suffix(".json").read_text())

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
