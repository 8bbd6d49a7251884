"""Generate synthetic trials in the ember3kg model, for benchmarks at any size.

Run on demand (never by pytest; a test checks that a small output validates)::

    python benchmarks/synthetic_trials.py --triples 100000 -o build/bench/100k.nt
    python benchmarks/synthetic_trials.py --trials 7 -o small.nt --census census.md

The output is one N-Triples file: the packaged dataset (ontology, seven trials, shared
drugs, endpoints and sources), then synthetic trials until the file holds at least the
triples asked for. Each synthetic trial is a renamed copy of one *design*: a curated
trial with everything that is its own. The designs are found in a list of source
graphs (:func:`packaged_sources`, the files of ``graph/``; an imported registry record
in the same model is one more source): a design is each ``ekg:ClinicalTrial`` with
the files named after it (``acelera.ttl``; ``ember3-design.ttl``, ``-results`` and
``-reports``), the source documents that describe it alone with their locations, and
the printed forms of its numbers. The designs are drawn in blocks: each run of seven
synthetic trials holds every design once, in an order drawn for the block, so every
class and property of the trials occurs at scale in its packaged proportions
(``--census`` writes the counts side by side).

- every node a design types (``rdf:type``: the trial, its arms, populations, results,
  reports, documents and the locations in them) is renamed with the trial's number
  (``kg:ember3-arm-imlunestrant`` -> ``kg:synthetic00042-ember3-arm-imlunestrant``); a
  real trial has its own publications: sharing them would give one document the
  results of every trial, and joins through documents would grow with the square of
  the trials. Every other node (drugs, endpoints, documents about several trials, the
  ontology) stays shared;
- the trial's acronym in the text of a renamed node becomes "SYNTHETIC-00042", and so
  does its registry identifier (a synthetic trial is registered nowhere);
- numbers are perturbed coherently, so that the shapes still accept the copy: patient
  and event counts are multiplied by one whole factor per trial (1, 2 or 3: sums and
  "no more events than patients" stay true); an estimate and its confidence interval
  are multiplied by one factor near 1 (lower limit rounded down, upper limit up), kept
  as they were if that would move the interval across a null value (0 or 1), which
  would contradict the p-value; a p-value moves only within its side of 0.05; other
  decimal values (percentages, medians) by a factor near 1, never above 100 for a
  percentage. Doses, thresholds and time points stay as printed, and the printed form
  of a changed number (``ekg:printedValue``) is the new number.

The same arguments give the same bytes: every random choice comes from a generator
seeded with ``--seed`` and the trial's (or block's) number.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from ember3kg.publish.dataset import load_dataset, union_graph
from ember3kg.vocab.identifiers import compress
from ember3kg.vocab.printed import PRINTED_FORMS_FILE, printed_property

KG = "https://w3id.org/ember3kg/id/"
EKG = "https://w3id.org/ember3kg/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
IN_DOCUMENT = f"{EKG}inDocument"
DESCRIBES_TRIAL = f"{EKG}describesTrial"
TRIAL_CLASS = f"{EKG}ClinicalTrial"
ACRONYM = f"{EKG}acronym"
#: The packaged file of source documents: those about one trial belong to its design.
SOURCES_FILE = "sources.ttl"
#: Properties whose integer values count patients or events: scaled by a whole factor.
COUNTS = frozenset({f"{EKG}armSize", f"{EKG}populationSize"})
COUNT_CLASSES = frozenset({f"{EKG}EventCount"})
P_VALUE_CLASSES = frozenset({f"{EKG}PValue"})
#: Properties whose value a copy replaces by its own name.
RENAMED_VALUES = frozenset({f"{EKG}registryIdentifier"})
VALUE, LOWER, UPPER, CI = (f"{EKG}{name}" for name in ("value", "lowerLimit", "upperLimit", "hasConfidenceInterval"))
PERCENT_UNIT = "http://qudt.org/vocab/unit/PERCENT"
NULL_VALUES = (Decimal(0), Decimal(1))
SIGNIFICANCE = Decimal("0.05")
DECIMAL_TYPES = frozenset({f"{XSD}decimal", f"{XSD}double"})


@dataclass(frozen=True)
class Design:
    """A curated trial that synthetic trials copy: its triples, sorted, and the IRIs a copy renames."""

    trial: str
    acronym: str
    triples: tuple[ox.Triple, ...]
    own: frozenset[str]


def packaged_sources() -> list[tuple[str, list[ox.Triple]]]:
    """Give the packaged graph files as (file name, triples), sorted by name: the source graphs of the designs."""
    found = sorted(item.name for item in files("ember3kg.graph").iterdir() if item.name.endswith(".ttl"))
    return [(name, _parsed(name)) for name in found]


def _parsed(name: str) -> list[ox.Triple]:
    data = files("ember3kg.graph").joinpath(name).read_bytes()
    return [q.triple for q in ox.parse(data, ox.RdfFormat.TURTLE, base_iri=f"https://w3id.org/ember3kg/graph/{name}")]


def designs(sources: Sequence[tuple[str, list[ox.Triple]]]) -> list[Design]:
    """Find the designs in ``sources``: one per trial, sorted by its IRI.

    A source belongs to the trial whose local name is its file stem or the stem's first
    part before ``-``; the source documents of :data:`SOURCES_FILE` that describe one
    trial alone join it, with their locations, and so do the printed forms of its nodes.
    """
    by_stem = {name.removesuffix(".ttl"): triples for name, triples in sources}
    shared = [t for name, triples in sources if name in (SOURCES_FILE, PRINTED_FORMS_FILE) for t in triples]
    trials = sorted(
        t.subject.value
        for triples in by_stem.values()
        for t in triples
        if t.predicate.value == RDF_TYPE and t.object.value == TRIAL_CLASS
    )
    described: dict[str, set[str]] = {}
    for t in shared:
        if t.predicate.value == DESCRIBES_TRIAL:
            described.setdefault(t.subject.value, set()).add(t.object.value)
    found = []
    for trial in trials:
        local = trial.removeprefix(KG)
        triples = {t for stem, part in by_stem.items() if stem.split("-")[0] == local for t in part}
        documents = {document for document, about in described.items() if about == {trial}}
        locations = {
            t.subject.value for t in shared if t.predicate.value == IN_DOCUMENT and t.object.value in documents
        }
        own = {t.subject.value for t in triples if t.predicate.value == RDF_TYPE and t.subject.value.startswith(KG)}
        own |= documents | locations
        triples.update(t for t in shared if t.subject.value in own)
        acronym = next(t.object.value for t in triples if t.subject.value == trial and t.predicate.value == ACRONYM)
        found.append(Design(trial, acronym, tuple(sorted(triples, key=str)), frozenset(own)))
    return found


class Copy:
    """How one synthetic trial differs from its design: its number, names and factors."""

    def __init__(self, number: int, design: Design, seed: int = 0) -> None:
        self.number = number
        self.name = f"synthetic{number:05d}"
        self.title = f"SYNTHETIC-{number:05d}"
        self.design = design
        rng = random.Random(f"{seed}:{number}")  # noqa: S311 (benchmark data, not security)
        self.count_factor = rng.choice((1, 2, 3))
        self.values = self._perturbed_values(design.triples, rng)
        #: (node, printed property) -> new value: the printed form of each changed number.
        self.printed = {
            (node, str(printed_property(URIRef(prop)))): value for (node, prop), value in self.values.items()
        }

    def _perturbed_values(self, triples: Iterable[ox.Triple], rng: random.Random) -> dict[tuple[str, str], Decimal]:
        """(node, property) -> new value, for every number the copy changes."""
        values: dict[tuple[str, str], Decimal] = {}
        by_subject: dict[str, dict[str, ox.Literal | ox.NamedNode]] = {}
        typed: dict[str, set[str]] = {}
        for triple in triples:
            by_subject.setdefault(triple.subject.value, {})[triple.predicate.value] = triple.object  # type: ignore[assignment]
            if triple.predicate.value == RDF_TYPE:
                typed.setdefault(triple.subject.value, set()).add(triple.object.value)
        for node, properties in sorted(by_subject.items()):
            classes = typed.get(node, set())
            is_count = bool(classes & COUNT_CLASSES)
            for prop in sorted(COUNTS | ({VALUE} if is_count else set())):
                if prop in properties:
                    values[(node, prop)] = Decimal(properties[prop].value) * self.count_factor
            value = properties.get(VALUE)
            if is_count or not _is_decimal(value):
                continue
            interval = properties.get(CI)
            factor = Decimal(str(round(rng.uniform(0.9, 1.1), 3)))
            if interval is not None:
                values.update(self._scaled_interval(node, value, interval.value, by_subject, factor))
                continue
            scaled = _rounded_like(Decimal(value.value) * factor, value.value, ROUND_HALF_EVEN)
            is_percent = getattr(properties.get(f"{EKG}unit"), "value", None) == PERCENT_UNIT
            if classes & P_VALUE_CLASSES:
                keeps = _same_side(Decimal(value.value), scaled) and scaled <= 1
            else:
                keeps = not (is_percent and scaled > 100)
            if keeps:
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
        if isinstance(term, ox.NamedNode) and term.value in self.design.own:
            return ox.NamedNode(f"{KG}{self.name}-{term.value.removeprefix(KG)}")
        if own_subject and isinstance(term, ox.Literal):
            retitled = _retitled(term.value, self.design.acronym, self.title)
            if retitled == term.value:
                return term
            if term.language:
                return ox.Literal(retitled, language=term.language)
            return ox.Literal(retitled, datatype=term.datatype)
        return term

    def triples(self) -> Iterator[ox.Triple]:
        """Yield the copy of the design's triples that differ from them."""
        for triple in self.design.triples:
            key = (triple.subject.value, triple.predicate.value)
            obj = triple.object
            if triple.predicate.value in RENAMED_VALUES:
                obj = ox.Literal(self.title)
            elif key in self.values:
                obj = ox.Literal(str(self.values[key]), datatype=obj.datatype)  # type: ignore[union-attr]
            elif key in self.printed:
                obj = ox.Literal(str(self.printed[key]))
            own_subject = triple.subject.value in self.design.own
            copied = ox.Triple(self.term(triple.subject), triple.predicate, self.term(obj, own_subject=own_subject))
            if copied != triple:  # a triple about shared nodes only is in the packaged dataset already
                yield copied


def _retitled(text: str, acronym: str, title: str) -> str:
    """Replace a trial's acronym (and its first word alone: "acelERA" of "acelERA BC") by ``title``."""
    return text.replace(acronym, title).replace(acronym.split()[0], title)


def _is_decimal(term: object) -> bool:
    return isinstance(term, ox.Literal) and term.datatype.value in DECIMAL_TYPES


def _same_side(before: Decimal, after: Decimal) -> bool:
    """Whether a p-value keeps its side of 0.05, for every comparator ("<", "<=", "=")."""
    return (before < SIGNIFICANCE, before <= SIGNIFICANCE) == (after < SIGNIFICANCE, after <= SIGNIFICANCE)


def _rounded_like(number: Decimal, lexical: str, rounding: str) -> Decimal:
    """Round ``number`` to as many decimals as ``lexical`` has."""
    places = len(lexical.split(".")[1]) if "." in lexical else 0
    return number.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def packaged_triples() -> list[str]:
    """Return the packaged dataset as N-Triples lines, sorted (blank nodes as ember3kg labels them)."""
    data = union_graph(load_dataset()).serialize(format="nt", encoding="utf-8").decode()
    return sorted(line for line in data.splitlines() if line)


def copies(found: Sequence[Design], seed: int = 0) -> Iterator[Copy]:
    """Yield synthetic trials without end: each block of ``len(found)`` holds every design once, in a drawn order."""
    number, block = 0, 0
    while True:
        order = list(found)
        random.Random(f"{seed}:block:{block}").shuffle(order)  # noqa: S311 (benchmark data)
        for design in order:
            number += 1
            yield Copy(number, design, seed)
        block += 1


def write(
    out: Path,
    *,
    trials: int | None = None,
    triples: int | None = None,
    seed: int = 0,
    sources: Sequence[tuple[str, list[ox.Triple]]] | None = None,
) -> tuple[int, int]:
    """Write the packaged dataset and synthetic trials to ``out``.

    :param trials: number of synthetic trials; or
    :param triples: the least number of lines (triples) the file should hold.
    :param sources: the source graphs of the designs (:func:`designs`); the packaged files by default.
    :returns: (trials written, triples written).
    """
    found = designs(packaged_sources() if sources is None else sources)
    lines = packaged_triples()
    out.parent.mkdir(parents=True, exist_ok=True)
    written, number = len(lines), 0
    with out.open("w", encoding="utf-8") as stream:
        stream.write("\n".join(lines) + "\n")
        for copy in copies(found, seed):
            if not ((trials is not None and number < trials) or (triples is not None and written < triples)):
                break
            number += 1
            copied = sorted({f"{t} .\n" for t in copy.triples()})
            stream.writelines(copied)
            written += len(copied)
    return number, written


@dataclass(frozen=True)
class Census:
    """How often each class (``rdf:type`` objects) and property (predicates) occurs in some triples."""

    classes: Counter[str]
    properties: Counter[str]

    @classmethod
    def of(cls, triples: Iterable[tuple[str, str, str]]) -> Census:
        """Count the classes and properties of (subject, predicate, object) IRIs or lexical forms."""
        classes: Counter[str] = Counter()
        properties: Counter[str] = Counter()
        for _, predicate, obj in triples:
            properties[predicate] += 1
            if predicate == RDF_TYPE:
                classes[obj] += 1
        return cls(classes, properties)


def census_table(packaged: Census, designed: Census, synthetic: Census) -> str:
    """Render the census as Markdown: every class and property, packaged (all, in the designs) and synthetic.

    A share is the count over all ``rdf:type`` triples (classes) or all triples
    (properties) of the same column. A term with no synthetic count occurs only on shared
    nodes (the ontology, controlled values, drugs, endpoints, documents about several
    trials), which copies do not repeat.
    """
    lines = []
    for kind, pick in (("class", lambda c: c.classes), ("property", lambda c: c.properties)):
        lines += [
            f"| {kind} | packaged | in the designs | share | synthetic trials | share |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        totals = [sum(pick(c).values()) or 1 for c in (designed, synthetic)]
        for term in sorted(pick(packaged)):
            counts = [pick(c)[term] for c in (designed, synthetic)]
            shares = [f"{100 * n / total:.2f} %" if n else "-" for n, total in zip(counts, totals, strict=True)]
            cells = [
                compress(term),
                f"{pick(packaged)[term]:,}",
                f"{counts[0]:,}",
                shares[0],
                f"{counts[1]:,}",
                shares[1],
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def census(path: Path, packaged_lines: int) -> tuple[Census, Census, Census]:
    """Count the packaged dataset, the designs and the synthetic trials of a written file.

    :param packaged_lines: how many lines of ``path`` are the packaged dataset (its first lines).
    """
    with path.open("rb") as stream:
        parsed = ox.parse(stream, ox.RdfFormat.N_TRIPLES)
        terms = [(q.subject.value, q.predicate.value, q.object.value) for q in parsed]
    found = designs(packaged_sources())
    designed = Census.of((t.subject.value, t.predicate.value, t.object.value) for d in found for t in d.triples)
    return Census.of(terms[:packaged_lines]), designed, Census.of(terms[packaged_lines:])


def main() -> None:
    """Parse the arguments and write the file (and the census)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--trials", type=int, help="number of synthetic trials")
    size.add_argument("--triples", type=int, help="least number of triples in the file")
    parser.add_argument("-o", "--output", type=Path, required=True, help="N-Triples file to write")
    parser.add_argument("--seed", type=int, default=0, help="seed of every random choice")
    parser.add_argument("--census", type=Path, help="also write the class and property census (Markdown) here")
    args = parser.parse_args()
    trials, triples = write(args.output, trials=args.trials, triples=args.triples, seed=args.seed)
    sys.stdout.write(f"{args.output}: {triples} triples, {trials} synthetic trials\n")
    if args.census:
        args.census.write_text(census_table(*census(args.output, len(packaged_triples()))))


if __name__ == "__main__":
    main()
