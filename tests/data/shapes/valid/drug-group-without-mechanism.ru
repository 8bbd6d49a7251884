# Passing neighbour of invalid/drug-group-without-mechanism.ru: the same data, edited so that no rule fires.
INSERT DATA { kg:test-group a ekg:DrugGroup ; rdfs:label "test group"@en ; ekg:groupMechanism kg:mechanism-er-degradation ;
    prov:wasDerivedFrom kg:lilly-faq-iml003 ; ekg:statedIn kg:loc-lilly-figure-2 . }
