# A confidence level of 95 instead of 0.95.
# expect: Violation ekgsh:ConfidenceIntervalShape kg:ember3-result-pfs-hr-all-ci
DELETE WHERE { kg:ember3-result-pfs-hr-all-ci ekg:confidenceLevel ?old } ;
INSERT DATA { kg:ember3-result-pfs-hr-all-ci ekg:confidenceLevel 95.0 }
