# Passing neighbour of invalid/cumulative-incidence-over-100.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-cns-cir12-esr1m-standard ekg:value ?old } ;
INSERT DATA { kg:ember3-result-cns-cir12-esr1m-standard ekg:value 100.0 }
