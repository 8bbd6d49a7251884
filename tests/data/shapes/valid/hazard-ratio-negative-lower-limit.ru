# Passing neighbour of invalid/hazard-ratio-negative-lower-limit.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-cns-cshr-esr1m-ci ekg:lowerLimit ?old } ;
INSERT DATA { kg:ember3-result-cns-cshr-esr1m-ci ekg:lowerLimit 0.001 }
