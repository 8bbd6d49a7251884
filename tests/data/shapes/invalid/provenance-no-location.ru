# A gene that names no place where it is stated.
# expect: Violation ekgsh:ProvenanceShape kg:gene-cdk6
DELETE WHERE { kg:gene-cdk6 ekg:statedIn ?old }
