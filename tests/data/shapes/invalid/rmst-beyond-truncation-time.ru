# A restricted mean longer than its truncation time.
# expect: Violation ekgsh:RestrictedMeanSurvivalTimeShape kg:ember3-result-pfs-rmst-esr1m-imlunestrant
DELETE WHERE { kg:ember3-result-pfs-rmst-esr1m-imlunestrant ekg:timepointValue ?old } ;
INSERT DATA { kg:ember3-result-pfs-rmst-esr1m-imlunestrant ekg:timepointValue 7.0 }
