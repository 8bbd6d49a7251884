# p = 0.3 while the 95% CI of a difference excludes 0.
# expect: Warning ekgsh:PValueAgreesWithConfidenceIntervalShape kg:ember3-result-pfs-rmst-difference-esr1m
DELETE WHERE { kg:ember3-result-pfs-rmst-difference-esr1m-p ekg:comparator ?old } ;
INSERT DATA { kg:ember3-result-pfs-rmst-difference-esr1m-p ekg:comparator "=" } ;
DELETE WHERE { kg:ember3-result-pfs-rmst-difference-esr1m-p ekg:value ?old } ;
INSERT DATA { kg:ember3-result-pfs-rmst-difference-esr1m-p ekg:value 0.3 }
