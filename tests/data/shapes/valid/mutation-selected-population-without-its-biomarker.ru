# Passing neighbour of invalid/mutation-selected-population-without-its-biomarker.ru: the same data, edited so that no rule fires.
DELETE DATA { kg:serena6-pop-randomized ekg:definedByBiomarker kg:biomarker-esr1-mutation } ;
DELETE DATA { kg:serena6-criterion-esr1-mutation-without-progression ekg:requiresBiomarker kg:biomarker-esr1-mutation }
