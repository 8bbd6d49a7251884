# Passing neighbour of invalid/regimen-without-drugs-or-note.ru: the same data, edited so that no rule fires.
INSERT DATA { kg:test-regimen a ekg:Regimen ; rdfs:label "test regimen"@en ;
    skos:note "The source does not name the drugs."@en ;
    prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-results . }
