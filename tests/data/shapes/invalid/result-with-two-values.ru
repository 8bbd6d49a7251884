# A median with two values.
# expect: Violation ekgsh:StatisticalResultShape kg:ember3-result-pfs-median-all-standard
INSERT DATA {
    kg:ember3-result-pfs-median-all-standard ekg:value 5.7 .
}
