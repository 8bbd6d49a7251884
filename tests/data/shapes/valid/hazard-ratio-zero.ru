# Passing neighbour of invalid/hazard-ratio-zero.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-pfs-hr-concurrent ekg:value ?old } ;
INSERT DATA { kg:ember3-result-pfs-hr-concurrent ekg:value 0.44 }
