# Passing neighbour of invalid/confidence-limit-state-not-controlled.ru: the same data, edited so that no rule fires.
INSERT DATA { kg:ember3-result-cns-cir12-all-imlunestrant ekg:hasConfidenceInterval kg:test-ci .
    kg:test-ci a ekg:ConfidenceInterval ; rdfs:label "test interval"@en ; ekg:confidenceLevel 0.95 ;
        ekg:lowerLimitState ekg:NotEstimable ; ekg:upperLimit 3.0 . }
