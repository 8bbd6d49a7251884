"""Triple stores: the SPARQL HTTP client, push, and the local Oxigraph server with its request time limit."""
