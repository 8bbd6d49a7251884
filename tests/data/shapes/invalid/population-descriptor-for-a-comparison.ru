# A share of patients attached to a comparison instead of a population or arm.
# expect: Violation ekgsh:PopulationDescriptorShape kg:test-descriptor
INSERT DATA {
    kg:test-descriptor a ekg:PopulationDescriptor ; rdfs:label "test share"@en ;
        ekg:characteristic "share of patients still on treatment"@en ;
        ekg:value 10.1 ; ekg:unit unit:PERCENT ;
        ekg:inPopulation kg:ember3-pop-all-randomized ;
        ekg:forComparison kg:ember3-cmp-imlunestrant-vs-standard-all ;
        prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-results .
}
