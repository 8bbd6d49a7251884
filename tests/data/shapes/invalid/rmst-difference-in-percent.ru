# A difference in restricted mean survival time in percent.
# expect: Violation ekgsh:RestrictedMeanSurvivalTimeDifferenceShape kg:ember3-result-pfs-rmst-difference-esr1m
DELETE WHERE { kg:ember3-result-pfs-rmst-difference-esr1m ekg:unit ?old } ;
INSERT DATA { kg:ember3-result-pfs-rmst-difference-esr1m ekg:unit unit:PERCENT }
