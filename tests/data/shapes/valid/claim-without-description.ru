# Passing neighbour of invalid/claim-without-description.ru: the same data, edited so that no rule fires.
INSERT DATA {
    kg:test-claim a ekg:Claim ; rdfs:label "test claim"@en ; dcterms:description "The drug works."@en ; ekg:claimAbout kg:drug-imlunestrant ;
        prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-conclusions .
}
