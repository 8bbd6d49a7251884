# Passing neighbour of invalid/provenance-no-location.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:gene-cdk6 ekg:statedIn ?old } ;
INSERT DATA { kg:gene-cdk6 ekg:statedIn kg:loc-pubmed-results }
