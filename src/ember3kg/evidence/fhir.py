"""Export the statistical results as one FHIR R5 ``Bundle`` of ``Evidence`` resources, with their sources.

Every ``ekg:StatisticalResult`` becomes an ``Evidence``; the populations and arms it is
about become ``Group`` resources, its endpoint an ``EvidenceVariable``, and every work it
is taken from a ``Citation`` (a bibliographic record is replaced by the article it
reproduces, so a result read from a PubMed page cites the journal article and its DOI).

What goes where is data, not code:

- the SPARQL queries of ``queries/fhir/`` select what each kind of resource carries;
- ``fhir_mapping.tsv`` turns ontology classes, properties, units and comparators into
  FHIR codings (SEVCO and the older HL7 codes for statistic types, UCUM units, variable
  roles); every statistic also carries the project's own coding (system
  :data:`OWN_SYSTEM`, code the class's local name), the only one for classes that have
  no SEVCO or HL7 code.

What FHIR R5 has no element for (the place in a document, the data cut-off, the analysis
kind, a time point, an estimate that was not reached, a test's sidedness, a nominal
p-value, the kind of event counted) is carried by the extensions of :data:`EXTENSIONS`,
documented in ``docs/fhir.md``.

Ids are derived from the IRIs (the local name under ``kg:``), so a re-export updates the
same resources. Decimals keep the lexical form of the graph (``0.90`` stays ``0.90``), as
the query layer prints an rdflib answer (:func:`~ember3kg.query.answer.printed_decimal`):
the bundle is built as plain data holding :class:`~decimal.Decimal` values, validated with
the ``fhir.resources`` R5 models, and written by :func:`dumps`, not by the models (which
would write their own number forms). The same graph gives the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from importlib.resources import files
from types import MappingProxyType, SimpleNamespace
from typing import Any

from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef

from ember3kg.errors import DataError
from ember3kg.publish.dataset import union_graph
from ember3kg.publish.stats import result_kinds
from ember3kg.query import lexical_answer
from ember3kg.query.answer import printed_decimal
from ember3kg.query.catalogue import packaged_queries
from ember3kg.vocab.identifiers import compress
from ember3kg.vocab.namespaces import EKG, KG

#: Base of the bundle's ``fullUrl`` values (``<base><type>/<id>``) and of the extensions.
FHIR_BASE = "https://w3id.org/ember3kg/fhir/"
#: Code system of the project's own codings: the ontology IRI; codes are local names.
OWN_SYSTEM = str(EKG).rstrip("#")
#: System of the identifiers that hold a node's IRI.
IRI_SYSTEM = "urn:ietf:rfc:3986"
#: Id of the bundle.
BUNDLE_ID = "ember3kg"
#: FHIR ids: 1 to 64 letters, digits, '-' and '.'.
_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")

#: Extensions the export defines: name -> what it carries (URL ``<FHIR_BASE>StructureDefinition/<name>``).
EXTENSIONS: Mapping[str, str] = MappingProxyType(
    {
        "source-location": "relatedArtifact: the place in the document that states the result (valueString)",
        "data-cutoff": "Evidence: the data cut-off date of the analysis behind the result (valueDate)",
        "analysis-kind": "Evidence: the standing of the analysis, e.g. primary or post hoc (valueCoding)",
        "timepoint": "statistic: the time a result is stated at, e.g. an RMST truncation time (valueQuantity)",
        "estimate-state": "Quantity without a value: why, e.g. not reached (valueCoding)",
        "event-kind": "statistic: the kind of event an event count is restricted to (valueCoding)",
        "test-sidedness": "p-value attributeEstimate: one- or two-sided test (valueCoding)",
        "nominal": "p-value attributeEstimate: true when the source calls the p-value nominal (valueBoolean)",
    }
)


class MappedElement(StrEnum):
    """The FHIR elements whose codings come from ``fhir_mapping.tsv`` (its ``element`` column)."""

    STATISTIC_TYPE = "Evidence.statistic.statisticType"
    ATTRIBUTE_TYPE = "Evidence.statistic.attributeEstimate.type"
    VARIABLE_ROLE = "Evidence.variableDefinition.variableRole"
    UNIT = "Quantity.code"
    COMPARATOR = "Quantity.comparator"


@dataclass(frozen=True)
class CodeRow:
    """One row of ``fhir_mapping.tsv``: a term of ours and the FHIR coding it gives in one :class:`MappedElement`."""

    ours: str
    when_unit: str
    element: str
    system: str
    code: str
    display: str


@lru_cache(maxsize=1)
def mapping_rows() -> tuple[CodeRow, ...]:
    """Read the packaged mapping table ``fhir_mapping.tsv`` (``#`` lines are comments)."""
    text = files("ember3kg.evidence").joinpath("fhir_mapping.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith("#")]
    rows = tuple(CodeRow(**row) for row in csv.DictReader(io.StringIO("".join(lines)), delimiter="\t"))
    unknown = sorted({row.element for row in rows} - set(MappedElement))
    if unknown:
        raise DataError(
            f"fhir_mapping.tsv: unknown FHIR element {', '.join(unknown)}; known: {', '.join(MappedElement)}"
        )
    return rows


def codings(ours: str, element: str, unit: str = "") -> list[dict[str, str]]:
    """Give the FHIR codings the mapping table lists for a term in one element.

    :param ours: a CURIE (``ekg:HazardRatio``, ``unit:MO``) or a comparator (``<``).
    :param element: the FHIR element, e.g. ``Evidence.statistic.statisticType``.
    :param unit: the result's unit (CURIE); rows limited to another unit do not apply.
    """
    return [
        {"system": row.system, "code": row.code, "display": row.display}
        for row in mapping_rows()
        if row.ours == ours and row.element == element and row.when_unit in ("", unit) and row.code
    ]


def resource_id(iri: str) -> str:
    """Derive a FHIR id from a node IRI: its local name under ``kg:``, hashed if FHIR would not take it."""
    local = iri.removeprefix(str(KG))
    if _ID.fullmatch(local):
        return local
    digest = hashlib.sha256(iri.encode("utf-8")).hexdigest()[:16]
    return f"{re.sub(r'[^A-Za-z0-9-.]', '-', local)[:47]}-{digest}"


def extension(name: str, **value: Any) -> dict[str, Any]:
    """Make one extension of :data:`EXTENSIONS`, e.g. ``extension("data-cutoff", valueDate="2024-06-24")``."""
    return {"url": f"{FHIR_BASE}StructureDefinition/{name}", **value}


def _canonical(kind: str, iri: URIRef, title: Literal) -> dict[str, Any]:
    """Start a canonical resource (Evidence, Citation, EvidenceVariable): id and url from the node, status, title."""
    return {"resourceType": kind, "id": resource_id(str(iri)), "url": str(iri), "status": "active", "title": str(title)}


#: A solution of a query: its attributes are the query's variables, of whatever term type it binds.
Row = Any


#: Folder of ``queries/`` holding the queries of the export.
FHIR_QUERIES = "fhir"


def _query(graph: Graph, name: str) -> list[Row]:
    """Answer the packaged query ``queries/fhir/<name>.rq`` with rdflib (lexical forms kept), one namespace a row."""
    answer = lexical_answer(packaged_queries(FHIR_QUERIES)[name], graph)
    return [SimpleNamespace(**dict(zip(answer.variables, row, strict=True))) for row in answer.rows]


@dataclass
class _Builder:
    """Turns query rows into FHIR resources; collects what the Evidence resources reference."""

    graph: Graph

    def __post_init__(self) -> None:
        self.referenced: dict[str, set[str]] = defaultdict(set)

    def label(self, iri: URIRef) -> str:
        """Give the English label of a node, or its CURIE."""
        return str(self.graph.value(iri, RDFS.label) or compress(str(iri)))

    def own(self, iri: URIRef) -> dict[str, str]:
        """Make the project's own coding of an ontology term."""
        return {"system": OWN_SYSTEM, "code": str(iri).removeprefix(str(EKG)), "display": self.label(iri)}

    def reference(self, kind: str, iri: URIRef) -> dict[str, str]:
        """Make a Reference to a Group, EvidenceVariable or Citation of the bundle, and remember it."""
        self.referenced[kind].add(str(iri))
        return {"reference": f"{kind}/{resource_id(str(iri))}", "type": kind, "display": self.label(iri)}

    def quantity(self, value: Literal | None, unit: URIRef | None, state: URIRef | None = None) -> dict[str, Any]:
        """Make a Quantity in UCUM; without a value, an ``estimate-state`` extension says why."""
        quantity: dict[str, Any] = {}
        if value is not None:
            quantity["value"] = printed_decimal(value)
        if unit is not None:
            coding = codings(compress(str(unit)), MappedElement.UNIT)
            if coding:
                quantity.update(unit=coding[0]["display"], system=coding[0]["system"], code=coding[0]["code"])
            elif (unit, RDF.type, EKG.RecordedUnit) in self.graph:
                quantity["unit"] = self.label(unit)  # a registry record's own words: no UCUM code claimed
            else:
                raise DataError(f"unit {compress(str(unit))} has no UCUM code in fhir_mapping.tsv")
        if state is not None:
            quantity["extension"] = [extension("estimate-state", valueCoding=self.own(state))]
        return quantity

    def role(self, prop: URIRef, kind: str, iri: URIRef) -> dict[str, Any]:
        """Make a variableDefinition: the role the property gives, observed as a Group or EvidenceVariable."""
        return {
            "variableRole": {"coding": codings(compress(str(prop)), MappedElement.VARIABLE_ROLE)},
            "observed": self.reference(kind, iri),
        }

    def evidence(self, row: Row, kind: URIRef, sources: list[Row], caveats: list[str]) -> dict[str, Any]:
        """Build the Evidence of one result row of ``evidence.rq``."""
        unit = compress(str(row.unit)) if row.unit is not None else ""
        statistic: dict[str, Any] = {
            "statisticType": {
                "coding": [*codings(compress(str(kind)), MappedElement.STATISTIC_TYPE, unit), self.own(kind)],
                "text": self.label(kind),
            },
            "quantity": self.quantity(row.value, row.unit, row.state),
        }
        if row.state is not None:
            statistic["description"] = self.label(row.state)
        if row.characteristic is not None:
            statistic["description"] = str(row.characteristic)
        if kind == EKG.EventCount and row.value is not None:
            statistic["numberOfEvents"] = int(row.value)
        if row.sampleSize is not None:
            statistic["sampleSize"] = {"numberOfParticipants": int(row.sampleSize)}
        estimates = [estimate for estimate in (self.interval(row), self.p_value(row)) if estimate]
        if estimates:
            statistic["attributeEstimate"] = estimates
        statistic_extensions = []
        if row.timepoint is not None:
            timepoint = self.quantity(row.timepoint, row.timepointUnit)
            statistic_extensions.append(extension("timepoint", valueQuantity=timepoint))
        if row.eventKind is not None:
            statistic_extensions.append(extension("event-kind", valueCoding=self.own(row.eventKind)))
        if statistic_extensions:
            statistic["extension"] = statistic_extensions

        variables = [self.role(EKG.inPopulation, "Group", row.population)]
        if row.arm is not None:
            variables.append(self.role(EKG.forArm, "Group", row.arm))
        if row.comparison is not None:
            variables.append(self.role(EKG.experimentalArm, "Group", row.experimental))
            variables.append(self.role(EKG.referenceArm, "Group", row.reference))
        if row.endpoint is not None:
            variables.append(self.role(EKG.forEndpoint, "EvidenceVariable", row.endpoint))

        cited: dict[URIRef, list[str]] = {}
        for source in sources:
            cited.setdefault(source.cited, [])
            if source.location is not None:
                cited[source.cited].append(str(source.location))
        evidence: dict[str, Any] = {
            **_canonical("Evidence", row.result, row.label),
            "citeAsMarkdown": "; ".join(self.label(work) for work in sorted(cited)),
            "relatedArtifact": [self.derived_from(work, locations) for work, locations in sorted(cited.items())],
            "variableDefinition": variables,
            "statistic": [statistic],
        }
        extensions = []
        if row.analysisKind is not None:
            extensions.append(extension("analysis-kind", valueCoding=self.own(row.analysisKind)))
        if row.cutoff is not None:
            extensions.append(extension("data-cutoff", valueDate=str(row.cutoff)))
        if extensions:
            evidence["extension"] = extensions
        if caveats:
            evidence["note"] = [{"text": caveat} for caveat in caveats]
        return evidence

    def derived_from(self, work: URIRef, locations: Iterable[str]) -> dict[str, Any]:
        """Make a relatedArtifact ``derived-from`` to the work's Citation, with the places that state the result."""
        artifact: dict[str, Any] = {
            "type": "derived-from",
            "display": self.label(work),
            "resourceReference": self.reference("Citation", work),
        }
        if locations:
            artifact["extension"] = [
                extension("source-location", valueString=location) for location in sorted(locations)
            ]
        return artifact

    def interval(self, row: Row) -> dict[str, Any] | None:
        """Make the confidence interval an attributeEstimate (level, range), or give ``None``."""
        if row.level is None:
            return None
        bounds = {
            "low": self.quantity(row.lower, row.unit, row.lowerState),
            "high": self.quantity(row.upper, row.unit, row.upperState),
        }
        return {
            "type": {
                "coding": codings("ekg:ConfidenceInterval", MappedElement.ATTRIBUTE_TYPE),
                "text": "confidence interval",
            },
            "level": printed_decimal(row.level),
            "range": bounds,
        }

    def p_value(self, row: Row) -> dict[str, Any] | None:
        """Make the p-value an attributeEstimate (value and comparator), or give ``None``."""
        if row.pValue is None:
            return None
        quantity: dict[str, Any] = {"value": printed_decimal(row.pValue)}
        comparator = codings(str(row.comparator or "="), MappedElement.COMPARATOR)
        if comparator:
            quantity["comparator"] = comparator[0]["code"]
        estimate: dict[str, Any] = {
            "type": {"coding": codings("ekg:PValue", MappedElement.ATTRIBUTE_TYPE), "text": "p-value"},
            "quantity": quantity,
        }
        extensions = []
        if row.sidedness is not None:
            extensions.append(extension("test-sidedness", valueCoding=self.own(row.sidedness)))
        if row.nominal is not None:
            extensions.append(extension("nominal", valueBoolean=bool(row.nominal.toPython())))
        if extensions:
            estimate["extension"] = extensions
        return estimate

    def citation(self, rows: list[Row]) -> dict[str, Any]:
        """Build the Citation of one document from its rows of ``citation.rq``."""
        first = rows[0]
        identifiers = [
            {"system": system, "value": str(value)}
            for system, value in (("https://doi.org", first.doi), ("https://pubmed.ncbi.nlm.nih.gov", first.pmid))
            if value is not None
        ]
        if first.identifier is not None:
            identifiers.append({"value": str(first.identifier)})
        cited: dict[str, Any] = {}
        if identifiers:
            cited["identifier"] = identifiers
        registry_ids = sorted({str(row.trialRegistryId) for row in rows if row.trialRegistryId is not None})
        if registry_ids:
            cited["relatedIdentifier"] = [
                {"type": {"text": "trial registry identifier"}, "value": value} for value in registry_ids
            ]
        if first.title is not None:
            cited["title"] = [{"text": str(first.title)}]
        if first.uri is not None:
            cited["webLocation"] = [{"url": str(first.uri)}]
        citation = _canonical("Citation", first.document, first.label)
        if cited:
            citation["citedArtifact"] = cited
        return citation

    def group(self, row: Row) -> dict[str, Any]:
        """Build the Group of one population or arm row of ``group.rq``."""
        group: dict[str, Any] = {
            "resourceType": "Group",
            "id": resource_id(str(row.group)),
            "identifier": [{"system": IRI_SYSTEM, "value": str(row.group)}],
            "type": "person",
            "membership": "definitional",
            "name": str(row.label),
        }
        description = [text for text in (row.trialLabel, row.regimenLabel) if text is not None]
        if description:
            group["description"] = "; ".join(map(str, description))
        if row.size is not None:
            group["quantity"] = int(row.size)
        return group

    def variable(self, row: Row) -> dict[str, Any]:
        """Build the EvidenceVariable of one endpoint row of ``evidence-variable.rq``."""
        characteristics = [
            {"description": "kind of outcome", "definitionCodeableConcept": {"coding": [self.own(row.kind)]}}
        ]
        if row.assessor is not None:
            characteristics.append(
                {"description": "assessed by", "definitionCodeableConcept": {"coding": [self.own(row.assessor)]}}
            )
        variable = {**_canonical("EvidenceVariable", row.endpoint, row.label), "characteristic": characteristics}
        if row.description is not None:
            variable["description"] = str(row.description)
        return variable


def _grouped(rows: Iterable[Row], key: str) -> dict[str, list[Row]]:
    """Group query rows by the IRI of one variable, keeping their order."""
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[str(getattr(row, key))].append(row)
    return grouped


def fhir_bundle(dataset: Dataset) -> dict[str, Any]:
    """Build the FHIR R5 Bundle (type ``collection``) of the dataset's results, as plain data.

    :param dataset: ontology and data (the packaged dataset, or files read with ``load_files``).
    :returns: the Bundle; decimals are :class:`~decimal.Decimal` values of the graph's lexical form.
    :raises DataError: a result has no kind, or a unit no UCUM code in ``fhir_mapping.tsv``.

    Example:
        >>> from ember3kg.publish.dataset import load_dataset
        >>> fhir_bundle(load_dataset())["type"]
        'collection'
    """
    graph = union_graph(dataset)
    builder = _Builder(graph)
    kinds = result_kinds(graph)
    sources = _grouped(_query(graph, "evidence-sources"), "result")
    caveats = _grouped(_query(graph, "evidence-notes"), "result")
    resources = []
    for row in _query(graph, "evidence"):
        kind = next(iter(kinds.get(row.result, [])), None)
        if kind is None:
            raise DataError(f"{compress(str(row.result))}: no result class")
        notes = [str(note.caveat) for note in caveats.get(str(row.result), [])]
        resources.append(builder.evidence(row, kind, sources.get(str(row.result), []), notes))
    referenced = builder.referenced
    resources += [
        builder.citation(rows)
        for document, rows in _grouped(_query(graph, "citation"), "document").items()
        if document in referenced["Citation"]
    ]
    resources += [builder.group(row) for row in _query(graph, "group") if str(row.group) in referenced["Group"]]
    resources += [
        builder.variable(row)
        for row in _query(graph, "evidence-variable")
        if str(row.endpoint) in referenced["EvidenceVariable"]
    ]
    resources.sort(key=lambda resource: (resource["resourceType"], resource["id"]))
    return {
        "resourceType": "Bundle",
        "id": BUNDLE_ID,
        "type": "collection",
        "entry": [
            {"fullUrl": f"{FHIR_BASE}{resource['resourceType']}/{resource['id']}", "resource": resource}
            for resource in resources
        ],
    }


def validate_bundle(bundle: Mapping[str, Any]) -> dict[str, int]:
    """Validate every resource of a bundle, and the bundle, with the ``fhir.resources`` R5 models.

    The models check structure, cardinalities and datatypes, not terminology bindings.

    :returns: resource type -> number of resources validated.
    :raises DataError: the first resource that does not validate, named by type and id.
    """
    from fhir.resources import get_fhir_model_class  # imported here: the models take a second to load
    from pydantic import ValidationError

    counts: dict[str, int] = defaultdict(int)
    for resource in [*(entry["resource"] for entry in bundle.get("entry", [])), bundle]:
        name = resource["resourceType"]
        try:
            get_fhir_model_class(name).model_validate(resource)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(map(str, first["loc"]))
            raise DataError(f"FHIR {name}/{resource.get('id')}: {where}: {first['msg']}") from None
        counts[name] += 1
    return dict(sorted(counts.items()))


def dumps(value: Any, level: int = 0) -> str:
    """Write JSON with sorted keys and two-space indents; a Decimal in its own lexical form (``0.90``)."""
    pad = "  " * (level + 1)
    if isinstance(value, Mapping) and value:
        items = (f"{pad}{json.dumps(key)}: {dumps(item, level + 1)}" for key, item in sorted(value.items()))
        return "{\n" + ",\n".join(items) + "\n" + "  " * level + "}"
    if isinstance(value, list) and value:
        return "[\n" + ",\n".join(pad + dumps(item, level + 1) for item in value) + "\n" + "  " * level + "]"
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def serialize_bundle(dataset: Dataset) -> bytes:
    """Build, validate and write the FHIR R5 Bundle of ``dataset`` (UTF-8 JSON, deterministic).

    :raises DataError: the bundle cannot be built or does not validate.

    Example:
        >>> from ember3kg.publish.dataset import load_dataset
        >>> serialize_bundle(load_dataset()).startswith(b"{")
        True
    """
    bundle = fhir_bundle(dataset)
    validate_bundle(bundle)
    return (dumps(bundle) + "\n").encode("utf-8")
