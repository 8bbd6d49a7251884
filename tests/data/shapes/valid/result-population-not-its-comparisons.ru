# Passing neighbour of invalid/result-population-not-its-comparisons.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-cns-cshr-all ekg:inPopulation ?old } ;
INSERT DATA { kg:ember3-result-cns-cshr-all ekg:inPopulation kg:ember3-pop-esr1-mutated } ;
DELETE WHERE { kg:ember3-result-cns-cshr-all ekg:forComparison ?old } ;
INSERT DATA { kg:ember3-result-cns-cshr-all ekg:forComparison kg:ember3-cmp-imlunestrant-vs-standard-esr1m }
