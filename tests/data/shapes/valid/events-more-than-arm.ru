# Passing neighbour of invalid/events-more-than-arm.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-cns-events-all-existing-lesion-imlunestrant ekg:value ?old } ;
INSERT DATA { kg:ember3-result-cns-events-all-existing-lesion-imlunestrant ekg:value 331 }
