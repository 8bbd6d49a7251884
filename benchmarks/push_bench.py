"""Time ``ember3kg push`` to a local Oxigraph server, by protocol.

Run on demand (never by pytest), against the installed package::

    python benchmarks/push_bench.py [--repeat N]

Starts one in-memory ``oxigraph serve`` on a free 127.0.0.1 port and, for each way
in (Graph Store Protocol PUT; SPARQL Update in batches of 1000 and of 100 triples),
pushes the packaged dataset N times. Prints the triples and graphs sent, then the
best and median upload time and the median time of the count verification. Also
times the whole command line (``ember3kg push URL``, a fresh process) once.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from ember3kg.publish.dataset import load_dataset
from ember3kg.stores.push import count_triples, push
from ember3kg.stores.serve import OxigraphServer, free_port


def main() -> None:
    """Run the benchmark and print one line per way in."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="pushes per way in")
    repeat = parser.parse_args().repeat
    dataset = load_dataset()
    with OxigraphServer(free_port()) as server:
        ways = {
            "graph store PUT": {"store_url": server.endpoints.store},
            "update, batches of 1000": {"update_endpoint": server.endpoints.update, "batch_size": 1000},
            "update, batches of 100": {"update_endpoint": server.endpoints.update, "batch_size": 100},
        }
        print(f"oxigraph at {server.endpoints.base}, {repeat} pushes per way in")  # noqa: T201
        for name, options in ways.items():
            uploads, checks = [], []
            for _ in range(repeat):
                result = push(dataset, verify=False, **options)  # type: ignore[arg-type]
                uploads.append(result.seconds)
                started = time.perf_counter()
                counts = count_triples(server.endpoints.query, list(result.counts))
                checks.append(time.perf_counter() - started)
                assert counts == result.counts, f"{name}: the server holds other counts"  # noqa: S101
            print(  # noqa: T201
                f"{name:<24} {result.triples} triples, {len(result.counts)} graphs: "
                f"best {min(uploads) * 1000:.1f} ms, median {statistics.median(uploads) * 1000:.1f} ms; "
                f"verification median {statistics.median(checks) * 1000:.1f} ms"
            )
        command = [str(Path(sys.executable).parent / "ember3kg"), "push", server.endpoints.store]
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)  # noqa: S603 (our own command)
        print(f"{'ember3kg push (CLI)':<24} whole command, one run: {time.perf_counter() - started:.2f} s")  # noqa: T201


if __name__ == "__main__":
    main()
