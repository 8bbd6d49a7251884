"""Check the mappings against a local copy of an external ontology or vocabulary.

Given a file a user downloaded (a ChEBI or NCIt release, a SKOS vocabulary), every
mapping whose target lies in a namespace the file defines is checked: the term
exists, is not deprecated or obsolete, and one of its labels is the mapping's
``object_label``.

Files are read by the reader :data:`TERM_READERS` gives for their suffix, streamed,
keeping only the terms the mappings ask for: OBO line by line, every RDF syntax
(RDF/XML, N-Triples, Turtle) with pyoxigraph's streaming parser, which reads all of
RDF/XML (labels written as attributes, nested descriptions) without holding the file.

Example:
    >>> report = check_links(packaged_mapping_set(), Path("chebi.obo"))  # doctest: +SKIP
    >>> report.broken  # doctest: +SKIP
    []
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from types import MappingProxyType

from rdflib import OWL, RDFS, SKOS

from ember3kg.errors import BrokenLinksError, InputError
from ember3kg.io.reading import reading
from ember3kg.links.mappings import Mapping as SssomMapping
from ember3kg.links.mappings import MappingSet
from ember3kg.vocab.identifiers import converter, prefix_map

#: Predicates whose values are a term's labels.
LABEL_PREDICATES: frozenset[str] = frozenset({str(RDFS.label), str(SKOS.prefLabel)})
#: Predicate marking a deprecated term (OWL 2; OBO's ``is_obsolete`` becomes it too).
DEPRECATED = str(OWL.deprecated)
#: A label starting with this word marks an obsolete term (an OBO convention).
OBSOLETE_LABEL = re.compile(r"^obsolete[\s_:]", re.IGNORECASE)


@dataclass
class Term:
    """What a file says about one term: its labels and whether it is deprecated."""

    iri: str
    labels: list[str] = field(default_factory=list)
    deprecated: bool = False

    def merge(self, other: Term) -> None:
        """Add what ``other`` (the same IRI, said elsewhere in the file) states."""
        self.labels.extend(label for label in other.labels if label not in self.labels)
        self.deprecated = self.deprecated or other.deprecated

    @property
    def obsolete(self) -> bool:
        """Deprecated, or labelled ``obsolete ...``."""
        return self.deprecated or any(OBSOLETE_LABEL.match(label) for label in self.labels)


class Status(Enum):
    """Outcome of checking one mapping; all but ``OK`` are broken links."""

    OK = "ok"
    MISSING = "missing"
    OBSOLETE = "obsolete"
    RELABELLED = "relabelled"


@dataclass(frozen=True)
class LinkResult:
    """The check of one mapping.

    :param detail: what the file says, for a broken link or an unchecked label.
    """

    mapping: SssomMapping
    status: Status
    detail: str = ""


@dataclass(frozen=True)
class LinkReport:
    """The checks of all mappings that point into one file."""

    path: Path
    prefixes: tuple[str, ...]
    results: tuple[LinkResult, ...]

    @property
    def broken(self) -> list[LinkResult]:
        """The results that are not :attr:`Status.OK`."""
        return [result for result in self.results if result.status is not Status.OK]

    def raise_for_broken(self) -> None:
        """Raise :class:`~ember3kg.errors.BrokenLinksError` if a link is broken."""
        if self.broken:
            raise BrokenLinksError(f"{len(self.broken)} broken link(s) into {self.path}")

    def format_text(self) -> str:
        """One line per mapping (status, target, subject, detail), then a summary line."""
        lines = [
            "  ".join(
                filter(
                    None,
                    (
                        f"{result.status.value:<10}",
                        result.mapping.object_id,
                        f"<- {result.mapping.subject_id}",
                        result.detail,
                    ),
                )
            )
            for result in self.results
        ]
        counts = ", ".join(
            f"{sum(result.status is status for result in self.results)} {status.value}" for status in Status
        )
        lines.append(f"{self.path}: checked {len(self.results)} mapping(s) into {', '.join(self.prefixes)}: {counts}")
        return "\n".join(lines) + "\n"


def check_links(mapping_set: MappingSet, path: str | Path, prefixes: Iterable[str] = ()) -> LinkReport:
    """Check every mapping of ``mapping_set`` that points into the ontology file ``path``.

    :param mapping_set: the mappings.
    :param path: the ontology or vocabulary file; its reader comes from its suffix
        (:data:`TERM_READERS`).
    :param prefixes: check the mappings of these target prefixes; by default, of every
        prefix whose namespace holds at least one term of the file.
    :returns: the report, in mapping-set order.
    :raises InputError: unknown suffix, unreadable or malformed file, unknown prefix,
        or no mapping points into the file.
    """
    path = Path(path)
    reader = _reader(path)
    chosen = list(prefixes)
    namespaces = prefix_map(chosen or {row.object_prefix for row in mapping_set.mappings})
    wanted = {str(row.object) for row in mapping_set.mappings if row.object_prefix in namespaces}
    found: dict[str, Term] = {}
    covered: set[str] = set(chosen)
    with reading(path):
        for term in reader(path):
            parsed = converter().parse_uri(term.iri)  # None when no prefix of the map fits
            if parsed and parsed[0] in namespaces:
                covered.add(parsed[0])
            if term.iri in wanted:
                found.setdefault(term.iri, Term(term.iri)).merge(term)
    if not covered:
        raise InputError(f"{path}: no mapping points into it (it defines no term of: {', '.join(namespaces)})")
    ordered = tuple(sorted(covered, key=str.lower))
    results = tuple(
        _check(row, found.get(str(row.object))) for row in mapping_set.mappings if row.object_prefix in covered
    )
    return LinkReport(path, ordered, results)


def _check(row: SssomMapping, term: Term | None) -> LinkResult:
    """Check one mapping against what the file says about its target."""
    if term is None:
        return LinkResult(row, Status.MISSING, "not in the file")
    if term.obsolete:
        return LinkResult(row, Status.OBSOLETE, f"deprecated or obsolete: {'; '.join(term.labels) or 'no label'}")
    if not row.object_label:
        return LinkResult(row, Status.OK, "no object_label to compare")
    if _normal(row.object_label) not in {_normal(label) for label in term.labels}:
        found = "; ".join(repr(label) for label in term.labels) or "no label"
        return LinkResult(row, Status.RELABELLED, f"mapping says {row.object_label!r}, file says {found}")
    return LinkResult(row, Status.OK)


def _normal(label: str) -> str:
    """Compare labels with whitespace collapsed."""
    return " ".join(label.split())


def _reader(path: Path) -> Callable[[Path], Iterator[Term]]:
    """Choose the reader for ``path``'s suffix (``.gz`` is not supported: decompress first)."""
    suffix = path.suffix.lower()
    try:
        return TERM_READERS[suffix]
    except KeyError:
        known = ", ".join(TERM_READERS)
        raise InputError(f"{path}: unknown ontology format {suffix or '(no suffix)'!r}; suffixes: {known}") from None


def read_obo(path: Path) -> Iterator[Term]:
    """Stream the ``[Term]`` stanzas of an OBO flat file, line by line.

    IDs become OBO PURLs (``CHEBI:31638`` -> ``http://purl.obolibrary.org/obo/CHEBI_31638``),
    the OBO format's own rule; ``is_obsolete: true`` marks a deprecated term.
    """
    term: Term | None = None
    with path.open(encoding="utf-8") as lines:
        for number, raw in enumerate(lines, start=1):
            line = raw.strip()
            if line.startswith("["):
                if term is not None:
                    yield term
                term = Term("") if line == "[Term]" else None
                continue
            if term is None or not line or line.startswith("!"):
                continue
            tag, sep, value = line.partition(":")
            if not sep:
                raise InputError(f"{path}:{number}: not a tag-value line")
            value = _strip_obo_value(value)
            if tag == "id":
                # A prefix outside the project map names no mapped term: keep the id as it is.
                term.iri = converter().expand(value) or value
            elif tag == "name":
                term.labels.append(value)
            elif tag == "is_obsolete":
                term.deprecated = value == "true"
    if term is not None:
        yield term


def _strip_obo_value(value: str) -> str:
    """Drop a trailing ``! comment`` and qualifier block ``{...}`` from an OBO tag value."""
    value = re.sub(r"\s\{[^}]*\}\s*$", "", value.split(" ! ", 1)[0])
    return value.strip()


def read_rdf(path: Path) -> Iterator[Term]:
    """Stream any RDF file with pyoxigraph's parser: one term record per triple with an IRI subject.

    The parser reads the whole syntax (labels as RDF/XML attributes, nested
    descriptions, every Turtle form) without holding the file in memory; the format
    comes from the suffix. Records of one IRI are merged by :func:`check_links`.
    """
    import pyoxigraph

    syntax = getattr(pyoxigraph.RdfFormat, _RDF_FORMATS[path.suffix.lower()])
    try:
        for triple in pyoxigraph.parse(path=path, format=syntax, base_iri=path.resolve().as_uri()):
            subject, predicate, value = triple.subject, triple.predicate.value, triple.object
            if not isinstance(subject, pyoxigraph.NamedNode) or not isinstance(value, pyoxigraph.Literal):
                continue
            if predicate in LABEL_PREDICATES:
                yield Term(subject.value, [value.value])
            elif predicate == DEPRECATED:
                yield Term(subject.value, deprecated=value.value.strip().lower() in ("true", "1"))
    except SyntaxError as exc:
        where = f"{path}:{exc.lineno}" if exc.lineno else str(path)
        raise InputError(f"{where}: not valid RDF: {' '.join(str(exc.msg).split())[:200]}") from None


#: RDF file suffix -> the name of its pyoxigraph format (pyoxigraph is imported only when a file is read).
_RDF_FORMATS: Mapping[str, str] = MappingProxyType(
    {".owl": "RDF_XML", ".rdf": "RDF_XML", ".xml": "RDF_XML", ".nt": "N_TRIPLES", ".ttl": "TURTLE"}
)


#: File suffix -> reader of the terms of an ontology or vocabulary file.
TERM_READERS: Mapping[str, Callable[[Path], Iterator[Term]]] = MappingProxyType(
    {
        ".obo": read_obo,
        **dict.fromkeys(_RDF_FORMATS, read_rdf),
    }
)
