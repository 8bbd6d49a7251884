# Passing neighbour of invalid/population-descriptor-for-a-comparison.ru: the same data, edited so that no rule fires.
INSERT DATA {
    kg:test-descriptor a ekg:PopulationDescriptor ; rdfs:label "test share"@en ;
        ekg:characteristic "share of patients still on treatment"@en ;
        ekg:value 10.1 ; ekg:unit unit:PERCENT ;
        ekg:inPopulation kg:ember3-pop-all-randomized ;
        prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-results .
}
