# Passing neighbour of invalid/comparative-result-for-an-arm.ru: the same data, edited so that no rule fires.
INSERT DATA {
    kg:ember3-result-pfs-hr-concurrent ekg:caveat "test caveat"@en .
}
