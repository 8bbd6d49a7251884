"""The vocabulary: namespaces, the prefix map and CURIE checks, IRIs, RDF term conversion, printed decimals."""
