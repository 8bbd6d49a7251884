# A hazard ratio for an arm instead of a comparison.
# expect: Violation ekgsh:ComparativeResultShape kg:ember3-result-pfs-hr-concurrent
DELETE WHERE { kg:ember3-result-pfs-hr-concurrent ekg:forComparison ?old } ;
INSERT DATA {
    kg:ember3-result-pfs-hr-concurrent ekg:forArm kg:ember3-arm-imlunestrant .
}
