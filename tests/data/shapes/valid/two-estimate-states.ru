# Passing neighbour of invalid/two-estimate-states.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-pfs-median-esr1m-imlunestrant ekg:value ?old } ;
INSERT DATA { kg:ember3-result-pfs-median-esr1m-imlunestrant ekg:estimateState ekg:NotEstimable }
