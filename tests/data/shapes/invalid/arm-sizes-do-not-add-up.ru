# Arms of 330, 330 and 213 patients in a trial of 874.
# expect: Violation ekgsh:ArmSizesAddUpShape kg:ember3
DELETE WHERE { kg:ember3-arm-imlunestrant ekg:armSize ?old } ;
INSERT DATA { kg:ember3-arm-imlunestrant ekg:armSize 330 }
