"""Reading and writing RDF: the input layer and its checks, read errors, formats, serialisers, atomic outputs."""
