"""Time the evidence site: a first build, a rebuild over it, and ``make site`` after one graph file changes.

Run from the repository root with the package installed (``make install``)::

    .venv/bin/python benchmarks/site_rebuild.py --repeat 3

Prints one Markdown table (median and range of the wall-clock seconds of each case):

- ``first build``: ``ember3kg site`` into a new folder (pyLODE documents the ontology);
- ``rebuild``: ``ember3kg site`` over the site it wrote (the ontology page is reused);
- ``make site after touch``: ``touch graph/FILE`` then ``make site``, as ``make run``
  redoes the site after one graph file changes (the editable install reads graph/ in
  place; the touch changes no byte, so the graph files stay as they are).

It measures and asserts nothing; docs/benchmarks.md keeps the figures.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / ".venv" / "bin" / "ember3kg"


def _timed(step: Callable[[], None]) -> float:
    """Run ``step`` and give its wall-clock seconds."""
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def _run(*command: str | Path) -> None:
    """Run a command quietly; stop with its output if it fails."""
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        sys.exit(f"{' '.join(map(str, command))} failed:\n{done.stdout}{done.stderr}")


def main() -> None:
    """Time the three cases and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each case")
    parser.add_argument("--touch", default="graph/emerald.ttl", help="the graph file that changes")
    arguments = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="site-bench-"))
    try:
        cases: dict[str, list[float]] = {"first build": [], "rebuild": [], "make site after touch": []}
        for run in range(arguments.repeat):
            target = scratch / f"site-{run}"
            build = functools.partial(_run, CLI, "site", "--output-dir", target)
            cases["first build"].append(_timed(build))
            cases["rebuild"].append(_timed(build))
        _run("make", "site")  # build/site exists, so the timed runs are rebuilds
        for _ in range(arguments.repeat):
            (ROOT / arguments.touch).touch()
            cases["make site after touch"].append(_timed(lambda: _run("make", "site")))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("| case | median s | min-max s |")  # noqa: T201
    print("| --- | ---: | --- |")  # noqa: T201
    for case, seconds in cases.items():
        print(f"| {case} | {statistics.median(seconds):.1f} | {min(seconds):.1f}-{max(seconds):.1f} |")  # noqa: T201


if __name__ == "__main__":
    main()
