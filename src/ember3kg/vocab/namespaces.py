"""IRIs and prefixes of the ember3kg knowledge graph, in one place.

Every module takes its namespaces from here, and every graph the package writes
binds :data:`PREFIXES` (see :func:`bind_prefixes`), so that output files use the
same prefixes whatever produced them.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

from rdflib import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD, Namespace

if TYPE_CHECKING:
    from rdflib import Graph

#: The ember3kg ontology: classes and properties.
EKG = Namespace("https://w3id.org/ember3kg/ontology#")
#: Entities of the knowledge graph (trials, arms, results, sources, ...).
KG = Namespace("https://w3id.org/ember3kg/id/")
#: Named graphs of the dataset: ``GRAPH[part]`` names the graph of one part.
GRAPH = Namespace("https://w3id.org/ember3kg/graph/")
#: SHACL shapes of the packaged ``shapes/`` folder (not bound on data graphs).
SHAPES = Namespace("https://w3id.org/ember3kg/shapes#")

BIBO = Namespace("http://purl.org/ontology/bibo/")
OBO = Namespace("http://purl.obolibrary.org/obo/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
#: SPARQL 1.1 Service Description (named graphs in the VoID description).
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
#: SPDX terms (checksums of the dump files in the VoID description).
SPDX = Namespace("http://spdx.org/rdf/terms#")

#: Prefix -> namespace IRI, bound on every graph the package writes.
PREFIXES: MappingProxyType[str, str] = MappingProxyType(
    {
        "ekg": str(EKG),
        "kg": str(KG),
        "bibo": str(BIBO),
        "dcat": str(DCAT),
        "dcterms": str(DCTERMS),
        "foaf": str(FOAF),
        "obo": str(OBO),
        "owl": str(OWL),
        "prov": str(PROV),
        "rdf": str(RDF),
        "rdfs": str(RDFS),
        "sd": str(SD),
        "sh": str(SH),
        "skos": str(SKOS),
        "spdx": str(SPDX),
        "unit": str(UNIT),
        "void": str(VOID),
        "xsd": str(XSD),
    }
)

#: Standard vocabularies whose terms the data may use without the ember3kg
#: ontology declaring them. Terms of any other namespace (``obo:`` included) must
#: be declared in ``ontology/``.
STANDARD_VOCABULARIES: tuple[str, ...] = tuple(
    str(namespace) for namespace in (RDF, RDFS, OWL, XSD, PROV, DCTERMS, SKOS, BIBO, UNIT)
)


def bind_prefixes(graph: Graph) -> Graph:
    """Bind :data:`PREFIXES` on ``graph``, replacing any other use of the prefixes.

    :param graph: a graph or dataset; changed in place.
    :returns: the same graph, for chaining.
    """
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


def is_standard_term(iri: str) -> bool:
    """Tell whether ``iri`` belongs to one of :data:`STANDARD_VOCABULARIES`."""
    return str(iri).startswith(STANDARD_VOCABULARIES)  # str(): rdflib.URIRef.startswith takes no tuple
