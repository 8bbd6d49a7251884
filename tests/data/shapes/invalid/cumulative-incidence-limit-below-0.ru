# A cumulative incidence whose confidence interval reaches below 0 percent.
# expect: Violation ekgsh:CumulativeIncidenceShape kg:ember3-result-cns-cir12-all-imlunestrant
INSERT DATA { kg:ember3-result-cns-cir12-all-imlunestrant ekg:hasConfidenceInterval kg:test-ci .
    kg:test-ci a ekg:ConfidenceInterval ; rdfs:label "test interval"@en ; ekg:confidenceLevel 0.95 ;
        ekg:lowerLimit "-0.5"^^xsd:decimal ; ekg:upperLimit 3.0 . }
