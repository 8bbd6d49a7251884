"""Map one ClinicalTrials.gov study record (API version 2) onto the ember3kg model, with provenance to the field.

Every node made from the record is derived from the record itself, an
``ekg:RegistryRecord`` (``kg:ctgov-<nctid>-record``), and stated in an
``ekg:SourceLocation`` whose ``ekg:jsonPointer`` is the JSON Pointer (RFC 6901) of
the field it was read from; the location's IRI is the record's IRI with the pointer
as fragment. Numbers keep the record's printed form: a value with a decimal point is
an ``xsd:decimal`` of the same lexical form (and its ``ekg:printed*`` string), one
without is an ``xsd:integer``; a confidence level of ``95`` percent is the fraction
``0.95``.

Group ids (``OG000``...) are local to each outcome measure: :func:`match_groups` maps
them to the record's arm groups by title and description (never by position), and a
group that matches no arm stays the measure's own population. Param types map to
result classes through the packaged table ``param_types.tsv``, units through
``units.tsv``; a param type the table does not know becomes an
``ekg:GenericStatistic`` and is reported. docs/ctgov.md has the whole mapping.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any
from urllib.parse import quote

from rdflib import DCTERMS, PROV, RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef

from ember3kg.ctgov.records import Problem, Record, pointer
from ember3kg.errors import DataError
from ember3kg.publish.dataset import new_graph
from ember3kg.vocab.namespaces import EKG, KG, UNIT
from ember3kg.vocab.printed import printed_property

#: A number as the record prints it: optional sign, digits, optional decimal part.
_NUMBER = re.compile(r"^-?(?:\d+(?:\.\d*)?|\.\d+)$")
#: A p-value as the record prints it: a comparator (``=`` when none is printed) and a number.
_P_VALUE = re.compile(r"^\s*(<=|>=|<|>|=|≤|≥)?\s*((?:\d+(?:\.\d*)?|\.\d+))\s*$")
_COMPARATORS = MappingProxyType({"≤": "<=", "≥": ">=", None: "="})
#: A trailing qualifier of a group title, such as "(FAS)", and a leading enumeration, "1 " or "2. ".
_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")
_ENUMERATION = re.compile(r"^\d+[.)]?\s+")
#: Words that name the order of a contrast between two names: "A vs. B", "A versus B", "A/B".
_CONTRAST = r"\s*(?:/|\s(?:vs\.?|versus)\s)\s*"

#: Record values -> ontology individuals (only those the ontology has a term for).
PHASES: Mapping[str, URIRef] = MappingProxyType({"PHASE2": EKG.Phase2, "PHASE3": EKG.Phase3})
ALLOCATIONS: Mapping[str, URIRef] = MappingProxyType({"RANDOMIZED": EKG.RandomizedAllocation})
MASKINGS: Mapping[str, URIRef] = MappingProxyType({"NONE": EKG.OpenLabel, "DOUBLE": EKG.DoubleBlind})
HYPOTHESES: Mapping[str, URIRef] = MappingProxyType(
    {
        "SUPERIORITY": EKG.SuperiorityHypothesis,
        "NON_INFERIORITY": EKG.NonInferiorityHypothesis,
        "EQUIVALENCE": EKG.EquivalenceHypothesis,
        "NON_INFERIORITY_OR_EQUIVALENCE": EKG.NonInferiorityOrEquivalenceHypothesis,
        "SUPERIORITY_OR_OTHER": EKG.SuperiorityOrOtherHypothesis,
        "OTHER": EKG.OtherHypothesis,
    }
)
SIDES: Mapping[str, URIRef] = MappingProxyType({"TWO_SIDED": EKG.TwoSided, "ONE_SIDED": EKG.OneSided})
#: Outcome measure type -> analysis kind; secondary and other measures are not qualified.
MEASURE_KINDS: Mapping[str, URIRef] = MappingProxyType(
    {"PRIMARY": EKG.PrimaryAnalysis, "POST_HOC": EKG.PostHocAnalysis}
)
#: The dispersion type of a measure whose limits are a confidence interval, with its level.
CI_DISPERSIONS: Mapping[str, Decimal] = MappingProxyType(
    {"95% Confidence Interval": Decimal("0.95"), "90% Confidence Interval": Decimal("0.90")}
)
#: Record field (last token of a pointer) -> the properties that may hold a number read from it.
FIELD_PROPERTIES: Mapping[str, tuple[URIRef, ...]] = MappingProxyType(
    {
        "paramValue": (EKG.value,),
        "value": (EKG.value, EKG.populationSize),
        "ciLowerLimit": (EKG.lowerLimit,),
        "lowerLimit": (EKG.lowerLimit,),
        "ciUpperLimit": (EKG.upperLimit,),
        "upperLimit": (EKG.upperLimit,),
        "ciPctValue": (EKG.confidenceLevel,),
        "dispersionType": (EKG.confidenceLevel,),
        "pValue": (EKG.value,),
        "count": (EKG.populationSize,),
        **{f"{kind}NumAffected": (EKG.value,) for kind in ("serious", "other", "deaths")},
        **{f"{kind}NumAtRisk": (EKG.populationSize,) for kind in ("serious", "other", "deaths")},
    }
)
#: The named graph that holds every imported record.
GRAPH_NAME = "ctgov"
_MEASURES = ("resultsSection", "outcomeMeasuresModule", "outcomeMeasures")
_ARMS = ("protocolSection", "armsInterventionsModule", "armGroups")


@dataclass(frozen=True)
class ParamType:
    """One row of ``param_types.tsv``: a param type of the record and its result class.

    :param result_class: the ontology class of the result.
    :param ratio: whether the result is a ratio (unit ``unit:UNITLESS``) rather than in the measure's unit.
    """

    result_class: URIRef
    ratio: bool


@lru_cache(maxsize=1)
def param_types() -> Mapping[tuple[str, str], ParamType]:
    """Read the packaged table ``param_types.tsv``: (scope, record text) -> :class:`ParamType`.

    :raises DataError: the table names a unit rule other than ``ratio`` or ``measure``.
    """
    table = {}
    for row in _table("param_types.tsv"):
        if row["unit"] not in ("ratio", "measure"):
            raise DataError(f"param_types.tsv: unit {row['unit']!r} is neither ratio nor measure")
        table[(row["scope"], row["record text"])] = ParamType(EKG[row["class"]], row["unit"] == "ratio")
    return MappingProxyType(table)


@lru_cache(maxsize=1)
def units() -> Mapping[str, URIRef]:
    """Read the packaged table ``units.tsv``: unit as the record prints it (case-folded) -> QUDT unit."""
    return MappingProxyType({row["record text"].casefold(): UNIT[row["unit"]] for row in _table("units.tsv")})


def _table(name: str) -> list[dict[str, str]]:
    """Read one packaged tab-separated table of this stage."""
    text = files("ember3kg.ctgov").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t"))


@dataclass
class Mapped:
    """What one record gave: its triples, the parts left out (problems) and what the reader should know (notes)."""

    graph: Graph
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def number(text: Any, *, decimal: bool = False) -> Literal | None:
    """Type a number as printed: ``xsd:decimal`` when it has a decimal point (or ``decimal``), else ``xsd:integer``.

    :returns: ``None`` when ``text`` is not a plain number (``"NA"``, ``"1e-5"``, a JSON float, whose
        printed form is lost).

    Example:
        >>> number("7.0")
        rdflib.term.Literal('7.0', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    """
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)  # a JSON integer (counts of the adverse-event table): printed as it is
    if not isinstance(text, str) or not _NUMBER.match(text):
        return None
    datatype = XSD.decimal if decimal or "." in text else XSD.integer
    return Literal(text, datatype=datatype)


def _title_key(title: str) -> str:
    """Normalise a group or arm title for matching: no trailing qualifiers, no leading number, case-folded."""
    text = " ".join(title.split())
    while _QUALIFIER.search(text):
        text = _QUALIFIER.sub("", text)
    return _ENUMERATION.sub("", text).casefold()


def _text_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def match_groups(groups: Sequence[Mapping[str, Any]], arms: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """Map the group ids of one outcome measure (or of the adverse events) to indices of the record's arm groups.

    A group matches the one arm whose label equals its title, both without a trailing
    parenthesised qualifier ("Placebo (FAS)" is "Placebo") or leading number ("2. Drug"),
    ignoring case and spacing; failing that, the one arm whose description begins the
    group's description. An arm matched by two groups of the measure is matched by neither.

    :returns: group id -> arm index, for the groups that match.
    """
    titles: dict[str, list[int]] = {}
    for index, arm in enumerate(arms):
        titles.setdefault(_title_key(str(arm.get("label", ""))), []).append(index)
    found: dict[str, int] = {}
    for group in groups:
        candidates = titles.get(_title_key(str(group.get("title", ""))), [])
        if len(candidates) != 1:
            description = _text_key(str(group.get("description", "")))
            candidates = [
                index
                for index, arm in enumerate(arms)
                if arm.get("description") and description.startswith(_text_key(str(arm["description"])))
            ]
        if len(candidates) == 1:
            found[str(group.get("id"))] = candidates[0]
    taken = [arm for arm in found.values()]
    return {group: arm for group, arm in found.items() if taken.count(arm) == 1}


def stated_order(texts: Sequence[str], first: Mapping[str, Any], second: Mapping[str, Any]) -> bool | None:
    """Tell whether the record's texts name the two compared groups in their order (``True``), the other way, or not.

    A text names an order when it says "A vs. B", "A versus B" or "A/B", where A and B
    each are a group's title without its qualifier, or the first word of it ("CZP" for
    "CZP 200 mg Q2W (FAS)").

    :returns: ``True`` for first-before-second, ``False`` for second-before-first, ``None`` when
        no text (or both orders) is found.
    """

    def names(group: Mapping[str, Any]) -> list[str]:
        title = _title_key(str(group.get("title", "")))
        words = title.split()
        return [title] + ([words[0]] if len(words) > 1 and len(words[0]) >= 3 else [])

    def says(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
        return any(
            re.search(rf"(?<!\w){re.escape(x)}{_CONTRAST}{re.escape(y)}(?!\w)", text.casefold())
            for text in texts
            for x in names(a)
            for y in names(b)
        )

    forward, backward = says(first, second), says(second, first)
    return forward if forward != backward else None


class _RecordMapper:
    """Build the graph of one record; each method maps one part and notes what it leaves out."""

    def __init__(self, record: Record):
        self.record = record
        self.nct = record.nct_id
        self.key = f"ctgov-{self.nct.casefold()}"
        self.document = KG[f"{self.key}-record"]
        self.trial = KG[self.key]
        self.mapped = Mapped(new_graph())
        self.graph = self.mapped.graph
        self.arms: list[URIRef] = []
        self.arm_labels: list[str] = []
        self.group_definitions: Sequence[Mapping[str, Any]] = self._at(*_ARMS) or []

    # --- helpers ---------------------------------------------------------------

    def _at(self, *tokens: str | int) -> Any:
        value: Any = self.record.data
        for token in tokens:
            if isinstance(value, list) and isinstance(token, int) and token < len(value):
                value = value[token]
            elif isinstance(value, dict) and token in value:
                value = value[token]
            else:
                return None
        return value

    def node(self, *parts: str | int) -> URIRef:
        """Name a node of this record: ``kg:ctgov-<nctid>-<part>-<part>...``."""
        return KG["-".join([self.key, *(str(part).casefold() for part in parts)])]

    def location(self, path: str) -> URIRef:
        """Give the location of the field at ``path`` (a JSON Pointer of the record), made on first use."""
        iri = URIRef(f"{self.document}#{quote(path, safe='/~-._')}")
        if (iri, RDF.type, EKG.SourceLocation) not in self.graph:
            self.graph.add((iri, RDF.type, EKG.SourceLocation))
            self.graph.add((iri, RDFS.label, Literal(f"ClinicalTrials.gov record {self.nct}: {path}", lang="en")))
            self.graph.add((iri, EKG.inDocument, self.document))
            self.graph.add((iri, EKG.jsonPointer, Literal(path)))
        return iri

    def fact(self, node: URIRef, kind: URIRef, label: str, *paths: str) -> URIRef:
        """Type and label ``node``, derived from the record and stated at ``paths``."""
        self.graph.add((node, RDF.type, kind))
        self.graph.add((node, RDFS.label, Literal(" ".join(label.split()), lang="en")))
        self.graph.add((node, PROV.wasDerivedFrom, self.document))
        for path in paths:
            self.graph.add((node, EKG.statedIn, self.location(path)))
        return node

    def put_number(self, node: URIRef, prop: URIRef, value: Literal) -> None:
        """Add a number and, for a decimal-valued property, its printed form."""
        self.graph.add((node, prop, value))
        if prop != EKG.populationSize:
            self.graph.add((node, printed_property(prop), Literal(str(value))))

    def problem(self, path: str, message: str) -> None:
        self.mapped.problems.append(Problem(self.record.source, self.record.base + path, message))

    def note(self, path: str, message: str) -> None:
        self.mapped.notes.append(f"{self.record.source}: {self.record.base + path}: {message}")

    # --- the parts of a record -------------------------------------------------

    def run(self) -> Mapped:
        self.study()
        for index in range(len(self.group_definitions)):
            self.arm(index)
        measures = self._at(*_MEASURES)
        for index in range(len(measures) if isinstance(measures, list) else 0):
            self.measure(index)
        self.adverse_events()
        return self.mapped

    def study(self) -> None:
        """Map the record as a source document, the trial with its design, and the enrolled participants."""
        graph, nct = self.graph, self.nct
        graph.add((self.document, RDF.type, EKG.RegistryRecord))
        graph.add((self.document, RDFS.label, Literal(f"ClinicalTrials.gov record {nct}", lang="en")))
        graph.add((self.document, EKG.hasSourceRole, EKG.PrimarySource))
        graph.add((self.document, DCTERMS.identifier, Literal(nct)))
        graph.add((self.document, EKG.describesTrial, self.trial))
        status = ("protocolSection", "statusModule")
        for prop, tokens in (
            (EKG.publicationDate, ("studyFirstPostDateStruct", "date")),
            (EKG.resultsFirstPosted, ("resultsFirstPostDateStruct", "date")),
            (EKG.lastUpdated, ("lastUpdatePostDateStruct", "date")),
        ):
            date = self._at(*status, *tokens)
            if isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
                graph.add((self.document, prop, Literal(date, datatype=XSD.date)))
        identification = ("protocolSection", "identificationModule")
        title = self._at(*identification, "briefTitle") or ""
        self.fact(self.trial, EKG.ClinicalTrial, f"{nct}: {title}", pointer(*identification, "nctId"))
        graph.add((self.trial, EKG.registryIdentifier, Literal(nct)))
        acronym = self._at(*identification, "acronym")
        if isinstance(acronym, str):
            graph.add((self.trial, EKG.acronym, Literal(acronym)))
        design = ("protocolSection", "designModule")
        phases = self._at(*design, "phases") or []
        if len(phases) == 1 and phases[0] in PHASES:
            graph.add((self.trial, EKG.hasPhase, PHASES[phases[0]]))
            graph.add((self.trial, EKG.statedIn, self.location(pointer(*design, "phases", 0))))
        allocation = self._at(*design, "designInfo", "allocation")
        if allocation in ALLOCATIONS:
            graph.add((self.trial, EKG.hasAllocation, ALLOCATIONS[allocation]))
        masking = self._at(*design, "designInfo", "maskingInfo", "masking")
        if masking in MASKINGS:
            graph.add((self.trial, EKG.hasMasking, MASKINGS[masking]))
        enrolled = self.node("pop", "enrolled")
        self.fact(
            enrolled,
            EKG.AnalysisPopulation,
            f"{nct} enrolled participants",
            pointer(*design, "enrollmentInfo", "count"),
        )
        graph.add((enrolled, EKG.populationOf, self.trial))
        graph.add((self.trial, EKG.hasPopulation, enrolled))
        if allocation == "RANDOMIZED":
            graph.add((self.trial, EKG.randomizedPopulation, enrolled))
        count = number(self._at(*design, "enrollmentInfo", "count"))
        if self._at(*design, "enrollmentInfo", "type") == "ACTUAL" and count is not None:
            graph.add((enrolled, EKG.populationSize, count))

    def arm(self, index: int) -> None:
        """One arm group of the record, with a regimen that lists its interventions by name."""
        group = self.group_definitions[index]
        label = str(group.get("label", f"arm group {index + 1}"))
        arm = self.fact(
            self.node("arm", index), EKG.StudyArm, f"{self.nct} arm: {label}", pointer(*_ARMS, index, "label")
        )
        regimen = self.fact(
            self.node("arm", index, "regimen"),
            EKG.Regimen,
            f"{self.nct} regimen of the arm {label}",
            pointer(*_ARMS, index, "interventionNames"),
        )
        names = ", ".join(str(name) for name in group.get("interventionNames", [])) or "none named"
        self.graph.add((regimen, SKOS.note, Literal(f"Interventions as the record names them: {names}.", lang="en")))
        self.graph.add((arm, EKG.armOf, self.trial))
        self.graph.add((arm, EKG.receivesRegimen, regimen))
        self.graph.add((self.trial, EKG.hasArm, arm))
        self.arms.append(arm)
        self.arm_labels.append(label)

    def unit(self, text: Any) -> URIRef:
        """Give the unit of a measure: a QUDT unit from ``units.tsv``, else an ekg:RecordedUnit in its words."""
        if not isinstance(text, str) or not text.strip():
            return EKG.UnitNotStated
        known = units().get(" ".join(text.split()).casefold())
        if known is not None:
            return known
        unit = KG["ctgov-unit-" + quote(" ".join(text.split()).replace(" ", "-"), safe="-._~")]
        self.graph.add((unit, RDF.type, EKG.RecordedUnit))
        self.graph.add((unit, RDFS.label, Literal(" ".join(text.split()), lang="en")))
        return unit

    def groups(
        self,
        tokens: tuple[str | int, ...],
        prefix: tuple[str | int, ...],
        groups: Sequence[Mapping[str, Any]],
        what: str,
    ) -> dict[str, URIRef]:
        """Make one population per group of a measure (or of the adverse events), linked to its arm where it matches.

        :param tokens: where the measure is; its groups are its ``groups`` (``eventGroups``) list.
        :param prefix: how the nodes of the measure are named (``("om", 3)``, ``("ae",)``).
        """
        key = "eventGroups" if prefix == ("ae",) else "groups"
        matched = match_groups(groups, self.group_definitions)
        populations = {}
        for index, group in enumerate(groups):
            group_id = str(group.get("id"))
            title = str(group.get("title", group_id))
            population = self.fact(
                self.node(*prefix, group_id, "pop"),
                EKG.AnalysisPopulation,
                f"{self.nct} {what}, group {group_id}: {title}",
                pointer(*tokens, key, index, "title"),
            )
            self.graph.add((population, EKG.populationOf, self.trial))
            self.graph.add((self.trial, EKG.hasPopulation, population))
            if group_id in matched:
                self.graph.add((population, EKG.restrictedToArm, self.arms[matched[group_id]]))
            else:
                self.graph.add(
                    (
                        population,
                        SKOS.note,
                        Literal(
                            "The record's title and description of this group match none of its arm groups;"
                            " the group is kept as a population of its own, linked to no arm.",
                            lang="en",
                        ),
                    )
                )
                self.note(pointer(*tokens, key, index), f"group {group_id} ({title}) matches no arm group")
            populations[group_id] = population
        return populations

    def measure(self, index: int) -> None:
        """One outcome measure: its endpoint, populations, measurements and analyses."""
        tokens = (*_MEASURES, index)
        measure = self._at(*tokens)
        title = str(measure.get("title", f"outcome measure {index + 1}"))
        endpoint = self.fact(
            self.node("om", index, "endpoint"), EKG.Endpoint, f"{self.nct}: {title}", pointer(*tokens, "title")
        )
        if isinstance(measure.get("timeFrame"), str):
            self.graph.add((endpoint, EKG.timeFrame, Literal(measure["timeFrame"], lang="en")))
        primary = measure.get("type") == "PRIMARY"
        self.graph.add((self.trial, EKG.hasPrimaryEndpoint if primary else EKG.hasEndpoint, endpoint))
        whole = self.fact(
            self.node("om", index, "pop"),
            EKG.AnalysisPopulation,
            f"{self.nct} participants analysed for: {title}",
            pointer(*tokens, "populationDescription" if "populationDescription" in measure else "title"),
        )
        self.graph.add((whole, EKG.populationOf, self.trial))
        self.graph.add((self.trial, EKG.hasPopulation, whole))
        groups = measure.get("groups") or []
        populations = self.groups(tokens, ("om", index), groups, f"outcome measure {index + 1}")
        for population in populations.values():
            self.graph.add((population, EKG.subsetOf, whole))
        self.sizes(tokens, measure, populations)
        context = _Measure(
            index, tokens, measure, endpoint, whole, populations, self.unit(measure.get("unitOfMeasure"))
        )
        self.measurements(context)
        for number_ in range(len(measure.get("analyses") or [])):
            self.analysis(context, number_)

    def sizes(
        self, tokens: tuple[str | int, ...], measure: Mapping[str, Any], populations: Mapping[str, URIRef]
    ) -> None:
        """Give each group its number of participants, from the measure's denominator counted in participants."""
        for d, denominator in enumerate(measure.get("denoms") or []):
            if denominator.get("units") != "Participants":
                continue
            for c, count in enumerate(denominator.get("counts") or []):
                path = pointer(*tokens, "denoms", d, "counts", c, "value")
                size = number(count.get("value"))
                population = populations.get(str(count.get("groupId")))
                if size is None or size.datatype != XSD.integer or population is None:
                    self.problem(path, "not a count of participants of one of the measure's groups")
                    continue
                self.graph.add((population, EKG.populationSize, size))
                self.graph.add((population, EKG.statedIn, self.location(path)))

    def measurements(self, measure: _Measure) -> None:
        """Each measurement of each class and category, as a result of its group."""
        param = measure.data.get("paramType")
        kind = param_types().get(("measure", str(param)))
        if kind is None and measure.data.get("classes"):
            self.note(
                pointer(*measure.tokens, "paramType"),
                f"param type {param!r} is not in param_types.tsv; imported as a generic statistic",
            )
        result_class = kind.result_class if kind else EKG.GroupStatistic
        level = CI_DISPERSIONS.get(str(measure.data.get("dispersionType")))
        for c, klass in enumerate(measure.data.get("classes") or []):
            for k, category in enumerate(klass.get("categories") or []):
                for m, measurement in enumerate(category.get("measurements") or []):
                    path = pointer(*measure.tokens, "classes", c, "categories", k, "measurements", m)
                    facet = " ".join(str(part["title"]) for part in (klass, category) if part.get("title"))
                    self.measurement(measure, path, measurement, result_class, facet, level, (c, k))

    def measurement(
        self,
        measure: _Measure,
        path: str,
        measurement: Mapping[str, Any],
        result_class: URIRef,
        facet: str,
        level: Decimal | None,
        place: tuple[int, int],
    ) -> None:
        group_id = str(measurement.get("groupId"))
        population = measure.populations.get(group_id)
        if population is None:
            self.problem(path + "/groupId", f"{group_id!r} is not a group of this outcome measure")
            return
        if "value" not in measurement:
            self.problem(path + "/value", "missing")
            return
        value = number(measurement["value"])
        if value is None:
            self.note(path + "/value", f"{measurement['value']!r} is not a number; measurement not imported")
            return
        result = self.node("om", measure.index, "class", place[0], "cat", place[1], group_id)
        title = str(measure.data.get("title", ""))
        label = f"{self.nct} {title}{', ' + facet if facet else ''}, group {group_id}"
        self.fact(result, result_class, label, path + "/value")
        self.put_number(result, EKG.value, value)
        self.outcome(result, measure, population)
        self.graph.add((result, EKG.unit, measure.unit))
        arm = self.graph.value(population, EKG.restrictedToArm)
        if arm is not None:
            self.graph.add((result, EKG.forArm, arm))
        lower, upper = (
            number(measurement.get("lowerLimit"), decimal=True),
            number(measurement.get("upperLimit"), decimal=True),
        )
        if level is not None and lower is not None and upper is not None:
            ci = self.node("om", measure.index, "class", place[0], "cat", place[1], group_id, "ci")
            self.interval(
                ci, f"confidence interval of {label}", Literal(str(level), datatype=XSD.decimal), lower, upper
            )
            self.graph.add((ci, EKG.statedIn, self.location(pointer(*measure.tokens, "dispersionType"))))
            self.graph.add((ci, EKG.statedIn, self.location(path + "/lowerLimit")))
            self.graph.add((ci, EKG.statedIn, self.location(path + "/upperLimit")))
            self.graph.add((result, EKG.hasConfidenceInterval, ci))

    def outcome(self, result: URIRef, measure: _Measure, population: URIRef) -> None:
        """Add the links every result of a measure has: population, endpoint, unit, analysis kind."""
        self.graph.add((result, EKG.inPopulation, population))
        self.graph.add((result, EKG.forEndpoint, measure.endpoint))
        kind = MEASURE_KINDS.get(str(measure.data.get("type")))
        if kind is not None:
            self.graph.add((result, EKG.hasAnalysisKind, kind))

    def interval(self, ci: URIRef, label: str, level: Literal, lower: Literal, upper: Literal) -> None:
        self.graph.add((ci, RDF.type, EKG.ConfidenceInterval))
        self.graph.add((ci, RDFS.label, Literal(label, lang="en")))
        self.graph.add((ci, PROV.wasDerivedFrom, self.document))
        self.put_number(ci, EKG.confidenceLevel, level)
        self.put_number(ci, EKG.lowerLimit, lower)
        self.put_number(ci, EKG.upperLimit, upper)

    def analysis(self, measure: _Measure, index: int) -> None:
        """One statistical analysis: a comparison of two groups, its estimate, interval and p-value."""
        tokens = (*measure.tokens, "analyses", index)
        analysis = measure.data["analyses"][index]
        group_ids = [str(group) for group in analysis.get("groupIds") or []]
        missing = [name for name in ("paramType", "paramValue") if name not in analysis]
        if missing:
            self.problem(pointer(*tokens, missing[0]), "missing; analysis not imported")
            return
        if len(group_ids) != 2 or any(group not in measure.populations for group in group_ids):
            self.problem(pointer(*tokens, "groupIds"), "does not name two groups of the measure; analysis not imported")
            return
        value = number(analysis["paramValue"])
        if value is None:
            self.problem(
                pointer(*tokens, "paramValue"), f"{analysis['paramValue']!r} is not a number; analysis not imported"
            )
            return
        kind = param_types().get(("analysis", str(analysis["paramType"])))
        if kind is None:
            self.note(
                pointer(*tokens, "paramType"),
                f"param type {analysis['paramType']!r} is not in param_types.tsv; imported as a generic statistic",
            )
            self.graph.add(
                (self.node("om", measure.index, "an", index), EKG.statisticName, Literal(str(analysis["paramType"])))
            )
        comparison = self.comparison(measure, index, tokens, analysis, group_ids)
        result = self.node("om", measure.index, "an", index)
        title = str(measure.data.get("title", ""))
        label = f"{self.nct} {analysis['paramType']}, {title}"
        self.fact(result, kind.result_class if kind else EKG.GenericStatistic, label, pointer(*tokens, "paramValue"))
        self.put_number(result, EKG.value, value)
        self.outcome(result, measure, measure.whole)
        self.graph.add((result, EKG.forComparison, comparison))
        self.graph.add((result, EKG.unit, UNIT.UNITLESS if kind is not None and kind.ratio else measure.unit))
        if isinstance(analysis.get("statisticalMethod"), str):
            self.graph.add((result, EKG.testMethod, Literal(analysis["statisticalMethod"], lang="en")))
        if analysis.get("nonInferiorityType") in HYPOTHESES:
            self.graph.add((result, EKG.hypothesisType, HYPOTHESES[analysis["nonInferiorityType"]]))
        self.analysis_interval(result, label, tokens, analysis)
        self.p_value(result, label, tokens, analysis)

    def comparison(
        self,
        measure: _Measure,
        index: int,
        tokens: tuple[str | int, ...],
        analysis: Mapping[str, Any],
        group_ids: list[str],
    ) -> URIRef:
        """Make the comparison of an analysis: its two groups, and its direction where the record states it."""
        groups = {str(group.get("id")): group for group in measure.data.get("groups") or []}
        first, second = (groups[group] for group in group_ids)
        texts = [
            str(analysis[name])
            for name in ("estimateComment", "groupDescription")
            if isinstance(analysis.get(name), str)
        ]
        order = stated_order(texts, first, second)
        found = [self.graph.value(measure.populations[group], EKG.restrictedToArm) for group in group_ids]
        arms = [arm for arm in found if isinstance(arm, URIRef)]
        labels = dict(zip(self.arms, self.arm_labels, strict=True))
        comparison = self.node("om", measure.index, "an", index, "cmp")
        title = str(measure.data.get("title", ""))
        if order is not None and len(arms) == 2:
            experimental, reference = (0, 1) if order else (1, 0)
            chosen, other = arms[experimental], arms[reference]
            names = f"{labels.get(chosen)} vs {labels.get(other)}"
            self.graph.add((comparison, EKG.experimentalArm, chosen))
            self.graph.add((comparison, EKG.referenceArm, other))
        else:
            names = f"{first.get('title')} and {second.get('title')}, direction not stated"
            self.note(
                pointer(*tokens),
                "the record states no direction for groups it matches to arms; the comparison has none",
            )
        self.fact(comparison, EKG.Comparison, f"{self.nct} {names}, {title}", pointer(*tokens, "groupIds"))
        self.graph.add((comparison, EKG.comparisonOf, self.trial))
        self.graph.add((comparison, EKG.withinPopulation, measure.whole))
        self.graph.add((self.trial, EKG.hasComparison, comparison))
        for group in group_ids:
            self.graph.add((comparison, EKG.comparesGroup, measure.populations[group]))
        return comparison

    def analysis_interval(
        self, result: URIRef, label: str, tokens: tuple[str | int, ...], analysis: Mapping[str, Any]
    ) -> None:
        """Add the confidence interval of an analysis, when the record gives its level and both limits."""
        if "ciLowerLimit" not in analysis and "ciUpperLimit" not in analysis:
            return
        lower = number(analysis.get("ciLowerLimit"), decimal=True)
        upper = number(analysis.get("ciUpperLimit"), decimal=True)
        percent = number(analysis.get("ciPctValue"), decimal=True)
        if lower is None or upper is None or percent is None:
            field_ = next(
                name
                for name, value in (("ciPctValue", percent), ("ciLowerLimit", lower), ("ciUpperLimit", upper))
                if value is None
            )
            self.note(pointer(*tokens, field_), "missing or not a number; confidence interval not imported")
            return
        ci = KG[f"{result.removeprefix(str(KG))}-ci"]
        level = Literal(str(Decimal(str(percent)).scaleb(-2)), datatype=XSD.decimal)
        self.interval(ci, f"confidence interval of {label}", level, lower, upper)
        for name in ("ciPctValue", "ciLowerLimit", "ciUpperLimit"):
            self.graph.add((ci, EKG.statedIn, self.location(pointer(*tokens, name))))
        if analysis.get("ciNumSides") in SIDES:
            self.graph.add((ci, EKG.intervalSidedness, SIDES[analysis["ciNumSides"]]))
        self.graph.add((result, EKG.hasConfidenceInterval, ci))

    def p_value(self, result: URIRef, label: str, tokens: tuple[str | int, ...], analysis: Mapping[str, Any]) -> None:
        """Add the p-value of an analysis, with the comparator its string carries ("=" when it carries none)."""
        if "pValue" not in analysis:
            return
        parsed = _P_VALUE.match(str(analysis["pValue"]))
        if parsed is None:
            self.note(pointer(*tokens, "pValue"), f"{analysis['pValue']!r} is not a p-value; not imported")
            return
        p = KG[f"{result.removeprefix(str(KG))}-p"]
        self.graph.add((p, RDF.type, EKG.PValue))
        self.graph.add((p, RDFS.label, Literal(f"p-value of {label}", lang="en")))
        self.graph.add((p, PROV.wasDerivedFrom, self.document))
        self.graph.add((p, EKG.statedIn, self.location(pointer(*tokens, "pValue"))))
        self.put_number(p, EKG.value, Literal(parsed.group(2), datatype=XSD.decimal))
        self.graph.add((p, EKG.comparator, Literal(_COMPARATORS.get(parsed.group(1), parsed.group(1)))))
        self.graph.add((result, EKG.hasPValue, p))

    def adverse_events(self) -> None:
        """Per event group: how many participants had a serious adverse event, another adverse event, or died.

        Counts are never added up across groups; each is a result of its group's population.
        """
        tokens = ("resultsSection", "adverseEventsModule")
        groups = self._at(*tokens, "eventGroups") or []
        if not groups:
            return
        populations = self.groups(tokens, ("ae",), groups, "adverse events")
        for kind, label in _EVENT_KINDS.items():
            endpoint = self.fact(
                self.node("ae", kind, "endpoint"),
                EKG.AdverseEventOccurrence,
                f"{self.nct}: participants with {label}",
                pointer(*tokens, "eventGroups"),
            )
            self.graph.add((self.trial, EKG.hasEndpoint, endpoint))
            for index, group in enumerate(groups):
                group_id = str(group.get("id"))
                path = pointer(*tokens, "eventGroups", index, f"{kind}NumAffected")
                count = number(group.get(f"{kind}NumAffected"))
                if count is None or count.datatype != XSD.integer:
                    continue  # a kind of event the record does not count for this group
                result = self.fact(
                    self.node("ae", group_id, kind),
                    EKG.ParticipantCount,
                    f"{self.nct} participants with {label}, group {group_id}",
                    path,
                )
                self.put_number(result, EKG.value, count)
                self.graph.add((result, EKG.unit, self.unit("Participants")))
                self.graph.add((result, EKG.inPopulation, self._at_risk(populations[group_id], kind, index, group)))
                self.graph.add((result, EKG.forEndpoint, endpoint))
                self.graph.add((result, EKG.hasAnalysisKind, EKG.SafetyAnalysis))
                arm = self.graph.value(populations[group_id], EKG.restrictedToArm)
                if arm is not None:
                    self.graph.add((result, EKG.forArm, arm))

    def _at_risk(self, group_population: URIRef, kind: str, index: int, group: Mapping[str, Any]) -> URIRef:
        """Make the population at risk of one kind of event in one event group, with their number."""
        path = pointer("resultsSection", "adverseEventsModule", "eventGroups", index, f"{kind}NumAtRisk")
        size = number(group.get(f"{kind}NumAtRisk"))
        population = URIRef(f"{group_population.removesuffix('-pop')}-{kind}-at-risk")
        label = f"{self.nct} adverse-event group {group.get('id')}, at risk of {_EVENT_KINDS[kind]}"
        self.fact(population, EKG.AnalysisPopulation, label, path)
        self.graph.add((population, EKG.populationOf, self.trial))
        self.graph.add((population, EKG.subsetOf, group_population))
        self.graph.add((self.trial, EKG.hasPopulation, population))
        for arm in self.graph.objects(group_population, EKG.restrictedToArm):
            self.graph.add((population, EKG.restrictedToArm, arm))
        if size is not None and size.datatype == XSD.integer:
            self.graph.add((population, EKG.populationSize, size))
        return population


#: Adverse-event counts of an event group: field prefix -> what is counted.
_EVENT_KINDS: Mapping[str, str] = MappingProxyType(
    {"serious": "a serious adverse event", "other": "an adverse event other than serious", "deaths": "death"}
)


@dataclass(frozen=True)
class _Measure:
    """One outcome measure being mapped: where it is and the nodes made for it."""

    index: int
    tokens: tuple[str | int, ...]
    data: Mapping[str, Any]
    endpoint: URIRef
    whole: URIRef
    populations: Mapping[str, URIRef]
    unit: URIRef


def map_record(record: Record) -> Mapped:
    """Map one study record onto the model.

    :returns: its graph, the problems of the parts left out, and notes (unmatched groups,
        unknown param types, comparisons without direction, values that are not numbers).
    """
    return _RecordMapper(record).run()
