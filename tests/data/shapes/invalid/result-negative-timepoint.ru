# A cumulative incidence read at minus 12 months.
# expect: Violation ekgsh:StatisticalResultShape kg:ember3-result-cns-cir12-all-imlunestrant
DELETE WHERE { kg:ember3-result-cns-cir12-all-imlunestrant ekg:timepointValue ?old } ;
INSERT DATA { kg:ember3-result-cns-cir12-all-imlunestrant ekg:timepointValue "-12"^^xsd:decimal }
