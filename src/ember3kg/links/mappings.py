"""The SSSOM mapping set: read and check it, and turn it into RDF.

``graph/mappings.sssom.tsv`` links ember3kg entities (``kg:``) and ontology terms
(``ekg:``) to external ontologies and registries. From it this module makes

- the **mappings graph** (:func:`mappings_graph`): one SKOS triple per row, e.g.
  ``kg:drug-fulvestrant skos:exactMatch obo:CHEBI_31638``, the part ``mappings`` of
  the dataset;
- the **term imports** (:func:`external_terms_graph`): each external term with its
  label as the source writes it and, where the mapping set confirms it, its parent;
  committed as ``ontology/imports/external-terms.ttl`` (the part ``external-terms``).

Two readers exist on purpose. :func:`read_mapping_set` is a small TSV reader used
whenever the dataset loads, so that ``build``/``export`` do not import ``sssom``
(pandas and LinkML: over a second); :func:`validate_sssom` runs ``sssom-py``'s
parser and validators for the ``mappings`` command and the tests, which also check
that both readers see the same mappings.

A row whose object is ``sssom:NoTermFound`` records that no external term was found
for its subject; it gives no SKOS triple and no imported term.

Mapping predicates are declared ``owl:AnnotationProperty`` in the mappings graph:
a SKOS link from an individual (``kg:drug-fulvestrant``) to an external class
(``obo:CHEBI_31638``) is then an annotation, and the external IRI is not punned.
"""

from __future__ import annotations

import csv
import io
from collections import abc
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import as_file, files
from pathlib import Path
from types import MappingProxyType

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from ember3kg.errors import InputError
from ember3kg.io.outputs import write_atomic
from ember3kg.io.reading import reading
from ember3kg.vocab.identifiers import expand, prefix_map
from ember3kg.vocab.namespaces import GRAPH, OBO, bind_prefixes

#: Package and file name of the packaged mapping set.
PACKAGED_SSSOM = ("ember3kg.graph", "mappings.sssom.tsv")
#: Package and path of the committed term imports generated from it.
PACKAGED_IMPORTS = ("ember3kg.ontology", "imports/external-terms.ttl")

#: Columns every row must fill.
REQUIRED_COLUMNS: tuple[str, ...] = ("subject_id", "predicate_id", "object_id", "mapping_justification")
#: Metadata the header must give (SSSOM mapping-set slots the project relies on).
REQUIRED_METADATA: tuple[str, ...] = ("curie_map", "mapping_set_id", "mapping_set_version", "license")
#: Columns holding CURIEs, each checked against its prefix's pattern.
CURIE_COLUMNS: tuple[str, ...] = ("subject_id", "predicate_id", "object_id", "mapping_justification")

#: SKOS mapping predicates a row may use (SSSOM allows more; these are the honest ones here).
MAPPING_PREDICATES: frozenset[URIRef] = frozenset(
    {SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch}
)

#: The SSSOM object of a row that records that no matching term was found.
NO_TERM_FOUND = URIRef("https://w3id.org/sssom/NoTermFound")

#: First line of the generated term-imports file.
IMPORTS_HEADER = (
    "# External terms used by the ember3kg mappings: IRI, label as the source writes it, parent where confirmed.\n"
    "# Generated from graph/mappings.sssom.tsv by `ember3kg mappings --imports FILE`; do not edit by hand.\n"
)


@dataclass(frozen=True)
class Mapping:
    """One row of the mapping set, with its CURIEs expanded.

    :param line: line of the row in its file (1-based), for error messages.
    """

    subject_id: str
    subject_label: str
    predicate_id: str
    object_id: str
    object_label: str
    mapping_justification: str
    see_also: str
    comment: str
    line: int
    subject: URIRef
    predicate: URIRef
    object: URIRef

    @property
    def found(self) -> bool:
        """Whether the row names an external term (its object is not ``sssom:NoTermFound``)."""
        return self.object != NO_TERM_FOUND

    @property
    def object_prefix(self) -> str:
        """The prefix of :attr:`object_id`, e.g. ``CHEBI``."""
        return self.object_id.partition(":")[0]


@dataclass(frozen=True)
class MappingSet:
    """A checked SSSOM mapping set.

    :param label: names the file in messages.
    :param metadata: the YAML header.
    :param mappings: the rows, in file order.
    """

    label: str
    metadata: abc.Mapping[str, object]
    mappings: tuple[Mapping, ...] = field(default_factory=tuple)

    def prefixes(self) -> set[str]:
        """Collect the prefixes of every CURIE the rows use."""
        return {getattr(row, column).partition(":")[0] for row in self.mappings for column in CURIE_COLUMNS}


def read_mapping_set(text: str, label: str) -> MappingSet:
    """Parse an SSSOM TSV document and check its identifiers.

    Checks: the header is YAML with :data:`REQUIRED_METADATA`; its ``curie_map``
    agrees with the project prefix map (:mod:`ember3kg.vocab.identifiers`) and covers every
    prefix used; every row fills :data:`REQUIRED_COLUMNS`; every CURIE has a known
    prefix and matches the prefix's Bioregistry pattern; predicates are SKOS mapping
    predicates; there is at least one row.

    :param text: the document.
    :param label: names the document in errors, which read ``LABEL:LINE: reason``.
    :raises InputError: the first problem found.
    """
    lines = text.splitlines(keepends=True)
    header_length = next((number for number, line in enumerate(lines) if not line.startswith("#")), len(lines))
    metadata = _read_metadata(lines[:header_length], label)
    reader = csv.DictReader(io.StringIO("".join(lines[header_length:])), delimiter="\t")
    missing = [column for column in REQUIRED_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{label}:{header_length + 1}: missing column(s) {', '.join(missing)}")
    rows = []
    for row in reader:
        cells = {key: (value or "").strip() for key, value in row.items() if key}
        rows.append(_read_row(cells, label, header_length + reader.line_num))
    if not rows:
        raise InputError(f"{label}:{header_length + 1}: no mapping rows after the header")
    mapping_set = MappingSet(label, MappingProxyType(metadata), tuple(rows))
    _check_curie_map(mapping_set)
    return mapping_set


def _read_metadata(header: list[str], label: str) -> dict[str, object]:
    """Parse the ``#``-prefixed YAML header and check the required slots."""
    try:
        import yaml  # on first use: a mapping file is read by few commands

        metadata = yaml.safe_load("".join(line[1:] for line in header)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{label}:{mark.line + 1}" if mark is not None else label
        raise InputError(f"{where}: metadata header is not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(metadata, dict):
        raise InputError(f"{label}:1: metadata header is not a YAML mapping")
    missing = [slot for slot in REQUIRED_METADATA if slot not in metadata]
    if missing:
        raise InputError(f"{label}:1: metadata header lacks {', '.join(missing)}")
    if not isinstance(metadata["curie_map"], dict):
        raise InputError(f"{label}:1: curie_map is not a mapping of prefix to URI prefix")
    return metadata


def _read_row(row: dict[str, str], label: str, line: int) -> Mapping:
    """Check one row's required columns and CURIEs and build its :class:`Mapping`."""
    where = f"{label}:{line}"
    empty = [column for column in REQUIRED_COLUMNS if not row.get(column)]
    if empty:
        raise InputError(f"{where}: empty {', '.join(empty)}")
    iris = {column: URIRef(expand(row[column], where)) for column in CURIE_COLUMNS}
    if iris["predicate_id"] not in MAPPING_PREDICATES:
        raise InputError(f"{where}: predicate {row['predicate_id']!r} is not a SKOS mapping predicate")
    return Mapping(
        subject_id=row["subject_id"],
        subject_label=row.get("subject_label", ""),
        predicate_id=row["predicate_id"],
        object_id=row["object_id"],
        object_label=row.get("object_label", ""),
        mapping_justification=row["mapping_justification"],
        see_also=row.get("see_also", ""),
        comment=row.get("comment", ""),
        line=line,
        subject=iris["subject_id"],
        predicate=iris["predicate_id"],
        object=iris["object_id"],
    )


def _check_curie_map(mapping_set: MappingSet) -> None:
    """Check that the file's ``curie_map`` is the project map, restricted to the prefixes it uses."""
    declared = mapping_set.metadata["curie_map"]
    assert isinstance(declared, dict)  # noqa: S101 (read_mapping_set checked it)
    curie_map = {str(key): str(value) for key, value in declared.items()}
    where = f"{mapping_set.label}:1"
    expected = prefix_map(curie_map)  # raises for a prefix outside the project map
    for prefix, uri_prefix in curie_map.items():
        if uri_prefix != expected[prefix]:
            raise InputError(
                f"{where}: curie_map gives {prefix}: {uri_prefix}; the project map says {expected[prefix]}"
            )
    undeclared = sorted(mapping_set.prefixes() - set(curie_map), key=str.lower)
    if undeclared:
        raise InputError(f"{where}: curie_map lacks prefix(es) the rows use: {', '.join(undeclared)}")


@lru_cache(maxsize=1)
def packaged_mapping_set() -> MappingSet:
    """Read and check the packaged mapping set (cached; do not change the result)."""
    package, name = PACKAGED_SSSOM
    resource = files(package).joinpath(name)
    return read_mapping_set(resource.read_text(encoding="utf-8"), f"graph/{name}")


def load_mapping_set(path: str | Path | None = None) -> MappingSet:
    """Read and check a mapping set: the file at ``path``, or the packaged one.

    :raises InputError: the file cannot be read or fails a check of :func:`read_mapping_set`.
    """
    if path is None:
        return packaged_mapping_set()
    with reading(path):
        text = Path(path).read_text(encoding="utf-8")
    return read_mapping_set(text, str(path))


def validate_sssom(path: str | Path | None = None) -> list[tuple[str, str, str]]:
    """Parse and validate a mapping set with ``sssom-py`` (JSON schema, prefix map, CURIE format).

    :param path: the file; the packaged mapping set by default.
    :returns: the (subject_id, predicate_id, object_id) of every mapping sssom-py read, sorted.
    :raises InputError: sssom-py cannot parse the file or a validator reports a problem.
    """
    import logging
    import warnings

    label = str(path) if path is not None else f"graph/{PACKAGED_SSSOM[1]}"
    with ExitStack() as stack:
        target = (
            path if path is not None else stack.enter_context(as_file(files(PACKAGED_SSSOM[0]) / PACKAGED_SSSOM[1]))
        )
        logging.getLogger("sssom").setLevel(logging.ERROR)  # sssom-py logs warnings we report ourselves
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas deprecation warnings raised inside sssom-py
            # Imported here: sssom pulls in pandas and LinkML, over a second (see the module docstring).
            from sssom.parsers import parse_sssom_table
            from sssom.validators import validate

            try:
                msdf = parse_sssom_table(target)
            except Exception as exc:  # sssom-py raises many unrelated classes for a bad file
                reason = " ".join(str(exc).split()) or type(exc).__name__
                raise InputError(f"{label}: sssom-py cannot parse it: {reason}") from None
            reports = validate(msdf, fail_on_error=False)
    problems = [f"{kind.value}: {result}" for kind, report in reports.items() for result in report.results]
    if problems:
        raise InputError(f"{label}: sssom-py validation failed: {problems[0]}")
    columns = ["subject_id", "predicate_id", "object_id"]
    rows = msdf.df[columns].itertuples(index=False)
    return sorted((str(subject), str(predicate), str(obj)) for subject, predicate, obj in rows)


def mappings_graph(mapping_set: MappingSet, identifier: URIRef | None = None) -> Graph:
    """Make the SKOS links of ``mapping_set``: one triple per row naming a term; predicates are annotation properties.

    :param identifier: name of the graph, e.g. ``GRAPH["mappings"]``.

    Example:
        >>> graph = mappings_graph(packaged_mapping_set())
        >>> (KG["drug-fulvestrant"], SKOS.exactMatch, OBO.CHEBI_31638) in graph  # doctest: +SKIP
        True
    """
    graph = bind_external_prefixes(Graph(identifier=identifier, bind_namespaces="none"), mapping_set)
    for row in (row for row in mapping_set.mappings if row.found):
        graph.add((row.subject, row.predicate, row.object))
        graph.add((row.predicate, RDF.type, OWL.AnnotationProperty))
    return graph


def mappings_part(data: bytes, label: str, identifier: URIRef) -> Graph:
    """Build the dataset part ``mappings`` from the bytes of an SSSOM file (see :mod:`ember3kg.publish.dataset`)."""
    return mappings_graph(read_mapping_set(data.decode("utf-8"), label), identifier)


def atc_parent(code: str) -> str | None:
    """Give the parent of a WHO ATC code, from the code's structure (levels of 1, 3, 4, 5 and 7 characters)."""
    parents = {7: 5, 5: 4, 4: 3, 3: 1}
    return code[: parents[len(code)]] if len(code) in parents else None


#: Prefix -> function giving the local identifier of a term's parent in the same
#: vocabulary, for vocabularies whose identifiers encode their hierarchy. A parent is
#: written only when it is itself a mapped term, so its label is confirmed too.
PARENT_RULES: abc.Mapping[str, Callable[[str], str | None]] = MappingProxyType({"atc": atc_parent})

#: Prefix of the term's IRI -> the class the term is declared as: external OBO terms are
#: OWL classes in their ontologies. Other external terms (registry records, codes,
#: schema.org types) are left untyped: only annotations are stated about them.
TERM_TYPES: abc.Mapping[str, URIRef] = MappingProxyType({str(OBO): OWL.Class})


def external_terms_graph(mapping_set: MappingSet) -> Graph:
    """Make the term imports: every mapped external term with its label and, where confirmed, its parent.

    Labels are ``object_label`` as the row gives it (rows with an empty label give
    none); ATC parents use ``skos:broader`` (a classification, not a class hierarchy).
    """
    graph = bind_external_prefixes(Graph(bind_namespaces="none"), mapping_set)
    objects = {row.object_id: row for row in mapping_set.mappings if row.found}
    for curie, row in sorted(objects.items()):
        term_type = next((cls for ns, cls in TERM_TYPES.items() if str(row.object).startswith(ns)), None)
        if term_type is not None:
            graph.add((row.object, RDF.type, term_type))
        if row.object_label:
            graph.add((row.object, RDFS.label, Literal(row.object_label, lang="en")))
        rule = PARENT_RULES.get(row.object_prefix)
        parent = rule(curie.partition(":")[2]) if rule else None
        if parent and f"{row.object_prefix}:{parent}" in objects:
            graph.add((row.object, SKOS.broader, objects[f"{row.object_prefix}:{parent}"].object))
            graph.add((SKOS.broader, RDF.type, OWL.AnnotationProperty))
    return graph


def serialize_external_terms(mapping_set: MappingSet) -> bytes:
    """Serialise ``ontology/imports/external-terms.ttl``: :data:`IMPORTS_HEADER` then Turtle."""
    body = external_terms_graph(mapping_set).serialize(format="turtle", encoding="utf-8")
    return IMPORTS_HEADER.encode("utf-8") + b"\n" + body


def bind_external_prefixes(graph: Graph, mapping_set: MappingSet) -> Graph:
    """Bind the project prefixes and the mapping set's prefixes (the project map's URI prefixes) on ``graph``."""
    bind_prefixes(graph)
    for prefix, uri_prefix in prefix_map(mapping_set.prefixes()).items():
        graph.bind(prefix, uri_prefix, override=False)
    return graph


def format_table(mapping_set: MappingSet) -> str:
    """Format the mappings as a table (subject, predicate, object, object label), then counts by target prefix."""
    header = ("subject", "predicate", "object", "object label")
    rows = [(row.subject_id, row.predicate_id, row.object_id, row.object_label) for row in mapping_set.mappings]
    widths = [max(len(cells[index]) for cells in [header, *rows]) for index in range(len(header) - 1)]
    lines = [
        "  ".join([*(cell.ljust(width) for cell, width in zip(cells, widths, strict=False)), cells[-1]]).rstrip()
        for cells in [header, *rows]
    ]
    counts = count_by_prefix(mapping_set.mappings)
    lines.append("")
    lines.append(
        f"{len(rows)} mappings; by target: " + ", ".join(f"{prefix} {count}" for prefix, count in counts.items())
    )
    return "\n".join(lines) + "\n"


def count_by_prefix(mappings: Iterable[Mapping]) -> dict[str, int]:
    """Count the mappings per target prefix, largest first, then by prefix."""
    counts: dict[str, int] = {}
    for row in mappings:
        counts[row.object_prefix] = counts.get(row.object_prefix, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0].lower())))


def run_mappings(
    sssom: str | Path | None = None,
    output: str | Path | None = None,
    imports: str | Path | None = None,
) -> MappingSet:
    """Validate a mapping set with sssom-py and the project checks, and write its RDF.

    :param sssom: the SSSOM file; the packaged mapping set by default.
    :param output: where to write the mappings graph (Turtle), if given.
    :param imports: where to write the term imports (Turtle), if given; with the
        packaged set, ``ontology/imports/external-terms.ttl`` regenerates the committed file.
    :returns: the checked mapping set.
    :raises InputError: a check fails, or sssom-py and the project reader disagree.
    :raises OutputError: an output cannot be written.
    """
    mapping_set = load_mapping_set(sssom)
    seen_by_sssom = validate_sssom(sssom)
    ours = sorted((row.subject_id, row.predicate_id, row.object_id) for row in mapping_set.mappings)
    if ours != seen_by_sssom:
        raise InputError(f"{mapping_set.label}: sssom-py reads {len(seen_by_sssom)} mappings, ember3kg {len(ours)}")
    if output is not None:
        links = mappings_graph(mapping_set, GRAPH["mappings"])
        write_atomic(output, links.serialize(format="turtle", encoding="utf-8"))
    if imports is not None:
        write_atomic(imports, serialize_external_terms(mapping_set))
    return mapping_set
