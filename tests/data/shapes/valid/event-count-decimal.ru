# Passing neighbour of invalid/event-count-decimal.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-cns-events-all-total ekg:value ?old } ;
INSERT DATA { kg:ember3-result-cns-events-all-total ekg:value 16 }
