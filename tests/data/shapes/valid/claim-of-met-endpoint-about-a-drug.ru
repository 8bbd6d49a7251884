# Passing neighbour of invalid/claim-of-met-endpoint-about-a-drug.ru: the same data, edited so that no rule fires.
INSERT DATA {
    kg:test-claim a ekg:Claim ; rdfs:label "test claim"@en ; dcterms:description "The trial met its primary endpoint."@en ;
        ekg:claimAbout kg:ember3-cmp-combination-vs-imlunestrant-concurrent ; ekg:primaryEndpointMet true ;
        prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-conclusions .
}
