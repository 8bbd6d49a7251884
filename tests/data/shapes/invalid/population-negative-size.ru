# A population of minus five patients.
# expect: Violation ekgsh:AnalysisPopulationShape kg:ember3-pop-concurrently-randomized
# expect: Violation ekgsh:SubgroupNotLargerThanParentShape kg:ember3-pop-concurrently-randomized-imlunestrant
DELETE WHERE { kg:ember3-pop-concurrently-randomized ekg:populationSize ?old } ;
INSERT DATA { kg:ember3-pop-concurrently-randomized ekg:populationSize -5 }
