# A hazard ratio of 0.70 with a 95% CI from 0.72.
# expect: Violation ekgsh:LowerLimitNotAboveEstimateShape kg:ember3-result-pfs-hr-all
DELETE WHERE { kg:ember3-result-pfs-hr-all ekg:value ?old } ;
INSERT DATA { kg:ember3-result-pfs-hr-all ekg:value 0.70 }
