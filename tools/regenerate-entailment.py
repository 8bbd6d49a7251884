"""Rewrite the packaged entailment graph, ``src/ember3kg/reasoning/entailment.ttl``, from the installed package.

Usage: python tools/regenerate-entailment.py

Runs HermiT over the packaged dataset and closes the result under RDFS
(:func:`ember3kg.reasoning.entailment.compute_entailment`), then writes the file that
``ember3kg query`` loads by default. Run it after changing the ontology or the data
(and reinstalling): ``tests/test_entailment.py`` fails while the file is stale.
Exit 0 when nothing changed, 1 when the file was rewritten.
"""

import sys
from pathlib import Path

from ember3kg.io.inputs import RdfInput
from ember3kg.reasoning.entailment import PACKAGED_FILE, compute_entailment, serialize_entailment

TARGET = Path(__file__).resolve().parent.parent / "src" / "ember3kg" / "reasoning" / PACKAGED_FILE

if __name__ == "__main__":
    graph = compute_entailment(RdfInput.packaged(), reasoner=True)
    data = serialize_entailment(graph)
    if TARGET.exists() and TARGET.read_bytes() == data:
        sys.stdout.write(f"{TARGET.name}: unchanged ({len(graph)} triples)\n")
        sys.exit(0)
    TARGET.write_bytes(data)
    sys.stdout.write(f"{TARGET.name}: rewritten ({len(graph)} triples)\n")
    sys.exit(1)
