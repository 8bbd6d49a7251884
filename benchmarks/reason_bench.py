"""Measure HermiT reasoning time, how it grows with the number of individuals, and its share of `make run`.

Run on demand (not by pytest), with the package installed:

    python benchmarks/reason_bench.py [COPIES ...]      # default: 1 10 30

Scaling: the data parts of the packaged dataset are copied COPIES times, every ``kg:``
IRI renamed per copy (``kg:drug-imlunestrant`` -> ``kg:drug-imlunestrant-c7``), so the
ontology stays the same and the number of individuals grows linearly. Each size is
reasoned once in this process with :func:`ember3kg.reasoning.reason.reason`; the figure is the
wall time of the HermiT run (Java start-up included), plus the whole call.

Share of `make run`: every command of the Makefile's ``run`` recipe is run once, as a
fresh process of the installed command line, into a temporary build directory.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Dataset, URIRef
from rdflib.term import Node

from ember3kg.io.inputs import RdfInput
from ember3kg.publish.dataset import load_dataset, new_dataset, part_names
from ember3kg.reasoning.reason import reason
from ember3kg.vocab.namespaces import GRAPH, KG

MAKEFILE = Path(__file__).resolve().parent.parent / "Makefile"


def scaled_dataset(copies: int) -> Dataset:
    """Build the packaged ontology parts plus ``copies`` renamed copies of the data parts."""
    source = load_dataset()
    scaled = new_dataset()
    data_parts = set(part_names("data"))
    for context in source.graphs():
        name = str(context.identifier).removeprefix(str(GRAPH))
        if name not in data_parts:
            target = scaled.graph(context.identifier)
            target += context
            continue
        for copy in range(copies):
            target = scaled.graph(URIRef(f"{context.identifier}-c{copy}"))
            for triple in context:
                subject, predicate, value = (_renamed(term, copy) for term in triple)
                target.add((subject, predicate, value))
    return scaled


def _renamed(term: Node, copy: int) -> Node:
    """Rename a ``kg:`` IRI for one copy; other terms stay as they are."""
    if isinstance(term, URIRef) and str(term).startswith(str(KG)):
        return URIRef(f"{term}-c{copy}")
    return term


def time_reasoning(copies: int) -> tuple[int, float, float]:
    """Reason over ``copies`` copies: (individuals, HermiT seconds, whole call seconds)."""
    dataset = scaled_dataset(copies)
    start = time.perf_counter()
    report = reason(RdfInput.from_rdflib(dataset))
    return report.individuals, report.seconds, time.perf_counter() - start


def make_run_commands(build_dir: Path) -> list[str]:
    """List the shell lines of the Makefile's ``run`` recipe, pointed at the installed command line."""
    recipe = re.search(r"^run:.*\n((?:\t.*\n)+)", MAKEFILE.read_text(encoding="utf-8"), re.MULTILINE)
    if recipe is None:
        raise SystemExit(f"{MAKEFILE}: no run recipe")
    bin_dir = str(Path(sys.executable).parent)
    return [
        line.strip().replace("$(BIN)", bin_dir).replace("$(BUILD_DIR)", str(build_dir)).replace("$$", "$")
        for line in recipe.group(1).splitlines()
    ]


def time_make_run() -> list[tuple[str, float]]:
    """Run each command of `make run` once and time it."""
    timings = []
    with tempfile.TemporaryDirectory() as build_dir:
        for command in make_run_commands(Path(build_dir)):
            start = time.perf_counter()
            subprocess.run(["bash", "-c", command], check=True, capture_output=True)  # noqa: S603, S607
            timings.append((command.replace(str(Path(sys.executable).parent) + "/", ""), time.perf_counter() - start))
    return timings


if __name__ == "__main__":
    sizes = [int(arg) for arg in sys.argv[1:]] or [1, 10, 30]
    print("copies  individuals  hermit_s  reason()_s")  # noqa: T201
    for copies in sizes:
        individuals, hermit, whole = time_reasoning(copies)
        print(f"{copies:6d}  {individuals:11d}  {hermit:8.2f}  {whole:10.2f}")  # noqa: T201
    print("\nmake run, command by command:")  # noqa: T201
    timings = time_make_run()
    total = sum(seconds for _, seconds in timings)
    for command, seconds in timings:
        print(f"{seconds:7.2f} s  {100 * seconds / total:5.1f} %  {command[:90]}")  # noqa: T201
    print(f"{total:7.2f} s  total")  # noqa: T201
