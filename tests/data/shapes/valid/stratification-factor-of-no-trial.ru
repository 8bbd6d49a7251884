# Passing neighbour of invalid/stratification-factor-of-no-trial.ru: the same data, edited so that no rule fires.
INSERT DATA { kg:test-factor a ekg:StratificationFactor ; rdfs:label "test factor"@en ;
    prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-methods .
    kg:ember3 ekg:stratifiedBy kg:test-factor . }
