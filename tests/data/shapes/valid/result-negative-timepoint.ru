# Passing neighbour of invalid/result-negative-timepoint.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-cns-cir12-all-imlunestrant ekg:timepointValue ?old } ;
INSERT DATA { kg:ember3-result-cns-cir12-all-imlunestrant ekg:timepointValue "24"^^xsd:decimal }
