# A subgroup of 900 patients in a trial of 874.
# expect: Violation ekgsh:SubgroupNotLargerThanParentShape kg:ember3-pop-esr1-mutated
DELETE WHERE { kg:ember3-pop-esr1-mutated ekg:populationSize ?old } ;
INSERT DATA { kg:ember3-pop-esr1-mutated ekg:populationSize 900 }
