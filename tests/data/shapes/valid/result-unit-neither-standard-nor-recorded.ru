# Passing neighbour of invalid/result-unit-neither-standard-nor-recorded.ru: the unit is one in a record's words.
DELETE WHERE { kg:acelera-result-cbr-giredestrant-esmo ekg:unit ?old } ;
INSERT DATA {
    kg:acelera-result-cbr-giredestrant-esmo ekg:unit kg:test-recorded-unit .
    kg:test-recorded-unit a ekg:RecordedUnit ; rdfs:label "participants with clinical benefit"@en .
}
