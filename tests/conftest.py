"""Shared constants and fixtures of the ember3kg tests.

The tests run against the *installed* package (``make test`` installs it
non-editable), so the packaged data is read through ``importlib.resources`` exactly
as users read it.
"""

from __future__ import annotations

import fcntl
import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph

from ember3kg.cli import main
from ember3kg.io.inputs import RdfInput
from ember3kg.publish.dataset import load_dataset
from ember3kg.publish.export import build
from ember3kg.stores.serve import OxigraphServer, free_port
from ember3kg.vocab.namespaces import EKG, PREFIXES

if TYPE_CHECKING:
    from ember3kg.reasoning.reason import ReasoningReport

#: Folder of the test fixtures.
DATA = Path(__file__).parent / "data"
#: The installed command line, next to the interpreter running the tests.
CLI = Path(sys.executable).parent / "ember3kg"
#: The benchmarks' generator of synthetic trials (a script, not a package module).
SYNTHETIC_TRIALS = Path(__file__).resolve().parent.parent / "benchmarks" / "synthetic_trials.py"

#: Classes and properties the data model of the tests relies on.
STATISTICAL_RESULT = EKG.StatisticalResult
CLINICAL_TRIAL = EKG.ClinicalTrial


@cache
def synthetic_trials() -> ModuleType:
    """Load the benchmarks' generator of synthetic trials once."""
    spec = importlib.util.spec_from_file_location("synthetic_trials", SYNTHETIC_TRIALS)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["synthetic_trials"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def parametrize_on_collection(
    names: str | tuple[str, ...], values: Callable[[], Iterable[Any]], ids: Callable[[Any], str] | None = None
) -> pytest.MarkDecorator:
    """Parametrise a test like ``pytest.mark.parametrize``, but over ``values()`` called when the test is collected.

    So that importing a test module computes nothing: ``values`` is best a ``functools.cache``'d helper.
    """
    return pytest.mark.parametrize_on_collection(names, values, ids)


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker of :func:`parametrize_on_collection`."""
    config.addinivalue_line("markers", "parametrize_on_collection(names, values, ids): see conftest.py")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise the tests marked by :func:`parametrize_on_collection`."""
    for mark in metafunc.definition.iter_markers("parametrize_on_collection"):
        names, values, ids = mark.args
        metafunc.parametrize(names, list(values()), ids=ids)


@cache
def packaged_reasoning() -> ReasoningReport:
    """Run HermiT on the packaged dataset once per process (about five seconds a run); tests must not change it."""
    from ember3kg.reasoning.reason import reason

    return reason(RdfInput.packaged())


@lru_cache(maxsize=1)
def packaged_union() -> Graph:
    """Load the union of all parts of the packaged dataset once (read-only; for test collection)."""
    return RdfInput.packaged().union()


@cache
def packaged_graph_names() -> list[str]:
    """Name the non-empty named graphs of the packaged dataset, sorted (for parametrising)."""
    return sorted(str(context.identifier) for context in load_dataset().graphs() if len(context))


def with_fixture(path: Path) -> RdfInput:
    """Load the packaged dataset plus the graph of one fixture file."""
    dataset = load_dataset()
    for context in RdfInput.read([path]).dataset().graphs():
        target = dataset.graph(context.identifier)
        target += context
    return RdfInput.from_rdflib(dataset, str(path))


def curie(iri: str) -> str:
    """Shorten ``iri`` with the project prefixes (longest namespace wins), for test ids."""
    matches = [(len(ns), prefix) for prefix, ns in PREFIXES.items() if iri.startswith(ns)]
    if not matches:
        return iri
    length, prefix = max(matches)
    return f"{prefix}:{iri[length:]}"


def run_cli(*args: str, cwd: Path | None = None, hash_seed: str | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run the installed ``ember3kg`` command and capture its output (bytes)."""
    env = dict(os.environ)
    if hash_seed is not None:
        env["PYTHONHASHSEED"] = hash_seed
    return subprocess.run([str(CLI), *args], cwd=cwd, env=env, capture_output=True, check=False, timeout=300)


def run_main(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run the command line in this process (``ember3kg.cli.main``, as the installed command does); output as bytes.

    For tests of what a command does, not of the process (its environment, signals, the script).
    """
    with CliRunner().isolation(input=stdin) as (stdout, stderr, _):
        code = main(list(args))
    return subprocess.CompletedProcess(["ember3kg", *args], code, stdout.getvalue(), stderr.getvalue())


@pytest.fixture(scope="session")
def packaged() -> RdfInput:
    """Give the packaged dataset as the commands read it; tests must not change it."""
    return RdfInput.packaged()


@pytest.fixture(scope="session")
def dataset(packaged: RdfInput) -> Dataset:
    """Give the packaged dataset as rdflib; tests must not change it."""
    return packaged.dataset()


@pytest.fixture(scope="session")
def union(packaged: RdfInput) -> Graph:
    """Merge the graphs of the packaged dataset once per session; tests must not change it."""
    return packaged.union()


def shared_folder(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """Make the folder ``name`` once per session for all ``pytest -n`` workers: the first makes it, the others wait.

    Workers share the parent of their base temporary folder; a file lock orders them and a
    marker file says that ``make`` finished (a failed ``make`` leaves none, so the next worker retries).
    """
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder, done = root / name, root / f"{name}.done"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def packaged_build(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Build the packaged dataset (without entailment) once per session into a new nested folder; the files written."""

    def make(folder: Path) -> None:
        written = build(folder / "new" / "dir", RdfInput.packaged())
        (folder / "written.txt").write_text("".join(f"{path}\n" for path in written), encoding="utf-8")

    folder = shared_folder(tmp_path_factory, "packaged-build", make)
    return [Path(line) for line in (folder / "written.txt").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="session")
def default_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run ``ember3kg build`` with its defaults (the entailment graph included) once per session; give its folder."""

    def make(folder: Path) -> None:
        result = run_main("build", "--output-dir", str(folder))
        assert result.returncode == 0, result.stderr.decode()

    return shared_folder(tmp_path_factory, "default-build", make)


@pytest.fixture
def oxigraph() -> Iterator[OxigraphServer]:
    """Run a fresh, empty in-memory ``oxigraph serve`` on a free 127.0.0.1 port; always stopped."""
    with OxigraphServer(free_port()) as server:
        yield server


#: Three trials with real published PFS hazard ratios, for the site, plot and pooling tests.
SITE_FIXTURE = DATA / "site" / "three-trials.ttl"


def site_fixture_input(path: Path = SITE_FIXTURE) -> RdfInput:
    """Load the packaged ontology plus a fixture (the three trials), without graph/ (so trial files cannot clash)."""
    from ember3kg.publish.dataset import load_part
    from ember3kg.vocab.namespaces import GRAPH

    dataset = RdfInput.read([path]).dataset()
    ontology = dataset.graph(GRAPH["ontology"])
    ontology += load_part("ontology")
    return RdfInput.from_rdflib(dataset, str(path))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On a worker of ``pytest -n N --dist loadgroup``, end the id of each ``xdist_group`` test with ``@GROUP``.

    The scheduler keeps tests of one ``@GROUP`` on one worker. pytest-xdist 3.8 adds the suffix by
    setting ``item._nodeid``, which pytest 9 no longer reads (the id is ``item._id``): without this,
    every test is scheduled alone and the results the tests of a group share are made on both workers.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        names = sorted(
            {
                str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                for mark in item.iter_markers("xdist_group")
            }
        )
        suffix = f"@{'_'.join(names)}"
        if names and not item.nodeid.endswith(suffix):
            item._id = NodeId.parse(item.nodeid + suffix)
