# 300 events in a population of 256 patients.
# expect: Violation ekgsh:EventsNotMoreThanAtRiskShape kg:ember3-result-cns-events-all-new-lesion-imlunestrant
DELETE WHERE { kg:ember3-result-cns-events-all-new-lesion-imlunestrant ekg:inPopulation ?old } ;
INSERT DATA { kg:ember3-result-cns-events-all-new-lesion-imlunestrant ekg:inPopulation kg:ember3-pop-esr1-mutated } ;
DELETE WHERE { kg:ember3-result-cns-events-all-new-lesion-imlunestrant ekg:value ?old } ;
INSERT DATA { kg:ember3-result-cns-events-all-new-lesion-imlunestrant ekg:value 300 }
