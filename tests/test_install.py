"""The package is installed (not run from src/) and works from any directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

import ember3kg
from conftest import run_cli

pytestmark = pytest.mark.slow


def test_tests_use_the_installed_package() -> None:
    assert "site-packages" in Path(ember3kg.__file__).parts


def test_export_runs_outside_the_repository(tmp_path: Path, union: Graph) -> None:
    result = run_cli("export", "--format", "nt", "--output", "out.nt", cwd=tmp_path)

    assert result.returncode == 0, result.stderr.decode()
    exported = Graph().parse(tmp_path / "out.nt", format="nt")
    assert len(exported) == len(union)


def test_version_is_the_installed_distribution_version(tmp_path: Path) -> None:
    result = run_cli("--version", cwd=tmp_path)

    assert result.returncode == 0
    assert result.stdout.decode().split()[-1] == ember3kg.__version__
