# Passing neighbour of invalid/trial-allocation-ratio-malformed.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3 ekg:allocationRatio ?old } ;
INSERT DATA { kg:ember3 ekg:allocationRatio "2:2:1" }
