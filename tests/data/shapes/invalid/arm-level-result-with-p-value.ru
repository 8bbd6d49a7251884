# A median with a p-value.
# expect: Violation ekgsh:ArmLevelResultShape kg:ember3-result-pfs-median-all-standard
INSERT DATA {
    kg:ember3-result-pfs-median-all-standard ekg:hasPValue kg:p-test .
    kg:p-test a ekg:PValue ; rdfs:label "test p-value"@en ; ekg:value 0.2 ; ekg:comparator "=" .
}
