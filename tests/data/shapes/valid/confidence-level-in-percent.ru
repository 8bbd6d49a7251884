# Passing neighbour of invalid/confidence-level-in-percent.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-pfs-hr-all-ci ekg:confidenceLevel ?old } ;
INSERT DATA { kg:ember3-result-pfs-hr-all-ci ekg:confidenceLevel 0.90 }
