# Passing neighbour of invalid/label-missing.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:gene-cdk4 rdfs:label ?old } ;
INSERT DATA { kg:gene-cdk4 rdfs:label "CDK4 gene"@en }
