"""Checks of the graph: SHACL validation (pySHACL, Jena) and quality control."""
