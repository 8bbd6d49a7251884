# A median whose only source is a news report: a warning, not a violation.
# expect: Warning ekgsh:SecondaryOnlyResultShape kg:ember3-result-pfs-median-all-standard
DELETE DATA { kg:ember3-result-pfs-median-all-standard prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-results } ;
INSERT DATA {
    kg:test-news a ekg:NewsReport ; rdfs:label "test news report"@en ;
        ekg:hasSourceRole ekg:SecondarySource ; ekg:restates kg:jhaveri-2025-nejm .
    kg:loc-test-news a ekg:SourceLocation ; rdfs:label "test news report: paragraph 1"@en ; ekg:inDocument kg:test-news .
    kg:ember3-result-pfs-median-all-standard prov:wasDerivedFrom kg:test-news ; ekg:statedIn kg:loc-test-news .
}
