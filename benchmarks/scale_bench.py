"""Measure ember3kg at 10k, 100k and 1M triples of synthetic trials, next to the fastest peers.

Run on demand (never by pytest), with the package and the benchmark extra installed
(``make benchmark`` does both, and installs Jena)::

    python benchmarks/scale_bench.py [--sizes 10000 100000 1000000] [--repeat 3]
        [--repeat-large 1] [--timeout 900] [--output build/benchmark.md]

For each size it writes a file of synthetic trials (``benchmarks/synthetic_trials.py``,
cached under ``build/benchmark/``), then runs every piece of work in a fresh process,
``--repeat`` times (``--repeat-large`` times from 1M triples on), and records the median
wall time and two peaks of resident memory: of the largest single process (``os.wait4``,
which covers its children such as Java, but one process at a time), and of the whole
process tree, summed (the process group is sampled in ``/proc`` every 0.05 s; pages a
forked child still shares with its parent count twice, so the sum is an upper bound).
A run that exceeds ``--timeout`` seconds is stopped and shown as ``> TIMEOUT``.

Work measured, ember3kg first, then the peers that do the same job:

- parse: ``ember3kg.io.inputs.RdfInput.read``, alone and with the rdflib dataset made from
  it (what pySHACL, owlready2 and rdflib's writers need) | pyoxigraph ``Store.bulk_load``;
- validate: ``ember3kg validate FILE`` (engine chosen by size) and ``--engine pyshacl``
  | Jena SHACL (Debian's ``libapache-jena-java``), pyrudof;
- questions: every competency question through ``ember3kg.query.run_questions`` in one
  process, on the file | the same query texts on a pyoxigraph store;
- stats: ``ember3kg stats FILE`` | pyoxigraph load and the counts by SPARQL;
- export: ``ember3kg export -f nt FILE`` | pyoxigraph load and dump as N-Triples;
- reason: ``ember3kg reason FILE``.

The Markdown table gives, per size, the median and the peak memory, the growth
exponent between sizes (``log(t2/t1) / log(n2/n1)``: 1 is linear) and, at the largest
size, the ratio of ember3kg's time to its peer's.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
PYTHON = sys.executable

#: Loads the file into a pyoxigraph store, as the peers do (argv[1] is the file).
_OXIGRAPH_LOAD = (
    "import sys, pyoxigraph as ox\n"
    "store = ox.Store()\n"
    "store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_TRIPLES)\n"
)
_QUESTION_TEXTS = "from ember3kg.query import questions\ntexts = [q.sparql for q in questions().values()]\n"

#: Snippets run with ``python -c``; the file is argv[1].
SNIPPETS = {
    "parse": "import sys\nfrom ember3kg.io.inputs import RdfInput\nRdfInput.read(sys.argv[1:])\n",
    "parse-dataset": "import sys\nfrom ember3kg.io.inputs import RdfInput\nRdfInput.read(sys.argv[1:]).dataset()\n",
    # The library's embedded Oxigraph engine on the file, with its entailment graph (as `ember3kg query` asks).
    "questions": (
        "import sys\n"
        "from ember3kg.reasoning.entailment import with_entailment\n"
        "from ember3kg.io.inputs import RdfInput\n"
        "from ember3kg.query import questions, run_questions\n"
        "data = with_entailment(RdfInput.read(sys.argv[1:]))\n"
        "for answer in run_questions(list(questions().values()), data, timeout=3600):\n"
        "    pass\n"
    ),
    "oxigraph-load": _OXIGRAPH_LOAD,
    "oxigraph-questions": _OXIGRAPH_LOAD
    + _QUESTION_TEXTS
    + (
        "for text in texts:\n"
        "    result = store.query(text, use_default_graph_as_union=True)\n"
        "    if not isinstance(result, ox.QueryBoolean):\n"
        "        for _ in result: pass\n"
    ),
    "oxigraph-stats": _OXIGRAPH_LOAD
    + (
        "for text in ('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }',\n"
        "             'SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c'):\n"
        "    for _ in store.query(text): pass\n"
    ),
    "oxigraph-export": _OXIGRAPH_LOAD
    + "store.dump(open('/dev/null', 'wb'), ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())\n",
    # The shapes (as N-Triples) are argv[2].
    "pyrudof": (
        "import sys, pyrudof\n"
        "rudof = pyrudof.Rudof(pyrudof.RudofConfig())\n"
        "rudof.read_data(sys.argv[1], pyrudof.RDFFormat.NTriples)\n"
        "rudof.read_shacl(sys.argv[2], pyrudof.ShaclFormat.NTriples)\n"
        "rudof.validate_shacl()\n"
    ),
}


@dataclass(frozen=True)
class Work:
    """One piece of work: a command to run on the file, and the peer it is compared with."""

    name: str
    command: Callable[[Path], list[str]] | None
    peer: str | None = None
    why_missing: str = ""


def _snippet(name: str) -> Callable[[Path], list[str]]:
    return lambda path: [PYTHON, "-c", SNIPPETS[name], str(path)]


def _ember3kg(*arguments: str) -> Callable[[Path], list[str]]:
    return lambda path: [str(BIN / "ember3kg"), *arguments, str(path)]


def _shapes_file() -> Path:
    """Write (once) the packaged shapes as one N-Triples file, for the peers."""
    shapes = HERE.parent / "build" / "benchmark" / "shapes.nt"
    if not shapes.exists():
        from ember3kg.checks.validate import load_shapes

        shapes.write_bytes(load_shapes().serialize(format="nt", encoding="utf-8"))
    return shapes


def _jena_shacl() -> Callable[[Path], list[str]] | None:
    """Jena's SHACL validator on the packaged shapes, on the class path that ``make jena`` prepares."""
    from ember3kg.checks.jena_shacl import jena_command

    command = jena_command()
    if command is None:
        return None
    return lambda path: [*command, "validate", "--shapes", str(_shapes_file()), "--data", str(path)]


def _pyrudof() -> Callable[[Path], list[str]] | None:
    try:
        import pyrudof  # noqa: F401
    except ImportError:
        return None
    return lambda path: [PYTHON, "-c", SNIPPETS["pyrudof"], str(path), str(_shapes_file())]


def works() -> list[Work]:
    """Every piece of work, ember3kg's and the peers', in table order."""
    jena, rudof = _jena_shacl(), _pyrudof()
    return [
        Work("parse: ember3kg RdfInput.read", _snippet("parse"), "parse: pyoxigraph bulk_load"),
        Work("parse: ember3kg RdfInput.read + dataset()", _snippet("parse-dataset"), "parse: pyoxigraph bulk_load"),
        Work("parse: pyoxigraph bulk_load", _snippet("oxigraph-load")),
        Work("validate: ember3kg validate (auto)", _ember3kg("validate"), "validate: Jena SHACL"),
        Work(
            "validate: ember3kg validate --engine pyshacl",
            _ember3kg("validate", "--engine", "pyshacl"),
            "validate: Jena SHACL",
        ),
        Work("validate: Jena SHACL", jena, why_missing="Jena not installed (make jena)"),
        Work("validate: pyrudof", rudof, why_missing="pyrudof not installed"),
        Work("questions: ember3kg, all, one process", _snippet("questions"), "questions: pyoxigraph, all"),
        Work("questions: pyoxigraph, all", _snippet("oxigraph-questions")),
        Work("stats: ember3kg stats", _ember3kg("stats"), "stats: pyoxigraph load + counts"),
        Work("stats: pyoxigraph load + counts", _snippet("oxigraph-stats")),
        Work(
            "export: ember3kg export -f nt",
            _ember3kg("export", "-f", "nt", "-o", "/dev/null"),
            "export: pyoxigraph load + dump nt",
        ),
        Work("export: pyoxigraph load + dump nt", _snippet("oxigraph-export")),
        Work("reason: ember3kg reason --engine rules", _reason("rules"), "reason: ember3kg reason --engine hermit"),
        Work("reason: ember3kg reason --engine hermit", _reason("hermit")),
    ]


def _reason(engine: str) -> Callable[[Path], list[str]]:
    """Run ``ember3kg reason`` with ``engine``, its inferred triples written under build/benchmark/."""
    output = HERE.parent / "build" / "benchmark" / "inferred.ttl"
    return _ember3kg("reason", "--engine", engine, "--output", str(output))


@dataclass
class Measure:
    """The runs of one piece of work at one size."""

    seconds: list[float]
    peak_mb: float
    tree_mb: float = 0.0
    #: The machine's 1-minute load average as each run started (other users' work included).
    loads: list[float] = field(default_factory=list)
    timed_out: bool = False
    failed: str = ""

    @property
    def median(self) -> float:
        """Median wall time of the runs."""
        return statistics.median(self.seconds) if self.seconds else math.nan


_PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20


def tree_rss_mb(group: int) -> float:
    """Sum the resident memory of the processes of the process group ``group``, from ``/proc``, in MB."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        # After the command name: state, ppid, pgrp (index 2), ..., rss in pages (index 21).
        if int(fields[2]) == group:
            total += int(fields[21])
    return total * _PAGE_MB


def run_once(command: list[str], timeout: float) -> tuple[float, float, float, str]:
    """Run ``command``; return (wall seconds, peak MB of one process, of the tree, failure or "" or "timeout")."""
    started = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603 (our own commands)
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = started + timeout
    tree = 0.0
    while True:
        tree = max(tree, tree_rss_mb(child.pid))  # the child leads a new session, so its group is its pid
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(child.pid, signal.SIGKILL)
            os.wait4(child.pid, 0)
            return timeout, math.nan, math.nan, "timeout"
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    error = child.stderr.read().decode(errors="replace") if child.stderr else ""
    # validate exits 1 when the data does not conform, which is an answer, not a failure.
    failed = "" if code in (0, 1) and "Traceback" not in error else f"exit {code}: {error.strip()[-300:]}"
    return seconds, usage.ru_maxrss / 1024, max(tree, usage.ru_maxrss / 1024), failed


def measure(work: Work, path: Path, repeat: int, timeout: float) -> Measure:
    """Run one piece of work ``repeat`` times on ``path``."""
    result = Measure([], 0.0)
    assert work.command is not None  # noqa: S101
    for _ in range(repeat):
        result.loads.append(os.getloadavg()[0])
        seconds, peak, tree, failed = run_once(work.command(path), timeout)
        if failed == "timeout":
            result.timed_out = True
            return result
        if failed:
            result.failed = failed
            return result
        result.seconds.append(seconds)
        result.peak_mb = max(result.peak_mb, peak)
        result.tree_mb = max(result.tree_mb, tree)
    return result


def data_file(triples: int) -> tuple[Path, int]:
    """Write (once per version of the generator) the synthetic file of at least ``triples`` triples; give it, its size.

    The file's name holds a digest of the generator, so a changed generator never reuses an old file.
    """
    generator = hashlib.sha256((HERE / "synthetic_trials.py").read_bytes()).hexdigest()[:12]
    path = HERE.parent / "build" / "benchmark" / f"synthetic-{triples}-{generator}.nt"
    if not path.exists():
        subprocess.run(  # noqa: S603
            [PYTHON, str(HERE / "synthetic_trials.py"), "--triples", str(triples), "-o", str(path)], check=True
        )
    with path.open("rb") as stream:
        return path, sum(1 for _ in stream)


def _cell(measured: Measure | None, timeout: float) -> str:
    if measured is None:
        return "-"
    if measured.timed_out:
        return f"> {timeout:.0f} s"
    if measured.failed:
        return "failed"
    runs = f" ({len(measured.seconds)} run)" if len(measured.seconds) == 1 else ""
    return f"{measured.median:.2f} s, {measured.peak_mb:,.0f} MB, tree {measured.tree_mb:,.0f} MB{runs}"


def table(sizes: list[int], results: dict[str, dict[int, Measure]], all_works: list[Work], timeout: float) -> str:
    """Render the Markdown table."""
    header = ["work", *(f"{size:,} triples" for size in sizes)]
    header += [f"exponent {a // 1000}k->{b // 1000}k" for a, b in pairwise(sizes)]
    header.append(f"x peer at {sizes[-1]:,}")
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for work in all_works:
        measured = results.get(work.name, {})
        row = [work.name if work.command else f"{work.name} ({work.why_missing})"]
        row += [_cell(measured.get(size), timeout) for size in sizes]
        for a, b in pairwise(sizes):
            ma, mb = measured.get(a), measured.get(b)
            ok = ma and mb and ma.seconds and mb.seconds
            row.append(f"{math.log(mb.median / ma.median) / math.log(b / a):.2f}" if ok else "-")  # type: ignore[union-attr]
        peer = results.get(work.peer or "", {}).get(sizes[-1])
        mine = measured.get(sizes[-1])
        ok = peer and mine and peer.seconds and mine.seconds
        row.append(f"{mine.median / peer.median:.1f}" if ok else "-")  # type: ignore[union-attr]
        lines.append("| " + " | ".join(row) + " |")
    loads = [
        [load for by_size in results.values() if size in by_size for load in by_size[size].loads] for size in sizes
    ]
    row = ["machine load (1-minute average as the runs started)"]
    row += [f"{min(found):.1f} to {max(found):.1f}" if found else "-" for found in loads]
    lines.append("| " + " | ".join(row + ["-"] * (len(header) - len(row))) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Generate the data, run every piece of work at every size, write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per work and size (the median is shown)")
    parser.add_argument("--repeat-large", type=int, default=1, help="runs per work from 1M triples on")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds before a run is stopped")
    parser.add_argument("--only", nargs="*", default=None, help="run only the works whose name contains one of these")
    parser.add_argument("--output", type=Path, default=HERE.parent / "build" / "benchmark.md")
    args = parser.parse_args()
    (HERE.parent / "build" / "benchmark").mkdir(parents=True, exist_ok=True)
    all_works = [w for w in works() if args.only is None or any(part in w.name for part in args.only)]
    results: dict[str, dict[int, Measure]] = {}
    sizes: list[int] = []
    for asked in args.sizes:
        path, size = data_file(asked)
        sizes.append(size)
        repeat = args.repeat_large if asked >= 1_000_000 else args.repeat
        for work in all_works:
            if work.command is None:
                continue
            measured = measure(work, path, repeat, args.timeout)
            results.setdefault(work.name, {})[size] = measured
            sys.stderr.write(f"{size:>9} {work.name:<48} {_cell(measured, args.timeout)} {measured.failed}\n")
        _write(args, table(sizes, results, all_works, args.timeout))  # what is measured so far


def _write(args: argparse.Namespace, measured: str) -> None:
    """Write the table and a note on the machine to ``args.output``, and print it."""
    load = os.getloadavg()
    note = (
        f"\n{os.cpu_count()} cores; load average at the end {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}; "
        f"medians of {args.repeat} runs ({args.repeat_large} from 1M triples on).\n"
    )
    text = measured + note
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
