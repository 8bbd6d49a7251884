"""The version has one source, ``ember3kg.__version__``; the ontology's header repeats it and must agree.

``ontology/ember3kg.ttl`` is the file curators and ontology editors open by itself, so it
carries its version in its own header; this test is what tells whoever changes
``__version__`` to change the header too (VoID takes the version from the package: tests/test_void.py).
"""

from __future__ import annotations

from rdflib import OWL, RDF, Literal, URIRef

from ember3kg import __version__
from ember3kg.publish.dataset import load_ontology


def test_the_ontology_header_states_the_package_version() -> None:
    ontology = load_ontology()
    (header,) = ontology.subjects(RDF.type, OWL.Ontology)

    stated = (ontology.value(header, OWL.versionInfo), ontology.value(header, OWL.versionIRI))
    wanted = (Literal(__version__), URIRef(f"{header}/{__version__}"))
    told = f'ontology/ember3kg.ttl: set owl:versionInfo "{__version__}" and owl:versionIRI <{wanted[1]}>'
    assert stated == wanted, told
