# A median that has a number and is also said not to be reached.
# expect: Violation ekgsh:StatisticalResultShape kg:ember3-result-pfs-median-all-standard
INSERT DATA { kg:ember3-result-pfs-median-all-standard ekg:estimateState ekg:NotReached }
