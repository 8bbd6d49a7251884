# A gene without rdfs:label.
# expect: Violation ekgsh:LabelShape kg:gene-cdk4
DELETE WHERE { kg:gene-cdk4 rdfs:label ?old }
