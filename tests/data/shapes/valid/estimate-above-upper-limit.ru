# Passing neighbour of invalid/estimate-above-upper-limit.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-pfs-hr-all ekg:value ?old } ;
INSERT DATA { kg:ember3-result-pfs-hr-all ekg:value 1.04 }
