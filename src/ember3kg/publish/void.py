"""Describe the dataset with VoID and DCAT: what it holds, under which terms, in which files.

The description is one graph, :data:`VOID_GRAPH`, kept outside the dataset it
describes: it lists SHA-256 checksums of the dump files, so it cannot be inside
them (nor checksum itself). It is made of

- the hand-written part, packaged as ``ember3kg/publish/void.ttl`` (title, description,
  keywords, URI space), whose single ``void:Dataset`` is the dataset described;
- licence, creation date and publisher, taken from the ontology header (the
  ``owl:Ontology`` node), and the version of the package;
- per named graph (whatever parts the dataset has): a ``void:subset`` named by the
  graph IRI, with ``sd:name`` and its ``void:triples``, subjects, objects, classes
  and properties;
- over the union of all graphs: counts, one ``void:classPartition`` per class
  (``void:entities``) and one ``void:propertyPartition`` per property
  (``void:triples``), and the vocabularies used;
- one ``dcat:Distribution`` per dump file: media type, size and checksum.

Every node is an IRI and no value depends on the clock, so the description of the
same dataset and files is the same on every run.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from rdflib import DCAT, DCTERMS, FOAF, OWL, RDF, VOID, XSD, Dataset, Graph, Literal, URIRef

from ember3kg import __version__
from ember3kg.errors import DataError, OutputError
from ember3kg.io.formats import FORMATS, format_for_path
from ember3kg.io.outputs import write_atomic
from ember3kg.publish.dataset import new_graph, union_graph
from ember3kg.vocab.namespaces import GRAPH, PREFIXES, SD, SPDX

#: The named graph holding the description.
VOID_GRAPH = GRAPH["void"]
#: Where the dump files are published; a distribution's download URL is this plus the file name.
DOWNLOAD_BASE = "https://w3id.org/ember3kg/dump/"
#: Prefix of media type IRIs (DCAT recommends the IANA register).
_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
#: DCAT 3 term, not in rdflib's DCAT 2 namespace.
_DCAT_VERSION = URIRef(f"{DCAT}version")
#: Ontology header property -> dataset property it is copied to.
_FROM_ONTOLOGY = {DCTERMS.license: DCTERMS.license, DCTERMS.created: DCTERMS.created}


@lru_cache(maxsize=1)
def _template() -> Graph:
    """Parse the hand-written part of the description once; callers must not change it."""
    return Graph().parse(data=files("ember3kg.publish").joinpath("void.ttl").read_bytes(), format="turtle")


def dataset_iri() -> URIRef:
    """IRI of the dataset described: the single ``void:Dataset`` of the packaged template.

    :raises DataError: the template does not have exactly one.
    """
    found = set(_template().subjects(RDF.type, VOID.Dataset))
    if len(found) != 1:
        raise DataError(f"ember3kg/publish/void.ttl: expected one void:Dataset, found {len(found)}")
    return URIRef(str(found.pop()))


def describe(dataset: Dataset, dumps: Sequence[str | Path] = ()) -> Graph:
    """Describe ``dataset`` and its dump files in VoID and DCAT.

    :param dataset: the dataset; each non-empty named graph becomes a ``void:subset``.
    :param dumps: files holding the dataset, each described as a ``dcat:Distribution``
        (format from the suffix, SHA-256 of the bytes on disk).
    :returns: a new graph named :data:`VOID_GRAPH`.
    :raises OutputError: a dump file cannot be read.

    Example:
        >>> from ember3kg.publish.dataset import load_dataset
        >>> from ember3kg.vocab.namespaces import GRAPH
        >>> from rdflib import VOID
        >>> describe(load_dataset()).value(GRAPH["sources"], VOID.triples).toPython() > 0
        True
    """
    root = dataset_iri()
    description = new_graph(VOID_GRAPH)
    description += _template()
    description.add((VOID_GRAPH, RDF.type, VOID.DatasetDescription))
    description.add((VOID_GRAPH, FOAF.primaryTopic, root))
    union = union_graph(dataset)
    _describe_origin(description, root, union)
    _add_counts(description, root, union)
    for context in sorted(dataset.graphs(), key=lambda context: str(context.identifier)):
        if len(context):
            subset = URIRef(context.identifier)
            description.add((root, VOID.subset, subset))
            description.add((subset, RDF.type, VOID.Dataset))
            description.add((subset, RDF.type, SD.NamedGraph))
            description.add((subset, SD.name, subset))
            _add_counts(description, subset, context)
    _add_partitions(description, root, union)
    for vocabulary in sorted(_vocabularies(union)):
        description.add((root, VOID.vocabulary, URIRef(vocabulary)))
    for path in map(Path, dumps):
        _add_distribution(description, root, path)
    return description


def write_description(path: str | Path, dataset: Dataset, dumps: Sequence[str | Path] = ()) -> Path:
    """Write the description of ``dataset`` and ``dumps`` (see :func:`describe`) as Turtle.

    :param path: the file to write; write the dumps first, their checksums are taken here.
    :returns: ``path``, as a :class:`~pathlib.Path`.
    :raises OutputError: a dump cannot be read or ``path`` cannot be written.

    Example:
        >>> write_description("build/ember3kg.void.ttl", load_dataset(), ["build/ember3kg.nq"])  # doctest: +SKIP
    """
    target = Path(path)
    data = describe(dataset, dumps).serialize(format=FORMATS["ttl"].serializer, encoding="utf-8")
    write_atomic(target, data)
    return target


def _describe_origin(description: Graph, root: URIRef, union: Graph) -> None:
    """Add licence, creation date, publisher (from the ontology header) and version."""
    description.add((root, OWL.versionInfo, Literal(__version__)))
    description.add((root, _DCAT_VERSION, Literal(__version__)))
    for header in sorted(union.subjects(RDF.type, OWL.Ontology), key=str):
        for source, target in _FROM_ONTOLOGY.items():
            for value in union.objects(header, source):
                description.add((root, target, value))
        for name in union.objects(header, DCTERMS.creator):
            publisher = URIRef(f"{root}/publisher")
            description.add((root, DCTERMS.publisher, publisher))
            description.add((publisher, RDF.type, FOAF.Agent))
            description.add((publisher, FOAF.name, name))


def _add_counts(description: Graph, subject: URIRef, graph: Graph) -> None:
    """Add the VoID statistics of ``graph`` to ``subject``."""
    classes = {node for node in graph.objects(None, RDF.type) if isinstance(node, URIRef)}
    counts = {
        VOID.triples: len(graph),
        VOID.distinctSubjects: len(set(graph.subjects())),
        VOID.distinctObjects: len(set(graph.objects())),
        VOID.properties: len(set(graph.predicates())),
        VOID.classes: len(classes),
    }
    for prop, count in counts.items():
        description.add((subject, prop, Literal(count)))


def _add_partitions(description: Graph, root: URIRef, union: Graph) -> None:
    """Add one class partition per class (with its instances) and one property partition per property."""
    instances = Counter(cls for _, cls in set(union.subject_objects(RDF.type)) if isinstance(cls, URIRef))
    for cls, count in sorted(instances.items()):
        partition = URIRef(f"{root}/class/{_key(cls)}")
        description.add((root, VOID.classPartition, partition))
        description.add((partition, VOID["class"], cls))
        description.add((partition, VOID.entities, Literal(count)))
    uses = Counter(predicate for _, predicate, _ in union)
    for prop, count in sorted(uses.items()):
        partition = URIRef(f"{root}/property/{_key(URIRef(str(prop)))}")
        description.add((root, VOID.propertyPartition, partition))
        description.add((partition, VOID.property, prop))
        description.add((partition, VOID.triples, Literal(count)))


def _add_distribution(description: Graph, root: URIRef, path: Path) -> None:
    """Describe one dump file: format, size and SHA-256 checksum."""
    spec = format_for_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise OutputError(f"{path}: cannot read the dump to checksum it: {exc.strerror or exc}") from None
    distribution = URIRef(f"{root}/distribution/{path.name}")
    checksum = URIRef(f"{distribution}/sha256")
    download = URIRef(f"{DOWNLOAD_BASE}{path.name}")
    description.add((root, DCAT.distribution, distribution))
    description.add((root, VOID.dataDump, download))
    description.add((distribution, RDF.type, DCAT.Distribution))
    description.add((distribution, DCTERMS.title, Literal(path.name)))
    description.add((distribution, DCAT.downloadURL, download))
    description.add((distribution, DCAT.mediaType, URIRef(f"{_MEDIA_TYPES}{spec.media_type}")))
    description.add((distribution, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger)))
    description.add((distribution, SPDX.checksum, checksum))
    description.add((checksum, RDF.type, SPDX.Checksum))
    description.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    description.add((checksum, SPDX.checksumValue, Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary)))


def _key(iri: URIRef) -> str:
    """Make a readable, unique path segment for a term: ``prefix-local`` or a hash of the IRI."""
    prefix = _namespace_prefix(str(iri))
    if prefix is not None:
        local = str(iri)[len(PREFIXES[prefix]) :]
        if local.replace("_", "").replace("-", "").isalnum():
            return f"{prefix}-{local}"
    return hashlib.sha256(str(iri).encode()).hexdigest()[:16]


def _namespace_prefix(iri: str) -> str | None:
    """Find the project prefix with the longest namespace that ``iri`` starts with, if any."""
    matches = [(len(namespace), prefix) for prefix, namespace in PREFIXES.items() if iri.startswith(namespace)]
    return max(matches)[1] if matches else None


def _vocabularies(union: Graph) -> Iterable[str]:
    """Namespaces of the properties and classes used: a project prefix, else the IRI up to its last ``#`` or ``/``."""
    terms = {str(term) for term in union.predicates()}
    terms |= {str(term) for term in union.objects(None, RDF.type) if isinstance(term, URIRef)}
    found = set()
    for term in terms:
        prefix = _namespace_prefix(term)
        if prefix is not None:
            found.add(PREFIXES[prefix])
        else:
            cut = max(term.rfind("#"), term.rfind("/"))
            found.add(term[: cut + 1])
    return found
