# A comparison without direction that names an arm, not a population, as a compared group.
# expect: Violation ekgsh:ComparisonDirectionShape kg:test-undirected-comparison
INSERT DATA {
    kg:test-undirected-comparison a ekg:Comparison ;
        rdfs:label "test comparison without direction"@en ;
        ekg:comparisonOf kg:veritac2 ;
        ekg:withinPopulation kg:veritac2-pop-all-randomized ;
        ekg:comparesGroup kg:veritac2-pop-esr1-mutated , kg:veritac2-arm-vepdegestrant ;
        prov:wasDerivedFrom kg:veritac2-nejm-abstract ;
        ekg:statedIn kg:loc-veritac2-nejm-results .
}
