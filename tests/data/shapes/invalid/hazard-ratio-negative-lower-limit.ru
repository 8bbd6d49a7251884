# A hazard ratio whose interval starts below zero.
# expect: Violation ekgsh:HazardRatioShape kg:ember3-result-cns-cshr-esr1m
DELETE WHERE { kg:ember3-result-cns-cshr-esr1m-ci ekg:lowerLimit ?old } ;
INSERT DATA { kg:ember3-result-cns-cshr-esr1m-ci ekg:lowerLimit "-0.10"^^xsd:decimal }
