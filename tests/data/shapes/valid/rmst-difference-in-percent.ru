# Passing neighbour of invalid/rmst-difference-in-percent.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-pfs-rmst-difference-esr1m ekg:unit ?old } ;
INSERT DATA { kg:ember3-result-pfs-rmst-difference-esr1m ekg:unit unit:DAY }
