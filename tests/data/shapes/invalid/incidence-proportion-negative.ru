# An incidence proportion below zero.
# expect: Violation ekgsh:IncidenceProportionShape kg:ember3-result-ae-grade3-combination
DELETE WHERE { kg:ember3-result-ae-grade3-combination ekg:value ?old } ;
INSERT DATA { kg:ember3-result-ae-grade3-combination ekg:value "-0.1"^^xsd:decimal }
