# Passing neighbour of invalid/events-more-than-population.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-cns-events-all-new-lesion-imlunestrant ekg:inPopulation ?old } ;
INSERT DATA { kg:ember3-result-cns-events-all-new-lesion-imlunestrant ekg:inPopulation kg:ember3-pop-esr1-mutated } ;
DELETE WHERE { kg:ember3-result-cns-events-all-new-lesion-imlunestrant ekg:value ?old } ;
INSERT DATA { kg:ember3-result-cns-events-all-new-lesion-imlunestrant ekg:value 256 }
