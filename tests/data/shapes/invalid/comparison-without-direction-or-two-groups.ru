# A comparison with neither experimental and reference arm nor two compared groups (it names one).
# expect: Violation ekgsh:ComparisonDirectionShape kg:test-undirected-comparison
INSERT DATA {
    kg:test-undirected-comparison a ekg:Comparison ;
        rdfs:label "test comparison without direction"@en ;
        ekg:comparisonOf kg:veritac2 ;
        ekg:withinPopulation kg:veritac2-pop-all-randomized ;
        ekg:comparesGroup kg:veritac2-pop-esr1-mutated  ;
        prov:wasDerivedFrom kg:veritac2-nejm-abstract ;
        ekg:statedIn kg:loc-veritac2-nejm-results .
}
