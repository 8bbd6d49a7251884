# Passing neighbour of invalid/event-count-negative.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-cns-events-all-new-lesion-standard ekg:value ?old } ;
INSERT DATA { kg:ember3-result-cns-events-all-new-lesion-standard ekg:value 0 }
