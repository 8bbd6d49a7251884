# Passing neighbour of invalid/comparison-of-an-arm-as-group.ru: both compared groups are populations.
INSERT DATA {
    kg:test-undirected-comparison a ekg:Comparison ;
        rdfs:label "test comparison without direction"@en ;
        ekg:comparisonOf kg:veritac2 ;
        ekg:withinPopulation kg:veritac2-pop-all-randomized ;
        ekg:comparesGroup kg:veritac2-pop-esr1-mutated , kg:veritac2-pop-safety ;
        prov:wasDerivedFrom kg:veritac2-nejm-abstract ;
        ekg:statedIn kg:loc-veritac2-nejm-results .
}
