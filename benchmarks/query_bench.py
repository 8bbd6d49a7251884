"""Time every competency question on each embedded engine.

Run on demand (never by pytest), against the installed package::

    python benchmarks/query_bench.py [--repeat N]

For each engine it prints the time to load the dataset (first query, which builds
the engine's cached copy), then the best and the median over N rounds of the time
to answer all questions once, and the slowest question. The faster engine is the
default of ``ember3kg query`` (``ember3kg.query.DEFAULT_ENGINE``).
"""

from __future__ import annotations

import argparse
import statistics
import time

from ember3kg.io.inputs import RdfInput
from ember3kg.query import EMBEDDED_ENGINES, questions, run_question


def bench(engine: str, repeat: int) -> dict[str, float | str]:
    """Time the questions on one engine: load, best and median round, slowest question."""
    start = time.perf_counter()
    run_question(questions()["trial-design"], RdfInput.packaged(), engine=engine)
    load = time.perf_counter() - start
    rounds = []
    per_question: dict[str, float] = {}
    for _ in range(repeat):
        round_start = time.perf_counter()
        for name, question in questions().items():
            start = time.perf_counter()
            run_question(question, RdfInput.packaged(), engine=engine)
            per_question[name] = min(per_question.get(name, float("inf")), time.perf_counter() - start)
        rounds.append(time.perf_counter() - round_start)
    slowest = max(per_question, key=per_question.__getitem__)
    return {
        "load_s": load,
        "best_s": min(rounds),
        "median_s": statistics.median(rounds),
        "slowest": f"{slowest} ({per_question[slowest] * 1000:.1f} ms)",
    }


def main() -> None:
    """Print one line per engine."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds of all questions per engine")
    args = parser.parse_args()
    print(f"{len(questions())} questions, {args.repeat} rounds")  # noqa: T201 -- a report script
    for engine in EMBEDDED_ENGINES:
        result = bench(engine, args.repeat)
        print(  # noqa: T201
            f"{engine:9} load {result['load_s']:.3f} s | all questions: best {result['best_s']:.3f} s,"
            f" median {result['median_s']:.3f} s | slowest: {result['slowest']}"
        )


if __name__ == "__main__":
    main()
