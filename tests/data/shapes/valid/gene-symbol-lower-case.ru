# Passing neighbour of invalid/gene-symbol-lower-case.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:gene-esr1 ekg:geneSymbol ?old } ;
INSERT DATA { kg:gene-esr1 ekg:geneSymbol "ESR1-AS1" }
