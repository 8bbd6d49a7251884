# A confidence interval whose limits are swapped.
# expect: Violation ekgsh:ConfidenceIntervalShape kg:ember3-result-pfs-rmst-difference-esr1m-ci
# expect: Violation ekgsh:LowerLimitNotAboveEstimateShape kg:ember3-result-pfs-rmst-difference-esr1m
# expect: Violation ekgsh:UpperLimitNotBelowEstimateShape kg:ember3-result-pfs-rmst-difference-esr1m-ci
DELETE WHERE { kg:ember3-result-pfs-rmst-difference-esr1m-ci ekg:lowerLimit ?old } ;
INSERT DATA { kg:ember3-result-pfs-rmst-difference-esr1m-ci ekg:lowerLimit 3.9 } ;
DELETE WHERE { kg:ember3-result-pfs-rmst-difference-esr1m-ci ekg:upperLimit ?old } ;
INSERT DATA { kg:ember3-result-pfs-rmst-difference-esr1m-ci ekg:upperLimit 1.2 }
