# A hazard ratio of 1.05 with a 95% CI up to 1.04.
# expect: Violation ekgsh:UpperLimitNotBelowEstimateShape kg:ember3-result-pfs-hr-all-ci
DELETE WHERE { kg:ember3-result-pfs-hr-all ekg:value ?old } ;
INSERT DATA { kg:ember3-result-pfs-hr-all ekg:value 1.05 }
