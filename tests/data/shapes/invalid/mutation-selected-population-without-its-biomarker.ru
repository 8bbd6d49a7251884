# SERENA-6 randomized only patients with an ESR1 mutation, but its randomized population no longer carries the biomarker.
# expect: Violation ekgsh:MutationSelectedPopulationShape kg:serena6-criterion-esr1-mutation-without-progression
DELETE DATA { kg:serena6-pop-randomized ekg:definedByBiomarker kg:biomarker-esr1-mutation }
