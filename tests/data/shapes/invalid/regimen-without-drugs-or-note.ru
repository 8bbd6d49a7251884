# A regimen that names no drug and does not say why.
# expect: Violation ekgsh:RegimenShape kg:test-regimen
INSERT DATA { kg:test-regimen a ekg:Regimen ; rdfs:label "test regimen"@en ;
    prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-results . }
