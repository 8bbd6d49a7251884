# Passing neighbour of invalid/p-value-significant-but-ci-includes-one.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-pfs-hr-all-p ekg:value ?old } ;
INSERT DATA { kg:ember3-result-pfs-hr-all-p ekg:value 0.05 }
