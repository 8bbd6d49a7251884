# A confidence interval whose missing lower limit gives a reason outside the controlled list.
# expect: Violation ekgsh:ConfidenceIntervalShape kg:test-ci
INSERT DATA { kg:ember3-result-cns-cir12-all-imlunestrant ekg:hasConfidenceInterval kg:test-ci .
    kg:test-ci a ekg:ConfidenceInterval ; rdfs:label "test interval"@en ; ekg:confidenceLevel 0.95 ;
        ekg:lowerLimitState ekg:PValue ; ekg:upperLimit 3.0 . }
