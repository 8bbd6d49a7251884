# Passing neighbour of invalid/monotherapy-with-two-drugs.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:regimen-imlunestrant-monotherapy ekg:hasComponent ?old } ;
INSERT DATA { kg:regimen-imlunestrant-monotherapy ekg:hasComponent kg:drug-abemaciclib }
