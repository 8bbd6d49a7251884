# Passing neighbour of invalid/p-value-not-significant-but-ci-excludes-one.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-pfs-hr-concurrent-p ekg:comparator ?old } ;
INSERT DATA { kg:ember3-result-pfs-hr-concurrent-p ekg:comparator "<" } ;
DELETE WHERE { kg:ember3-result-pfs-hr-concurrent-p ekg:value ?old } ;
INSERT DATA { kg:ember3-result-pfs-hr-concurrent-p ekg:value 0.05 }
