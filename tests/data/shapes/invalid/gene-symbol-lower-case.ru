# A gene symbol in lower case.
# expect: Violation ekgsh:GeneShape kg:gene-esr1
DELETE WHERE { kg:gene-esr1 ekg:geneSymbol ?old } ;
INSERT DATA { kg:gene-esr1 ekg:geneSymbol "esr1" }
