# The concurrently randomized population of EMBER-3 no longer says which two of the three arms it counts.
# expect: Violation ekgsh:ComparedPopulationRestrictedToComparedArmsShape kg:ember3-cmp-combination-vs-imlunestrant-concurrent
DELETE WHERE { kg:ember3-pop-concurrently-randomized ekg:restrictedToArm ?arm }
