# Passing neighbour of invalid/arm-with-two-regimens.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-arm-imlunestrant-abemaciclib ekg:receivesRegimen ?old } ;
INSERT DATA { kg:ember3-arm-imlunestrant-abemaciclib ekg:receivesRegimen kg:regimen-imlunestrant-monotherapy }
