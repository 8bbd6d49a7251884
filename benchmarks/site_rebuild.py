"""Time the evidence site: a first build, a rebuild over it, and ``make site`` after one graph file changes.

Run from the repository root with the package installed (``make install``)::

    .venv/bin/python benchmarks/site_rebuild.py --repeat 3

Prints one Markdown table, the median and range of the wall-clock seconds of each case and
the median CPU seconds (user + system, of the commands run: a steadier figure than the wall
clock when other work shares the cores):

- ``first build``: ``ember3kg site`` into a new folder (pyLODE documents the ontology);
- ``rebuild``: ``ember3kg site`` over the site it wrote (the ontology page is reused);
- ``make site after touch``: ``touch graph/FILE`` then ``make site``, as ``make run``
  redoes the site after one graph file changes (the editable install reads graph/ in
  place; the touch changes no byte, so the graph files stay as they are).

``--code SRC`` times another version of the package: ``SRC`` is put first on
``PYTHONPATH`` for the ``ember3kg site`` runs (``make site`` is then skipped). To time the
code of a commit, ``git archive COMMIT src ontology graph shapes queries | tar -x -C DIR``
and move the four data folders into ``DIR/src/ember3kg/``.

It measures and asserts nothing; docs/benchmarks.md keeps the figures.
"""

from __future__ import annotations

import argparse
import functools
import os
import resource
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


def _timed(step: Callable[[], None]) -> tuple[float, float]:
    """Run ``step`` and give its wall-clock seconds and the CPU seconds of the processes it ran."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    step()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def _run(*command: str | Path, code: str | None = None) -> None:
    """Run a command quietly (with ``code`` first on ``PYTHONPATH``); stop with its output if it fails."""
    environment = {**os.environ, "PYTHONPATH": code} if code else None
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, env=environment)  # noqa: S603
    if done.returncode:
        sys.exit(f"{' '.join(map(str, command))} failed:\n{done.stdout}{done.stderr}")


def main() -> None:
    """Time the three cases and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each case")
    parser.add_argument("--touch", default="graph/emerald.ttl", help="the graph file that changes")
    parser.add_argument("--code", help="time the package in this folder (put first on PYTHONPATH)")
    arguments = parser.parse_args()
    load = os.getloadavg()[0]
    scratch = Path(tempfile.mkdtemp(prefix="site-bench-"))
    try:
        cases: dict[str, list[tuple[float, float]]] = {"first build": [], "rebuild": []}
        for run in range(arguments.repeat):
            target = scratch / f"site-{run}"
            build = functools.partial(_run, CLI, "site", "--output-dir", target, code=arguments.code)
            cases["first build"].append(_timed(build))
            cases["rebuild"].append(_timed(build))
        if not arguments.code:
            cases["make site after touch"] = []
            _run("make", "site")  # build/site exists, so the timed runs are rebuilds
            for _ in range(arguments.repeat):
                (ROOT / arguments.touch).touch()
                cases["make site after touch"].append(_timed(lambda: _run("make", "site")))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"load average (1 min) at the start: {load:.1f}, at the end: {os.getloadavg()[0]:.1f}")  # noqa: T201
    print("| case | wall s, median | wall s, min-max | CPU s, median |")  # noqa: T201
    print("| --- | ---: | --- | ---: |")  # noqa: T201
    for case, runs in cases.items():
        wall = [seconds for seconds, _ in runs]
        cpu = statistics.median(seconds for _, seconds in runs)
        print(f"| {case} | {statistics.median(wall):.1f} | {min(wall):.1f}-{max(wall):.1f} | {cpu:.1f} |")  # noqa: T201


if __name__ == "__main__":
    main()
