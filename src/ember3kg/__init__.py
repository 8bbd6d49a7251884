"""ember3kg: a knowledge graph of the EMBER-3 trial of imlunestrant, as RDF.

The package ships the ontology and the data as packaged Turtle files and offers a
library (one module per pipeline stage) with a thin command line, ``ember3kg``:

- :mod:`ember3kg.vocab.namespaces`: IRIs and prefixes;
- :mod:`ember3kg.publish.dataset`: loads the parts into one dataset, and parses RDF files;
- :mod:`ember3kg.io.inputs`: the input of every command (packaged dataset, files, standard input, endpoint), read once;
- :mod:`ember3kg.publish.export`: writes the dataset in every RDF format;
- :mod:`ember3kg.publish.stats`: counts what the dataset holds;
- :mod:`ember3kg.query`: answers the competency questions in SPARQL, embedded or on an endpoint;
- :mod:`ember3kg.checks.validate`: checks the data against the SHACL shapes of ``shapes/``;
- :mod:`ember3kg.cli`: the command line.
"""

# The one place of the version: pyproject.toml reads it from here (importlib.metadata
# would cost every command a tenth of a second of start-up), VoID states it; the header of
# ontology/ember3kg.ttl repeats it (owl:versionInfo, owl:versionIRI), kept equal by tests/test_version.py.
__version__ = "0.1.0"
