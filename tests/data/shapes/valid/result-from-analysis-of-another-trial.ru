# Passing neighbour of invalid/result-from-analysis-of-another-trial.ru: the same data, edited so that no rule fires.
INSERT DATA {
    kg:test-analysis a ekg:DataAnalysis ; rdfs:label "test analysis"@en ; ekg:analysisOf kg:ember3 ;
        ekg:hasAnalysisKind ekg:PrimaryAnalysis ; prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-results .
    kg:ember3-result-pfs-median-all-standard ekg:fromAnalysis kg:test-analysis .
}
