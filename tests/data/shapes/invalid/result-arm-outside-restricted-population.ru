# A median for an arm its population is not drawn from.
# expect: Violation ekgsh:ArmInRestrictedPopulationShape kg:ember3-result-pfs-median-concurrent-imlunestrant
DELETE WHERE { kg:ember3-result-pfs-median-concurrent-imlunestrant ekg:forArm ?old } ;
INSERT DATA { kg:ember3-result-pfs-median-concurrent-imlunestrant ekg:forArm kg:ember3-arm-standard-therapy }
