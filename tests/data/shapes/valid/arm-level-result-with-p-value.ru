# Passing neighbour of invalid/arm-level-result-with-p-value.ru: the same data, edited so that no rule fires.
INSERT DATA {
    kg:ember3-result-cns-cshr-all ekg:hasPValue kg:p-test .
    kg:p-test a ekg:PValue ; rdfs:label "test p-value"@en ; ekg:value 0.2 ; ekg:comparator "=" .
}
