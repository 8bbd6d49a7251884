# A comparison whose two arms are the same arm.
# expect: Violation ekgsh:ComparisonShape kg:ember3-cmp-imlunestrant-vs-standard-esr1m
# expect: Violation ekgsh:ComparedPopulationRestrictedToComparedArmsShape kg:ember3-cmp-imlunestrant-vs-standard-esr1m
DELETE WHERE { kg:ember3-cmp-imlunestrant-vs-standard-esr1m ekg:referenceArm ?old } ;
INSERT DATA { kg:ember3-cmp-imlunestrant-vs-standard-esr1m ekg:referenceArm kg:ember3-arm-imlunestrant }
