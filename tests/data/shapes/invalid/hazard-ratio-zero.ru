# A hazard ratio of zero (also below its lower limit).
# expect: Violation ekgsh:HazardRatioShape kg:ember3-result-pfs-hr-concurrent
# expect: Violation ekgsh:LowerLimitNotAboveEstimateShape kg:ember3-result-pfs-hr-concurrent
DELETE WHERE { kg:ember3-result-pfs-hr-concurrent ekg:value ?old } ;
INSERT DATA { kg:ember3-result-pfs-hr-concurrent ekg:value 0.0 }
