# Passing neighbour of invalid/comparison-experimental-arm-of-another-trial.ru: the same data, edited so that no rule fires.
INSERT DATA {
    kg:t2 a ekg:ClinicalTrial ; rdfs:label "second trial"@en ; ekg:hasArm kg:t2-arm ; ekg:randomizedPopulation kg:t2-pop ; prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-methods .
    kg:t2-arm a ekg:StudyArm ; rdfs:label "second trial arm"@en ; ekg:armOf kg:t2 ; ekg:receivesRegimen kg:regimen-imlunestrant-monotherapy ; ekg:armSize 10 ; prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-methods .
    kg:t2-pop a ekg:AnalysisPopulation ; rdfs:label "second trial population"@en ; ekg:populationOf kg:t2 ; ekg:populationSize 10 ; prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-results .
}
