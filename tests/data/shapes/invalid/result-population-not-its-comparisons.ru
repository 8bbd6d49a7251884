# A hazard ratio in a population other than its comparison's.
# expect: Violation ekgsh:ResultPopulationOfComparisonShape kg:ember3-result-cns-cshr-all
DELETE WHERE { kg:ember3-result-cns-cshr-all ekg:inPopulation ?old } ;
INSERT DATA { kg:ember3-result-cns-cshr-all ekg:inPopulation kg:ember3-pop-esr1-mutated }
