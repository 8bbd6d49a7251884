# Passing neighbour of invalid/comparison-of-an-arm-with-itself.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-cmp-imlunestrant-vs-standard-esr1m ekg:referenceArm ?old } ;
INSERT DATA { kg:ember3-cmp-imlunestrant-vs-standard-esr1m ekg:referenceArm kg:ember3-arm-imlunestrant } ;
DELETE WHERE { kg:ember3-cmp-imlunestrant-vs-standard-esr1m ekg:experimentalArm ?old } ;
INSERT DATA { kg:ember3-cmp-imlunestrant-vs-standard-esr1m ekg:experimentalArm kg:ember3-arm-standard-therapy }
