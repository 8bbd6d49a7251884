# Passing neighbour of invalid/p-value-comparator-not-controlled.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-pfs-hr-concurrent-p ekg:comparator ?old } ;
INSERT DATA { kg:ember3-result-pfs-hr-concurrent-p ekg:comparator "<=" }
