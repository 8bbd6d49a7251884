# Passing neighbour of invalid/confidence-interval-limits-swapped.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-pfs-rmst-difference-esr1m-ci ekg:lowerLimit ?old } ;
INSERT DATA { kg:ember3-result-pfs-rmst-difference-esr1m-ci ekg:lowerLimit 2.6 } ;
DELETE WHERE { kg:ember3-result-pfs-rmst-difference-esr1m-ci ekg:upperLimit ?old } ;
INSERT DATA { kg:ember3-result-pfs-rmst-difference-esr1m-ci ekg:upperLimit 2.6 }
