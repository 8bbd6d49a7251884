# Passing neighbour of invalid/result-for-arm-and-comparison.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-pfs-median-esr1m-imlunestrant ekg:forArm ?old } ;
INSERT DATA { kg:ember3-result-pfs-median-esr1m-imlunestrant ekg:forArm kg:ember3-arm-standard-therapy }
