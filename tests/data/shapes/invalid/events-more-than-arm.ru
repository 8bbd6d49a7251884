# 400 events in an arm of 331 patients.
# expect: Violation ekgsh:EventsNotMoreThanAtRiskShape kg:ember3-result-cns-events-all-existing-lesion-imlunestrant
DELETE WHERE { kg:ember3-result-cns-events-all-existing-lesion-imlunestrant ekg:value ?old } ;
INSERT DATA { kg:ember3-result-cns-events-all-existing-lesion-imlunestrant ekg:value 400 }
