"""The checked-in table of which source states each number of the graph, and the sheets it is checked against.

``data/fidelity/stated-numbers.tsv`` names, for every number of a fact node (a result's value, its
confidence limits and p-value, an arm or population size, a trial's allocation ratio), each
source that prints it: a fact sheet and the locator of its fact row, or one of the two EMBER-3
page texts. ``data/fidelity/source-documents.tsv`` maps each source file to its document node.
The tests read the sources from ``EMBER3KG_SOURCES`` (default: ``shared/sources`` beside the
checkout) and skip the comparison with them when they are absent.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef

from conftest import DATA
from ember3kg.vocab.namespaces import EKG, KG

FIDELITY = DATA / "fidelity"
SOURCES = Path(os.environ.get("EMBER3KG_SOURCES", Path(__file__).resolve().parents[2] / "shared" / "sources"))
#: A ratio as printed ("1:1:1"), kept as text.
RATIO = re.compile(r"\d+(?::\d+)+")
#: A number as printed: "0.87", ".002", "28,5" (decimal comma); not part of a ratio.
NUMBER = re.compile(r"(?<![\d.:])\.?\d+(?:[.,]\d+)?(?![\d:])")
#: SPARQL for every number of every fact node, as (node, property, value).
NUMBERS = """
    PREFIX ekg: <https://w3id.org/ember3kg/ontology#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    SELECT DISTINCT ?node ?property ?value WHERE {
        ?node prov:wasDerivedFrom ?document .
        { VALUES ?property { ekg:value ekg:armSize ekg:populationSize ekg:allocationRatio } ?node ?property ?value }
        UNION { ?node ekg:hasConfidenceInterval ?ci .
                VALUES ?property { ekg:lowerLimit ekg:upperLimit } ?ci ?property ?value }
        UNION { ?node ekg:hasPValue/ekg:value ?value . BIND (ekg:pValue AS ?property) }
    }
"""


@dataclass(frozen=True)
class StatedNumber:
    """One row of the table: ``source`` prints ``value``, the ``property`` of ``node``, at ``locator``."""

    node: URIRef
    property: URIRef
    value: str
    source: str
    locator: str

    @property
    def key(self) -> tuple[URIRef, URIRef, str | Decimal]:
        """Tell the number apart from the node's others (decimals compare by value: 0.60 is 0.6)."""
        return self.node, self.property, number(self.property, self.value)


def number(prop: URIRef, lexical: str) -> str | Decimal:
    """Give a value of the graph in comparable form: a ratio as text, any other number as a Decimal."""
    return lexical if prop == EKG.allocationRatio else Decimal(lexical)


def _expand(curie: str) -> URIRef:
    prefix, local = curie.split(":", 1)
    return URIRef({"kg": str(KG), "ekg": str(EKG)}[prefix] + local)


@cache
def stated_numbers() -> tuple[StatedNumber, ...]:
    """Read ``stated-numbers.tsv``."""
    with (FIDELITY / "stated-numbers.tsv").open(encoding="utf-8") as table:
        return tuple(
            StatedNumber(_expand(row["node"]), _expand(row["property"]), row["value"], row["source"], row["locator"])
            for row in csv.DictReader(table, delimiter="\t")
        )


@cache
def source_documents() -> dict[str, URIRef]:
    """Map each source file (relative to the sources folder) to its document node."""
    with (FIDELITY / "source-documents.tsv").open(encoding="utf-8") as table:
        return {row["source"]: _expand(row["document"]) for row in csv.DictReader(table, delimiter="\t")}


def printed_numbers(text: str) -> set[str | Decimal]:
    """Find the ratios and numbers printed in ``text``."""
    found: set[str | Decimal] = set(RATIO.findall(text))
    for token in NUMBER.findall(RATIO.sub(" ", text)):
        token = token.replace(",", ".")
        try:
            found.add(Decimal("0" + token if token.startswith(".") else token))
        except InvalidOperation:  # "1.2.3" in a version string
            continue
    return found


@cache
def fact_rows(source: str) -> tuple[tuple[str, str], ...]:
    """Give the (locator, rest of the row) fact rows of a fact sheet, or the whole text of a page as one row."""
    text = (SOURCES / source).read_text(encoding="utf-8")
    if not source.endswith(".md"):
        return (("text", text),)
    facts = text.split("## Facts", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in facts.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and not set(line) <= set("|-: ") and cells[0] != "locator":
            rows.append((cells[0], " | ".join(cells[2:])))
    return tuple(rows)


def graph_numbers(union: Graph) -> set[tuple[URIRef, URIRef, str | Decimal]]:
    """Give every number of every fact node of ``union``, in comparable form."""
    return {
        (node, prop, number(prop, str(value)))  # type: ignore[arg-type]
        for node, prop, value in union.query(NUMBERS)  # type: ignore[misc]
    }
