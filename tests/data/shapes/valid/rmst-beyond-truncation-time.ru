# Passing neighbour of invalid/rmst-beyond-truncation-time.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-pfs-rmst-esr1m-imlunestrant ekg:timepointValue ?old } ;
INSERT DATA { kg:ember3-result-pfs-rmst-esr1m-imlunestrant ekg:timepointValue 7.9 }
