# Passing neighbour of invalid/median-negative.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-pfs-median-all-standard ekg:value ?old } ;
INSERT DATA { kg:ember3-result-pfs-median-all-standard ekg:value 0.0 }
