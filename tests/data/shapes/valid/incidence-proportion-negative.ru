# Passing neighbour of invalid/incidence-proportion-negative.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-ae-grade3-combination ekg:value ?old } ;
INSERT DATA { kg:ember3-result-ae-grade3-combination ekg:value 0.0 }
