# A comparison made within a population of another trial.
# expect: Violation ekgsh:ComparisonArmsInTrialShape kg:ember3-cmp-imlunestrant-vs-standard-esr1m
# expect: Violation ekgsh:ResultPopulationOfComparisonShape kg:ember3-result-cns-cshr-esr1m
# expect: Violation ekgsh:ResultPopulationOfComparisonShape kg:ember3-result-os-hr-esr1m-2025
# expect: Violation ekgsh:ResultPopulationOfComparisonShape kg:ember3-result-pfs-hr-esr1m-cancernetwork
# expect: Violation ekgsh:ResultPopulationOfComparisonShape kg:ember3-result-pfs-rmst-difference-esr1m
# expect: Violation ekgsh:ResultPopulationOfComparisonShape kg:ember3-result-pfs-rrr-esr1m-lilly-pr
# expect: Violation ekgsh:ComparedPopulationRestrictedToComparedArmsShape kg:ember3-cmp-imlunestrant-vs-standard-esr1m
INSERT DATA {
    kg:t2 a ekg:ClinicalTrial ; rdfs:label "second trial"@en ; ekg:hasArm kg:t2-arm ; ekg:randomizedPopulation kg:t2-pop ; prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-methods .
    kg:t2-arm a ekg:StudyArm ; rdfs:label "second trial arm"@en ; ekg:armOf kg:t2 ; ekg:receivesRegimen kg:regimen-imlunestrant-monotherapy ; ekg:armSize 10 ; prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-methods .
    kg:t2-pop a ekg:AnalysisPopulation ; rdfs:label "second trial population"@en ; ekg:populationOf kg:t2 ; ekg:populationSize 10 ; prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-results .
} ;
DELETE WHERE { kg:ember3-cmp-imlunestrant-vs-standard-esr1m ekg:withinPopulation ?old } ;
INSERT DATA { kg:ember3-cmp-imlunestrant-vs-standard-esr1m ekg:withinPopulation kg:t2-pop }
