"""Rewrite the golden answers in ``tests/expected/`` from the installed package, and show what changed.

Usage: python tools/regenerate-golden-answers.py [QUESTION ...]

Runs every competency question (or the named ones), and every parameter case of
``tests/data/query-params/``, on the embedded Oxigraph engine and writes the answers
in the form the tests compare (W3C CSV with LF line ends, ``true``/``false``, sorted Turtle). A unified diff
of every changed file is printed: review it against the sources, not against the code,
before committing. Exit 0 when nothing changed, 1 when files were rewritten.
"""

import difflib
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))

from queries_support import cases, golden_text  # noqa: E402

from ember3kg.io.inputs import RdfInput  # noqa: E402
from ember3kg.query import questions, run_question  # noqa: E402
from ember3kg.reasoning.entailment import with_entailment  # noqa: E402


def rendered(case) -> str:
    """Write the answer of ``case`` as its expected file holds it."""
    return golden_text(
        run_question(questions()[case.question], with_entailment(RdfInput.packaged()), params=case.params)
    )


if __name__ == "__main__":
    wanted = set(sys.argv[1:])
    changed = 0
    for case in cases():
        if wanted and case.question not in wanted:
            continue
        new = rendered(case)
        target = case.expected
        old = target.read_text("utf-8") if target.exists() else ""
        if new != old:
            changed += 1
            diff = difflib.unified_diff(old.splitlines(True), new.splitlines(True), str(target), str(target))
            sys.stdout.writelines(diff)
            target.write_text(new, "utf-8")
    sys.stdout.write(f"{changed} golden answer(s) rewritten\n")
    sys.exit(1 if changed else 0)
