"""Write ``graph/printed-forms.ttl``: the printed form of every decimal of the other ``graph/*.ttl`` files.

Usage: python tools/generate-printed-forms.py

Run it after changing a number in ``graph/``; ``tests/test_queries_printed.py`` fails
while the committed file is out of date. See :mod:`ember3kg.vocab.printed`.
"""

from pathlib import Path

from ember3kg.vocab.printed import PRINTED_FORMS_FILE, printed_forms

GRAPH = Path(__file__).resolve().parent.parent / "graph"

if __name__ == "__main__":
    sources = sorted(path for path in GRAPH.glob("*.ttl") if path.name != PRINTED_FORMS_FILE)
    (GRAPH / PRINTED_FORMS_FILE).write_bytes(printed_forms((path.name, path.read_bytes()) for path in sources))
