"""Reading and writing RDF: the input layer and its checks, formats, deterministic serialisers, atomic outputs."""
