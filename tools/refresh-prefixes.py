"""Regenerate ``src/ember3kg/vocab/prefixes.tsv`` from the Bioregistry (development time).

Usage: python tools/refresh-prefixes.py [NEW_PREFIX]...

Keeps the prefixes already in the table, adds the NEW_PREFIXes, and looks every one up
again in the installed Bioregistry. Run it after adding a prefix to the mapping set or
upgrading ``bioregistry``; the test suite fails while the table and the registry differ.
"""

import sys
from pathlib import Path

from ember3kg.vocab.identifiers import prefix_rows_from_bioregistry, read_prefix_rows, write_prefix_rows

TABLE = Path(__file__).resolve().parent.parent / "src" / "ember3kg" / "vocab" / "prefixes.tsv"

if __name__ == "__main__":
    known = [row["prefix"] for row in read_prefix_rows(TABLE.read_text(encoding="utf-8"))] if TABLE.exists() else []
    wanted = list(dict.fromkeys([*known, *sys.argv[1:]]))
    TABLE.write_text(write_prefix_rows(prefix_rows_from_bioregistry(wanted)), encoding="utf-8")
    sys.stdout.write(f"{TABLE}: {len(wanted)} prefixes\n")
