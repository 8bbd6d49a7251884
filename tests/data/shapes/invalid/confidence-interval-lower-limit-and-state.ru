# A confidence interval that gives both its lower limit and a reason it has none.
# expect: Violation ekgsh:ConfidenceIntervalShape kg:test-ci
INSERT DATA { kg:ember3-result-cns-cir12-all-imlunestrant ekg:hasConfidenceInterval kg:test-ci .
    kg:test-ci a ekg:ConfidenceInterval ; rdfs:label "test interval"@en ; ekg:confidenceLevel 0.95 ;
        ekg:lowerLimit 0.5 ; ekg:upperLimit 3.0 ; ekg:lowerLimitState ekg:NotEstimable . }
