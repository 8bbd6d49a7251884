# A median that names no endpoint.
# expect: Violation ekgsh:OutcomeResultShape kg:ember3-result-pfs-median-all-standard
DELETE WHERE { kg:ember3-result-pfs-median-all-standard ekg:forEndpoint ?endpoint }
