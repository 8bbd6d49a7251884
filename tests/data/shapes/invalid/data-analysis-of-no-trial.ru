# A data analysis that names no trial.
# expect: Violation ekgsh:DataAnalysisShape kg:test-analysis
INSERT DATA {
    kg:test-analysis a ekg:DataAnalysis ; rdfs:label "test analysis"@en ;
        ekg:hasAnalysisKind ekg:PrimaryAnalysis ; prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-results .
}
