# Passing neighbour of invalid/subgroup-larger-than-parent.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-pop-esr1-mutated ekg:populationSize ?old } ;
INSERT DATA { kg:ember3-pop-esr1-mutated ekg:populationSize 874 }
