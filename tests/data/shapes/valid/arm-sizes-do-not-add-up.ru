# Passing neighbour of invalid/arm-sizes-do-not-add-up.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-arm-imlunestrant ekg:armSize ?old } ;
INSERT DATA { kg:ember3-arm-imlunestrant ekg:armSize 330 } ;
DELETE WHERE { kg:ember3-arm-standard-therapy ekg:armSize ?old } ;
INSERT DATA { kg:ember3-arm-standard-therapy ekg:armSize 331 }
