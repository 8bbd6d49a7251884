# A response rate in milligrams: a unit that is neither one of the result units nor a registry record's own (ekg:RecordedUnit).
# expect: Violation ekgsh:StatisticalResultShape kg:acelera-result-cbr-giredestrant-esmo
DELETE WHERE { kg:acelera-result-cbr-giredestrant-esmo ekg:unit ?old } ;
INSERT DATA {
    kg:acelera-result-cbr-giredestrant-esmo ekg:unit unit:MilliGM .
    
}
