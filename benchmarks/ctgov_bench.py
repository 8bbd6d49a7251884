"""Time ``ember3kg import ctgov`` on many study records, against a plain ``json`` load of the same files.

Run on demand (never by pytest), against the installed package::

    python benchmarks/ctgov_bench.py [--records N] [--format nt]

Makes N records (10,000 by default) in a temporary folder from the four fixture
records with results (tests/data/ctgov): record k is fixture k mod 4 with the NCT
number NCT9xxxxxxx and every number of its results section (values, limits, p-values,
counts) changed by a pseudo-random step in its last printed digit, so that no two
records hold the same numbers while each keeps the printed form of its fixture. Then
runs, each in a fresh process so that its peak memory is its own: ``json.load`` of
every file, one after the other, keeping nothing; the import of the folder into one
file. Prints wall time and peak resident memory (``ru_maxrss``) of both, and the
machine's load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "data" / "ctgov"
SOURCES = ("NCT00763412", "NCT02210780", "NCT02552212", "NCT05594173")
_NUMBER = re.compile(r"^(<|>|=|<=|>=)?(-?)(\d+)(?:\.(\d+))?$")

#: The two workloads, each run by ``python -c`` in a child process on the folder given as argv[1].
#: Each prints its own peak resident memory (ru_maxrss, KB) as the last word of its output.
_PEAK = "\nimport resource\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
JSON_LOAD = (
    "import json, pathlib, sys\nfor path in sorted(pathlib.Path(sys.argv[1]).glob('*.json')):\n"
    "    json.loads(path.read_bytes())" + _PEAK
)
IMPORT = (
    "import sys\nfrom ember3kg.ctgov import import_records\n"
    "report = import_records([sys.argv[1]], sys.argv[2], sys.argv[3])\n"
    "print(len(report.records), report.triples, len(report.problems))" + _PEAK
)


def perturbed(value: Any, rng: random.Random) -> Any:
    """Change a number printed as a string by a step in its last digit, keeping its printed form."""
    if isinstance(value, dict):
        return {key: perturbed(item, rng) for key, item in value.items()}
    if isinstance(value, list):
        return [perturbed(item, rng) for item in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return max(0, value + rng.randint(-2, 2))
    if not isinstance(value, str) or not (match := _NUMBER.match(value)):
        return value
    comparator, sign, whole, fraction = match.group(1) or "", match.group(2), match.group(3), match.group(4)
    digits = len(fraction) if fraction else 0
    scaled = int(whole + (fraction or "")) + rng.randint(0, 3)
    text = str(scaled).rjust(digits + 1, "0")
    number = f"{text[:-digits]}.{text[-digits:]}" if digits else text
    return f"{comparator}{sign}{number}"


def make_records(folder: Path, count: int) -> int:
    """Write ``count`` perturbed records into ``folder``; return their total size in bytes."""
    rng = random.Random(27)  # noqa: S311 - test data, not security
    sources = [json.loads((FIXTURES / f"{nct}.json").read_text(encoding="utf-8")) for nct in SOURCES]
    size = 0
    for k in range(count):
        record = dict(sources[k % len(sources)])
        record["resultsSection"] = perturbed(record["resultsSection"], rng)
        identification = dict(record["protocolSection"]["identificationModule"], nctId=f"NCT9{k:07d}")
        record["protocolSection"] = dict(record["protocolSection"], identificationModule=identification)
        data = json.dumps(record).encode("utf-8")
        (folder / f"record-{k:05d}.json").write_bytes(data)
        size += len(data)
    return size


def measure(code: str, *args: str) -> tuple[float, float, list[str]]:
    """Run ``code`` in a fresh interpreter: wall seconds, its own peak resident memory in MB, its other output."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)  # noqa: S603
    seconds = time.perf_counter() - started
    *words, peak = done.stdout.split()
    return seconds, int(peak) / 1024, words


def main() -> None:
    """Make the records, run both workloads and print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000, help="records to make")
    parser.add_argument("--format", default="nt", help="output format of the import")
    options = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")  # noqa: T201
    with tempfile.TemporaryDirectory(prefix="ctgov-bench-") as work:
        folder = Path(work) / "records"
        folder.mkdir()
        size = make_records(folder, options.records)
        print(f"{options.records:,} records, {size / 1e6:.1f} MB of JSON")  # noqa: T201
        seconds, peak, _ = measure(JSON_LOAD, str(folder))
        print(f"json.load, every file: {seconds:.2f} s, peak {peak:.0f} MB")  # noqa: T201
        output = Path(work) / f"ctgov.{options.format}"
        seconds, peak, (records, triples, problems) = measure(IMPORT, str(folder), str(output), options.format)
        print(  # noqa: T201
            f"ember3kg import ctgov: {seconds:.2f} s, peak {peak:.0f} MB; {int(records):,} records,"
            f" {int(triples):,} triples, {problems} problems, {output.stat().st_size / 1e6:.1f} MB written"
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")  # noqa: T201


if __name__ == "__main__":
    main()
