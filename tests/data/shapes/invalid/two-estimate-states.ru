# A median with no value that gives two reasons for it.
# expect: Violation ekgsh:StatisticalResultShape kg:ember3-result-pfs-median-esr1m-imlunestrant
DELETE WHERE { kg:ember3-result-pfs-median-esr1m-imlunestrant ekg:value ?old } ;
INSERT DATA { kg:ember3-result-pfs-median-esr1m-imlunestrant ekg:estimateState ekg:NotReached , ekg:NotEstimable }
