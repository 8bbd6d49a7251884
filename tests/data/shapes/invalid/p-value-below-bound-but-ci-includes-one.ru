# p < 0.001 while the 95% CI of the hazard ratio includes 1.
# expect: Warning ekgsh:PValueAgreesWithConfidenceIntervalShape kg:ember3-result-pfs-hr-all
DELETE WHERE { kg:ember3-result-pfs-hr-all-p ekg:comparator ?old } ;
INSERT DATA { kg:ember3-result-pfs-hr-all-p ekg:comparator "<" } ;
DELETE WHERE { kg:ember3-result-pfs-hr-all-p ekg:value ?old } ;
INSERT DATA { kg:ember3-result-pfs-hr-all-p ekg:value 0.001 }
