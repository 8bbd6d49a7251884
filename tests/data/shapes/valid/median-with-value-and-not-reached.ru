# Passing neighbour of invalid/median-with-value-and-not-reached.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-pfs-median-all-standard ekg:value ?value } ;
INSERT DATA { kg:ember3-result-pfs-median-all-standard ekg:estimateState ekg:NotReached }
