# Passing neighbour of invalid/population-negative-size.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-pop-concurrently-randomized ekg:populationSize ?old } ;
INSERT DATA { kg:ember3-pop-concurrently-randomized ekg:populationSize 500 }
