# A claim that a primary endpoint was met, about a drug instead of a primary comparison.
# expect: Violation ekgsh:EndpointClaimAboutPrimaryComparisonShape kg:test-claim
INSERT DATA {
    kg:test-claim a ekg:Claim ; rdfs:label "test claim"@en ; dcterms:description "The trial met its primary endpoint."@en ;
        ekg:claimAbout kg:drug-imlunestrant ; ekg:primaryEndpointMet true ;
        prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-conclusions .
}
