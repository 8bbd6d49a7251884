# An EMBER-3 median said to come from an EMERALD analysis.
# expect: Violation ekgsh:ResultAnalysisInTrialShape kg:ember3-result-pfs-median-all-standard
INSERT DATA {
    kg:test-analysis a ekg:DataAnalysis ; rdfs:label "test analysis"@en ; ekg:analysisOf kg:emerald ;
        ekg:hasAnalysisKind ekg:PrimaryAnalysis ; prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-results .
    kg:ember3-result-pfs-median-all-standard ekg:fromAnalysis kg:test-analysis .
}
