# A group of drugs that does not say what its members share.
# expect: Violation ekgsh:DrugGroupShape kg:test-group
INSERT DATA { kg:test-group a ekg:DrugGroup ; rdfs:label "test group"@en ;
    prov:wasDerivedFrom kg:lilly-faq-iml003 ; ekg:statedIn kg:loc-lilly-figure-2 . }
