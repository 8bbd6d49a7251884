# Passing neighbour of invalid/outcome-result-without-endpoint.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-pfs-median-all-standard ekg:forEndpoint ?endpoint } ;
INSERT DATA { kg:ember3-result-pfs-median-all-standard ekg:forEndpoint kg:endpoint-investigator-assessed-pfs }
