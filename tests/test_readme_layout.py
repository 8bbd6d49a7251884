"""The README's layout table lists the packages of the code, and README and docs name only modules that exist."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import ember3kg

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(ember3kg.__file__).parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
#: A package's row of the layout table: ``| `src/ember3kg/NAME/` | what it serves |``.
_PACKAGE_ROW = re.compile(r"^\| `src/ember3kg/(\w+)/` \| (.*?) \|$", re.MULTILINE)
#: A dotted name in backticks: ``ember3kg.io.inputs.RdfInput``.
_DOTTED = re.compile(r"`(ember3kg(?:\.\w+)+)")
#: A path into the package in backticks.
_SOURCE_PATH = re.compile(r"`(src/ember3kg/[\w./]+)`")
#: Last parts that make a dotted name a file of the build (``ember3kg.void.ttl``), not a module.
_FILE_SUFFIXES = frozenset({"ttl", "nt", "nq", "trig", "jsonld", "xml", "json", "tsv", "rq", "html", "svg", "png"})


def subpackages(package: Path) -> set[str]:
    """List the packages directly inside ``package`` (folders with an ``__init__.py``)."""
    return {init.parent.name for init in package.glob("*/__init__.py")}


def layout_problems(readme: str, packages: set[str]) -> list[str]:
    """Say which packages the README's layout table misses, and which rows name no package."""
    rows = dict(_PACKAGE_ROW.findall(readme))
    return [f"README.md: layout table has no row `src/ember3kg/{name}/`" for name in sorted(packages - rows.keys())] + [
        f"README.md: layout table row `src/ember3kg/{name}/` names no package of the code"
        for name in sorted(rows.keys() - packages)
    ]


def reference_problems(text: str, label: str) -> list[str]:
    """Say which ``ember3kg.…`` names and ``src/ember3kg/…`` paths of ``text`` do not exist."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        for dotted in _DOTTED.findall(line):
            if dotted.rsplit(".", 1)[-1] not in _FILE_SUFFIXES and not _resolves(dotted):
                problems.append(f"{label}:{number}: `{dotted}` names no module or attribute of the code")
        for path in _SOURCE_PATH.findall(line):
            if not (ROOT / path).exists():
                problems.append(f"{label}:{number}: `{path}` does not exist")
    return problems


def _resolves(dotted: str) -> bool:
    """Whether ``dotted`` is a module, or an attribute reached from the longest module prefix of it."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            if not hasattr(found, attribute):
                return False
            found = getattr(found, attribute)
        return True
    return False


def test_readme_layout_lists_every_package_of_the_code() -> None:
    assert layout_problems(README.read_text("utf-8"), subpackages(PACKAGE)) == []


def test_readme_layout_says_what_each_package_serves() -> None:
    rows = dict(_PACKAGE_ROW.findall(README.read_text("utf-8")))
    assert sorted(rows) == sorted(subpackages(PACKAGE))
    assert all(len(text.split()) >= 5 for text in rows.values())


def test_readme_and_docs_name_only_modules_that_exist() -> None:
    problems = [
        problem for path in [README, *DOCS] for problem in reference_problems(path.read_text("utf-8"), path.name)
    ]

    assert problems == []


def test_the_checks_name_a_missing_package_an_old_module_and_a_moved_file() -> None:
    readme = (
        "| folder | holds |\n"
        "| `src/ember3kg/io/` | reading and writing RDF |\n"
        "| `src/ember3kg/fhir/` | the FHIR export |\n"
        "Run `ember3kg.dataset.parse_rdf`, `ember3kg.io.inputs.RdfInput.no_such` or `ember3kg.io.outputs`;\n"
        "the code is `src/ember3kg/fhir.py`, the dump `ember3kg.void.ttl`.\n"
    )

    assert layout_problems(readme, {"io", "query"}) == [
        "README.md: layout table has no row `src/ember3kg/query/`",
        "README.md: layout table row `src/ember3kg/fhir/` names no package of the code",
    ]
    assert reference_problems(readme, "README.md") == [
        "README.md:3: `src/ember3kg/fhir/` does not exist",
        "README.md:4: `ember3kg.dataset.parse_rdf` names no module or attribute of the code",
        "README.md:4: `ember3kg.io.inputs.RdfInput.no_such` names no module or attribute of the code",
        "README.md:5: `src/ember3kg/fhir.py` does not exist",
    ]
