# A stratification factor that no trial uses.
# expect: Violation ekgsh:StratificationFactorShape kg:test-factor
INSERT DATA { kg:test-factor a ekg:StratificationFactor ; rdfs:label "test factor"@en ;
    prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-methods . }
