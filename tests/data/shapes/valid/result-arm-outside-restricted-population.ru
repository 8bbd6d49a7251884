# Passing neighbour of invalid/result-arm-outside-restricted-population.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-pfs-median-concurrent-imlunestrant ekg:forArm ?old } ;
INSERT DATA { kg:ember3-result-pfs-median-concurrent-imlunestrant ekg:forArm kg:ember3-arm-imlunestrant-abemaciclib }
