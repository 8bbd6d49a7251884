# A dose measured in months.
# expect: Violation ekgsh:DosingShape kg:test-dosing
INSERT DATA { kg:test-dosing a ekg:Dosing ; rdfs:label "test dosing"@en ; ekg:dosingOf kg:drug-imlunestrant ;
    ekg:doseAmount 400.0 ; ekg:doseUnit unit:MO ; ekg:dosingRoute ekg:OralRoute ;
    prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-methods .
    kg:ember3-arm-imlunestrant ekg:hasDosing kg:test-dosing . }
