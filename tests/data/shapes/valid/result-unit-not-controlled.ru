# Passing neighbour of invalid/result-unit-not-controlled.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-pfs-median-all-standard ekg:unit ?old } ;
INSERT DATA { kg:ember3-result-pfs-median-all-standard ekg:unit unit:DAY }
