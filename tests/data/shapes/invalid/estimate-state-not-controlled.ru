# A median with no value whose reason is not one of the controlled estimate states.
# expect: Violation ekgsh:StatisticalResultShape kg:ember3-result-pfs-median-esr1m-imlunestrant
DELETE WHERE { kg:ember3-result-pfs-median-esr1m-imlunestrant ekg:value ?old } ;
INSERT DATA { kg:ember3-result-pfs-median-esr1m-imlunestrant ekg:estimateState ekg:PValue }
