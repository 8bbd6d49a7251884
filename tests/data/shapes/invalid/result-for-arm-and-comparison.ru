# A median for both an arm and a comparison.
# expect: Violation ekgsh:OutcomeResultShape kg:ember3-result-pfs-median-esr1m-imlunestrant
INSERT DATA {
    kg:ember3-result-pfs-median-esr1m-imlunestrant ekg:forComparison kg:ember3-cmp-imlunestrant-vs-standard-esr1m .
}
