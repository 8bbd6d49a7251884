"""Generate synthetic trials in the ember3kg model, for benchmarks at any size.

Run on demand (never by pytest; a test checks that a small output validates)::

    python benchmarks/synthetic_trials.py --triples 100000 -o build/bench/100k.nt
    python benchmarks/synthetic_trials.py --trials 3 -o small.nt

The output is one N-Triples file: the packaged dataset (ontology, seven trials, shared
drugs, endpoints and sources), then synthetic trials until the file holds at least the
triples asked for. Each synthetic trial is a renamed copy of EMBER-3's design, results
and reports (``graph/ember3-*.ttl``) with its own source documents:

- every node those files type (``rdf:type``: the trial, its arms, populations,
  results, reports and the locations in them) is renamed with the trial's number
  (``kg:ember3-arm-imlunestrant`` -> ``kg:synthetic00042-ember3-arm-imlunestrant``), and
  so are the source documents of ``graph/sources.ttl`` that describe EMBER-3 alone, with
  their locations (a real trial has its own publications: sharing them would give
  one document the results of every trial, and joins through documents would grow
  with the square of the trials); every other node (drugs, endpoints, documents about
  several trials, the ontology) stays shared;
- "EMBER-3" in the text of a renamed node becomes "SYNTHETIC-00042"; the registry
  identifier is dropped (a synthetic trial is registered nowhere);
- numbers are perturbed coherently, so that the shapes still accept the copy: patient
  and event counts are multiplied by one whole factor per trial (1, 2 or 3: sums and
  "no more events than patients" stay true); an estimate and its confidence interval
  are multiplied by one factor near 1 (lower limit rounded down, upper limit up), kept
  as they were if that would move the interval across a null value (0 or 1), which
  would contradict the p-value; other decimal values (percentages, medians) by a
  factor near 1, never above 100 for a percentage.

The same arguments give the same bytes: every random choice comes from a generator
seeded with the trial's number.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterable, Iterator
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox

from ember3kg.dataset import load_dataset, union_graph

KG = "https://w3id.org/ember3kg/id/"
EKG = "https://w3id.org/ember3kg/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
IN_DOCUMENT = "https://w3id.org/ember3kg/ontology#inDocument"
DESCRIBES_TRIAL = "https://w3id.org/ember3kg/ontology#describesTrial"
TRIAL = f"{KG}ember3"
#: The files a synthetic trial is copied from.
TEMPLATE_FILES = ("ember3-design.ttl", "ember3-results.ttl", "ember3-reports.ttl")
#: Properties whose integer values count patients or events: scaled by a whole factor.
COUNTS = frozenset({f"{EKG}armSize", f"{EKG}populationSize"})
COUNT_CLASSES = frozenset({f"{EKG}EventCount"})
#: Properties dropped from copies.
DROPPED = frozenset({f"{EKG}registryIdentifier"})
VALUE, LOWER, UPPER, CI = (f"{EKG}{name}" for name in ("value", "lowerLimit", "upperLimit", "hasConfidenceInterval"))
PERCENT_UNIT = "http://qudt.org/vocab/unit/PERCENT"
NULL_VALUES = (Decimal(0), Decimal(1))
DECIMAL_TYPES = frozenset({f"{XSD}decimal", f"{XSD}double"})


def template() -> tuple[list[ox.Triple], frozenset[str]]:
    """Parse EMBER-3's files and own documents (as packaged): their triples, sorted, and the IRIs a copy renames."""
    triples: set[ox.Triple] = set()
    for name in TEMPLATE_FILES:
        triples.update(_parsed(name))
    sources = _parsed("sources.ttl")
    described: dict[str, set[str]] = {}
    for t in sources:
        if t.predicate.value == DESCRIBES_TRIAL:
            described.setdefault(t.subject.value, set()).add(t.object.value)
    documents = {document for document, trials in described.items() if trials == {TRIAL}}
    locations = {t.subject.value for t in sources if t.predicate.value == IN_DOCUMENT and t.object.value in documents}
    triples.update(t for t in sources if t.subject.value in documents | locations)
    typed = {t.subject.value for t in triples if t.predicate.value == RDF_TYPE and t.subject.value.startswith(KG)}
    return sorted(triples, key=str), frozenset(typed)


def _parsed(name: str) -> list[ox.Triple]:
    data = files("ember3kg.graph").joinpath(name).read_bytes()
    return [q.triple for q in ox.parse(data, ox.RdfFormat.TURTLE, base_iri=f"https://w3id.org/ember3kg/graph/{name}")]


class Copy:
    """How one synthetic trial differs from EMBER-3: its number, names and factors."""

    def __init__(self, number: int, triples: list[ox.Triple], own: frozenset[str]) -> None:
        self.number = number
        self.name = f"synthetic{number:05d}"
        self.own = own
        rng = random.Random(number)  # noqa: S311 (benchmark data, not security)
        self.count_factor = rng.choice((1, 2, 3))
        self.values = self._perturbed_values(triples, rng)

    def _perturbed_values(self, triples: list[ox.Triple], rng: random.Random) -> dict[tuple[str, str], Decimal]:
        """(node, property) -> new value, for every number the copy changes."""
        values: dict[tuple[str, str], Decimal] = {}
        by_subject: dict[str, dict[str, ox.Literal | ox.NamedNode]] = {}
        for triple in triples:
            by_subject.setdefault(triple.subject.value, {})[triple.predicate.value] = triple.object  # type: ignore[assignment]
        event_counts = {
            t.subject.value for t in triples if t.predicate.value.endswith("#type") and t.object.value in COUNT_CLASSES
        }
        for node, properties in sorted(by_subject.items()):
            for prop in sorted(COUNTS | ({VALUE} if node in event_counts else set())):
                if prop in properties:
                    values[(node, prop)] = Decimal(properties[prop].value) * self.count_factor
            value = properties.get(VALUE)
            if node in event_counts or not _is_decimal(value):
                continue
            interval = properties.get(CI)
            factor = Decimal(str(round(rng.uniform(0.9, 1.1), 3)))
            if interval is not None:
                values.update(self._scaled_interval(node, value, interval.value, by_subject, factor))
            else:
                scaled = _rounded_like(Decimal(value.value) * factor, value.value, ROUND_HALF_EVEN)
                is_percent = getattr(properties.get(f"{EKG}unit"), "value", None) == PERCENT_UNIT
                if not (is_percent and scaled > 100):
                    values[(node, VALUE)] = scaled
        return values

    @staticmethod
    def _scaled_interval(
        node: str, value: ox.Literal, interval: str, by_subject: dict, factor: Decimal
    ) -> dict[tuple[str, str], Decimal]:
        """Scale an estimate and its interval together, or leave them if the interval would cross a null value."""
        limits = by_subject.get(interval, {})
        if not (_is_decimal(limits.get(LOWER)) and _is_decimal(limits.get(UPPER))):
            return {}
        lower, upper = limits[LOWER].value, limits[UPPER].value
        new = {
            (node, VALUE): _rounded_like(Decimal(value.value) * factor, value.value, ROUND_HALF_EVEN),
            (interval, LOWER): _rounded_like(Decimal(lower) * factor, lower, ROUND_FLOOR),
            (interval, UPPER): _rounded_like(Decimal(upper) * factor, upper, ROUND_CEILING),
        }
        before = [(Decimal(lower) <= null, Decimal(upper) >= null) for null in NULL_VALUES]
        after = [(new[(interval, LOWER)] <= null, new[(interval, UPPER)] >= null) for null in NULL_VALUES]
        ordered = new[(interval, LOWER)] <= new[(node, VALUE)] <= new[(interval, UPPER)]
        return new if before == after and ordered else {}

    def term(
        self, term: ox.NamedNode | ox.Literal | ox.BlankNode, *, own_subject: bool = False
    ) -> ox.NamedNode | ox.Literal | ox.BlankNode:
        """Rename a trial-specific IRI, or retitle a text literal of a trial-specific node."""
        if isinstance(term, ox.NamedNode) and term.value in self.own:
            return ox.NamedNode(f"{KG}{self.name}-{term.value.removeprefix(KG)}")
        if own_subject and isinstance(term, ox.Literal) and "EMBER-3" in term.value:
            retitled = term.value.replace("EMBER-3", f"SYNTHETIC-{self.number:05d}")
            if term.language:
                return ox.Literal(retitled, language=term.language)
            return ox.Literal(retitled, datatype=term.datatype)
        return term

    def triples(self, triples: Iterable[ox.Triple]) -> Iterator[ox.Triple]:
        """Yield the copy of ``triples`` that differ from them."""
        for triple in triples:
            if triple.predicate.value in DROPPED:
                continue
            obj = triple.object
            new_value = self.values.get((triple.subject.value, triple.predicate.value))
            if new_value is not None:
                obj = ox.Literal(str(new_value), datatype=obj.datatype)  # type: ignore[union-attr]
            own_subject = triple.subject.value in self.own
            copied = ox.Triple(self.term(triple.subject), triple.predicate, self.term(obj, own_subject=own_subject))
            if copied != triple:  # a triple about shared nodes only is in the packaged dataset already
                yield copied


def _is_decimal(term: object) -> bool:
    return isinstance(term, ox.Literal) and term.datatype.value in DECIMAL_TYPES


def _rounded_like(number: Decimal, lexical: str, rounding: str) -> Decimal:
    """Round ``number`` to as many decimals as ``lexical`` has."""
    places = len(lexical.split(".")[1]) if "." in lexical else 0
    return number.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def packaged_triples() -> list[str]:
    """Return the packaged dataset as N-Triples lines, sorted (blank nodes as ember3kg labels them)."""
    data = union_graph(load_dataset()).serialize(format="nt", encoding="utf-8").decode()
    return sorted(line for line in data.splitlines() if line)


def write(out: Path, *, trials: int | None = None, triples: int | None = None) -> tuple[int, int]:
    """Write the packaged dataset and synthetic trials to ``out``.

    :param trials: number of synthetic trials; or
    :param triples: the least number of lines (triples) the file should hold.
    :returns: (trials written, triples written).
    """
    base, own = template()
    lines = packaged_triples()
    out.parent.mkdir(parents=True, exist_ok=True)
    written, number = len(lines), 0
    with out.open("w", encoding="utf-8") as stream:
        stream.write("\n".join(lines) + "\n")
        while (trials is not None and number < trials) or (triples is not None and written < triples):
            number += 1
            copy = sorted({f"{t} .\n" for t in Copy(number, base, own).triples(base)})
            stream.writelines(copy)
            written += len(copy)
    return number, written


def main() -> None:
    """Parse the arguments and write the file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--trials", type=int, help="number of synthetic trials")
    size.add_argument("--triples", type=int, help="least number of triples in the file")
    parser.add_argument("-o", "--output", type=Path, required=True, help="N-Triples file to write")
    args = parser.parse_args()
    trials, triples = write(args.output, trials=args.trials, triples=args.triples)
    sys.stdout.write(f"{args.output}: {triples} triples, {trials} synthetic trials\n")


if __name__ == "__main__":
    main()
