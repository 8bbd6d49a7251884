"""The package works installed both ways: editable (the checkout, make install) and as a wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from importlib.resources import files
from pathlib import Path

import pytest
from rdflib import Graph

import ember3kg
from conftest import run_cli

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
#: One file of each data folder the package ships, as (package, file name).
DATA_FILES = (
    ("ember3kg.ontology", "ember3kg.ttl"),
    ("ember3kg.graph", "sources.ttl"),
    ("ember3kg.shapes", "structure.ttl"),
    ("ember3kg.queries", "trial-design.rq"),
    ("ember3kg.ctgov", "param_types.tsv"),
)


@pytest.mark.parametrize(("package", "name"), DATA_FILES, ids=[package for package, _ in DATA_FILES])
def test_data_folders_are_found_beside_the_code(package: str, name: str) -> None:
    resource = Path(str(files(package).joinpath(name)))
    code = Path(ember3kg.__file__).parent

    assert resource.is_file()
    # Editable: the checkout's own folder (no reinstall after an edit); a wheel: inside the package.
    folder = package.rsplit(".", 1)[-1]
    assert resource.parent in (ROOT / folder, code / folder)


def test_export_runs_outside_the_repository(tmp_path: Path, union: Graph) -> None:
    result = run_cli("export", "--format", "nt", "--output", "out.nt", cwd=tmp_path)

    assert result.returncode == 0, result.stderr.decode()
    exported = Graph().parse(tmp_path / "out.nt", format="nt")
    assert len(exported) == len(union)


def test_version_is_the_installed_distribution_version(tmp_path: Path) -> None:
    from importlib.metadata import version

    result = run_cli("--version", cwd=tmp_path)

    assert result.returncode == 0
    assert result.stdout.decode().split()[-1] == ember3kg.__version__ == version("ember3kg")


def test_the_wheel_ships_the_data_and_runs_from_it(tmp_path: Path, union: Graph) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(tmp_path), str(ROOT)],
        capture_output=True,
        check=False,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr.decode()[-2000:]
    wheel = next(tmp_path.glob("ember3kg-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"ember3kg/{package.rsplit('.', 1)[-1]}/{name}" for package, name in DATA_FILES} <= names
    dist_info = f"ember3kg-{ember3kg.__version__}.dist-info"
    assert f"{dist_info}/licenses/LICENSE" in names
    metadata = zipfile.ZipFile(wheel).read(f"{dist_info}/METADATA").decode()
    assert "License-Expression: MIT AND CC-BY-4.0\n" in metadata

    # Unpacked alone on the path (its dependencies from this environment), it finds its data inside itself.
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    script = (
        "import sys, ember3kg.cli; from importlib.resources import files;"
        "assert str(files('ember3kg.graph')).startswith(sys.argv[1]), files('ember3kg.graph');"
        "sys.exit(ember3kg.cli.main(['export', '--format', 'nt', '--output', 'out.nt']))"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    # -S leaves out site-packages' editable finder, which would map ember3kg to the checkout.
    site_packages = next(path for path in sys.path if path.endswith("site-packages"))
    env["PYTHONPATH"] += os.pathsep + site_packages
    ran = subprocess.run(
        [sys.executable, "-S", "-c", script, str(target)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stderr.decode()[-2000:]
    assert len(Graph().parse(tmp_path / "out.nt", format="nt")) == len(union)
