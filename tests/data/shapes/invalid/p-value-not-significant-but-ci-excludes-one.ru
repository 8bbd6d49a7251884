# p = 0.2 while the 95% CI of the hazard ratio excludes 1.
# expect: Warning ekgsh:PValueAgreesWithConfidenceIntervalShape kg:ember3-result-pfs-hr-concurrent
DELETE WHERE { kg:ember3-result-pfs-hr-concurrent-p ekg:comparator ?old } ;
INSERT DATA { kg:ember3-result-pfs-hr-concurrent-p ekg:comparator "=" } ;
DELETE WHERE { kg:ember3-result-pfs-hr-concurrent-p ekg:value ?old } ;
INSERT DATA { kg:ember3-result-pfs-hr-concurrent-p ekg:value 0.2 }
