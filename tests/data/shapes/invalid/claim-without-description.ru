# A claim that does not say what it claims.
# expect: Violation ekgsh:ClaimShape kg:test-claim
INSERT DATA {
    kg:test-claim a ekg:Claim ; rdfs:label "test claim"@en ; ekg:claimAbout kg:drug-imlunestrant ;
        prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-conclusions .
}
