"""Measure what loading the prefix map costs: Bioregistry at run time vs the packaged table.

Run on demand (not by pytest): python benchmarks/prefix_map_loading.py [REPEATS]

Each figure is the median wall time of a fresh interpreter doing one thing, so import
costs are included as a command line call would pay them.
"""

import statistics
import subprocess
import sys
import time

CASES = {
    "python (baseline)": "pass",
    "import curies": "import curies",
    "packaged table -> curies.Converter": "from ember3kg.vocab.identifiers import converter; converter()",
    "import bioregistry": "import bioregistry",
    "bioregistry lookups (23 prefixes)": (
        "import bioregistry\n"
        "from ember3kg.vocab.identifiers import prefix_rows_from_bioregistry, read_prefix_rows\n"
        "from importlib.resources import files\n"
        "rows = read_prefix_rows(files('ember3kg').joinpath('prefixes.tsv').read_text())\n"
        "prefix_rows_from_bioregistry([row['prefix'] for row in rows])"
    ),
    "bioregistry.get_converter() (full registry)": "import bioregistry; bioregistry.get_converter()",
    "import sssom (for `ember3kg mappings`)": "import sssom.parsers, sssom.validators",
    "packaged mapping set (table + SSSOM reader)": (
        "from ember3kg.links.mappings import packaged_mapping_set; packaged_mapping_set()"
    ),
}


def run(code: str) -> float:
    """Time one fresh interpreter running ``code``."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603 (our own interpreter)
    return time.perf_counter() - start


if __name__ == "__main__":
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    for label, code in CASES.items():
        timings = [run(code) for _ in range(repeats)]
        sys.stdout.write(f"{label:<48} {statistics.median(timings):6.3f} s (median of {repeats})\n")
